"""Parse a BibTeX file with bibtexparser v2, keeping 1-based line numbers for every entry and field."""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from sitecheck.findings import Finding, UsageError

# mkdocs-bibtex finds keys in ``[@key]`` with ``@[\w-]+`` (Unicode letters and digits, '_' and '-');
# anything else in a key cannot be cited that way.
CITABLE_KEY = re.compile(r"^[\w-]+$")
# The largest bibliography read (bytes): a 7,000-entry library is about 5 MB.
MAX_BIB_BYTES = 64 * 1024 * 1024
# Something that starts an entry, @string, @preamble or @comment.
_AT_COMMAND = re.compile(r"@\s*[A-Za-z]+\s*[{(]")


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
    # Entries bibtexparser dropped because their exact key was already used (also listed in failures).
    duplicates: list[BibEntry] = field(default_factory=list)
    text: str = ""  # the file's text, for checks that read it with another parser (pybtex)

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
    entries = [_bib_entry(entry) for entry in library.entries]
    failures = [
        ((block.start_line or 0) + 1, _failure_reason(block)) for block in library.failed_blocks
    ]
    duplicates = [
        _bib_entry(block.ignore_error_block, enclosed=True)
        for block in library.failed_blocks
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry)
    ]
    return Bibliography(path, entries, failures, duplicates, text)


# A ``% comment`` line inside an entry: bibtexparser glues it to the next field's name.
_COMMENT_LINE = re.compile(r"^\s*%[^\n]*(?:\n|$)", re.MULTILINE)
# A braced value followed by a ``% comment`` on the same line, which bibtexparser keeps in the value.
_TRAILING_COMMENT = re.compile(r"^\{(?P<inner>.*)\}\s*%[^\n]*$", re.DOTALL)


def _bib_entry(entry: Entry, *, enclosed: bool = False) -> BibEntry:
    """Turn a bibtexparser entry into a BibEntry, with comment lines kept out of names and values.

    ``enclosed``: the values still have their ``{}``/``""`` (failed blocks skip bibtexparser's middleware).
    """
    fields, lines = {}, {}
    for f in entry.fields:
        name = _COMMENT_LINE.sub("", f.key).strip().lower()
        value = _strip_trailing_comment(str(f.value))
        fields[name] = _unenclose(value) if enclosed else value
        lines[name] = f.start_line + 1
    return BibEntry(entry.key, entry.entry_type.lower(), (entry.start_line or 0) + 1, fields, lines)


def _strip_trailing_comment(value: str) -> str:
    """``{1--2}  % note`` is the value ``1--2``: the comment is outside the braces."""
    match = _TRAILING_COMMENT.match(value)
    if not match or not _balanced(match.group("inner")):
        return value
    return match.group("inner")


def _unenclose(value: str) -> str:
    """Remove one pair of enclosing braces or quotes, as bibtexparser's middleware does."""
    value = value.strip()
    if len(value) >= 2 and (value[0], value[-1]) in {("{", "}"), ('"', '"')} and _balanced(value[1:-1]):
        return value[1:-1]
    return value


def _balanced(text: str) -> bool:
    """Whether every brace in ``text`` is closed, in order."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _failure_reason(block: ParsingFailedBlock) -> str:
    """A one-line reason for a block bibtexparser could not parse."""
    error = block.error
    message = str(error).strip() or str(getattr(error, "abort_reason", "")).strip()
    text = message.split(". Note:")[0].splitlines()  # drop bibtexparser's API hint
    reason = " ".join(line.strip() for line in text) if text else type(error).__name__
    for original, plain in _PLAIN_REASONS.items():
        reason = reason.replace(original, plain)
    return reason.strip()


# bibtexparser's wording -> what a contributor needs to look for.
_PLAIN_REASONS = {
    "Was still looking for field-value closing `}`": "a field value's closing '}' is missing",
    "Was still looking for field-value closing `\"`": "a field value's closing '\"' is missing",
    "Was still looking for field-value closing `,` or `}`": "a ',' between fields or the entry's closing '}' is missing",
    "Was still looking for closing bracket": "the entry's closing '}' is missing",
}


def load_bibliography(path: Path) -> Bibliography:
    """Read and parse a .bib file; anything that is not a readable BibTeX file is a UsageError.

    Only regular files are read (a FIFO or device would hang or never end), at most
    ``MAX_BIB_BYTES``; a file with text but not one ``@entry`` is not a bibliography.
    """
    text = read_bib_text(path)
    bib = parse_bibliography(text, path)
    if not bib.entries and not bib.failures and not bib.duplicates and _has_content(text):
        raise UsageError(
            f"{path}:1:1: no BibTeX entries found: this does not look like a .bib file"
            " (entries look like @article{key, title = {...}})"
        )
    return bib


def read_bib_text(path: Path) -> str:
    """The text of a bibliography file, refused with a one-line reason when it cannot be one."""
    missing = (
        f"{path}: bibliography not found (set the bibtex plugin's bib_file in mkdocs.yml,"
        " or pass --bib PATH to sitecheck refs)"
    )
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
        raise UsageError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


def _has_content(text: str) -> bool:
    """Whether a file with no entries still holds something (a .bib file of only comments is empty)."""
    if _AT_COMMAND.search(text):
        return False
    return any(line.strip() and not line.lstrip().startswith("%") for line in text.splitlines())


def parse_failures(bib: Bibliography, rel_path: str) -> list[Finding]:
    """Malformed blocks as findings at their line (the rest of the file is still checked)."""
    from sitecheck.codes import finding

    return [finding(rel_path, line, 1, "REF001", f"malformed BibTeX entry: {reason}") for line, reason in bib.failures]
