"""The project's finding policy: inline ignore comments (checked, and reported when unused) and severities."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs_sitecheck.findings import Finding, Severity

if TYPE_CHECKING:
    from mkdocs_sitecheck.project import Project

# ``<!-- sitecheck: ignore LNK001, LNK006 -->``, ``% sitecheck: ignore REF005``, ``# sitecheck: ignore LNK012``.
_COMMENT = re.compile(r"sitecheck:\s*ignore\b")
_TOKEN = re.compile(r"[^\s,]+")
_CODE_LIKE = re.compile(r"[A-Za-z]+[0-9]+")


@dataclass
class IgnoreComment:
    """One ``sitecheck: ignore`` comment: where it is and the codes it names (with their columns)."""

    path: str
    line: int
    column: int
    codes: list[tuple[str, int]]
    used: set[str] = field(default_factory=set)


def parse_ignore(text: str) -> tuple[int, list[tuple[str, int]]] | None:
    """The comment's column and its ``(code, column)`` list, or None when the line has no comment.

    The codes run from ``ignore`` to the first word that does not look like a code (a reason may
    follow) or to ``-->``; a word that looks like a code but is not one is still returned, so that
    it can be reported.
    """
    match = _COMMENT.search(text)
    if match is None:
        return None
    rest_start = match.end()
    end = text.find("-->", rest_start)
    rest = text[rest_start : end if end >= 0 else len(text)]
    codes = []
    for token in _TOKEN.finditer(rest):
        if not _CODE_LIKE.fullmatch(token.group()):
            break
        codes.append((token.group(), rest_start + token.start() + 1))
    return match.start() + 1, codes


def scan_ignores(project: Project, extra_paths: Iterable[str]) -> dict[tuple[str, int], IgnoreComment]:
    """Every ignore comment in the docs, mkdocs.yml, the bibliography and any file a finding names."""
    files: dict[str, Path] = {}
    for path in sorted(project.docs_dir.rglob("*.md")):
        files[project.rel(path)] = path
    candidates = [project.config_path, *([project.bib_file] if project.bib_file else [])]
    candidates += [project.root / p for p in extra_paths]
    for path in candidates:
        files.setdefault(project.rel(path), path)
    comments: dict[tuple[str, int], IgnoreComment] = {}
    for rel, path in files.items():
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "sitecheck:" not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            parsed = parse_ignore(line)
            if parsed is not None:
                comments[(rel, number)] = IgnoreComment(rel, number, parsed[0], parsed[1])
    return comments


def apply_policy(
    findings: list[Finding],
    project: Project,
    *,
    known: dict[str, str] | None = None,
    ran: set[str] | None = None,
) -> list[Finding]:
    """Drop findings an ignore comment names, apply severity overrides, and check the comments.

    ``known`` maps every registered code to its check; ``ran`` is the checks that ran. With both,
    a code in a comment that is not registered is SCK001, and a code of a check that ran that
    suppressed nothing is SCK002 (a comment for a check that did not run is left alone).
    """
    comments = scan_ignores(project, {f.path for f in findings})
    kept = []
    for finding in findings:
        comment = comments.get((finding.path, finding.line))
        if comment is not None and finding.code in {code for code, _ in comment.codes}:
            comment.used.add(finding.code)
            continue
        kept.append(finding)
    if known is not None and ran is not None:
        kept += comment_findings(comments.values(), known, ran)
    return _override(kept, project.severity_overrides)


def comment_findings(comments: Iterable[IgnoreComment], known: dict[str, str], ran: set[str]) -> list[Finding]:
    """SCK001 for unknown codes (or none) in ignore comments, SCK002 for codes that suppressed nothing."""
    from mkdocs_sitecheck.codes import finding, suggest_code

    found = []
    for comment in comments:
        if not comment.codes:
            found.append(finding(comment.path, comment.line, comment.column, "SCK001", "ignore comment names no code: write 'sitecheck: ignore CODE[, CODE…]'"))
        for code, column in comment.codes:
            if code not in known:
                found.append(
                    finding(
                        comment.path,
                        comment.line,
                        column,
                        "SCK001",
                        f"ignore comment names '{code}', which is not a sitecheck code (see `sitecheck explain --list`)",
                        suggest_code(code),
                    )
                )
            elif known[code] in ran and code not in comment.used:
                found.append(finding(comment.path, comment.line, column, "SCK002", f"ignore comment for {code} suppresses nothing on this line"))
    return found


def _override(findings: list[Finding], overrides: dict[str, Severity | None]) -> list[Finding]:
    """Apply ``[tool.sitecheck.severity]``: another severity, or ``off`` to drop the finding."""
    result = []
    for finding in findings:
        if finding.code in overrides:
            severity = overrides[finding.code]
            if severity is None:
                continue
            finding = finding.with_severity(severity)
        result.append(finding)
    return result
