"""The data a refs run passes around: statuses, identifiers, records, differences and outcomes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from mkdocs_sitecheck.findings import Severity


class Status(str, Enum):
    """The one status each entry gets."""

    VERIFIED = "verified"
    MISMATCH = "mismatch"
    NOT_FOUND = "not_found"
    UNVERIFIABLE = "unverifiable"
    RETRACTED = "retracted"
    INCOMPLETE = "incomplete"
    UNCHECKED = "unchecked"


# Statuses that fail a run unless acknowledged, and the code each is reported under.
FLAG_CODES = {
    Status.UNVERIFIABLE: "REF020",
    Status.NOT_FOUND: "REF021",
    Status.MISMATCH: "REF022",
    Status.RETRACTED: "REF024",
}

# How a flag reads in a message: "'key' does not match its record: …".
FLAG_PHRASES = {
    Status.UNVERIFIABLE: "is unverifiable",
    Status.NOT_FOUND: "was not found",
    Status.MISMATCH: "does not match its record",
    Status.RETRACTED: "is retracted",
}

STATUS_MEANINGS = {
    Status.VERIFIED.value: "a registry record matches the entry (title, authors, year, journal, volume, first page)",
    Status.MISMATCH.value: "the record the entry's identifier names disagrees with it; see 'fields'",
    Status.NOT_FOUND.value: "the entry's DOI, PMID, PMCID or URL does not exist",
    Status.UNVERIFIABLE.value: "no identifier, and no source confidently matched the entry (offline: no identifier and no URL to an official page)",
    Status.RETRACTED.value: "the work was retracted, withdrawn or removed",
    Status.INCOMPLETE.value: "a source could not be reached, so the entry was not judged; see 'reason'",
    Status.UNCHECKED.value: "offline run: the entry has an identifier or official URL that --online would check",
}


@dataclass(frozen=True)
class Identifiers:
    """An entry's usable identifiers, normalised (invalid ones are left out)."""

    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    isbns: tuple[str, ...] = ()
    url: str | None = None  # a well-formed URL to an official page
    eprints: tuple[str, ...] = ()  # ``archive:id`` from eprint + eprinttype/archiveprefix (arxiv:2101.01234)

    def lookup(self) -> bool:
        """Whether a registry can be asked about the entry directly (DOI, PMID or PMCID)."""
        return bool(self.doi or self.pmid or self.pmcid)

    def any(self) -> bool:
        """Whether the entry has any identifier at all (an ISBN or an eprint counts; a URL does not)."""
        return self.lookup() or bool(self.isbns) or bool(self.eprints)

    def as_dict(self) -> dict[str, Any]:
        """The identifiers for JSON, without empty ones."""
        data = {
            "doi": self.doi,
            "pmid": self.pmid,
            "pmcid": self.pmcid,
            "isbn": list(self.isbns),
            "eprint": list(self.eprints),
            "url": self.url,
        }
        return {k: v for k, v in data.items() if v}


@dataclass
class Record:
    """A registry's record, normalised the same way whatever the source."""

    source: str  # crossref | datacite | pubmed | pmc | doi.org | url
    id: str
    titles: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # surnames (or corporate names), in order
    years: list[int] = field(default_factory=list)  # the issued year first
    journals: list[str] = field(default_factory=list)  # full and abbreviated names
    volume: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    isbns: list[str] = field(default_factory=list)
    updates: list[dict[str, str]] = field(default_factory=list)  # Crossref updated-by
    update_to: list[dict[str, str]] = field(default_factory=list)  # Crossref update-to (the record is a notice)
    pubtypes: list[str] = field(default_factory=list)  # PubMed publication types
    kind: str = ""  # Crossref/DataCite type, or the page's content type
    url: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON (also the cached form)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """Rebuild a record from ``as_dict`` output; unknown keys are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def summary(self) -> dict[str, Any]:
        """What the JSON report shows of a record: the compared fields, without empty ones."""
        data = {
            "source": self.source,
            "id": self.id,
            "title": self.titles[0] if self.titles else "",
            "authors": self.authors[:10],
            "year": self.years[0] if self.years else None,
            "years": self.years,
            "journal": self.journals[0] if self.journals else "",
            "volume": self.volume,
            "pages": self.pages,
            "doi": self.doi,
            "pmid": self.pmid,
            "pmcid": self.pmcid,
            "updates": self.updates,
            "update_to": self.update_to,
            "pubtypes": self.pubtypes,
            "url": self.url,
        }
        return {k: v for k, v in data.items() if v not in ("", [], None)}


@dataclass(frozen=True)
class FieldDiff:
    """One field on which an entry and a record disagree."""

    field: str
    entry: str
    record: str
    severity: Severity
    source: str

    def as_dict(self) -> dict[str, str]:
        """The difference for JSON."""
        return {
            "field": self.field,
            "entry": self.entry,
            "record": self.record,
            "severity": self.severity.value,
            "source": self.source,
        }

    def describe(self) -> str:
        """``year 2019 (record: 2021)``."""
        return f"{self.field} {_quote(self.entry)} (record: {_quote(self.record)})"


def _quote(text: str) -> str:
    """Quote a value for a message, shortened when long."""
    text = " ".join(text.split())
    return f"'{text[:77]}...'" if len(text) > 80 else f"'{text}'"


@dataclass(frozen=True)
class Note:
    """A secondary finding about an entry (a correction, a minor difference, a suggestion…)."""

    code: str
    message: str
    suggestion: str | None = None


@dataclass
class Outcome:
    """What checking one entry found."""

    status: Status
    reason: str
    fields: list[FieldDiff] = field(default_factory=list)
    record: Record | None = None
    notes: list[Note] = field(default_factory=list)
    suggestion: str | None = None

    @property
    def source(self) -> str | None:
        """The source of the record the verdict rests on."""
        return self.record.source if self.record else None
