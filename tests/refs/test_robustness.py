"""Bad input never crashes the checker: arbitrary .bib text and field values give findings, not tracebacks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_sitecheck.bib import parse_bibliography
from mkdocs_sitecheck.refs.normalise import first_page, journals_match, norm_text, page_problem, split_authors, surnames_match
from mkdocs_sitecheck.refs.offline import acknowledgement, check_bibliography, entry_identifiers, offline_outcome

TOKENS = st.sampled_from(
    ["@article{", "@misc{", "@book{", "k", "K", "}", "{", ",", " = ", "=", '"', "\n", " ", "%", "% sitecheck: ignore REF020\n",
     "title", "author", "doi", "pmid", "pmcid", "isbn", "issn", "url", "year", "pages", "verification", "and", "others",
     "10.1000/x", "https://doi.org/", "doi:", "12345", "PMC1", "978-0-19-953556-9", "0006-3223", "2019", "351--4", "--",
     "\\'", '\\"', "\\c", "\\ss", "\\url", "unverifiable:", "not found:", "https://", "www.", "é", "Ø", "$", "#", "@"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=60).map("".join))
def test_offline_checks_never_crash(text: str) -> None:
    """Any text parses into entries and failures, and every offline check runs on it."""
    bib = parse_bibliography(text, Path("refs.bib"))
    findings = check_bibliography(bib, "refs.bib")
    for entry in bib.entries:
        found = entry_identifiers(entry)
        offline_outcome(entry, found)
        acknowledgement(entry, "refs.bib")
    assert all(f.line >= 1 and f.code.startswith("REF") for f in findings)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_normalisers_never_crash(a: str, b: str) -> None:
    """Titles, names, pages and journals of any shape are compared without raising."""
    norm_text(a)
    page_problem(a)
    first_page(a)
    journals_match(a, [b])
    surnames_match(a, b)
    split_authors(a)
