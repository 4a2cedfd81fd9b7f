"""Identifier forms and check digits: DOI, PMID, PMCID, ISBN, ISSN, URL (table-driven)."""

from __future__ import annotations

import pytest

from mkdocs_sitecheck.refs import identifiers as ids


@pytest.mark.parametrize(
    ("raw", "doi", "problem"),
    [
        ("10.1016/S0006-3223(99)00230-9", "10.1016/S0006-3223(99)00230-9", None),
        ("https://doi.org/10.1176/appi.ajp.2013.13030392", "10.1176/appi.ajp.2013.13030392", None),
        ("http://dx.doi.org/10.1000/ABC", "10.1000/ABC", None),
        ("doi:10.1000/xyz", "10.1000/xyz", None),
        ("DOI: 10.1000/xyz", "10.1000/xyz", None),
        ("https://doi.org/10.1000%2Fa%28b%29", "10.1000/a(b)", None),
        (r"10.1000/a\_b", "10.1000/a_b", None),
        ("10.1000.5/x", "10.1000.5/x", None),
        ("10.1000/xyz.", "10.1000/xyz.", "'10.1000/xyz.' ends with '.', which is probably punctuation, not part of the DOI"),
        ("11.1000/xyz", "11.1000/xyz", "'11.1000/xyz' does not start with '10.' (a DOI looks like 10.1000/xyz)"),
        ("10.12/xyz", "10.12/xyz", "'10.12/xyz' is not of the form 10.NNNN/suffix (no spaces)"),
        ("10.1000/has space", "10.1000/has space", "'10.1000/has space' is not of the form 10.NNNN/suffix (no spaces)"),
        ("", "", "the DOI is empty"),
    ],
)
def test_doi(raw: str, doi: str, problem: str | None) -> None:
    """URL and doi: prefixes and LaTeX escapes are normalised away; the form is then checked."""
    assert ids.normalise_doi(raw) == doi
    assert ids.doi_problem(doi) == problem


def test_doi_comparison_ignores_case() -> None:
    """DOIs are case-insensitive."""
    assert ids.doi_key("10.1001/ARCHPSYC.63.8.856") == ids.doi_key("10.1001/archpsyc.63.8.856")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("10686270", None),
        ("PMID: 10686270", None),
        ("0", "'0' is not a PMID (a number of up to 9 digits)"),
        ("1234567890", "'1234567890' is not a PMID (a number of up to 9 digits)"),
        ("PMC123", "'PMC123' is not a PMID (a number of up to 9 digits) (that is a PMCID: put it in the pmcid field)"),
        ("123a", "'123a' is not a PMID (a number of up to 9 digits)"),
    ],
)
def test_pmid(raw: str, problem: str | None) -> None:
    """A PMID is a positive number of up to nine digits."""
    assert ids.pmid_problem(ids.normalise_pmid(raw)) == problem


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("PMC3563203", None),
        ("pmc3563203", None),
        ("3563203", "'3563203' is not a PMCID: write 'PMC3563203'"),
        ("PMCX1", "'PMCX1' is not a PMCID (PMC followed by digits)"),
    ],
)
def test_pmcid(raw: str, problem: str | None) -> None:
    """A PMCID is PMC followed by digits."""
    assert ids.pmcid_problem(ids.normalise_pmcid(raw)) == problem


@pytest.mark.parametrize(
    ("isbn", "problem"),
    [
        ("978-0-19-953556-9", None),
        ("9780199535569", None),
        ("ISBN 0-19-953556-X", "ISBN 'ISBN 0-19-953556-X' has a wrong check digit"),
        ("0-306-40615-2", None),
        ("0-8044-2957-X", None),
        ("978-0-19-953556-8", "ISBN '978-0-19-953556-8' has a wrong check digit"),
        ("0-306-40615-3", "ISBN '0-306-40615-3' has a wrong check digit"),
        ("12345", "'12345' is not an ISBN-10 or ISBN-13"),
        ("977-0-19-953556-9", "'977-0-19-953556-9' is not an ISBN-10 or ISBN-13"),
    ],
)
def test_isbn(isbn: str, problem: str | None) -> None:
    """ISBN-10 (mod 11, X) and ISBN-13 (978/979, mod 10) check digits."""
    assert ids.isbn_problem(isbn) == problem


@pytest.mark.parametrize(
    ("issn", "problem"),
    [
        ("0006-3223", None),
        ("0002-953X", None),
        ("0002953x", None),
        ("0006-3224", "ISSN '0006-3224' has a wrong check digit"),
        ("0006-322", "'0006-322' is not an ISSN (NNNN-NNNC)"),
    ],
)
def test_issn(issn: str, problem: str | None) -> None:
    """ISSN check digit (mod 11, X for 10)."""
    assert ids.issn_problem(issn) == problem


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("https://www.fda.gov/news-events/x", None),
        (r"\url{https://www.nimh.nih.gov/health/statistics/major-depression}", None),
        ("http://127.0.0.1:8000/page", None),
        ("www.fda.gov/x", "'www.fda.gov/x' is not an http(s) URL"),
        ("ftp://example.org/file", "'ftp://example.org/file' is not an http(s) URL"),
        ("https://exa mple.org", "'https://exa mple.org' is not a URL (it is empty or contains spaces)"),
        ("https://localhost:99999/", "'https://localhost:99999/' is not a valid URL: Port out of range 0-65535"),
        ("https:///path", "'https:///path' has no valid host name"),
        ("https://nodot/path", "'https://nodot/path' has no valid host name"),
    ],
)
def test_url(raw: str, problem: str | None) -> None:
    """URLs must be absolute http(s) with a host."""
    assert ids.url_problem(ids.normalise_url(raw)) == problem


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://scholar.google.com/scholar?q=ketamine", "scholar.google.com"),
        ("https://www.google.com/search?q=x", "www.google.com"),
        ("https://en.wikipedia.org/wiki/Ketamine", "en.wikipedia.org"),
        ("https://www.researchgate.net/publication/1", "www.researchgate.net"),
        ("https://sci-hub.se/10.1000/x", "sci-hub.se"),
        ("https://www.fda.gov/drugs", None),
        ("https://experts.mcmaster.ca/display/publication1914851", None),
        ("https://googleapis.com/x", None),
        ("https://box.com/x", None),
    ],
)
def test_unofficial_hosts(url: str, host: str | None) -> None:
    """Search engines, Wikipedia, shadow libraries and upload sites are not official pages."""
    assert ids.unofficial_host(url) == host


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("https://doi.org/10.1000/xyz", {"doi": "10.1000/xyz"}),
        ("https://pubmed.ncbi.nlm.nih.gov/10686270/", {"pmid": "10686270"}),
        ("https://www.ncbi.nlm.nih.gov/pubmed/10686270", {"pmid": "10686270"}),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/pmc3563203/", {"pmcid": "PMC3563203"}),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC3563203/", {"pmcid": "PMC3563203"}),
        ("https://www.fda.gov/drugs", {}),
    ],
)
def test_identifiers_in_urls(url: str, found: dict[str, str]) -> None:
    """A doi.org, PubMed or PMC URL names the identifier to check."""
    assert ids.identifiers_in_url(url) == found
