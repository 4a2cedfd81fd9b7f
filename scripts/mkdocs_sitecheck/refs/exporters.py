"""What reference managers and Google Scholar get wrong: misplaced identifiers, arXiv as a journal, months.

- An identifier in the wrong field (a DOI in ``volume``, a PMID in ``note``, an ISBN in
  ``publisher``…): recognised (so the online checks use it) and reported with the move to make.
- Google Scholar's ``journal = {arXiv preprint arXiv:2101.00001}``: an arXiv id, not a journal.
- Paperpile's ``month = "1~" # jun``: biber ignores a month that is not a number or a month
  macro (``Invalid value of field 'month'``), and pandoc leaves it out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs_sitecheck.bib import BibEntry
from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding
from mkdocs_sitecheck.refs import identifiers as ids

# Where an identifier belongs, and fields that may mention one in passing (an abstract, a file path).
_OWN_FIELDS = {"doi", "url", "eprint", "pmid", "pmcid", "isbn", "issn", "howpublished", "eprinttype", "archiveprefix"}
_SKIP_FIELDS = {"abstract", "file", "keywords", "annote", "annotation", "comment", "review", "verification",
                "ids", "crossref", "xdata", "related", "mendeley-tags", "local-url", "shorttitle"}  # fmt: skip
_DOI_IN_TEXT = re.compile(r"(?<![\w/.])(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/[^\s{}\"<>,;]+)", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(
    r"arxiv(?:\s+preprint)?\s*(?:arxiv)?\s*[:/]?\s*(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
    re.IGNORECASE,
)
_PMID_IN_TEXT = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
_PMCID_IN_TEXT = re.compile(r"\b(PMC\d{4,9})\b")
_ISBN_IN_TEXT = re.compile(r"\bISBN(?:-1[03])?:?\s*((?:97[89][\s-]?)?\d[\d\s-]{7,14}[\dXx])\b")
_CUES = re.compile(r"10\.|arxiv|pmid|pmc|isbn", re.IGNORECASE)


@dataclass(frozen=True)
class Misplaced:
    """An identifier found in a field that is not its own."""

    kind: str  # doi | arxiv | pmid | pmcid | isbn
    value: str
    field: str
    line: int

    def fix(self) -> str:
        """The field to write instead."""
        return {
            "doi": f"doi = {{{self.value}}}",
            "arxiv": f"eprint = {{{self.value}}}, archiveprefix = {{arXiv}}",
            "pmid": f"pmid = {{{self.value}}}",
            "pmcid": f"pmcid = {{{self.value}}}",
            "isbn": f"isbn = {{{self.value}}}",
        }[self.kind]


def misplaced_identifiers(entry: BibEntry) -> list[Misplaced]:
    """Identifiers written into other fields, when the entry lacks them in their own field."""
    found: list[Misplaced] = []
    for name, value in entry.fields.items():
        if name in _OWN_FIELDS or name in _SKIP_FIELDS or not value:
            continue
        if not _CUES.search(value):
            continue
        found += _in_value(entry, name, value)
    seen: set[tuple[str, str]] = set()
    return [m for m in found if (m.kind, m.value.lower()) not in seen and not seen.add((m.kind, m.value.lower()))]  # type: ignore[func-returns-value]


def _in_value(entry: BibEntry, name: str, value: str) -> list[Misplaced]:
    """The identifiers one field value holds that the entry's own fields do not."""
    line = entry.field_lines.get(name, entry.line)
    text = ids.normalise_doi(value) if "\\" in value else value
    found = []
    if not entry.get("doi").strip():
        for match in _DOI_IN_TEXT.finditer(text):
            doi = match.group(1).rstrip(".")
            if not ids.doi_problem(doi):
                found.append(Misplaced("doi", doi, name, line))
    if not entry.get("eprint").strip():
        found += [Misplaced("arxiv", m.group(1), name, line) for m in _ARXIV_IN_TEXT.finditer(text)]
    if not entry.get("pmid").strip():
        found += [Misplaced("pmid", m.group(1), name, line) for m in _PMID_IN_TEXT.finditer(text)]
    if not entry.get("pmcid").strip():
        found += [Misplaced("pmcid", m.group(1), name, line) for m in _PMCID_IN_TEXT.finditer(text)]
    if not entry.get("isbn").strip():
        for match in _ISBN_IN_TEXT.finditer(text):
            isbn = " ".join(match.group(1).split())
            if not ids.isbn_problem(isbn):
                found.append(Misplaced("isbn", isbn, name, line))
    return found


def misplaced_findings(entry: BibEntry, path: str, misplaced: Iterable[Misplaced]) -> list[Finding]:
    """REF034 for Google Scholar's arXiv-as-journal, REF019 for any other misplaced identifier."""
    found = []
    for item in misplaced:
        if item.kind == "arxiv" and item.field in ("journal", "journaltitle", "booktitle"):
            message = (
                f"'{entry.key}': {item.field} '{entry.get(item.field)}' is an arXiv preprint, not a journal "
                f"(Google Scholar writes it so): write {item.fix()} and make it @misc (or @online)"
            )
            found.append(finding(path, item.line, 1, "REF034", message))
            continue
        what = {"doi": "DOI", "arxiv": "arXiv id", "pmid": "PMID", "pmcid": "PMCID", "isbn": "ISBN"}[item.kind]
        message = f"'{entry.key}': {item.field} holds the {what} {item.value}: move it to {item.fix()}"
        found.append(finding(path, item.line, 1, "REF019", message))
    return found


# --- month ------------------------------------------------------------------------------------

_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MACRO = re.compile(r"^\s*([A-Za-z]{3})\s*$")


def month_findings(entry: BibEntry, path: str) -> list[tuple[Finding, tuple[str, ...]]]:
    """A month biber cannot read (it ignores it) or pandoc cannot read (it leaves it out).

    biber reads a number 1-12 or a month macro (``jun``) and warns about, but keeps, a written
    month name; pandoc reads a number, a macro or a three-letter abbreviation.
    """
    if "month" not in entry.fields:
        return []
    raw, value = entry.source("month").strip(), entry.get("month").strip().strip("{}").strip()
    macro = entry.raw is not None and "month" in entry.raw and _MACRO.match(raw) is not None
    number = value.isdigit() and 1 <= int(value) <= 12
    if macro or number:
        return []
    who = []
    if value.lower().rstrip(".") not in _MONTH_ABBREVIATIONS:
        who.append("csl")
    if not _month_name(value):
        who.append("biblatex")
    if not who:
        return []
    month = _month_number(value)
    fix = f"month = {_MONTH_ABBREVIATIONS[month - 1]}" if month else "month = jan … dec (no braces) or 1-12"
    day = re.match(r"^(\d{1,2})\W", value)
    if day and month:
        fix += f", and the day in day = {{{int(day.group(1))}}} (biblatex) or date = {{YYYY-{month:02d}-{int(day.group(1)):02d}}}"
    readers = " and ".join({"biblatex": "biber ignores it", "csl": "pandoc leaves it out"}[w] for w in reversed(who))
    message = f"'{entry.key}': month {raw} is not a month number or macro ({readers}): write {fix}"
    line = entry.field_lines.get("month", entry.line)
    return [(finding(path, line, 1, "REF018", message), tuple(who))]


_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"
)  # fmt: skip


def _month_name(value: str) -> bool:
    """Whether a value is an English month name or abbreviation (biber warns but keeps it)."""
    word = value.lower().rstrip(".")
    return word in _MONTH_NAMES or word in _MONTH_ABBREVIATIONS


def _month_number(value: str) -> int | None:
    """The month a value names somewhere in it (``1~June`` -> 6), or None."""
    for word in re.findall(r"[A-Za-z]+|\d+", value):
        lowered = word.lower()
        if lowered[:3] in _MONTH_ABBREVIATIONS and (lowered in _MONTH_NAMES or len(lowered) == 3):
            return _MONTH_ABBREVIATIONS.index(lowered[:3]) + 1
    return None
