"""Read a BibTeX file into entries with 1-based line numbers for every entry and field.

The parser of record is :mod:`mkdocs_sitecheck.bibscan`, which reads braces, quotes, ``#`` and
``@string`` as BibTeX and pybtex do, in one linear pass: an entry they accept is never dropped.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs_sitecheck.bibscan import Failure, RawEntry, Scanner
from mkdocs_sitecheck.findings import Finding, UsageError

# mkdocs-bibtex finds keys in ``[@key]`` with ``@[\w-]+`` (Unicode letters and digits, '_' and '-');
# anything else in a key cannot be cited that way.
CITABLE_KEY = re.compile(r"^[\w-]+$")
# The largest bibliography read (bytes): a 200,000-entry library is about 60 MB.
MAX_BIB_BYTES = 64 * 1024 * 1024
# Something that starts an entry, @string, @preamble or @comment.
_AT_COMMAND = re.compile(r"@\s*[A-Za-z]+\s*[{(]")


@dataclass(slots=True)
class BibEntry:
    """One ``@type{key, ...}`` entry with the line of the entry and of each field.

    ``raw``: the source text of values that were not one plain string (``"1~" # jun``), by field.
    """

    key: str
    entry_type: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    raw: dict[str, str] | None = None

    def get(self, name: str, default: str = "") -> str:
        """A field's value (lower-case field names), or ``default``."""
        return self.fields.get(name.lower(), default)

    def source(self, name: str) -> str:
        """A field's value as written in the file (with ``#`` and macro names), or its value."""
        return (self.raw or {}).get(name) or self.fields.get(name, "")


@dataclass
class Bibliography:
    """The entries of one .bib file and the blocks that failed to parse."""

    path: Path
    entries: list[BibEntry]
    failures: list[tuple[int, str]]
    # Later entries with a key already used exactly (BibTeX and pybtex use the first one).
    duplicates: list[BibEntry] = field(default_factory=list)
    text: str = ""  # the file's text, for checks that read it with another parser (pybtex)
    # What was read past, as (line, code, message): a repeated field, a missing comma between fields.
    warnings: list[tuple[int, str, str]] = field(default_factory=list)

    def keys(self) -> set[str]:
        """The cite keys defined, as written."""
        return {entry.key for entry in self.entries}

    def by_folded_key(self) -> dict[str, BibEntry]:
        """Entries by lower-cased key (mkdocs-bibtex's pybtex matches keys case-insensitively)."""
        return {entry.key.lower(): entry for entry in self.entries}


def parse_bibliography(text: str, path: Path) -> Bibliography:
    """Parse BibTeX text; malformed blocks become failures, never exceptions."""
    entries: list[BibEntry] = []
    failures: list[tuple[int, str]] = []
    duplicates: list[BibEntry] = []
    warnings: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for item in Scanner(text).entries():
        if isinstance(item, Failure):
            failures.append((item.line, item.reason))
            continue
        entry = _bib_entry(item)
        warnings += [(line, code, f"'{entry.key}': {why}") for line, code, why in item.problems or ()]
        if entry.key in seen:
            duplicates.append(entry)
        else:
            seen.add(entry.key)
            entries.append(entry)
    return Bibliography(path, entries, failures, duplicates, text, warnings)


def _bib_entry(item: RawEntry) -> BibEntry:
    """A scanned entry as a BibEntry."""
    return BibEntry(item.key, item.entry_type, item.line, item.fields, item.field_lines, item.raw)


def load_bibliography(path: Path) -> Bibliography:
    """Read and parse a .bib file; anything that is not a readable BibTeX file is a UsageError.

    Only regular files are read (a FIFO or device would hang or never end), at most
    ``MAX_BIB_BYTES``; a file with text but not one ``@entry`` is not a bibliography.
    """
    text = read_bib_text(path)
    bib = parse_bibliography(text, path)
    if not bib.entries and not bib.failures and not bib.duplicates and _has_content(text):
        raise UsageError(f"{path}:1:1: no BibTeX entries found: this does not look like a .bib file (entries look like @article{{key, title = {{...}}}})")
    return bib


def read_bib_text(path: Path) -> str:
    """The text of a bibliography file, refused with a one-line reason when it cannot be one."""
    missing = f"{path}: bibliography not found (set the bibtex plugin's bib_file in mkdocs.yml, or pass --bib PATH to sitecheck refs)"
    try:
        info = os.stat(path)  # stat never blocks, unlike opening a FIFO with no writer
    except FileNotFoundError:
        raise UsageError(missing) from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read bibliography: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path}: is a folder; pass the .bib file itself")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path}: not a regular file (a device, pipe or socket); save the bibliography to a file")
    if info.st_size > MAX_BIB_BYTES:
        raise UsageError(f"{path}: {info.st_size:,} bytes is more than the {MAX_BIB_BYTES:,}-byte limit for a bibliography")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BIB_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read bibliography: {exc.strerror or exc}") from None
    if len(data) > MAX_BIB_BYTES:
        raise UsageError(f"{path}: more than the {MAX_BIB_BYTES:,}-byte limit for a bibliography")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UsageError(f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None


def _has_content(text: str) -> bool:
    """Whether a file with no entries still holds something (a .bib file of only comments is empty)."""
    if _AT_COMMAND.search(text):
        return False
    return any(line.strip() and not line.lstrip().startswith("%") for line in text.splitlines())


def parse_failures(bib: Bibliography, rel_path: str) -> list[Finding]:
    """Malformed blocks as findings at their line (the rest of the file is still checked)."""
    from mkdocs_sitecheck.codes import finding

    return [finding(rel_path, line, 1, "REF001", f"malformed BibTeX entry: {reason}") for line, reason in bib.failures]
