"""Parse a BibTeX file with bibtexparser v2, keeping 1-based line numbers for every entry and field."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.model import ParsingFailedBlock

from sitecheck.findings import Finding, Severity, UsageError

# mkdocs-bibtex finds keys with ``@[\w-]+``; anything else in a key cannot be cited.
CITABLE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass
class BibEntry:
    """One ``@type{key, ...}`` entry with the line of the entry and of each field."""

    key: str
    entry_type: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        """A field's raw value (lower-case field names), or ``default``."""
        return self.fields.get(name.lower(), default)


@dataclass
class Bibliography:
    """The entries of one .bib file and the blocks that failed to parse."""

    path: Path
    entries: list[BibEntry]
    failures: list[tuple[int, str]]

    def keys(self) -> set[str]:
        """The cite keys defined, as written."""
        return {entry.key for entry in self.entries}

    def by_folded_key(self) -> dict[str, BibEntry]:
        """Entries by lower-cased key (mkdocs-bibtex's pybtex matches keys case-insensitively)."""
        return {entry.key.lower(): entry for entry in self.entries}


def parse_bibliography(text: str, path: Path) -> Bibliography:
    """Parse BibTeX text; malformed blocks become failures, never exceptions."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    entries = []
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        lines = {f.key.lower(): f.start_line + 1 for f in entry.fields}
        entries.append(BibEntry(entry.key, entry.entry_type.lower(), entry.start_line + 1, fields, lines))
    failures = [
        (block.start_line + 1, _failure_reason(block)) for block in library.failed_blocks
    ]
    return Bibliography(path, entries, failures)


def _failure_reason(block: ParsingFailedBlock) -> str:
    """A one-line reason for a block bibtexparser could not parse."""
    error = block.error
    text = str(error).strip().splitlines()
    reason = " ".join(line.strip() for line in text) if text else type(error).__name__
    return reason.replace("Was still looking for field-value closing `}`", "a field value's closing '}' is missing")


def load_bibliography(path: Path) -> Bibliography:
    """Read and parse a .bib file; an unreadable file is a UsageError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: bibliography not found (set bib_file in mkdocs.yml or pass --bib PATH)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read bibliography: {exc}") from None
    return parse_bibliography(text, path)


def parse_failures(bib: Bibliography, rel_path: str) -> list[Finding]:
    """Malformed blocks as findings at their line (the rest of the file is still checked)."""
    return [
        Finding(rel_path, line, 1, "BIB001", Severity.ERROR, f"malformed BibTeX entry: {reason}")
        for line, reason in bib.failures
    ]
