"""Compare a .bib entry with a registry record: field differences, confident identification, retractions."""

from __future__ import annotations

from mkdocs_sitecheck.bib import BibEntry
from mkdocs_sitecheck.findings import Severity
from mkdocs_sitecheck.refs.model import FieldDiff, Record
from mkdocs_sitecheck.refs.normalise import (
    CLOSE,
    DIFFERENT,
    SAME,
    SUBTITLE,
    Name,
    compare_titles,
    expand_last_page,
    first_page,
    journals_match,
    norm_text,
    split_authors,
    surnames_match,
    title_similarity,
    year_of,
)

E, W = Severity.ERROR, Severity.WARNING
RETRACTION_TYPES = {"retraction", "withdrawal", "removal"}
CONCERN_TYPES = {"expression_of_concern", "partial_retraction"}
CORRECTION_TYPES = {"correction", "erratum", "corrigendum", "addendum", "clarification"}


def entry_year(entry: BibEntry) -> int | None:
    """The entry's year (from ``year`` or ``date``)."""
    return year_of(entry.get("year")) or year_of(entry.get("date")[:10] if entry.get("date") else "")


def entry_journal(entry: BibEntry) -> str:
    """The entry's journal (``journal`` or biblatex ``journaltitle``)."""
    return entry.get("journal") or entry.get("journaltitle")


def persons(entry: BibEntry) -> list[Name]:
    """The entry's authors (or editors) that are people, without ``others``."""
    names = split_authors(entry.get("author") or entry.get("editor"))
    return [n for n in names if not n.others and not n.corporate and n.last]


def compare(entry: BibEntry, record: Record) -> list[FieldDiff]:
    """Every field on which the entry and the record disagree (fields either lacks are skipped)."""
    diffs: list[FieldDiff] = []
    diffs += _title(entry, record)
    diffs += _authors(entry, record)
    diffs += _year(entry, record)
    journal = entry_journal(entry)
    if journal and record.journals and not journals_match(journal, record.journals):
        diffs.append(FieldDiff("journal", journal, record.journals[0], E, record.source))
    volume = entry.get("volume").strip()
    if volume and record.volume and norm_text(volume) != norm_text(record.volume):
        diffs.append(FieldDiff("volume", volume, record.volume, E, record.source))
    diffs += _pages(entry, record)
    return diffs


def _title(entry: BibEntry, record: Record) -> list[FieldDiff]:
    """Title: the same or missing a subtitle is fine; a small change is a warning; otherwise an error."""
    title = entry.get("title")
    if not title or not record.titles:
        return []
    verdict, closest = compare_titles(title, record.titles)
    if verdict in (SAME, SUBTITLE):
        return []
    return [FieldDiff("title", title, closest, W if verdict == CLOSE else E, record.source)]


def _authors(entry: BibEntry, record: Record) -> list[FieldDiff]:
    """First author's surname must match; co-authors the record lacks are a warning, most of them an error."""
    people = persons(entry)
    if not people or not record.authors:
        return []
    diffs = []
    if not surnames_match(people[0].last, record.authors[0]):
        diffs.append(FieldDiff("first author", people[0].last, record.authors[0], E, record.source))
    missing = [p.last for p in people[1:] if not any(surnames_match(p.last, r) for r in record.authors)]
    if missing:
        severity = E if len(missing) * 2 > len(people) else W
        shown = ", ".join(record.authors[:6]) + (", ..." if len(record.authors) > 6 else "")
        diffs.append(FieldDiff("authors", ", ".join(missing), shown, severity, record.source))
    return diffs


def _year(entry: BibEntry, record: Record) -> list[FieldDiff]:
    """Year: any of the record's years is fine; one year off (online vs print) is a warning."""
    year = entry_year(entry)
    if year is None or not record.years or year in record.years:
        return []
    near = any(abs(year - y) == 1 for y in record.years)
    shown = " / ".join(str(y) for y in record.years)
    return [FieldDiff("year", str(year), shown, W if near else E, record.source)]


def _pages(entry: BibEntry, record: Record) -> list[FieldDiff]:
    """First page (MEDLINE's ``351-4`` style understood)."""
    pages = entry.get("pages").strip()
    if not pages or not record.pages:
        return []
    ours, theirs = first_page(pages), first_page(record.pages)
    if not ours or not theirs or ours == theirs:
        return []
    return [FieldDiff("first page", ours, full_pages(record.pages), E, record.source)]


def full_pages(pages: str) -> str:
    """A record's page range with MEDLINE abbreviations expanded: ``351-4`` -> ``351-354``."""
    first, sep, last = pages.partition("-")
    if sep and first.strip().isdigit() and last.strip().isdigit():
        return f"{first.strip()}-{expand_last_page(first.strip(), last.strip())}"
    return pages


def identifies(entry: BibEntry, record: Record) -> bool:
    """Whether a search result is confidently the entry's work (title, first author, year ±1, or ISBN)."""
    isbns = {i.replace("-", "") for i in entry.get("isbn").replace(";", ",").split(",") if i.strip()}
    if isbns and isbns & {i.replace("-", "") for i in record.isbns}:
        return True
    title = entry.get("title")
    if not title or not record.titles:
        return False
    verdict, _ = compare_titles(title, record.titles)
    if verdict == DIFFERENT:
        return False
    people = persons(entry)
    if people and record.authors and not surnames_match(people[0].last, record.authors[0]):
        return False
    if people and not record.authors:
        return False
    year = entry_year(entry)
    return year is None or not record.years or any(abs(year - y) <= 1 for y in record.years)


def rank(entry: BibEntry, candidates: list[Record]) -> list[Record]:
    """Search results, most like the entry first (title similarity, then first author and year)."""

    def score(record: Record) -> float:
        people = persons(entry)
        year = entry_year(entry)
        value = title_similarity(entry.get("title"), record.titles)
        if people and record.authors and surnames_match(people[0].last, record.authors[0]):
            value += 0.5
        if year is not None and year in record.years:
            value += 0.25
        return value

    return sorted(candidates, key=score, reverse=True)


def update_kind(update_type: str) -> str | None:
    """``retraction``, ``concern`` or ``correction`` for a Crossref update type (any spelling), else None."""
    name = update_type.strip().lower().replace("-", "_").replace(" ", "_")
    if name in RETRACTION_TYPES:
        return "retraction"
    if name in CONCERN_TYPES:
        return "concern"
    if name in CORRECTION_TYPES:
        return "correction"
    return None


def is_retracted_in_pubmed(record: Record) -> bool:
    """PubMed marks a retracted article with the publication type 'Retracted Publication'."""
    return any(t.strip().lower() == "retracted publication" for t in record.pubtypes)


def is_notice(record: Record) -> str | None:
    """The kind of notice the record itself is (it updates another work), or None."""
    for update in record.update_to:
        if kind := update_kind(update.get("type", "")):
            return kind
    if any(t.strip().lower() in ("retraction of publication", "published erratum") for t in record.pubtypes):
        return "notice"
    return None
