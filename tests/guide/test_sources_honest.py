"""Sources stay honest: unverified entries are never evidence, the ledger speaks to readers, dates make sense.

These follow docs/review-protocol.md: an entry with a ``verification`` field is cited only to show
what a source article claims; the same fault gets the same verdict; ledger text names articles as
"Article A".."Article E", never by key; review dates are real dates in the right order.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mkdocs_sitecheck.bib import load_bibliography

from .conftest import DOCS, REPO, cited_keys, front_matter

ARTICLE_KEYS = re.compile(r"\bsource-[a-e]\b|\bdeepdive-[\w-]+")


@pytest.fixture(scope="module")
def entries() -> dict[str, dict[str, str]]:
    """refs.bib entries by key, with their fields."""
    return {e.key: {name: e.get(name) or "" for name in ("keywords", "verification")} for e in load_bibliography(REPO / "refs.bib").entries}


def _unverified_guide_keys(entries: dict[str, dict[str, str]]) -> set[str]:
    """Entries the guide relies on that are still marked as not verified."""
    return {k for k, e in entries.items() if e["verification"] and "guide" in e["keywords"]}


def test_the_guide_relies_on_no_unverified_entry(entries: dict[str, dict[str, str]]) -> None:
    """Every entry in 'sources this guide relies on' has been confirmed (no verification flag)."""
    assert sorted(_unverified_guide_keys(entries)) == []


def test_no_page_cites_an_unverified_entry_except_the_articles(pages: dict[Path, str], entries: dict[str, dict[str, str]]) -> None:
    """Pages cite flagged entries only when they are the source articles or their own references."""
    flagged = {k for k, e in entries.items() if e["verification"]}
    allowed = {k for k in flagged if k.startswith(("source-", "deepdive-"))}
    misuse = {
        page.relative_to(DOCS).as_posix(): sorted((cited_keys(text) & flagged) - allowed)
        for page, text in pages.items()
        if (cited_keys(text) & flagged) - allowed
    }
    assert misuse == {}


def test_ledger_cites_flagged_entries_only_to_show_what_articles_claim(claims: list, entries: dict[str, dict[str, str]]) -> None:
    """A ledger entry may cite a flagged entry only if it is an article or an article's reference."""
    bad = {c.id: sorted(k for k in c.cites if entries[k]["verification"] and not k.startswith(("source-", "deepdive-"))) for c in claims}
    assert {cid: keys for cid, keys in bad.items() if keys} == {}


def test_ledger_text_names_no_raw_keys(claims: list) -> None:
    """Readers see 'Article C', never 'source-c' or 'deepdive-zarate2006', in claim or evidence text."""
    leaks = {c.id: ARTICLE_KEYS.findall(c.claim + " " + c.evidence) for c in claims}
    assert {cid: found for cid, found in leaks.items() if found} == {}


def test_ledger_text_names_no_citation_keys(claims: list, bib_keys: set[str]) -> None:
    """Evidence text never says 'see zarate2006': sources are cited through `cites` only."""
    words = {c.id: set(re.findall(r"[a-z][a-z0-9_-]*\d{4}[a-z0-9_-]*", c.evidence)) & bib_keys for c in claims}
    assert {cid: sorted(found) for cid, found in words.items() if found} == {}


def test_a_reference_that_cannot_be_found_is_always_unsupported(claims: list, entries: dict[str, dict[str, str]]) -> None:
    """Each ledger entry about one of Article C's references gets the verdict its fault calls for.

    Not found -> unsupported; real but wrong year -> misattributed; real and correct -> supported.
    """
    verdicts = {}
    for claim in claims:
        if "reference" not in claim.topic.lower():
            continue
        for key in claim.cites:
            reason = entries[key]["verification"] if key.startswith("deepdive-") else ""
            if "no record of this paper found" in reason:
                verdicts[claim.id] = (claim.verdict, "unsupported")
            elif "dated 2017, not 2022" in reason:
                verdicts[claim.id] = (claim.verdict, "misattributed")
            elif "matches the real record" in reason:
                verdicts[claim.id] = (claim.verdict, "supported")
    assert {"C04", "C15", "C16", "C17", "C18"} <= set(verdicts), verdicts
    assert {cid: v for cid, v in verdicts.items() if v[0] != v[1]} == {}


def _date(value: object) -> dt.date | None:
    """A front matter value as a date, if it is one."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def test_review_dates_are_dates_in_order(pages: dict[Path, str]) -> None:
    """Where a page has next_review, both dates are valid and the next review comes after the last."""
    problems = []
    for page, text in pages.items():
        meta = front_matter(text)
        if "next_review" not in meta:
            continue
        last, due = _date(meta.get("last_reviewed")), _date(meta.get("next_review"))
        if last is None or due is None or due <= last:
            problems.append(f"{page.relative_to(DOCS).as_posix()}: {meta.get('last_reviewed')} -> {meta.get('next_review')}")
    assert problems == []


def test_descriptions_are_short_sentences(pages: dict[Path, str]) -> None:
    """A page's own meta description, where it has one, is under 160 characters."""
    long = {
        p.relative_to(DOCS).as_posix(): len(str(front_matter(t)["description"]))
        for p, t in pages.items()
        if len(str(front_matter(t).get("description", ""))) >= 160
    }
    assert long == {}
