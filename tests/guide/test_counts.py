"""Counts a page states about the claims ledger agree with data/claims.yml (issue 15: "42 claims" vs 57).

The expected numbers are counted here straight from the YAML file, not through the hook, and each
page is rendered through the hook (scripts/hooks/counts.py) the way the build renders it, so a
number typed into a page by hand, or a marker that counts the wrong thing, both fail.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from mkdocs.exceptions import PluginError

from .conftest import DOCS, LEDGER, REPO

BIB = REPO / "refs.bib"
NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()

VERDICT_WORDS = ("partly supported", "supported", "unsupported", "contradicted", "outdated", "misattributed")
# "57 claims", "the 57 claims", "checked 57 of them"; "10 were fully supported", "10 of them are supported"
TOTAL = re.compile(r"\b(\d+) (?:notable |checked )?claims\b|\bchecked (\d+) of them\b", re.I)
BY_VERDICT = re.compile(r"\b(\d+) (?:of them )?(?:were|was|are|is|hold|held) (?:fully |only )?(" + "|".join(VERDICT_WORDS) + r")\b", re.I)


def load_counts_hook() -> ModuleType:
    """The counts hook's module, from the hooks package (pytest puts scripts/hooks on the path)."""
    from guide_hooks import counts

    return counts


@pytest.fixture(scope="module")
def counts() -> ModuleType:
    """The counts hook."""
    return load_counts_hook()


@pytest.fixture(scope="module")
def expected() -> tuple[int, Counter[str]]:
    """Claims and claims per verdict, counted from the YAML file itself."""
    data = yaml.safe_load(LEDGER.read_text(encoding="utf-8"))
    return len(data), Counter(entry["verdict"] for entry in data)


def stated_counts(text: str) -> list[tuple[str, int]]:
    """Every count of claims a text states: ('total', n) or (verdict, n)."""
    found = [("total", int(a or b)) for a, b in TOTAL.findall(text)]
    found += [(verdict.lower(), int(n)) for n, verdict in BY_VERDICT.findall(text)]
    return found


def rendered_pages(counts: ModuleType) -> dict[str, str]:
    """Every docs page with its ``[[tally:...]]`` markers expanded, as the build does."""
    tally = counts.load_all(LEDGER, BIB)
    return {
        path.relative_to(REPO).as_posix(): counts.expand(path.read_text(encoding="utf-8"), tally, path.relative_to(REPO).as_posix())
        for path in sorted(DOCS.rglob("*.md"))
    }


def test_every_stated_count_matches_the_ledger(counts: ModuleType, expected: tuple[int, Counter[str]]) -> None:
    """No page states a number of claims, or of claims with a verdict, that the ledger disagrees with."""
    total, verdicts = expected
    wrong = []
    for page, text in rendered_pages(counts).items():
        for what, number in stated_counts(text):
            truth = total if what == "total" else verdicts[what]
            if number != truth:
                wrong.append(f"{page}: says {number} for {what}, the ledger has {truth}")
    assert wrong == []


def test_home_page_states_the_counts(counts: ModuleType, expected: tuple[int, Counter[str]]) -> None:
    """The home page gives the total and the supported count (so the check above has something to check)."""
    total, verdicts = expected
    home = rendered_pages(counts)["docs/index.md"]
    assert ("total", total) in stated_counts(home)
    assert ("supported", verdicts["supported"]) in stated_counts(home)


def test_pattern_catches_the_old_contradiction() -> None:
    """The phrases of the issue-15 home page ("checks 42 claims", "Of the 57 claims ... 10 were fully supported") are read."""
    old = "checks 42 claims from the clinic articles. Of the 57 claims we checked, 10 were fully supported."
    assert stated_counts(old) == [("total", 42), ("total", 57), ("supported", 10)]


def test_markers_expand_to_counts(counts: ModuleType, tmp_path: Path) -> None:
    """Total, per verdict (hyphen for space) and per article."""
    ledger = tmp_path / "claims.yml"
    ledger.write_text(
        "- {id: C01, verdict: supported, articles: [source-a]}\n"
        "- {id: C02, verdict: partly supported, articles: [source-a, source-b]}\n"
        "- {id: C03, verdict: partly supported, articles: source-b}\n",
        encoding="utf-8",
    )
    tally = counts.load_tally(ledger)
    text = "[[tally:claims]] / [[tally:claims.partly-supported]] / [[tally:claims.article.source-b]]"
    assert counts.expand(text, tally, "docs/x.md") == "3 / 2 / 2"


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (
            "[[tally:claims.mostly-true]]",
            "docs/x.md:2: [[tally:claims.mostly-true]]: no claim has the verdict 'mostly true' (verdicts in data/claims.yml: supported); reword the sentence",
        ),
        (
            "[[tally:sources]]",
            "docs/x.md:2: [[tally:sources]]: unknown count 'sources' "
            "(use [[tally:claims]], [[tally:claims.VERDICT]], [[tally:claims.article.KEY]], "
            "[[tally:articles]] or [[tally:refs.GROUP]])",
        ),
        (
            "[[tally:claims.article.source-z]]",
            "docs/x.md:2: [[tally:claims.article.source-z]]: no claim is made by article 'source-z' (articles in data/claims.yml: source-a)",
        ),
    ],
)
def test_bad_marker_names_page_and_line(counts: ModuleType, tmp_path: Path, marker: str, message: str) -> None:
    """A marker the ledger cannot answer stops the build with page:line and a fix."""
    ledger = tmp_path / "claims.yml"
    ledger.write_text("- {id: C01, verdict: supported, articles: [source-a]}\n", encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        counts.expand(f"Intro\nWe checked {marker}.\n", counts.load_tally(ledger), "docs/x.md")
    assert str(caught.value) == message


def test_ledger_that_is_not_a_list_is_one_line_error(counts: ModuleType, tmp_path: Path) -> None:
    """A mapping instead of a list is reported, not a traceback."""
    ledger = tmp_path / "claims.yml"
    ledger.write_text("claims: 3\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r"claims\.yml: the ledger must be a YAML list of claims"):
        counts.load_tally(ledger)


# --- Counts of source articles and of Article C's references (issue 15: "five articles" and the
# About page's "Three of the five references" were typed by hand) ---------------------------------

ARTICLES = re.compile(r"\b(\w+) (?:ketamine )?(?:clinic )?(?:source )?articles\b", re.I)
ARTICLE_C_REFS = re.compile(r"\b(?:Of the )?(\w+) references listed by Article C,?\s+(\w+) could not be found", re.I)


def as_number(word: str) -> int | None:
    """'five' or '5' as 5; any other word as None."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.index(word) if word in NUMBER_WORDS else None


def expected_articles() -> int:
    """How many different articles the ledger's claims come from, counted from the YAML itself."""
    data = yaml.safe_load(LEDGER.read_text(encoding="utf-8"))
    return len({a for entry in data for a in ([entry["articles"]] if isinstance(entry["articles"], str) else entry["articles"])})


def expected_article_c_refs() -> tuple[int, int]:
    """Article C's references in refs.bib and how many were never found, read with a plain regex (not pybtex)."""
    entries = re.split(r"\n@", BIB.read_text(encoding="utf-8"))
    listed = [e for e in entries if re.search(r"keywords\s*=\s*\{deepdive-cited\}", e)]
    missing = [e for e in listed if re.search(r"verification\s*=\s*\{[^}]*no record", e)]
    return len(listed), len(missing)


def stated_article_counts(text: str) -> list[int]:
    """Every number of articles a text states ("five clinic articles", "the 5 articles")."""
    return [n for n in (as_number(w) for w in ARTICLES.findall(text)) if n is not None]


def test_every_stated_article_count_matches_the_ledger(counts: ModuleType) -> None:
    """No page says a number of source articles other than the number the ledger draws on."""
    truth = expected_articles()
    wrong = [
        f"{page}: says {n} articles, the ledger has {truth}" for page, text in rendered_pages(counts).items() for n in stated_article_counts(text) if n != truth
    ]
    assert wrong == []


def test_article_c_reference_counts_match_refs_bib(counts: ModuleType) -> None:
    """The About page's count of Article C's references, and of those never found, agree with refs.bib."""
    about = rendered_pages(counts)["docs/about.md"]
    found = [(as_number(a), as_number(b)) for a, b in ARTICLE_C_REFS.findall(about)]
    assert found == [expected_article_c_refs()]


def test_article_patterns_catch_hand_typed_counts() -> None:
    """A page saying "six clinic articles" or "Three of the four references" is read as such."""
    assert stated_article_counts("checks the claims made in six ketamine clinic articles") == [6]
    assert ARTICLE_C_REFS.findall("Of the four references listed by Article C, three could not be found") == [("four", "three")]


def test_article_and_reference_markers(counts: ModuleType, tmp_path: Path) -> None:
    """[[tally:articles]], its words form, and refs.bib groups with their not-found part."""
    ledger = tmp_path / "claims.yml"
    ledger.write_text("- {id: C01, verdict: supported, articles: [source-a, source-b]}\n", encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{a, title={A}, keywords={deepdive-cited}, verification={unverifiable: no record of this paper found}}\n"
        "@misc{b, title={B}, keywords={deepdive-cited}, verification={unverifiable: title matches}}\n"
        "@misc{c, title={C}, keywords={guide}}\n",
        encoding="utf-8",
    )
    tally = counts.load_all(ledger, bib)
    text = "[[tally:articles]] [[tally:articles.words]] [[tally:refs.deepdive-cited.words]] [[tally:refs.deepdive-cited.not-found]]"
    assert counts.expand(text, tally, "docs/x.md") == "2 two two 1"


def test_unknown_reference_group_names_page_and_line(counts: ModuleType, tmp_path: Path) -> None:
    """A group no refs.bib entry has stops the build with page:line and the known groups."""
    ledger = tmp_path / "claims.yml"
    ledger.write_text("- {id: C01, verdict: supported, articles: [source-a]}\n", encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{c, title={C}, keywords={guide}}\n", encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        counts.expand("x\n[[tally:refs.article-c]]\n", counts.load_all(ledger, bib), "docs/x.md")
    assert str(caught.value) == ("docs/x.md:2: [[tally:refs.article-c]]: no entry in refs.bib has the keywords group 'article-c' (groups: guide)")
