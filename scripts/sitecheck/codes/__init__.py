"""The one registry of sitecheck codes, gathered from each check's own codes table, and their pages.

Each check keeps its codes where it defines them (a ``CODES`` mapping of ``CODE -> (severity,
summary)``); this module lists those modules, checks that the codes are unique and well formed and
that each has an explanation page ``<CODE>.md`` beside this file, and serves ``sitecheck explain``.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitecheck.findings import Severity

PAGES = Path(__file__).parent
CODE_FORM = re.compile(r"[A-Z]{3}[0-9]{3}")
INFO_URI = "https://github.com/ketamine-guide/ketamine-guide#readme"
HELP_URI = "https://github.com/ketamine-guide/ketamine-guide/blob/main/scripts/sitecheck/codes/{code}.md"
PAGE_SECTIONS = ("## What it means", "## Why it matters", "## How to fix", "## Example")

# (check that reports the codes, module that defines them). A new check adds one line here.
SOURCES: tuple[tuple[str, str], ...] = (
    ("links", "sitecheck.links.codes"),
    ("links", "sitecheck.links.review"),
    ("refs", "sitecheck.refs.codes"),
    ("policy", "sitecheck.policy"),
)


@dataclass(frozen=True)
class Code:
    """One registered code: its default severity, one-line summary, the check that reports it.

    ``policy`` marks a rule of this site rather than a defect of the file (see ``sitecheck.refs.codes``).
    """

    code: str
    severity: Severity
    summary: str
    check: str
    policy: bool = False

    @property
    def page(self) -> Path:
        """The code's explanation page."""
        return PAGES / f"{self.code}.md"


class RegistryError(Exception):
    """The code tables contradict each other: a programming error, caught by the tests."""


@lru_cache(maxsize=1)
def registry() -> dict[str, Code]:
    """Every code of every check, in definition order, after checking that codes are unique and well formed."""
    codes: dict[str, Code] = {}
    for check, module_name in SOURCES:
        table = importlib.import_module(module_name).CODES
        for code, entry in table.items():
            severity, summary = entry[0], entry[1]
            policy = bool(getattr(entry, "policy", False))
            if not CODE_FORM.fullmatch(code):
                raise RegistryError(f"{module_name}: code {code!r} is not three capitals and three digits")
            if code in codes:
                raise RegistryError(f"{module_name}: code {code} is already defined by the {codes[code].check} check")
            if not isinstance(severity, Severity) or not summary:
                raise RegistryError(f"{module_name}: code {code} needs a Severity and a summary")
            codes[code] = Code(code, severity, summary, check, policy)
    return codes


def problems() -> list[str]:
    """What is wrong with the registry and its pages (empty when all is well)."""
    try:
        codes = registry()
    except RegistryError as exc:
        return [str(exc)]
    found = []
    for code in codes.values():
        if not code.page.is_file():
            found.append(f"{code.code}: no explanation page {code.page.name}")
            continue
        text = code.page.read_text(encoding="utf-8")
        if not text.startswith(f"# {code.code}"):
            found.append(f"{code.page.name}: must start with '# {code.code}'")
        found += [f"{code.page.name}: missing section '{s}'" for s in PAGE_SECTIONS if s not in text]
    orphans = {p.stem for p in PAGES.glob("*.md")} - set(codes)
    found += [f"{name}.md: explains a code no check defines" for name in sorted(orphans)]
    return found


def code_table(check: str | None = None) -> str:
    """``CODE  severity  summary`` lines, for one check or all of them."""
    return "".join(
        f"{c.code}  {c.severity.value:<7}  {c.summary}\n"
        for c in registry().values()
        if check is None or c.check == check
    )


def explain(code: str) -> str | None:
    """The explanation page of a code (any case), headed by its default severity; None when unknown."""
    entry = registry().get(code.upper())
    if entry is None:
        return None
    text = entry.page.read_text(encoding="utf-8").rstrip("\n")
    body = text.partition("\n")[2]
    by = "every run" if entry.check == "policy" else f"`sitecheck {entry.check}`"
    return f"# {entry.code}: {entry.summary}\n\nDefault severity: {entry.severity.value}; reported by {by}.\n{body}\n"


def suggest_code(word: str) -> str | None:
    """The registered code a mistyped one most likely means: case and zero padding first, then spelling."""
    from sitecheck.suggest import closest

    match = re.fullmatch(r"([A-Za-z]+)0*([0-9]+)", word.strip())
    if match:
        padded = f"{match.group(1).upper()}{int(match.group(2)):03d}"
        if padded in registry():
            return padded
    return closest(word.upper(), registry())
