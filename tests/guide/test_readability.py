"""Plain language: every reader-facing page stays near grade 8 (Flesch-Kincaid, markup stripped).

Limits (see docs/review-protocol.md, "Plain language"): no page above grade 10.5, and the median
over all pages at or below grade 8.5. Measured on 30 November 2026 before the re-review: highest
page 10.2 (the glossary), median 7.5. The claims page is measured with its rendered ledger, since
that is what readers see. Run `python -m pytest tests/guide/test_readability.py -rP` for the table.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from .conftest import DOCS
from .readability import grade, plain_text, site_median

PAGE_LIMIT = 10.5
MEDIAN_LIMIT = 8.5


@pytest.fixture(scope="module")
def grades(pages: dict[Path, str], hook: ModuleType, claims: list) -> dict[str, float]:
    """Reading grade of every page under docs/, the claims page with its ledger rendered in."""
    measured = {}
    for page, text in pages.items():
        if "<!-- claims-ledger -->" in text:
            text = text.replace("<!-- claims-ledger -->", hook.render_ledger(claims))
        measured[page.relative_to(DOCS).as_posix()] = grade(text)
    return measured


def test_every_page_is_plain_enough(grades: dict[str, float]) -> None:
    """No page reads above the page limit."""
    print("\n".join(f"{g:5.1f}  {name}" for name, g in sorted(grades.items(), key=lambda kv: -kv[1])))
    assert {name: round(g, 1) for name, g in grades.items() if g > PAGE_LIMIT} == {}


def test_the_site_median_is_near_grade_eight(grades: dict[str, float]) -> None:
    """Half the pages or more read at or below the median limit."""
    assert site_median(grades) <= MEDIAN_LIMIT


def test_markup_is_stripped_before_measuring() -> None:
    """Front matter, citations, URLs, tags and comments do not reach the measure; text does."""
    page = (
        "---\ndescription: A long meta description that readers never see here.\n---\n\n"
        "# Title\n\n"
        '!!! summary "In short"\n\n'
        "    Ketamine can help [@zarate2006; @berman2000]. See [the bibliography](../reference/bibliography.md).\n\n"
        "<!-- claims-ledger -->\n"
        "| Verdict | Count |\n| --- | --- |\n| Supported | 3 |\n\n"
        '<span class="x">Tagged</span> words `code` here {#anchor}\n'
    )
    text = plain_text(page)
    for gone in ("description", "zarate2006", "bibliography.md", "claims-ledger", "span", "code", "#anchor", "---"):
        assert gone not in text
    for kept in ("Title.", "In short.", "Ketamine can help.", "See the bibliography.", "Supported.", "Tagged words"):
        assert kept in text


def test_lists_and_headings_are_sentences() -> None:
    """A list item or heading without a full stop is measured as its own sentence, not run together."""
    assert plain_text("## Risks\n\n- dizziness\n- nausea\n") == "Risks.\ndizziness. nausea."


def test_the_measure_can_fail() -> None:
    """Dense clinical prose scores above the page limit; plain prose scores below the median limit."""
    dense = (
        "Subanaesthetic intravenous administration of racemic ketamine hydrochloride demonstrated "
        "statistically significant antidepressant efficacy relative to psychoactive placebo comparators "
        "in randomised participants with pharmacologically refractory unipolar depressive disorder. "
    ) * 3
    plain = "Ketamine can lift low mood within a day. The effect often fades within a week. Ask your doctor. " * 3
    assert grade(dense) > PAGE_LIMIT
    assert grade(plain) < MEDIAN_LIMIT
