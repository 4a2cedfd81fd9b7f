"""The one shape every check reports in, and the exit codes built on it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import Enum
from typing import Any

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_INTERNAL = 4


class Severity(str, Enum):
    """How much a finding matters; only errors fail a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem at one place: ``path:line:col: CODE message``."""

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    suggestion: str | None = None
    # What the finding is about as the page wrote it (a link's URL, a reference or footnote label), for the
    # checks that hold a finding against what the build rendered; never shown, and not part of its identity.
    subject: str = dataclasses.field(default="", compare=False, repr=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order findings by place, then code, so output is stable."""
        return (self.path, self.line, self.column, self.code, self.message)

    def as_text(self) -> str:
        """Render as a pre-commit style line, with the suggestion when there is one."""
        text = f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        return text

    def as_dict(self) -> dict[str, Any]:
        """Render as the JSON object documented in the README."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "suggestion": self.suggestion,
        }

    def with_severity(self, severity: Severity) -> Finding:
        """Return a copy with another severity (used by per-code overrides)."""
        return dataclasses.replace(self, severity=severity)


class UsageError(Exception):
    """Bad arguments or configuration: reported in one line, exit status 2."""


class EngineError(Exception):
    """MkDocs, a plugin or a hook failed while the site was loaded: one line naming it, exit status 3."""


class PluginImportError(EngineError):
    """An installed plugin could not import what it needs (its own modules, a macros module): like a plugin
    that is not installed, the run goes on without it."""

    def __init__(self, message: str, plugin: str, reason: str) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.reason = reason


def exit_code(findings: list[Finding], *, incomplete: bool = False) -> int:
    """Exit 3 when a run could not finish (its verdicts are partial), 1 on any error, else 0."""
    if incomplete:
        return EXIT_INCOMPLETE
    if any(f.severity is Severity.ERROR for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK


@dataclass
class CheckResult:
    """What one check returns to the CLI: its findings, what it covered, and extra JSON keys."""

    findings: list[Finding]
    checked: str
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)
    incomplete: bool = False
