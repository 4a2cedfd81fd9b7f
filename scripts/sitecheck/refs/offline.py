"""Offline checks of a .bib file: entry fields, identifiers, duplicates, acknowledgements, offline status."""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass

from sitecheck.bib import CITABLE_KEY, BibEntry, Bibliography, parse_failures
from sitecheck.codes import finding
from sitecheck.findings import Finding
from sitecheck.refs import identifiers as ids
from sitecheck.refs.model import FLAG_CODES, Identifiers, Outcome, Status
from sitecheck.refs.normalise import date_value_problem, latest_year, page_problem
from sitecheck.refs.pybtex_check import pybtex_problems

# Required fields per entry type, by BibTeX's documentation (btxdoc, "Entry Types") and by
# biblatex's data model (blx-dm.def, its mandatory constraints; biber maps journal, school and
# year to journaltitle, institution and date). An entry is flagged only when it fails both: a
# book without publisher is fine in biblatex, an incollection without editor in BibTeX.
Rules = list[tuple[str, ...]]
_YEAR = ("year", "date")
BIBTEX_REQUIRED: dict[str, Rules] = {
    "article": [("author",), ("title",), ("journal",), ("year",)],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year",)],
    "booklet": [("title",)],
    "inbook": [("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year",)],
    "incollection": [("author",), ("title",), ("booktitle",), ("publisher",), ("year",)],
    "inproceedings": [("author",), ("title",), ("booktitle",), ("year",)],
    "conference": [("author",), ("title",), ("booktitle",), ("year",)],
    "manual": [("title",)],
    "mastersthesis": [("author",), ("title",), ("school",), ("year",)],
    "phdthesis": [("author",), ("title",), ("school",), ("year",)],
    "misc": [],
    "proceedings": [("title",), ("year",)],
    "techreport": [("author",), ("title",), ("institution",), ("year",)],
    "unpublished": [("author",), ("title",), ("note",)],
}
_J, _I = ("journaltitle", "journal"), ("institution", "school")
BIBLATEX_REQUIRED: dict[str, Rules] = {
    "article": [("author",), ("title",), _J, _YEAR],
    "book": [("author",), ("title",), _YEAR],
    "mvbook": [("author",), ("title",), _YEAR],
    "inbook": [("author",), ("title",), ("booktitle",), _YEAR],
    "bookinbook": [("author",), ("title",), ("booktitle",), _YEAR],
    "suppbook": [("author",), ("title",), ("booktitle",), _YEAR],
    "booklet": [("author", "editor"), ("title",), _YEAR],
    "collection": [("editor",), ("title",), _YEAR],
    "mvcollection": [("editor",), ("title",), _YEAR],
    "reference": [("editor",), ("title",), _YEAR],
    "mvreference": [("editor",), ("title",)],
    "incollection": [("author",), ("editor",), ("title",), ("booktitle",), _YEAR],
    "suppcollection": [("author",), ("editor",), ("title",), ("booktitle",), _YEAR],
    "inreference": [("author",), ("editor",), ("title",), ("booktitle",), _YEAR],
    "dataset": [("author", "editor"), ("title",), _YEAR],
    "manual": [("title",), _YEAR],
    "misc": [("title",), _YEAR],
    "software": [("title",)],
    "online": [("title",), ("url", "doi", "eprint"), _YEAR],
    "patent": [("author",), ("title",), ("number",), _YEAR],
    "periodical": [("editor",), ("title",), _YEAR],
    "suppperiodical": [_YEAR],
    "proceedings": [("title",), _YEAR],
    "mvproceedings": [("title",), _YEAR],
    "inproceedings": [("author",), ("title",), ("booktitle",), _YEAR],
    "report": [("author",), ("title",), ("type",), _I, _YEAR],
    "thesis": [("author",), ("title",), ("type",), _I, _YEAR],
    "unpublished": [("author",), ("title",), _YEAR],
    "set": [("entryset",)],
    "xdata": [],
}
# BibTeX's types that biblatex reads as aliases (with ``type`` implied where it matters).
BIBLATEX_ALIASES: dict[str, Rules] = {
    "conference": BIBLATEX_REQUIRED["inproceedings"],
    "electronic": BIBLATEX_REQUIRED["online"],
    "www": BIBLATEX_REQUIRED["online"],
    "mastersthesis": [("author",), ("title",), _I, _YEAR],
    "phdthesis": [("author",), ("title",), _I, _YEAR],
    "techreport": [("author",), ("title",), _I, _YEAR],
}
# Types biblatex declares but its standard styles print as @misc: valid, nothing required.
BIBLATEX_OTHER_TYPES = {
    "artwork", "audio", "bibnote", "commentary", "image", "jurisdiction", "legal", "legislation", "letter",
    "movie", "music", "performance", "review", "standard", "video",
    "customa", "customb", "customc", "customd", "custome", "customf",
}  # fmt: skip
KNOWN_TYPES = set(BIBTEX_REQUIRED) | set(BIBLATEX_REQUIRED) | set(BIBLATEX_ALIASES) | BIBLATEX_OTHER_TYPES
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
    from_eprint = {"pubmed": "pmid", "pmc": "pmcid", "doi": "doi"}.get(eprint[0]) if eprint else None
    if eprint and from_eprint:
        from_url.setdefault(from_eprint, eprint[1] if from_eprint != "pmcid" else ids.normalise_pmcid(eprint[1]))
    doi = ids.normalise_doi(entry.get("doi")) if entry.get("doi").strip() else from_url.get("doi")
    pmid = ids.normalise_pmid(entry.get("pmid")) if entry.get("pmid").strip() else from_url.get("pmid")
    pmcid = ids.normalise_pmcid(entry.get("pmcid")) if entry.get("pmcid").strip() else from_url.get("pmcid")
    isbns = tuple(i for i in ids.split_isbns(entry.get("isbn")) if not ids.isbn_problem(i))
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


def check_bibliography(bib: Bibliography, path: str, keys: set[str] | None = None) -> list[Finding]:
    """Every offline finding of a bibliography (``keys`` limits the per-entry checks)."""
    findings = parse_failures(bib, path)
    findings += check_duplicates(bib, path, keys)
    index = bib.by_folded_key()
    for entry in bib.entries:  # biblatex's ``ids`` are other keys of the same entry (crossref may use them)
        for alias in re.split(r"\s*,\s*", entry.get("ids").strip()):
            if alias:
                index.setdefault(alias.lower(), entry)
    explained: set[int] = {line for line, _ in bib.failures}  # entries whose break is already reported
    starts = [e.line for e in bib.entries]
    for line, code, message in bib.warnings:
        findings.append(finding(path, line, 1, code, message))
        if code == "REF004":
            explained.add(starts[bisect.bisect_right(starts, line) - 1] if starts else line)
    for entry in bib.entries:
        if keys is None or entry.key in keys:
            findings += check_entry(entry, path, index)
    findings += parser_findings(bib, path, keys, explained)
    return findings


def parser_findings(
    bib: Bibliography, path: str, keys: set[str] | None = None, explained: set[int] | None = None
) -> list[Finding]:
    """What pybtex (mkdocs-bibtex's parser, strict) rejects or drops, unless that entry's break is ``explained``."""
    problems = pybtex_problems(bib.text)
    if not problems:
        return []
    starts = sorted([(e.line, e.key) for e in [*bib.entries, *bib.duplicates]] + [(line, "") for line, _ in bib.failures])
    lines_by_key = {e.key: e.line for e in bib.entries}
    found = []
    for problem in problems:
        line = problem.line or lines_by_key.get(problem.key or "", 1)
        anchor = problem.start or line
        owner = next(((start, key) for start, key in reversed(starts) if start <= anchor), (0, ""))
        if owner[0] in (explained or set()):
            continue  # bibtexparser already failed there, or a missing comma was reported: one finding is enough
        key = problem.key or owner[1]
        if keys is not None and key not in keys:
            continue
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


def missing_fields(entry: BibEntry, index: dict[str, BibEntry] | None = None) -> list[tuple[str, ...]] | None:
    """The required fields an entry lacks under BibTeX's and biblatex's rules; [] if either accepts it.

    None for a type neither knows.
    """
    kind = entry.entry_type
    if kind not in KNOWN_TYPES:
        return None
    have = _effective_fields(entry, index)
    biblatex = BIBLATEX_REQUIRED.get(kind) or BIBLATEX_ALIASES.get(kind)
    rule_sets = [r for r in (biblatex, BIBTEX_REQUIRED.get(kind)) if r is not None]
    missing = []
    for rules in rule_sets:
        lacks = [alternatives for alternatives in rules if not have & set(alternatives)]
        if not lacks:
            return []
        missing.append(lacks)
    if not missing:
        return []
    return min(missing, key=len)


def check_entry(entry: BibEntry, path: str, index: dict[str, BibEntry] | None = None) -> list[Finding]:
    """The offline checks of one entry: key, type, required fields, identifiers, year, pages, URL."""
    findings = []
    where = entry.field_lines
    if not entry.key.strip():
        findings.append(finding(path, entry.line, 1, "REF015", f"@{entry.entry_type} entry has no key: give it one"))
    elif not CITABLE_KEY.match(entry.key):
        findings.append(
            finding(path, entry.line, 1, "REF015", f"key '{entry.key}' cannot be cited: use letters, digits, '_' and '-'")
        )
    missing = missing_fields(entry, index)
    if missing is None:
        findings.append(finding(path, entry.line, 1, "REF003", f"'{entry.key}': unknown entry type @{entry.entry_type}"))
    for alternatives in missing or []:
        names = " or ".join(alternatives)
        findings.append(finding(path, entry.line, 1, "REF002", f"'{entry.key}': @{entry.entry_type} needs {names}"))
    findings += _identifier_findings(entry, path)
    findings += _year_findings(entry, path)
    if entry.get("pages").strip() and (problem := page_problem(entry.get("pages"))):
        findings.append(finding(path, where["pages"], 1, "REF012", f"'{entry.key}': pages {problem}"))
    return findings


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


def _year_findings(entry: BibEntry, path: str) -> list[Finding]:
    """A year (BibTeX) or date (biblatex, ISO 8601-2) must be one, and not later than next year."""
    findings = []
    latest = datetime.date.today().year + 1
    for name in ("year", "date"):
        value = entry.get(name).strip()
        if not value:
            continue
        problem = date_value_problem(name, value)
        if problem is None and (year := latest_year(value)) is not None and year > latest:
            problem = f"{name} {year} is in the future (expected {latest} at the latest)"
        if problem:
            line = entry.field_lines.get(name, entry.line)
            findings.append(finding(path, line, 1, "REF011", f"'{entry.key}': {problem}"))
    return findings


def check_duplicates(bib: Bibliography, path: str, keys: set[str] | None = None) -> list[Finding]:
    """Keys equal but for case (or exactly), and one DOI, PMID or PMCID in two entries."""
    findings = []
    first_by_key: dict[str, BibEntry] = {}
    for entry in sorted([*bib.entries, *bib.duplicates], key=lambda e: e.line):
        folded = entry.key.lower()
        if not folded.strip():
            if entry in bib.duplicates:  # bibtexparser kept only the first keyless entry
                findings.append(finding(path, entry.line, 1, "REF015", f"@{entry.entry_type} entry has no key: give it one"))
            continue
        if folded in first_by_key:
            first = first_by_key[folded]
            same = "" if first.key == entry.key else f" as '{first.key}'"
            message = f"duplicate key '{entry.key}': the same key{same} is at line {first.line}"
            if keys is None or entry.key in keys or first.key in keys:
                findings.append(finding(path, entry.line, 1, "REF013", message, suggestion=None))
        else:
            first_by_key[folded] = entry
    seen: dict[tuple[str, str], BibEntry] = {}
    for entry in sorted(bib.entries, key=lambda e: e.line):
        found = entry_identifiers(entry)
        for kind, value in (("DOI", found.doi), ("PMID", found.pmid), ("PMCID", found.pmcid)):
            if not value:
                continue
            marker = (kind, ids.doi_key(value))
            if marker in seen:
                first = seen[marker]
                if keys is None or entry.key in keys or first.key in keys:
                    where = entry.field_lines.get(kind.lower(), entry.line)
                    message = f"'{entry.key}' has the same {kind} {value} as '{first.key}' (line {first.line})"
                    findings.append(finding(path, where, 1, "REF014", message))
            else:
                seen[marker] = entry
    return findings


def flag_code(status: Status) -> str | None:
    """The finding code a status is flagged under, or None when it is not a flag."""
    return FLAG_CODES.get(status)
