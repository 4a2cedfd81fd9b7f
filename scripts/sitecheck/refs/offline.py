"""Offline checks of a .bib file: entry fields, identifiers, duplicates, acknowledgements, offline status."""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass

from sitecheck.bib import CITABLE_KEY, BibEntry, Bibliography, parse_failures
from sitecheck.findings import Finding
from sitecheck.refs import identifiers as ids
from sitecheck.refs.codes import CODES
from sitecheck.refs.model import FLAG_CODES, Identifiers, Outcome, Status
from sitecheck.refs.normalise import page_problem, year_of

# Required fields per entry type; each item lists alternatives (biblatex names included).
REQUIRED: dict[str, list[tuple[str, ...]]] = {
    "article": [("author",), ("title",), ("journal", "journaltitle"), ("year", "date")],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year", "date")],
    "booklet": [("title",)],
    "inbook": [("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year", "date")],
    "incollection": [("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date")],
    "inproceedings": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "conference": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "manual": [("title",)],
    "mastersthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "phdthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "thesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "misc": [("title",)],  # BibTeX requires nothing; an untitled entry can neither be shown nor checked
    "online": [("title",), ("url",)],
    "electronic": [("title",), ("url",)],
    "www": [("title",), ("url",)],
    "proceedings": [("title",), ("year", "date")],
    "techreport": [("author", "institution"), ("title",), ("institution",), ("year", "date")],
    "report": [("author", "institution"), ("title",), ("institution",), ("year", "date")],
    "unpublished": [("author",), ("title",), ("note",)],
    "dataset": [("title",), ("year", "date")],
    "software": [("title",)],
}

ACK_FIELD = "verification"
ACKNOWLEDGEABLE = (Status.UNVERIFIABLE, Status.NOT_FOUND, Status.MISMATCH, Status.RETRACTED)
_SWALLOWED = re.compile(r"\n\s*[A-Za-z][\w-]*\s*=\s*[{\"0-9]")


def finding(path: str, line: int, code: str, message: str, suggestion: str | None = None) -> Finding:
    """A finding with the code's default severity."""
    return Finding(path, line, 1, code, CODES[code].severity, message, suggestion)


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
    return None, [finding(path, line, "REF016", problem)]


def entry_identifiers(entry: BibEntry) -> Identifiers:
    """The entry's valid identifiers, normalised; a doi.org or PubMed URL also counts as its identifier."""
    url = ids.normalise_url(entry.get("url")) if entry.get("url").strip() else None
    from_url = ids.identifiers_in_url(url) if url and not ids.url_problem(url) else {}
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
    )


def offline_outcome(entry: BibEntry, found: Identifiers) -> Outcome:
    """The status an offline run can give: ``unverifiable`` without identifier or official URL, else ``unchecked``."""
    if found.any():
        return Outcome(Status.UNCHECKED, "not checked offline; run with --online to check its identifiers")
    if found.url:
        return Outcome(Status.UNCHECKED, "no identifier; run with --online to search for it and check its URL")
    url = entry.get("url").strip()
    why = "no DOI, PMID, PMCID or ISBN"
    if url and ids.unofficial_host(ids.normalise_url(url)):
        why += f", and its URL is not an official page ({ids.unofficial_host(ids.normalise_url(url))})"
    elif url:
        why += ", and its URL is not valid"
    else:
        why += ", and no URL to an official page"
    return Outcome(Status.UNVERIFIABLE, why)


def check_bibliography(bib: Bibliography, path: str, keys: set[str] | None = None) -> list[Finding]:
    """Every offline finding of a bibliography (``keys`` limits the per-entry checks)."""
    duplicate_lines = {d.line for d in bib.duplicates}
    findings = [
        dataclasses.replace(f, code="REF001")
        for f in parse_failures(bib, path)
        if f.line not in duplicate_lines
    ]
    findings += check_duplicates(bib, path, keys)
    for entry in bib.entries:
        if keys is None or entry.key in keys:
            findings += check_entry(entry, path)
    return findings


def check_entry(entry: BibEntry, path: str) -> list[Finding]:
    """The offline checks of one entry: key, type, required fields, identifiers, year, pages, URL."""
    findings = []
    where = entry.field_lines
    if not CITABLE_KEY.match(entry.key):
        findings.append(
            finding(path, entry.line, "REF015", f"key '{entry.key}' cannot be cited: use letters, digits, '_' and '-'")
        )
    required = REQUIRED.get(entry.entry_type)
    if required is None:
        findings.append(finding(path, entry.line, "REF003", f"'{entry.key}': unknown entry type @{entry.entry_type}"))
    for alternatives in required or []:
        if not any(entry.get(name).strip() for name in alternatives):
            names = " or ".join(alternatives)
            findings.append(finding(path, entry.line, "REF002", f"'{entry.key}': @{entry.entry_type} needs {names}"))
    for name, value in entry.fields.items():
        if _SWALLOWED.search(value):
            findings.append(
                finding(
                    path, where[name], "REF004", f"'{entry.key}': {name} contains another field; add the missing comma"
                )
            )
    findings += _identifier_findings(entry, path)
    findings += _year_findings(entry, path)
    if entry.get("pages").strip() and (problem := page_problem(entry.get("pages"))):
        findings.append(finding(path, where["pages"], "REF012", f"'{entry.key}': pages {problem}"))
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
            findings.append(finding(path, line(name, entry.line), code, f"'{entry.key}': {problem}"))
    for isbn in ids.split_isbns(entry.get("isbn")):
        if problem := ids.isbn_problem(isbn):
            findings.append(finding(path, line("isbn", entry.line), "REF008", f"'{entry.key}': {problem}"))
    for issn in ids.split_isbns(entry.get("issn")):
        if problem := ids.issn_problem(issn):
            findings.append(finding(path, line("issn", entry.line), "REF009", f"'{entry.key}': {problem}"))
    return findings


def _year_findings(entry: BibEntry, path: str) -> list[Finding]:
    """A year (or biblatex date) must be four digits between 1600 and next year."""
    findings = []
    latest = datetime.date.today().year + 1
    for name in ("year", "date"):
        value = entry.get(name).strip()
        if not value:
            continue
        year = year_of(value)
        if year is None:
            problem = f"{name} '{value}' is not a four-digit year" + (" or YYYY-MM-DD date" if name == "date" else "")
        elif not 1600 <= year <= latest:
            problem = f"{name} {year} is implausible (expected 1600 to {latest})"
        else:
            continue
        findings.append(finding(path, entry.field_lines.get(name, entry.line), "REF011", f"'{entry.key}': {problem}"))
    return findings


def check_duplicates(bib: Bibliography, path: str, keys: set[str] | None = None) -> list[Finding]:
    """Keys equal but for case (or exactly), and one DOI, PMID or PMCID in two entries."""
    findings = []
    first_by_key: dict[str, BibEntry] = {}
    for entry in sorted([*bib.entries, *bib.duplicates], key=lambda e: e.line):
        folded = entry.key.lower()
        if folded in first_by_key:
            first = first_by_key[folded]
            same = "" if first.key == entry.key else f" as '{first.key}'"
            message = f"duplicate key '{entry.key}': the same key{same} is at line {first.line}"
            if keys is None or entry.key in keys or first.key in keys:
                findings.append(finding(path, entry.line, "REF013", message, suggestion=None))
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
                    findings.append(finding(path, where, "REF014", message))
            else:
                seen[marker] = entry
    return findings


def flag_code(status: Status) -> str | None:
    """The finding code a status is flagged under, or None when it is not a flag."""
    return FLAG_CODES.get(status)
