"""Offline checks of a .bib file: entry fields, identifiers, duplicates, acknowledgements, offline status."""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs_sitecheck.bib import CITABLE_KEY, BibEntry, Bibliography, parse_failures
from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding, Severity
from mkdocs_sitecheck.refs import identifiers as ids
from mkdocs_sitecheck.refs.consumers import ALL, Consumer, judge, same_dialect
from mkdocs_sitecheck.refs.exporters import misplaced_findings, misplaced_identifiers, month_findings
from mkdocs_sitecheck.refs.match import entry_year
from mkdocs_sitecheck.refs.model import FLAG_CODES, Identifiers, Outcome, Status
from mkdocs_sitecheck.refs.normalise import (
    DIFFERENT,
    compare_titles,
    date_value_problem,
    latest_year,
    norm_text,
    odd_year,
    page_problem,
    split_authors,
)
from mkdocs_sitecheck.refs.pybtex_check import pybtex_problems
from mkdocs_sitecheck.refs.required import KNOWN_TYPES, bibtex_sort_fields, missing_by_consumer, unknown_to

DEFAULT_CONSUMER = Consumer("bibtex", "default")
# biblatex's parent-to-child field mapping for crossref (title -> booktitle, and so on).
_INHERITED_AS = {"booktitle": ("title", "booktitle"), "maintitle": ("title", "maintitle"), "bookauthor": ("author",)}

ACK_FIELD = "verification"
ACKNOWLEDGEABLE = (Status.UNVERIFIABLE, Status.NOT_FOUND, Status.MISMATCH, Status.RETRACTED)
_URL_COMMAND = re.compile(r"\\url\s*\{([^{}\s]+)\}")


@dataclass(frozen=True)
class Acknowledgement:
    """``verification = {STATUS: reason}``: a flag kept on purpose, with why."""

    status: Status
    reason: str
    line: int

    def as_dict(self) -> dict[str, object]:
        """The acknowledgement for JSON."""
        return {"status": self.status.value, "reason": self.reason, "line": self.line}


def acknowledgement(entry: BibEntry, path: str) -> tuple[Acknowledgement | None, list[Finding]]:
    """Parse the entry's ``verification`` field the way the site's bibliography hook shows it."""
    if ACK_FIELD not in entry.fields:
        return None, []
    line = entry.field_lines.get(ACK_FIELD, entry.line)
    raw_status, colon, reason = entry.fields[ACK_FIELD].partition(":")
    name = re.sub(r"[\s-]+", "_", raw_status.strip().lower())
    allowed = ", ".join(s.value for s in ACKNOWLEDGEABLE)
    if not colon:
        problem = f"'{entry.key}': write {ACK_FIELD} = {{STATUS: reason}} with STATUS one of {allowed}"
    elif name not in {s.value for s in ACKNOWLEDGEABLE}:
        problem = f"'{entry.key}': {ACK_FIELD} status '{raw_status.strip()}' is not one of {allowed}"
    elif not reason.strip():
        problem = f"'{entry.key}': {ACK_FIELD} gives no reason after '{raw_status.strip()}:'"
    else:
        return Acknowledgement(Status(name), " ".join(reason.split()), line), []
    return None, [finding(path, line, 1, "REF016", problem)]


def entry_identifiers(entry: BibEntry) -> Identifiers:
    """The entry's valid identifiers, normalised; a doi.org or PubMed URL also counts as its identifier.

    A URL may also be given as ``howpublished = {\\url{...}}`` (BibTeX's usual way before the
    ``url`` field); an ``eprint`` counts with its ``eprinttype`` or ``archiveprefix`` (biblatex).
    """
    raw_url = entry.get("url").strip() or _url_in(entry.get("howpublished")) or _url_in(entry.get("note"))
    url = ids.normalise_url(raw_url) if raw_url else None
    from_url = ids.identifiers_in_url(url) if url and not ids.url_problem(url) else {}
    eprint = ids.eprint_of(entry.get("eprint"), entry.get("eprinttype") or entry.get("archiveprefix"))
    if eprint and ids.eprint_problem(*eprint):
        eprint = None
    extra_isbns: list[str] = []
    for item in misplaced_identifiers(entry):  # an identifier in the wrong field still identifies the work
        if item.kind == "arxiv" and not eprint:
            eprint = ("arxiv", item.value)
        elif item.kind == "isbn":
            extra_isbns.append(item.value)
        else:
            from_url.setdefault(item.kind, item.value)
    from_eprint = {"pubmed": "pmid", "pmc": "pmcid", "doi": "doi"}.get(eprint[0]) if eprint else None
    if eprint and from_eprint:
        from_url.setdefault(from_eprint, eprint[1] if from_eprint != "pmcid" else ids.normalise_pmcid(eprint[1]))
    doi = ids.normalise_doi(entry.get("doi")) if entry.get("doi").strip() else from_url.get("doi")
    pmid = ids.normalise_pmid(entry.get("pmid")) if entry.get("pmid").strip() else from_url.get("pmid")
    pmcid = ids.normalise_pmcid(entry.get("pmcid")) if entry.get("pmcid").strip() else from_url.get("pmcid")
    isbns = tuple(i for i in [*ids.split_isbns(entry.get("isbn")), *extra_isbns] if not ids.isbn_problem(i))
    official = url if url and not ids.url_problem(url) and not ids.unofficial_host(url) else None
    return Identifiers(
        doi=doi if doi and not ids.doi_problem(doi) else None,
        pmid=pmid if pmid and not ids.pmid_problem(pmid) else None,
        pmcid=pmcid if pmcid and not ids.pmcid_problem(pmcid) else None,
        isbns=isbns,
        url=official,
        eprints=(f"{eprint[0]}:{eprint[1]}",) if eprint and not from_eprint else (),
    )


def _url_in(value: str) -> str:
    """The URL of a ``\\url{...}`` in a field (howpublished, note), or ''."""
    match = _URL_COMMAND.search(value)
    return match.group(1) if match else ""


def offline_outcome(entry: BibEntry, found: Identifiers) -> Outcome:
    """The status an offline run can give: ``unverifiable`` without identifier or official URL, else ``unchecked``."""
    if found.any():
        return Outcome(Status.UNCHECKED, "not checked offline; run with --online to check its identifiers")
    if entry.entry_type in ("set", "xdata"):
        return Outcome(Status.UNCHECKED, f"@{entry.entry_type} is not a work: the entries it holds are checked")
    if found.url:
        return Outcome(Status.UNCHECKED, "no identifier; run with --online to search for it and check its URL")
    url = entry.get("url").strip()
    why = "no DOI, PMID, PMCID, ISBN or eprint"
    if url and ids.unofficial_host(ids.normalise_url(url)):
        why += f", and its URL is not an official page ({ids.unofficial_host(ids.normalise_url(url))})"
    elif url:
        why += ", and its URL is not valid"
    else:
        why += ", and no URL to an official page"
    return Outcome(Status.UNVERIFIABLE, why)


# pybtex reads about 4,000 entries a second: beyond this many entries its strict parse is run only
# when pybtex is the consumer (a site that big waits for pybtex at every build anyway).
PYBTEX_ALWAYS_UP_TO = 20_000
# Who objects to what the reader read past: a bare '%' (only pandoc), a repeated field (only pybtex).
_PARSER_OBJECTORS: dict[str, tuple[str, ...]] = {"REF035": ("csl",), "REF001": ("pybtex",)}


def check_bibliography(
    bib: Bibliography,
    path: str,
    keys: set[str] | None = None,
    consumer: Consumer = DEFAULT_CONSUMER,
    found: dict[str, Identifiers] | None = None,
) -> list[Finding]:
    """Every offline finding of a bibliography (``keys`` limits the per-entry checks), judged by its consumer.

    ``found``: the entries' identifiers by key, when the caller has them already (they are read once).
    """
    found = found if found is not None else all_identifiers(bib)
    findings = parse_failures(bib, path)
    findings += check_duplicates(bib, path, keys, consumer, found)
    index = bib.by_folded_key()
    for entry in bib.entries:  # biblatex's ``ids`` are other keys of the same entry (crossref may use them)
        for alias in re.split(r"\s*,\s*", entry.get("ids").strip()):
            if alias:
                index.setdefault(alias.lower(), entry)
    explained: set[int] = {line for line, _ in bib.failures}  # entries whose break is already reported
    starts = [e.line for e in bib.entries]
    for line, code, message in bib.warnings:
        if judged := judge(finding(path, line, 1, code, message), _PARSER_OBJECTORS.get(code, ALL), consumer):
            findings.append(judged)
        if code == "REF004":
            explained.add(starts[bisect.bisect_right(starts, line) - 1] if starts else line)
    for entry in bib.entries:
        if keys is None or entry.key in keys:
            findings += check_entry(entry, path, index, consumer)
            findings += misplaced_findings(entry, path, misplaced_identifiers(entry))
    if consumer.name == "pybtex" or len(bib.entries) <= PYBTEX_ALWAYS_UP_TO:
        for problem in parser_findings(bib, path, keys, explained):
            who = ("pybtex",) if "pybtex's limit" in problem.message else ALL  # BibTeX, biber and pandoc stop there too
            if judged := judge(problem, who, consumer):
                findings.append(judged)
    return findings


def parser_findings(bib: Bibliography, path: str, keys: set[str] | None = None, explained: set[int] | None = None) -> list[Finding]:
    """What pybtex (mkdocs-bibtex's parser, strict) rejects or drops, unless that entry's break is ``explained``."""
    problems = pybtex_problems(bib.text)
    if not problems:
        return []
    starts = sorted([(e.line, e.key) for e in [*bib.entries, *bib.duplicates]] + [(line, "") for line, _ in bib.failures])
    lines_by_key = {e.key: e.line for e in bib.entries}
    found: list[Finding] = []
    seen: set[tuple[int, str]] = set()
    for problem in problems:
        line = problem.line or lines_by_key.get(problem.key or "", 1)
        anchor = problem.start or line
        owner = next(((start, key) for start, key in reversed(starts) if start <= anchor), (0, ""))
        if owner[0] in (explained or set()):
            continue  # our reader already failed there, or a missing comma was reported: one finding is enough
        key = problem.key or owner[1]
        if keys is not None and key not in keys:
            continue
        if (line, problem.message) not in seen:  # pybtex may say the same thing more than once
            seen.add((line, problem.message))
            found.append(finding(path, line, 1, "REF017", problem.message))
    return found


def _effective_fields(entry: BibEntry, index: dict[str, BibEntry] | None) -> set[str]:
    """The non-empty fields an entry has, itself or through ``crossref``/``xdata`` (BibTeX and biblatex inheritance)."""
    names = {name for name, value in entry.fields.items() if value.strip()}
    seen = {entry.key.lower()}
    parents = [entry]
    while index is not None and parents:
        child = parents.pop()
        for link in ("crossref", "xdata"):
            for parent_key in re.split(r"\s*,\s*", child.get(link).strip()):
                parent = index.get(parent_key.lower()) if parent_key else None
                if parent is None or parent.key.lower() in seen:
                    continue
                seen.add(parent.key.lower())
                inherited = {name for name, value in parent.fields.items() if value.strip()}
                names |= inherited
                names |= {child_name for child_name, from_names in _INHERITED_AS.items() if inherited & set(from_names)}
                parents.append(parent)
    return names


def check_entry(entry: BibEntry, path: str, index: dict[str, BibEntry] | None = None, consumer: Consumer = DEFAULT_CONSUMER) -> list[Finding]:
    """The offline checks of one entry (key, type, required fields, identifiers, dates, pages), judged by the consumer."""
    judged: list[tuple[Finding, Iterable[str]]] = []
    where = entry.field_lines
    if not entry.key.strip():
        judged.append((finding(path, entry.line, 1, "REF015", f"@{entry.entry_type} entry has no key: give it one"), ALL))
    elif not CITABLE_KEY.match(entry.key):
        message = f"key '{entry.key}' cannot be cited: use letters, digits, '_' and '-'"
        judged.append((finding(path, entry.line, 1, "REF015", message), same_dialect(consumer, {"pybtex"})))
    formats = consumer.name != "pybtex" or consumer.formats
    unknown = same_dialect(consumer, unknown_to(entry.entry_type, formats))
    if unknown:
        message = f"'{entry.key}': unknown entry type @{entry.entry_type}"
        if "pybtex" in unknown and consumer.name == "pybtex":
            message += ": pybtex's plain style (mkdocs-bibtex) has no template for it and the build fails"
            judged.append((finding(path, entry.line, 1, "REF003", message, severity=Severity.ERROR), unknown))
        else:
            judged.append((finding(path, entry.line, 1, "REF003", message), unknown))
    if not unknown or entry.entry_type in KNOWN_TYPES:
        have = _effective_fields(entry, index)
        lacks = missing_by_consumer(entry.entry_type, have, formats, "biblatex" in same_dialect(consumer, ALL))
        for names, who in lacks.values():
            message = f"'{entry.key}': @{entry.entry_type} needs {' or '.join(names)}"
            judged.append((finding(path, entry.line, 1, "REF002", message), who))
        sort_by = bibtex_sort_fields(entry.entry_type, have) if entry.entry_type in KNOWN_TYPES else None
        if sort_by and not any(set(sort_by) & group for group in lacks) and consumer.name == "bibtex":
            message = (
                f"'{entry.key}': @{entry.entry_type} has no {', '.join(sort_by[:-1])} or {sort_by[-1]}: BibTeX's plain"
                ' and alpha styles cannot sort it ("to sort, need author or key"); add one, or key = {...} to sort by'
            )
            judged.append((finding(path, entry.line, 1, "REF002", message, severity=Severity.WARNING), ("bibtex",)))  # a BibTeX warning only
    judged += [(f, ALL) for f in _identifier_findings(entry, path)]
    judged += _year_findings(entry, path)
    judged += month_findings(entry, path)
    if entry.get("pages").strip() and (problem := page_problem(entry.get("pages"))):
        wrong = "before it starts" in problem or "prefixes" in problem or _PAGE_PREFIX.match(entry.get("pages"))
        # A poster id or "12 and 15" prints as written everywhere; a backwards range or "pp. 12" prints wrongly.
        judged.append((finding(path, where["pages"], 1, "REF012", f"'{entry.key}': pages {problem}"), ALL if wrong else ()))
    return [j for f, who in judged if (j := judge(f, who, consumer)) is not None]


# ``pp. 12--19``: the style prints its own "pp.", so the entry would read "pp. pp. 12--19".
_PAGE_PREFIX = re.compile(r"\s*pp?\.")


def _identifier_findings(entry: BibEntry, path: str) -> list[Finding]:
    """DOI, PMID, PMCID, ISBN, ISSN and URL form and check digits."""
    findings = []
    line = entry.field_lines.get
    checks = [
        ("doi", "REF005", lambda v: ids.doi_problem(ids.normalise_doi(v))),
        ("pmid", "REF006", lambda v: ids.pmid_problem(ids.normalise_pmid(v))),
        ("pmcid", "REF007", lambda v: ids.pmcid_problem(ids.normalise_pmcid(v))),
        ("url", "REF010", lambda v: ids.url_problem(ids.normalise_url(v))),
    ]
    for name, code, problem_of in checks:
        value = entry.get(name)
        if name in entry.fields and (problem := problem_of(value)):
            findings.append(finding(path, line(name, entry.line), 1, code, f"'{entry.key}': {problem}"))
    for isbn in ids.split_isbns(entry.get("isbn")):
        if problem := ids.isbn_problem(isbn):
            findings.append(finding(path, line("isbn", entry.line), 1, "REF008", f"'{entry.key}': {problem}"))
    for issn in re.split(r"[,;\s]+", ids.strip_qualifiers(entry.get("issn")).strip()) if entry.get("issn").strip() else []:
        if problem := ids.issn_problem(issn):
            findings.append(finding(path, line("issn", entry.line), 1, "REF009", f"'{entry.key}': {problem}"))
    return findings


def _year_findings(entry: BibEntry, path: str) -> list[tuple[Finding, Iterable[str]]]:
    """A year (BibTeX) or date (biblatex, ISO 8601-2) must be one, and not later than next year.

    An odd but valid year (``c1991``, ``535 BCE``, ``c. 1200``, a regnal year ``1 Edw. VII``) is printed
    as written by BibTeX, pybtex and pandoc --citeproc; biber ignores it ("Invalid value of field 'year'
    must be datatype 'datepart' - ignoring field"). A ``date`` is read only by biblatex and pandoc.
    """
    judged: list[tuple[Finding, Iterable[str]]] = []
    latest = datetime.date.today().year + 1
    for name in ("year", "date"):
        value = entry.get(name).strip()
        if not value:
            continue
        line = entry.field_lines.get(name, entry.line)
        problem = date_value_problem(name, value)
        who: Iterable[str] = ALL if name == "year" else ("biblatex", "csl")
        if problem and name == "year" and odd_year(value):
            problem = (
                f"year '{value}' is not a number biber can read: it ignores the year and the entry has no date; for"
                " biblatex, write the number alone, or a date biber reads (date = {1991~} is circa, {-0534} is 535 BCE)"
            )
            who = ("biblatex",)
        if problem is None and (year := latest_year(value)) is not None and year > latest:
            problem, who = f"{name} {year} is in the future (expected {latest} at the latest)", ALL
        if problem:
            judged.append((finding(path, line, 1, "REF011", f"'{entry.key}': {problem}"), who))
    return judged


def all_identifiers(bib: Bibliography) -> dict[str, Identifiers]:
    """Every entry's identifiers, by key."""
    return {entry.key: entry_identifiers(entry) for entry in bib.entries}


def check_duplicates(
    bib: Bibliography,
    path: str,
    keys: set[str] | None = None,
    consumer: Consumer = DEFAULT_CONSUMER,
    found: dict[str, Identifiers] | None = None,
) -> list[Finding]:
    """Keys equal but for case (or exactly), one DOI, PMID or PMCID in two entries, one work under two keys.

    One pass with dictionaries: the cost grows with the number of entries, not its square.
    """
    findings = []
    first_by_key: dict[str, BibEntry] = {}
    for entry in sorted([*bib.entries, *bib.duplicates], key=lambda e: e.line):
        folded = entry.key.lower()
        if not folded.strip():
            if entry in bib.duplicates:  # only the first keyless entry is kept
                findings.append(finding(path, entry.line, 1, "REF015", f"@{entry.entry_type} entry has no key: give it one"))
            continue
        if folded in first_by_key:
            first = first_by_key[folded]
            same = "" if first.key == entry.key else f" as '{first.key}'"
            message = f"duplicate key '{entry.key}': the same key{same} is at line {first.line}"
            if keys is None or entry.key in keys or first.key in keys:
                # biber and pandoc tell keys apart by case; BibTeX and pybtex do not.
                who = ALL if first.key == entry.key else ("pybtex", "bibtex")
                if judged := judge(finding(path, entry.line, 1, "REF013", message), who, consumer):
                    findings.append(judged)
        else:
            first_by_key[folded] = entry
    found = found if found is not None else all_identifiers(bib)
    findings += _shared_identifiers(bib, path, keys, found)
    findings += _same_work(bib, path, keys, found)
    return findings


def _shared_identifiers(bib: Bibliography, path: str, keys: set[str] | None, identifiers: dict[str, Identifiers]) -> list[Finding]:
    """One DOI, PMID or PMCID in two entries: an error when the titles match too, else a warning.

    Sections of one report and papers of one congress volume legitimately share a DOI.
    """
    findings = []
    seen: dict[tuple[str, str], BibEntry] = {}
    for entry in sorted(bib.entries, key=lambda e: e.line):
        found = identifiers[entry.key]
        for kind, value in (("DOI", found.doi), ("PMID", found.pmid), ("PMCID", found.pmcid)):
            if not value:
                continue
            marker = (kind, ids.doi_key(value))
            if marker not in seen:
                seen[marker] = entry
                continue
            first = seen[marker]
            if keys is not None and entry.key not in keys and first.key not in keys:
                continue
            where = entry.field_lines.get(kind.lower(), entry.line)
            message = f"'{entry.key}' has the same {kind} {value} as '{first.key}' (line {first.line})"
            verdict, _ = compare_titles(entry.get("title"), [first.get("title")])
            if verdict == DIFFERENT and entry.get("title").strip() and first.get("title").strip():
                message += " but another title: parts of one report or congress volume may share a DOI; if this is not such a part, one of the two is wrong"
                findings.append(finding(path, where, 1, "REF014", message, severity=Severity.WARNING))
            else:
                findings.append(finding(path, where, 1, "REF014", message + ": the same work twice; keep one"))
    return findings


def _same_work(bib: Bibliography, path: str, keys: set[str] | None, identifiers: dict[str, Identifiers]) -> list[Finding]:
    """The same work under two keys with no identifier telling them apart (title, first author, year)."""
    findings = []
    seen: dict[tuple[str, str, str], BibEntry] = {}
    for entry in sorted(bib.entries, key=lambda e: e.line):
        mark = work_key(entry)
        if mark is None:
            continue
        first = seen.setdefault(mark, entry)
        if first is entry or (keys is not None and entry.key not in keys and first.key not in keys):
            continue
        if _linked(first, entry):
            continue  # kept apart on purpose: one names the other in related or ids
        books = {norm_text(e.get("booktitle")) for e in (first, entry)}
        if len(books) == 2 and "" not in books:
            continue  # chapters of two books ("Introduction" by the same editor)
        a, b = identifiers[first.key], identifiers[entry.key]
        if (a.doi and b.doi) or (a.pmid and b.pmid) or (a.isbns and b.isbns and not set(a.isbns) & set(b.isbns)):
            continue  # both identified: REF014 says it when they agree; different records when they do not
        message = (
            f"'{entry.key}' looks like the same work as '{first.key}' (line {first.line}): same title, first author "
            f"and year; keep one key (biblatex: ids = {{{entry.key}}} on '{first.key}' keeps both citable)"
        )
        findings.append(finding(path, entry.line, 1, "REF033", message))
    return findings


def _linked(a: BibEntry, b: BibEntry) -> bool:
    """Whether one entry names the other in biblatex's ``related`` or ``ids`` (two records of one work kept on purpose)."""
    for one, other in ((a, b), (b, a)):
        for name in ("related", "ids"):
            if other.key.lower() in {k.strip().lower() for k in one.get(name).split(",")}:
                return True
    return False


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# Titles this short are often generic ("Introduction", "Preface"): not enough to call two entries one work.
_MIN_TITLE_CHARS = 12
_MIN_CJK_TITLE_CHARS = 5
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def work_key(entry: BibEntry) -> tuple[str, str, str] | None:
    """(normalised title, first author's folded surname, year) of an entry, or None when it lacks one.

    Normalising keeps letters of every script: Chinese, Japanese and Korean titles and names
    compare by their characters (a CJK name written without a comma is one surname).
    """
    if entry.entry_type in ("set", "xdata") or entry.get("crossref").strip():
        return None
    title = norm_text(entry.get("title"))
    cjk = len(_CJK.findall(title))
    if len(title) < _MIN_TITLE_CHARS and cjk < _MIN_CJK_TITLE_CHARS:
        return None
    people = entry.get("author") or entry.get("editor")
    if "{" not in people:  # the first name only (the whole list is split only when braces may hide an 'and')
        people = _AND.split(people, maxsplit=1)[0]
    names = split_authors(people)
    first = norm_text(names[0].last) if names and names[0].last else ""
    year = entry_year(entry)
    if not first or year is None:
        return None
    return title, first, str(year)


def flag_code(status: Status) -> str | None:
    """The finding code a status is flagged under, or None when it is not a flag."""
    return FLAG_CODES.get(status)
