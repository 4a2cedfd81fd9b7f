"""Review dates: each page's ``last_reviewed`` and ``next_review`` front matter (REV001, REV002).

A health page says when it was last reviewed and when the next review is due; this check reports
a page past its ``next_review`` (REV001, a warning: the page still builds) and a date that is not
a real ``YYYY-MM-DD`` date or a next review before the last one (REV002). With
``[tool.sitecheck] require_review_dates = true`` in pyproject.toml a page without both dates is
REV002 too. "Today" is ``--today YYYY-MM-DD``, else ``$SITECHECK_TODAY``, else the system date.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding, UsageError
from mkdocs_sitecheck.project import Project, tool_settings

KEYS = ("last_reviewed", "next_review")
TODAY: ContextVar[date | None] = ContextVar("TODAY", default=None)

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# MkDocs' own front matter pattern (mkdocs.utils.meta.YAML_RE).
_FRONT = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the text written, so an impossible date is reported, not raised."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Dated:
    """One review key as written: its value, parsed date (None when invalid) and place."""

    key: str
    raw: object
    value: date | None
    line: int
    column: int


def parse_day(text: str, where: str) -> date:
    """A ``YYYY-MM-DD`` date from the command line or environment; a UsageError otherwise."""
    try:
        if _DATE.fullmatch(text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise UsageError(f"{where} {text!r}: expected a date as YYYY-MM-DD")


def today() -> date:
    """``--today``, else ``$SITECHECK_TODAY``, else the system's date."""
    chosen = TODAY.get()
    if chosen is not None:
        return chosen
    env = os.environ.get("SITECHECK_TODAY", "").strip()
    return parse_day(env, "SITECHECK_TODAY") if env else date.today()


def require_dates(project: Project) -> bool:
    """``[tool.sitecheck] require_review_dates`` (default false)."""
    pyproject = project.root / "pyproject.toml"
    value = tool_settings(pyproject)[0].get("require_review_dates", False)
    if not isinstance(value, bool):
        raise UsageError(f"{pyproject}: [tool.sitecheck] require_review_dates must be true or false")
    return value


def front_matter(path: Path) -> tuple[str, int] | None:
    """A page's front matter text and the line it starts on (2), or None when it has none."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        head = handle.read(65536)
    match = _FRONT.match(head.replace("\r\n", "\n"))
    return (match.group(1), 2) if match else None


def review_dates(text: str, first_line: int) -> dict[str, Dated] | str:
    """The review keys present in front matter, or the YAML problem that stops MkDocs reading it."""
    try:
        meta = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        return getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if not isinstance(meta, dict):
        return {}
    lines = text.splitlines()
    found = {}
    for key in KEYS:
        if key not in meta:
            continue
        line, column = first_line, 1
        for number, content in enumerate(lines):
            match = re.match(rf"{key}\s*:\s*", content)
            if match:
                line, column = first_line + number, match.end() + 1
                break
        raw = meta[key]
        value = None
        if isinstance(raw, str) and _DATE.fullmatch(raw.strip().strip("'\"")):
            try:
                value = date.fromisoformat(raw.strip().strip("'\""))
            except ValueError:
                value = None
        found[key] = Dated(key, raw, value, line, column)
    return found


def check_page(path: Path, shown: str, now: date, required: bool) -> list[Finding]:
    """REV001/REV002 for one page."""
    front = front_matter(path)
    dates = review_dates(*front) if front else {}
    if isinstance(dates, str):
        if front and any(key in front[0] for key in KEYS):
            return [finding(shown, 1, 1, "REV002", f"front matter is not valid YAML ({dates}), so its review dates are lost")]
        dates = {}
    findings = []
    for entry in dates.values():
        if entry.value is None:
            findings.append(
                finding(
                    shown, entry.line, entry.column, "REV002", f"{entry.key} {entry.raw!r} is not a date: write it as YYYY-MM-DD, e.g. {entry.key}: 2026-11-30"
                )
            )
    last, due = dates.get("last_reviewed"), dates.get("next_review")
    if last and due and last.value and due.value and due.value < last.value:
        findings.append(finding(shown, due.line, due.column, "REV002", f"next_review {due.value} is before last_reviewed {last.value}"))
    elif due and due.value and due.value < now:
        findings.append(
            finding(
                shown,
                due.line,
                due.column,
                "REV001",
                f"page was due for review on {due.value} (today is {now}): review it, then update last_reviewed and next_review",
            )
        )
    missing = [key for key in KEYS if key not in dates]
    if required and missing:
        findings.append(
            finding(
                shown,
                1,
                1,
                "REV002",
                f"page has no {' or '.join(missing)} in its front matter "
                "([tool.sitecheck] require_review_dates = true): add e.g. " + ", ".join(f"'{key}: YYYY-MM-DD'" for key in missing),
            )
        )
    return findings


def check_review_dates(project: Project, docs_dir: Path, pages: Iterable[str], shown: Callable[[str], str]) -> list[Finding]:
    """REV001/REV002 for every page of the site (``shown`` gives a page's reported path)."""
    now, required = today(), require_dates(project)
    findings = []
    for src in pages:
        findings += check_page(docs_dir / src, shown(src), now, required)
    return findings
