"""Every finding code of ``sitecheck refs``, its default severity and what it means."""

from __future__ import annotations

from typing import NamedTuple

from sitecheck.findings import Severity


class Code(NamedTuple):
    """A finding code's default severity, one-line meaning, and whether it is this site's policy.

    A *policy* code is a rule of the site (every entry must be checkable), not a defect of the
    file by BibTeX's or biblatex's rules; its messages say so, and a project turns it off with
    ``[tool.sitecheck.severity] CODE = "off"``.
    """

    severity: Severity
    summary: str
    policy: bool = False


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: dict[str, Code] = {
    # Offline: the .bib file itself.
    "REF001": Code(E, "malformed BibTeX entry (the rest of the file is still checked)"),
    "REF002": Code(E, "a field the entry type requires is missing or empty"),
    "REF003": Code(W, "unknown entry type"),
    "REF004": Code(E, "a field's value swallowed the next field: a comma is missing"),
    "REF005": Code(E, "invalid DOI"),
    "REF006": Code(E, "invalid PMID"),
    "REF007": Code(E, "invalid PMCID"),
    "REF008": Code(E, "invalid ISBN (form or check digit)"),
    "REF009": Code(E, "invalid ISSN (form or check digit)"),
    "REF010": Code(E, "invalid URL"),
    "REF011": Code(E, "implausible year"),
    "REF012": Code(E, "invalid page range"),
    "REF013": Code(E, "duplicate key (mkdocs-bibtex matches keys case-insensitively)"),
    "REF014": Code(E, "the same DOI, PMID or PMCID in two entries"),
    "REF015": Code(E, "key mkdocs-bibtex cannot cite (use letters, digits, '_' and '-')"),
    "REF016": Code(E, "malformed acknowledgement: write verification = {STATUS: reason}"),
    "REF017": Code(E, "mkdocs-bibtex's parser (pybtex, strict) rejects this or drops fields: the site build fails"),
    # Status flags (one per entry).
    "REF020": Code(
        E, "unverifiable: no identifier or official URL, or no source has a confident match", policy=True
    ),
    "REF021": Code(E, "not_found: the DOI, PMID, PMCID or URL does not exist"),
    "REF022": Code(E, "mismatch: the entry disagrees with the record its identifier names"),
    "REF024": Code(E, "retracted (or withdrawn or removed)"),
    "REF027": Code(W, "incomplete: a source could not be reached, so the entry was not judged (exit 3)"),
    # Notes on an entry's record.
    "REF023": Code(W, "minor difference from the record (year off by one, small title change, co-author)"),
    "REF025": Code(W, "expression of concern or partial retraction"),
    "REF026": Code(I, "correction or erratum published"),
    "REF028": Code(I, "verified without an identifier: add the DOI/PMID found"),
    "REF029": Code(W, "the DOI exists but no registry has metadata to compare"),
    "REF032": Code(W, "the identifier names a notice (retraction, correction…), not the article"),
    # Acknowledgements.
    "REF030": Code(I, "acknowledged flag: kept on purpose, shown as not verified on the site"),
    "REF031": Code(W, "stale acknowledgement: the check now finds another status"),
}


def list_codes() -> str:
    """The codes table printed by ``sitecheck refs --list-codes``."""
    return "".join(
        f"{code}  {c.severity.value:<7}  {c.summary}{POLICY_MARK if c.policy else ''}\n" for code, c in sorted(CODES.items())
    )


# Appended to a policy code's summary and messages.
POLICY_MARK = " [site policy, not a BibTeX error]"


def policy_note(code: str) -> str:
    """What a policy finding's message ends with: that it is the site's rule, and how to turn it off."""
    return f" [site policy, not a BibTeX error; to turn it off: [tool.sitecheck.severity] {code} = \"off\"]"
