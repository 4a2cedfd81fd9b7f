"""What a plugin, theme or Markdown extension that is not installed limits: LNK019, and warnings for what it could change.

Only findings the missing piece could have changed are demoted to warnings; every other finding
keeps its severity. What each kind can change:

* a theme publishes its own files (``assets/...``): LNK001 for a target outside the docs folder's files;
* mkdocs-bibtex writes footnotes for citations: anchors ``#fn:``/``#fnref:`` and footnote findings;
* a plugin sitecheck knows nothing about (or one that writes pages, nav or text: gen-files, macros,
  i18n, literate-nav, awesome-pages, include-markdown, blog, ...) may change any page, file, id or
  nav entry: every link, anchor, reference, footnote and nav finding;
* a Markdown extension changes what pages render to: every finding on pages.
"""

from __future__ import annotations

import dataclasses

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
    return [
        finding(
            config,
            m.line,
            m.column,
            "LNK019",
            f"{m.kind} '{m.name}' is not installed, so this run could not apply it; what it could change is "
            f"reported as a warning: pip install {m.install} (pre-commit: add {m.install} to additional_dependencies)",
        )
        for m in project.missing
    ]


def could_change(missing: Missing, f: Finding) -> bool:
    """Whether the missing plugin, theme or extension could have changed this finding."""
    if f.code not in _PAGE_CODES:
        return False
    if missing.kind == "theme":
        return f.code == "LNK001"
    if missing.kind == "plugin" and missing.name.rpartition("/")[2] == "bibtex":
        return f.code in _FOOTNOTES or (f.code in ("LNK006", "LNK007") and ("#fn:" in f.message or "#fnref" in f.message))
    return True


def demote(findings: list[Finding], project: Project) -> list[Finding]:
    """Errors a missing plugin, theme or extension could have changed become warnings that name it."""
    if not project.missing:
        return findings
    result = []
    for f in findings:
        culprits = [m for m in project.missing if could_change(m, f)] if f.severity is Severity.ERROR else []
        if culprits:
            names = ", ".join(f"{m.kind} '{m.name}'" for m in culprits)
            f = dataclasses.replace(f, severity=Severity.WARNING, message=f"{f.message} (may differ with the missing {names})")
        result.append(f)
    return result
