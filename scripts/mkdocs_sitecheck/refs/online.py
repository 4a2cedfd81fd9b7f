"""Online verification: give each entry one status from doi.org, Crossref, DataCite, PubMed or its page."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Awaitable
from dataclasses import dataclass

from mkdocs_sitecheck.bib import BibEntry
from mkdocs_sitecheck.findings import Severity
from mkdocs_sitecheck.refs.identifiers import doi_key
from mkdocs_sitecheck.refs.match import (
    compare,
    entry_journal,
    entry_year,
    identifies,
    is_notice,
    is_retracted_in_pubmed,
    persons,
    rank,
    update_kind,
)
from mkdocs_sitecheck.refs.model import FieldDiff, Identifiers, Note, Outcome, Record, Status
from mkdocs_sitecheck.refs.normalise import CLOSE, SAME, SUBTITLE, compare_titles, main_title, norm_text, plain
from mkdocs_sitecheck.refs.sources import SourceError, Sources, search_terms

SOURCE_NAMES = {"crossref": "Crossref", "datacite": "DataCite", "pubmed": "PubMed", "pmc": "PMC", "url": "page"}
ARXIV_PREFIX = "10.48550/arXiv."  # arXiv registers one DOI per paper with DataCite, never one per version
_ARXIV_ID = r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})"
_ARXIV_DOI = re.compile(rf"10\.48550/arxiv\.{_ARXIV_ID}(v\d+)?", re.IGNORECASE)
_ARXIV_EPRINT = re.compile(rf"arxiv:(?:arxiv:)?{_ARXIV_ID}(v\d+)?", re.IGNORECASE)


def arxiv_lookup(found: Identifiers) -> tuple[Identifiers, list[Note]]:
    """The identifiers to look up for an arXiv paper: its DOI without a version suffix, or the DOI of its eprint.

    ``10.48550/arXiv.2101.00001v2`` is not registered (arXiv's DOIs name the paper), so it would
    read as "not found"; it is looked up without ``v2`` and a note says how to write it.
    """
    if found.doi and (match := _ARXIV_DOI.fullmatch(found.doi)):
        doi = ARXIV_PREFIX + match.group(1)
        if not match.group(2):
            return found, []
        note = Note("REF041", f"DOI {found.doi} carries an arXiv version suffix; arXiv's DOI names the paper: write doi = {{{doi}}}")
        return dataclasses.replace(found, doi=doi), [note]
    if found.lookup():
        return found, []
    for eprint in found.eprints:
        if match := _ARXIV_EPRINT.fullmatch(eprint):
            return dataclasses.replace(found, doi=ARXIV_PREFIX + match.group(1)), []
    return found, []


@dataclass
class _Part:
    """What one identifier lookup found: a record, or why the identifier does not exist."""

    record: Record | None = None
    missing: str | None = None


async def verify(jobs: list[tuple[BibEntry, Identifiers]], sources: Sources) -> list[Outcome]:
    """Check every entry concurrently (each service keeps to its own limits); PMIDs are fetched in batches."""
    sources.prefetch_pubmed(found.pmid for _, found in jobs if found.pmid)
    return list(await asyncio.gather(*(verify_entry(entry, found, sources) for entry, found in jobs)))


async def verify_entry(entry: BibEntry, found: Identifiers, sources: Sources) -> Outcome:
    """One entry's outcome; a source that cannot be reached makes it ``incomplete``, never anything else."""
    found, notes = arxiv_lookup(found)
    try:
        if found.lookup():
            outcome = await _by_identifiers(entry, found, sources)
            outcome.notes[:0] = notes
            return outcome
        return await _by_search(entry, found, sources)
    except SourceError as exc:
        return Outcome(Status.INCOMPLETE, f"not checked: {exc}")
    except Exception as exc:  # noqa: BLE001 - an answer shape nobody foresaw: say so, never a traceback
        return Outcome(Status.INCOMPLETE, f"not checked: unexpected {type(exc).__name__}: {exc}")


async def _gather(*jobs: Awaitable[object]) -> list[object]:
    """Run lookups together; SourceErrors are collected and raised as one, other errors propagate."""
    results = await asyncio.gather(*jobs, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, SourceError):
            raise result
    errors = [r for r in results if isinstance(r, SourceError)]
    if errors:
        raise SourceError.joined(errors)
    return list(results)


async def _doi_part(doi: str, sources: Sources) -> _Part:
    """doi.org for existence, then Crossref's record, or DataCite's when Crossref does not know the DOI."""
    if not await sources.doi_exists(doi):
        return _Part(missing=f"DOI {doi} is not registered (doi.org: handle not found)")
    record = await sources.crossref_work(doi) or await sources.datacite_work(doi)
    return _Part(record or Record(source="doi.org", id=doi, doi=doi))


async def _pmid_part(pmid: str, sources: Sources) -> _Part:
    """PubMed's summary of a PMID."""
    record = await sources.pubmed(pmid)
    if record is None:
        return _Part(missing=f"PMID {pmid} does not exist (PubMed: cannot get document summary)")
    return _Part(record)


async def _pmcid_part(pmcid: str, sources: Sources) -> _Part:
    """PMC's summary of a PMCID."""
    record = await sources.pmc(pmcid)
    if record is None:
        return _Part(missing=f"PMCID {pmcid} does not exist (PMC: cannot get document summary)")
    return _Part(record)


async def _by_identifiers(entry: BibEntry, found: Identifiers, sources: Sources) -> Outcome:
    """Look the entry's DOI, PMID and PMCID up together and judge the records against the entry."""
    jobs: list[Awaitable[object]] = []
    if found.doi:
        jobs.append(_doi_part(found.doi, sources))
    if found.pmid:
        jobs.append(_pmid_part(found.pmid, sources))
    if found.pmcid and not found.pmid:
        jobs.append(_pmcid_part(found.pmcid, sources))
    parts = [p for p in await _gather(*jobs) if isinstance(p, _Part)]
    records = [p.record for p in parts if p.record]
    missing = [p.missing for p in parts if p.missing]
    diffs = _consistency(found, records)
    for record in records:
        if record.source != "doi.org":
            diffs += compare(entry, record)
    return judge(entry, records, diffs, missing)


def _consistency(found: Identifiers, records: list[Record]) -> list[FieldDiff]:
    """A PMID whose PubMed record carries another DOI than the entry's names another work."""
    diffs = []
    for record in records:
        other_doi = found.doi and record.doi and doi_key(record.doi) != doi_key(found.doi)
        if record.source in ("pubmed", "pmc") and other_doi:
            field, value = ("pmid", record.pmid) if record.source == "pubmed" else ("pmcid", record.id)
            diffs.append(FieldDiff(field, value, f"belongs to DOI {record.doi}", Severity.ERROR, record.source))
    return diffs


def judge(entry: BibEntry, records: list[Record], diffs: list[FieldDiff], missing: list[str]) -> Outcome:
    """Turn records, differences and missing identifiers into one status, with notes."""
    diffs = _first_per_field(diffs)
    errors = [d for d in diffs if d.severity is Severity.ERROR]
    primary = next((r for r in records if r.source != "doi.org"), records[0] if records else None)
    notes = _update_notes(records)
    minor = [d for d in diffs if d.severity is not Severity.ERROR]
    if minor:
        notes.append(Note("REF023", "minor differences: " + "; ".join(d.describe() for d in minor)))
    retraction = _retraction(records)
    if retraction:
        return Outcome(Status.RETRACTED, retraction, diffs, primary, notes)
    if missing:
        return Outcome(Status.NOT_FOUND, "; ".join(missing), diffs, primary, notes)
    if errors:
        where = ", ".join(sorted({_name(d.source) for d in errors}))
        reason = f"{where} record differs: " + "; ".join(d.describe() for d in errors)
        return Outcome(Status.MISMATCH, reason, diffs, primary, notes)
    if primary is not None and primary.source == "doi.org":
        notes.append(Note("REF029", f"DOI {primary.doi} is registered but neither Crossref nor DataCite has metadata"))
        return Outcome(Status.VERIFIED, "the DOI is registered; no metadata to compare", diffs, primary, notes)
    named = " and ".join(f"{_name(r.source)} {r.id}" for r in records if r.source != "doi.org")
    return Outcome(Status.VERIFIED, f"matches {named}", diffs, primary, notes)


def _name(source: str) -> str:
    """A source's display name."""
    return SOURCE_NAMES.get(source, source)


def _first_per_field(diffs: list[FieldDiff]) -> list[FieldDiff]:
    """One difference per field: the first source's (Crossref before PubMed)."""
    seen: dict[str, FieldDiff] = {}
    for diff in diffs:
        seen.setdefault(diff.field, diff)
    return list(seen.values())


def _retraction(records: list[Record]) -> str | None:
    """Why the work counts as retracted (a Crossref retraction/withdrawal/removal, or PubMed's pubtype)."""
    for record in records:
        for update in record.updates:
            if update_kind(update.get("type", "")) == "retraction":
                notice = f" {update['doi']}" if update.get("doi") else ""
                when = f" ({update['date'][:10]})" if update.get("date") else ""
                return f"Crossref lists a {update['type'].replace('_', ' ')} notice{notice}{when} for {record.id}"
        if record.source == "pubmed" and is_retracted_in_pubmed(record):
            return f"PubMed {record.id} has publication type 'Retracted Publication'"
    return None


def _update_notes(records: list[Record]) -> list[Note]:
    """Notes for expressions of concern, corrections, and identifiers that name a notice."""
    notes = []
    for record in records:
        for update in record.updates:
            kind = update_kind(update.get("type", ""))
            target = f" ({update['doi']})" if update.get("doi") else ""
            label = update["type"].replace("_", " ")
            if kind == "concern":
                notes.append(Note("REF025", f"Crossref lists an {label}{target} for {record.id}"))
            elif kind == "correction":
                notes.append(Note("REF026", f"Crossref lists a {label}{target} for {record.id}"))
        if notice := is_notice(record):
            notes.append(Note("REF032", f"{_name(record.source)} {record.id} is a {notice} notice, not an article"))
    return notes


async def _by_search(entry: BibEntry, found: Identifiers, sources: Sources) -> Outcome:
    """No identifier: search Crossref and PubMed, re-rank locally, and fall back to the entry's URL."""
    title = plain(entry.get("title"))
    if not title.strip():
        return Outcome(Status.UNVERIFIABLE, "no identifier and no title to search for")
    people = persons(entry)
    query, term = search_terms(title, people[0].last if people else "", entry_year(entry), plain(entry_journal(entry)))
    if found.isbns:
        query += " " + " ".join(found.isbns)
    results = await asyncio.gather(sources.crossref_search(query), sources.pubmed_search(term), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, SourceError):
            raise result
    errors = [r for r in results if isinstance(r, SourceError)]
    candidates = rank(entry, [c for r in results if isinstance(r, list) for c in r])
    confident = [c for c in candidates if identifies(entry, c)]
    if confident:
        return _matched(entry, confident)
    if errors:
        raise SourceError.joined(errors)
    if found.url:
        return await _by_page(entry, found.url, sources)
    closest = ""
    if candidates:
        best = candidates[0]
        closest = f" (closest: '{best.titles[0] if best.titles else ''}', {_name(best.source)} {best.id})"
    why = "no identifier, and neither Crossref nor PubMed has a confident match" + closest
    return Outcome(Status.UNVERIFIABLE, why, record=None)


def _matched(entry: BibEntry, confident: list[Record]) -> Outcome:
    """A search found the work: judge it, and suggest the DOI/PMID to add."""
    best = confident[0]
    same_work = [best] + [c for c in confident[1:] if _same_work(best, c)]
    doi = next((r.doi for r in same_work if r.doi), "")
    pmid = next((r.pmid for r in same_work if r.pmid), "")
    diffs = [d for r in same_work for d in compare(entry, r)]
    outcome = judge(entry, same_work, diffs, [])
    add = ", ".join(f"{name} = {{{value}}}" for name, value in (("doi", doi), ("pmid", pmid)) if value)
    if add:
        outcome.suggestion = add
        if outcome.status is Status.VERIFIED:
            outcome.notes.append(Note("REF028", f"found by search ({outcome.reason}); add {add}", add))
        else:
            outcome.reason += f"; the closest record is {add}"
    return outcome


def _same_work(a: Record, b: Record) -> bool:
    """Whether two search results are the same work (shared DOI or PMID)."""
    return bool((a.doi and b.doi and doi_key(a.doi) == doi_key(b.doi)) or (a.pmid and b.pmid and a.pmid == b.pmid))


async def _by_page(entry: BibEntry, url: str, sources: Sources) -> Outcome:
    """No identifier and no search match: the entry's official page must answer and show its title."""
    page = await sources.page(url)
    if refused := page.get("refused"):
        note = Note("REF040", f"its URL was not fetched: {refused}")
        return Outcome(Status.UNVERIFIABLE, "no identifier, no confident match in Crossref or PubMed, and its URL was refused", notes=[note])
    status, content_type = int(page.get("status", 0)), str(page.get("content_type", ""))
    record = Record(source="url", id=url, titles=list(page.get("titles", [])), kind=content_type, url=url)
    if status in (404, 410):
        return Outcome(Status.NOT_FOUND, f"its URL answers HTTP {status} and no registry has the work", record=record)
    if status >= 400:
        why = f"no identifier, no confident match in Crossref or PubMed, and its URL answers HTTP {status}"
        return Outcome(Status.UNVERIFIABLE, why, record=record)
    if "html" not in content_type:
        why = f"its URL answers ({content_type or 'no content type'}); content not compared"
        return Outcome(Status.VERIFIED, why, record=record)
    title = entry.get("title")
    verdict, closest = compare_titles(title, record.titles) if record.titles else ("different", "")
    text = str(page.get("text", ""))
    main = norm_text(main_title(title))
    if verdict in (SAME, SUBTITLE, CLOSE) or norm_text(title) in text or (len(main.split()) >= 3 and main in text):
        return Outcome(Status.VERIFIED, "its URL answers and the page shows the title", record=record)
    shown = closest or "(no title)"
    diff = FieldDiff("title", title, shown, Severity.ERROR, "url")
    return Outcome(Status.MISMATCH, f"the page at its URL does not show the title: {diff.describe()}", [diff], record)
