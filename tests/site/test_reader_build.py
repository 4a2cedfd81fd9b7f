"""Issue 9 in the built pages: own meta descriptions, "In short" summaries, common questions, no annote."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')
TREATMENT_PAGES = ("treatment/candidates/", "treatment/course/", "treatment/costs-and-providers/")
# Pages allowed to lack their summary or common questions for now (marked xfail): none today.
SUMMARY_PENDING: set[str] = set()
QUESTIONS_PENDING: set[str] = set()
COMMON_QUESTIONS = {
    "driving": r"\bdriv",
    "other medicines": r"\b(other medicines|interact)",
    "stopping or changing antidepressants": r"\b(stop|chang)\w*\b.*antidepressant",
    "cost and insurance": r"\b(cost|insurance|pay)",
    "what if it does not work": r"\b(does not|doesn't|did not) work",
}


def _pages(site: Path) -> dict[str, str]:
    """Every built page's HTML, keyed by its URL path."""
    pages = {}
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        pages["" if relative == "." else relative + "/"] = index.read_text(encoding="utf-8")
    return pages


def _article(page_html: str) -> str:
    """The page's article (its content, without header, navigation and footer)."""
    match = re.search(r"<article\b.*?</article>", page_html, re.DOTALL)
    assert match, "no <article> in the page"
    return match.group(0)


def test_every_page_has_its_own_meta_description(built_site: Path) -> None:
    """Each page's meta description is its own: present, under 160 characters, not shared with another page."""
    seen: dict[str, str] = {}
    problems = []
    for path, page in _pages(built_site).items():
        found = DESCRIPTION.findall(page)
        if len(found) != 1:
            problems.append(f"/{path}: {len(found)} meta descriptions")
            continue
        text = html.unescape(found[0]).strip()
        if not 20 <= len(text) < 160:
            problems.append(f"/{path}: description is {len(text)} characters")
        if text in seen:
            problems.append(f"/{path}: same description as /{seen[text]}")
        seen.setdefault(text, path)
    assert not problems, "\n".join(problems)


def _summary_first(page_html: str) -> bool:
    """Whether the first block after the page title is the 'In short' summary admonition."""
    article = _article(page_html)
    after_title = re.split(r"</h1>", article, maxsplit=1)[-1]
    first_block = re.search(r"<(?!/)(\w+)([^>]*)>", after_title)
    return bool(
        first_block
        and first_block.group(1) == "div"
        and "admonition summary" in first_block.group(2)
        and re.match(r'\s*<p class="admonition-title">In short</p>', after_title[first_block.end() :])
    )


def _params(pending: set[str], paths: list[str]) -> list:
    """Test parameters, with the pages other branches are still writing marked as expected failures."""
    reason = "written by the page owner in a parallel branch (see CONTENT.md)"
    return [pytest.param(p, marks=pytest.mark.xfail(reason=reason, strict=False)) if p in pending else p for p in paths]


ALL_PAGES = [
    "",
    "about/",
    "get-help/",
    "understand/depression/",
    "understand/how-ketamine-works/",
    "understand/forms-of-treatment/",
    *TREATMENT_PAGES,
    "evidence/effectiveness/",
    "evidence/safety/",
    "evidence/substance-use/",
    "evidence/open-questions/",
    "sources/claims/",
    "sources/disagreements/",
    "sources/articles/",
    "reference/glossary/",
    "reference/bibliography/",
    "review-protocol/",
    "treatment/compare-options/",
    "treatment/summary-to-print/",
    "changelog/",
]


def test_the_page_list_is_complete(built_site: Path) -> None:
    """The pages checked below are all the site's pages."""
    assert sorted(_pages(built_site)) == sorted(ALL_PAGES)


@pytest.mark.parametrize("path", _params(SUMMARY_PENDING, ALL_PAGES))
def test_page_opens_with_in_short(built_site: Path, path: str) -> None:
    """Right after its title, the page has the 'In short' summary admonition."""
    assert _summary_first(_pages(built_site)[path]), f"/{path} does not open with an 'In short' summary"


@pytest.mark.parametrize("path", _params(QUESTIONS_PENDING, list(TREATMENT_PAGES)))
def test_treatment_page_ends_with_common_questions(built_site: Path, path: str) -> None:
    """Treatment pages end with a 'Common questions' section of question headings."""
    article = _article(_pages(built_site)[path])
    sections = re.split(r"<h2\b", article)
    headings = [re.sub(r"<[^>]+>|¶|&para;", "", s.split("</h2>", 1)[0].split(">", 1)[-1]).strip() for s in sections[1:]]
    assert "Common questions" in headings, f"/{path}: no 'Common questions' section ({headings})"
    after = [h for h in headings[headings.index("Common questions") + 1 :] if h not in ("See also",)]
    assert not after, f"/{path}: 'Common questions' is followed by {after}"
    questions = re.findall(r"<h3[^>]*>(.*?)</h3>", sections[1 + headings.index("Common questions")], re.DOTALL)
    assert questions and all(re.sub(r"<[^>]+>|¶|&para;", "", q).strip().endswith("?") for q in questions)


def test_treatment_pages_cover_the_common_questions(built_site: Path) -> None:
    """Together the three treatment pages answer driving, medicines, antidepressants, cost and 'what if it fails'."""
    pages = _pages(built_site)
    questions = " ".join(
        re.sub(r"<[^>]+>", "", q).lower()
        for path in TREATMENT_PAGES
        for q in re.findall(r"<h3[^>]*>(.*?)</h3>", pages[path].split('id="common-questions"', 1)[-1], re.DOTALL)
    )
    missing = [topic for topic, pattern in COMMON_QUESTIONS.items() if not re.search(pattern, questions)]
    if missing and QUESTIONS_PENDING:
        pytest.xfail(f"treatment pages still being written in a parallel branch; missing: {missing}")
    assert not missing, f"no common question about: {missing}"


def test_annote_is_never_rendered(built_site: Path, repo: Path) -> None:
    """The maintainers' confirmation trail (refs.bib 'annote') appears on no page."""
    annotes = re.findall(r"^\s*annote\s*=\s*\{(.*)\},?\s*$", (repo / "refs.bib").read_text(encoding="utf-8"), re.MULTILINE)
    assert len(annotes) >= 10
    # The end of each trail: where a note was kept for readers, the trail starts with the same words.
    probes = [a[-60:] for a in annotes if len(a) >= 60]
    problems = []
    for path, page in _pages(built_site).items():
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        problems += [f"/{path}: {probe!r}" for probe in probes if probe in text]
    assert probes and not problems, "\n".join(problems)
