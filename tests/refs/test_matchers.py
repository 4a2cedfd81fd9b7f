"""Comparing entries with records, identifying search results, and reading update types (table-driven)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_sitecheck.bib import BibEntry, parse_bibliography
from mkdocs_sitecheck.refs.match import compare, identifies, is_notice, update_kind
from mkdocs_sitecheck.refs.model import Record
from mkdocs_sitecheck.refs.sources import crossref_record, datacite_record, page_titles, pubmed_record


def entry(**fields: str) -> BibEntry:
    """A parsed @article with these fields."""
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    (parsed,) = parse_bibliography(f"@article{{k,\n{body}\n}}\n", Path("refs.bib")).entries
    return parsed


RECORD = Record(
    source="pubmed",
    id="16894061",
    titles=["A randomized trial of an N-methyl-D-aspartate antagonist in treatment-resistant major depression."],
    authors=["Zarate", "Singh", "Carlson", "Brutsche", "Ameli", "Luckenbaugh", "Charney", "Manji"],
    years=[2006],
    journals=["Archives of general psychiatry", "Arch Gen Psychiatry"],
    volume="63",
    pages="856-64",
)


@pytest.mark.parametrize(
    ("fields", "diffs"),
    [
        pytest.param({}, [], id="identical"),
        pytest.param({"author": "Zarate, Jr., Carlos A. and Singh, J. B. and others"}, [], id="jr-and-others"),
        pytest.param({"author": "Carlos A. Zarate Jr. and Jaskaran B. Singh"}, [], id="first-last-order"),
        pytest.param({"title": r"A Randomized Trial of an {N}-methyl-{D}-aspartate Antagonist in Treatment-Resistant Major "
                               "Depression: The {NIMH} Trial"}, [], id="subtitle-the-record-lacks-ok"),
        pytest.param({"title": r"A Randomized Trial of an {N}-methyl-{D}-aspartate Antagonist"},
                     [("title", r"A Randomized Trial of an {N}-methyl-{D}-aspartate Antagonist", RECORD.titles[0], "error")],
                     id="truncated-title-is-not-a-subtitle"),
        pytest.param({"pages": "856--864"}, [], id="medline-abbreviated-pages"),
        pytest.param({"journal": "Arch. Gen. Psychiatry"}, [], id="abbreviated-journal"),
        pytest.param({"year": "2005"}, [("year", "2005", "2006", "warning")], id="one-year-off"),
        pytest.param({"year": "2009"}, [("year", "2009", "2006", "error")], id="wrong-year"),
        pytest.param({"volume": "64"}, [("volume", "64", "63", "error")], id="wrong-volume"),
        pytest.param({"pages": "865--870"}, [("first page", "865", "856-864", "error")], id="wrong-first-page"),
        pytest.param({"journal": "Biological Psychiatry"}, [("journal", "Biological Psychiatry", "Archives of general psychiatry", "error")], id="wrong-journal"),
        pytest.param({"author": "Singh, J. and Zarate, C."}, [("first author", "Singh", "Zarate", "error")], id="first-author-swapped"),
        pytest.param({"author": "Zarate, C. and Singh, J. and Murrough, J. and Charney, D."},
                     [("authors", "Murrough", "Zarate, Singh, Carlson, Brutsche, Ameli, Luckenbaugh, ...", "warning")], id="one-coauthor-unknown"),
        pytest.param({"author": "Zarate, C. and Smith, A. and Jones, B."},
                     [("authors", "Smith, Jones", "Zarate, Singh, Carlson, Brutsche, Ameli, Luckenbaugh, ...", "error")], id="most-coauthors-unknown"),
        pytest.param({"title": "A randomised trial of an NMDA antagonist in treatment-resistant major depression"},
                     [("title", "A randomised trial of an NMDA antagonist in treatment-resistant major depression", RECORD.titles[0], "error")], id="other-title"),
    ],
)  # fmt: skip
def test_compare(fields: dict[str, str], diffs: list[tuple[str, str, str, str]]) -> None:
    """Each field differs only when it really does; tolerated differences are warnings."""
    base = {
        "author": "Zarate, Carlos A. and Singh, Jaskaran B.",
        "title": "A Randomized Trial of an {N}-methyl-{D}-aspartate Antagonist in Treatment-Resistant Major Depression",
        "journal": "Archives of General Psychiatry",
        "year": "2006",
        "volume": "63",
        "pages": "856--864",
    }
    found = compare(entry(**{**base, **fields}), RECORD)
    assert [(d.field, d.entry, d.record, d.severity.value) for d in found] == diffs


@pytest.mark.parametrize(
    ("fields", "confident"),
    [
        ({"title": "Synaptic dysfunction in depression", "author": "Duman, R. S.", "year": "2012"}, True),
        ({"title": "Synaptic dysfunction in depression", "author": "Duman, R. S.", "year": "2013"}, True),
        ({"title": "Synaptic dysfunction in depression", "author": "Duman, R. S.", "year": "2015"}, False),
        ({"title": "Synaptic dysfunction in depression", "author": "Lau, B. K.", "year": "2012"}, False),
        ({"title": "The effects of ketamine on brain activity", "author": "Duman, R. S.", "year": "2012"}, False),
        ({"title": "Synaptic dysfunction in depression: potential therapeutic targets", "year": "2012"}, True),
    ],
)
def test_identifies_search_results(fields: dict[str, str], confident: bool) -> None:
    """A search result is the entry's work only with the title, the first author and the year (±1)."""
    record = Record(
        source="crossref",
        id="10.1126/science.1222939",
        titles=["Synaptic Dysfunction in Depression: Potential Therapeutic Targets"],
        authors=["Duman", "Aghajanian"],
        years=[2012],
    )
    assert identifies(entry(**fields), record) is confident


@pytest.mark.parametrize(
    ("kind", "meaning"),
    [
        ("retraction", "retraction"), ("withdrawal", "retraction"), ("removal", "retraction"),
        ("expression_of_concern", "concern"), ("expression-of-concern", "concern"), ("partial_retraction", "concern"),
        ("correction", "correction"), ("erratum", "correction"), ("corrigendum", "correction"),
        ("new_version", None), ("", None),
    ],
)  # fmt: skip
def test_update_kinds(kind: str, meaning: str | None) -> None:
    """Crossref update types: retraction/withdrawal/removal retract; a concern warns; a correction informs."""
    assert update_kind(kind) == meaning


def test_crossref_record_from_documented_message() -> None:
    """A /works message: title + subtitle, family names, all dates, container titles, updates and notices."""
    record = crossref_record(
        {
            "DOI": "10.1176/appi.ajp.2013.13030392",
            "title": ["Antidepressant Efficacy of Ketamine in Treatment-Resistant Major Depression"],
            "subtitle": ["A Two-Site Randomized Controlled Trial"],
            "author": [{"given": "James W.", "family": "Murrough"}, {"name": "ELEKT-D Study Group"}, {"given": "X"}],
            "container-title": ["American Journal of Psychiatry"],
            "short-container-title": ["AJP"],
            "issued": {"date-parts": [[2013, 10]]},
            "published-online": {"date-parts": [[2013, 8, 30]]},
            "published-print": {"date-parts": [[None]]},
            "volume": "170",
            "page": "1134-1142",
            "update-to": [{"DOI": "10.1/orig", "type": "retraction", "updated": {"date-parts": [[2014, 1]]}}],
            "updated-by": "not a list",
        }
    )
    assert record.titles[:2] == [
        "Antidepressant Efficacy of Ketamine in Treatment-Resistant Major Depression: A Two-Site Randomized Controlled Trial",
        "Antidepressant Efficacy of Ketamine in Treatment-Resistant Major Depression",
    ]
    assert (record.authors, record.years, record.journals) == (["Murrough", "ELEKT-D Study Group"], [2013], ["American Journal of Psychiatry", "AJP"])
    assert (record.volume, record.pages, record.updates) == ("170", "1134-1142", [])
    assert record.update_to == [{"type": "retraction", "doi": "10.1/orig", "date": "2014-1"}]
    assert is_notice(record) == "retraction"


def test_pubmed_record_from_documented_summary() -> None:
    """An esummary document: MEDLINE names, pubdate and epubdate years, both journal names, DOI from articleids."""
    record = pubmed_record(
        {
            "uid": "16894061",
            "pubdate": "2006 Aug",
            "epubdate": "2005 Dec 1",
            "source": "Arch Gen Psychiatry",
            "fulljournalname": "Archives of general psychiatry",
            "authors": [{"name": "Zarate CA Jr", "authtype": "Author"}, {"name": "ELEKT-D Group", "authtype": "CollectiveName"}],
            "title": "A randomized trial of an <i>N</i>-methyl-D-aspartate antagonist.",
            "volume": "63",
            "pages": "856-64",
            "pubtype": ["Journal Article", "Retracted Publication"],
            "articleids": [{"idtype": "pubmed", "value": "16894061"}, {"idtype": "doi", "value": "10.1001/archpsyc.63.8.856"},
                           {"idtype": "pmc", "value": "PMC123"}],
        }
    )  # fmt: skip
    assert (record.authors, record.years, record.doi, record.pmcid) == (["Zarate", "ELEKT-D Group"], [2006, 2005], "10.1001/archpsyc.63.8.856", "PMC123")
    assert record.titles == ["A randomized trial of an N-methyl-D-aspartate antagonist."]
    assert record.journals == ["Archives of general psychiatry", "Arch Gen Psychiatry"]


def test_datacite_record_from_documented_attributes() -> None:
    """JSON:API attributes: titles with a subtitle, personal and organisational creators, container."""
    record = datacite_record(
        "10.5281/zenodo.1",
        {
            "doi": "10.5281/zenodo.1",
            "titles": [{"title": "Outcomes"}, {"title": "Trial dataset", "titleType": "Subtitle"}],
            "creators": [
                {"name": "Nordmann, Ola", "nameType": "Personal", "familyName": "Nordmann"},
                {"name": "Koumousi, Evangelia S."},
                {"name": "World Health Organization", "nameType": "Organizational"},
            ],
            "publicationYear": 2021,
            "container": {"title": "Zenodo", "volume": "2", "firstPage": "5", "lastPage": "9"},
        },
    )
    assert record.titles == ["Outcomes: Trial dataset", "Outcomes"]
    assert record.authors == ["Nordmann", "Koumousi", "World Health Organization"]
    assert (record.years, record.journals, record.volume, record.pages) == ([2021], ["Zenodo"], "2", "5-9")


def test_page_titles() -> None:
    """A page's citation_title/og:title, <title> and <h1>, with markup removed."""
    html = (
        '<html><head><meta name="citation_title" content="Ketamine &amp; depression">'
        "<title>Ketamine | FDA</title></head><body><h1>Ketamine <em>now</em></h1></body></html>"
    )
    assert page_titles(html) == ["Ketamine & depression", "Ketamine | FDA", "Ketamine now"]
