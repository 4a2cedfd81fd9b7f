"""Render findings as text, GitHub annotations or JSON; one renderer for every check."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from typing import Any, TextIO

from mkdocs_sitecheck.findings import Finding, Severity

FORMATS = ("text", "github", "json", "sarif")
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def summarise(findings: Iterable[Finding]) -> dict[str, Any]:
    """Count findings by severity and by code."""
    items = list(findings)
    by_severity = Counter(f.severity.value for f in items)
    return {
        "errors": by_severity.get("error", 0),
        "warnings": by_severity.get("warning", 0),
        "infos": by_severity.get("info", 0),
        "by_code": dict(sorted(Counter(f.code for f in items).items())),
    }


def summary_line(summary: dict[str, Any], checked: str) -> str:
    """The one-line closing summary of a text run."""
    errors, warnings = summary["errors"], summary["warnings"]
    if not errors and not warnings:
        return f"sitecheck: no problems found ({checked})"
    return f"sitecheck: {_plural(errors, 'error')}, {_plural(warnings, 'warning')} ({checked})"


def _plural(count: int, word: str) -> str:
    """Say '1 error' or '2 errors'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _escape_data(text: str) -> str:
    """Escape an annotation's message as GitHub's workflow commands require."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """Escape an annotation property value (file, title)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(finding: Finding) -> str:
    """One ``::error``/``::warning``/``::notice`` workflow command for a finding."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[finding.severity]
    message = finding.message
    if finding.suggestion:
        message += f" (did you mean '{finding.suggestion}'?)"
    return (
        f"::{level} file={_escape_property(finding.path)},line={finding.line},"
        f"col={finding.column},title={_escape_property(finding.code)}::{_escape_data(message)}"
    )


def step_summary(findings: list[Finding], summary: dict[str, Any], checked: str) -> str:
    """A Markdown table for ``$GITHUB_STEP_SUMMARY``."""
    lines = [f"### sitecheck: {summary['errors']} errors, {summary['warnings']} warnings", "", f"Checked {checked}.", ""]
    if findings:
        lines += ["| Where | Code | Severity | Message |", "| --- | --- | --- | --- |"]
        for f in findings:
            message = f.message.replace("|", "\\|")
            if f.suggestion:
                message += f" (did you mean `{f.suggestion}`?)"
            lines.append(f"| `{f.path}:{f.line}:{f.column}` | {f.code} | {f.severity.value} | {message} |")
    return "\n".join(lines) + "\n"


def render(
    findings: list[Finding],
    fmt: str,
    out: TextIO,
    *,
    checked: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write findings in the chosen format; ``extra`` adds top-level JSON keys (e.g. entries)."""
    findings = sorted(findings, key=Finding.sort_key)
    summary = summarise(findings)
    if fmt == "json":
        data: dict[str, Any] = {"findings": [f.as_dict() for f in findings], "summary": summary}
        data.update(extra or {})
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")  # one write: dump() writes per token
        return
    if fmt == "sarif":
        out.write(json.dumps(sarif(findings), indent=2, ensure_ascii=False) + "\n")
        return
    if fmt == "github":
        for f in findings:
            out.write(github_line(f) + "\n")
        path = os.environ.get("GITHUB_STEP_SUMMARY")
        if path:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(step_summary(findings, summary, checked))
    else:
        for f in findings:
            out.write(f.as_text() + "\n")
    out.write(summary_line(summary, checked) + "\n")


def sarif(findings: list[Finding]) -> dict[str, Any]:
    """A SARIF 2.1.0 log for GitHub code scanning: every registered code as a rule, one result per finding."""
    from mkdocs_sitecheck import __version__
    from mkdocs_sitecheck.codes import HELP_URI, INFO_URI, registry

    codes = list(registry().values())
    index = {c.code: i for i, c in enumerate(codes)}
    rules = []
    for c in codes:
        page = c.page.read_text(encoding="utf-8") if c.page.is_file() else c.summary
        rules.append(
            {
                "id": c.code,
                "name": c.code,
                "shortDescription": {"text": c.summary},
                "fullDescription": {"text": c.summary},
                "helpUri": HELP_URI.format(code=c.code),
                "help": {"text": page, "markdown": page},
                "defaultConfiguration": {"level": SARIF_LEVELS[c.severity]},
                "properties": {"tags": [c.check]},
            }
        )
    results = []
    for f in findings:
        message = f.message + (f" (did you mean '{f.suggestion}'?)" if f.suggestion else "")
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": SARIF_LEVELS[f.severity],
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                    }
                }
            ],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sitecheck",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
