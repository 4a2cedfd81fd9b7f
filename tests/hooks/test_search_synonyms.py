"""The search hook adds only real words: respellings anchored at the start of a word, plurals the guide uses."""

from __future__ import annotations

import pytest

from guide_hooks.search_synonyms import add_variants, on_page_content, respellings, tidy, variants


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("anaesthetic", {"anesthetic"}),
        ("subanaesthetic", {"subanesthetic"}),
        ("randomized", {"randomised"}),
        ("oestrogen", {"estrogen"}),
        ("programmes", {"programs"}),
        ("restricted", set()),  # "estr" inside a word is not oestrogen's
        ("managing", set()),  # nor "aging" inside "managing"
        ("programming", set()),
        ("chemotherapy", set()),
    ],
)
def test_respellings_are_whole_words(word: str, expected: set[str]) -> None:
    """A British or US spelling gets the other, and a fragment inside another word gets nothing."""
    assert respellings(word) == expected


def test_plurals_only_when_the_guide_uses_them() -> None:
    """'infusion' gains 'infusions' when the guide says 'infusions' somewhere; 'about' never gains 'abouts'."""
    text = "<p>About one infusion, been there.</p>"
    assert variants(text, {"infusions"}) == ["infusions"]
    assert variants(text, set()) == []


def test_plurals_only_of_the_guide_s_topics() -> None:
    """With the headings' words given, only their plurals are added: 'infusions', not 'periods'."""
    text = "<p>One infusion in a short period.</p>"
    assert variants(text, {"infusions", "periods"}, {"infusion"}) == ["infusions"]


def test_index_documents_gain_hidden_words() -> None:
    """Every document of an index gets the words other sections use, in a hidden span."""
    index = {
        "docs": [
            {"location": "a/", "title": "Infusion", "text": "<p>One infusion of ketamine.</p>"},
            {"location": "b/", "title": "Costs", "text": "<p>Several infusions cost more.</p>"},
        ]
    }
    assert add_variants(index) == 2
    assert index["docs"][0]["text"].endswith('<span class="search-synonyms" hidden>infusions</span>')
    assert "price" in index["docs"][1]["text"] and "abouts" not in index["docs"][1]["text"]


class _Page:
    """The little of an MkDocs page the hook reads."""

    def __init__(self, src_uri: str) -> None:
        self.file = type("F", (), {"src_uri": src_uri})()


def test_notes_and_citation_numbers_stay_out_of_the_index() -> None:
    """A page's notes list is marked for Material's search to skip, except on the bibliography page."""
    html = '<p>Text<sup id="fnref:a"><a href="#fn:a">1</a></sup></p><div class="footnote"><ol><li id="fn:a">A.</li></ol></div>'
    page = on_page_content(html, _Page("evidence/safety.md"), None, None)
    assert '<div class="footnote" data-search-exclude>' in page
    assert '<sup data-search-exclude id="fnref:a">' in page
    bibliography = on_page_content(html + "<ul><li>Ref.</li></ul>", _Page("reference/bibliography.md"), None, None)
    assert '<div class="footnote">' in bibliography
    assert "<ul data-search-exclude><li>Ref.</li></ul>" in bibliography  # reference lists are found through the pages


def test_previews_have_no_gap_where_a_citation_number_was() -> None:
    """'worldwide .' (a citation number left out of the index) reads 'worldwide.' again; numbers are untouched."""
    index = {"docs": [{"location": "a/", "title": "A", "text": "<p>Behind suicide worldwide . WHO said 0 .5 (ten , twenty ) ok</p>"}]}
    tidy(index)
    assert index["docs"][0]["text"] == "<p>Behind suicide worldwide. WHO said 0 .5 (ten, twenty) ok</p>"
