"""What a plugin, theme or Markdown extension that is not installed limits: LNK019, and warnings for what it could change.

Only findings the missing piece could have changed are demoted to warnings; every other finding
keeps its severity. What each kind can change:

* a theme publishes its own files (``assets/...``): LNK001 for a target outside the docs folder's files;
* mkdocs-bibtex writes footnotes for citations: anchors ``#fn:``/``#fnref:`` and footnote findings;
* the macros plugin renders Jinja markup (``{{``, ``{%``, ``{#``) in a page's Markdown: findings on pages
  that have none, and anchors on target pages that have none, cannot change;
* a plugin sitecheck knows nothing about (or one that writes pages, nav or text: gen-files, macros,
  i18n, literate-nav, awesome-pages, include-markdown, blog, ...) may change any page, file, id or
  nav entry: every link, anchor, reference, footnote and nav finding;
* a Markdown extension changes what pages render to: every finding on pages.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from pathlib import Path

from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding, Severity
from mkdocs_sitecheck.project import Missing, Project

_PAGE_CODES = frozenset(
    {"LNK001", "LNK002", "LNK003", "LNK004", "LNK006", "LNK007", "LNK008", "LNK009", "LNK010", "LNK011", "LNK012", "LNK013", "LNK015", "LNK016"}
)
_FOOTNOTES = frozenset({"LNK010", "LNK011"})


def missing_findings(project: Project) -> list[Finding]:
    """LNK019 for each plugin, theme or Markdown extension mkdocs.yml names that is not installed here."""
    config = project.rel(project.config_path)
    return [finding(config, m.line, m.column, "LNK019", _said(m)) for m in project.missing]


def _said(m: Missing) -> str:
    """What LNK019 says of one missing plugin, theme or extension."""
    if m.reason:
        return (
            f"{m.kind} '{m.name}' is installed but could not import what it needs ({m.reason}), so this run went on "
            "without it; what it could change is reported as a warning: install what it imports (pre-commit: add it to "
            "additional_dependencies)"
        )
    return (
        f"{m.kind} '{m.name}' is not installed, so this run could not apply it; what it could change is "
        f"reported as a warning: pip install {m.install} (pre-commit: add {m.install} to additional_dependencies)"
    )


_JINJA = ("{{", "{%", "{#")
_TARGET = re.compile(r" on '([^']+)'")


def could_change(missing: Missing, f: Finding, templated: Callable[[str], bool] = lambda path: True) -> bool:
    """Whether the missing plugin, theme or extension could have changed this finding (``templated``: whether
    a file, named as findings name it, has Jinja markup)."""
    if f.code not in _PAGE_CODES:
        return False
    if missing.kind == "theme":
        return f.code == "LNK001"
    short = missing.name.rpartition("/")[2]
    if missing.kind == "plugin" and short == "bibtex":
        return f.code in _FOOTNOTES or (f.code in ("LNK006", "LNK007") and ("#fn:" in f.message or "#fnref" in f.message))
    if missing.kind == "plugin" and short == "macros":
        target = _TARGET.search(f.message) if f.code in ("LNK006", "LNK007") else None
        return templated(f.path) or (target is not None and templated(target.group(1)))
    return True


def _templated_files(root: Path) -> Callable[[str], bool]:
    """Whether a file (relative to mkdocs.yml's folder) has Jinja markup; an unreadable one is taken to have it."""

    @functools.cache
    def templated(path: str) -> bool:
        try:
            text = (root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return True
        return any(mark in text for mark in _JINJA)

    return templated


def demote(findings: list[Finding], project: Project) -> list[Finding]:
    """Errors a missing plugin, theme or extension could have changed become warnings that name it."""
    if not project.missing:
        return findings
    templated = _templated_files(project.root)
    result = []
    for f in findings:
        culprits = [m for m in project.missing if could_change(m, f, templated)] if f.severity is Severity.ERROR else []
        if culprits:
            names = ", ".join(f"{m.kind} '{m.name}'" for m in culprits)
            f = dataclasses.replace(f, severity=Severity.WARNING, message=f"{f.message} (may differ with the missing {names})")
        result.append(f)
    return result
