"""Issue 9, as a reader meets it: help in reach, citations that read right, pages that work on a phone.

Every test drives Debian's Chromium at desktop (1280x800) and phone (390x844, touch) sizes, and in
both colour schemes where the look matters. Each would fail on the site before issue 9.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import OpenPage, Sweep
from .sweep import SCHEMES, SIZES, serious

pytestmark = pytest.mark.browser


# ---------------------------------------------------------------------------------------------
# Help when it is needed
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_get_help_stays_in_reach_on_every_page(sweep: Sweep, open_page: OpenPage, site_url: str, size: str) -> None:
    """On every page, at the top, the middle and the very bottom, a visible 'Get help now' link leads to the helplines."""
    scheme = "dark" if size == "phone" else "light"
    problems = [f"/{path} {problem}" for path, facts in sweep(size, scheme).items() for problem in facts.help_link]
    assert not problems, "\n".join(problems)
    page = open_page(size, scheme)
    # It works, with instant navigation, from the bottom of a long page.
    page.goto(site_url + "evidence/safety/")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.locator("header a[href*='get-help']").click()
    expect(page).to_have_url(re.compile(r"get-help/$"))
    expect(page.locator("article h1")).to_have_text(re.compile("Get help now"))
    expect(page.locator("article a[href='tel:988']").first).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_get_help_is_a_top_level_page_and_about_points_there(open_page: OpenPage, site_url: str, size: str) -> None:
    """'Get help now' is in the top level of the navigation, and About's old helpline anchor leads to it."""
    page = open_page(size)
    page.goto(site_url)
    if size == "phone":
        page.locator("label.md-header__button[for='__drawer']").click()
        nav = page.locator("nav.md-nav--primary > ul > li > a")
    else:
        nav = page.locator(".md-tabs__list > li > a")
    expect(nav.filter(has_text=re.compile("^\\s*Get help now\\s*$"))).to_have_count(1)
    page.goto(site_url + "about/#if-you-need-help-now")
    section = page.locator("#if-you-need-help-now")
    expect(section).to_be_visible()
    expect(page.locator("#if-you-need-help-now ~ p a[href*='get-help']").first).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_every_phone_number_is_a_link(sweep: Sweep, open_page: OpenPage, site_url: str, size: str) -> None:
    """Every listed phone number is a tel: (or sms:) link, 988 can be texted, and the footer has the crisis line."""
    problems = []
    for path, facts in sweep(size).items():
        problems += [f"/{path}: {item}" for item in facts.phone_numbers]
        if facts.sms_988 == 0:
            problems.append(f"/{path}: no sms:988 link")
        if facts.footer_crisis != 1 or facts.footer_crisis_tel == 0:
            problems.append(f"/{path}: no crisis line with a tel:988 link in the footer")
    assert not problems, "\n".join(problems)
    page = open_page(size)
    page.goto(site_url + "get-help/")
    for href in ("tel:988", "sms:988", "tel:116123", "tel:911", "tel:999", "tel:112", "tel:000"):
        expect(page.locator(f"article a[href='{href}']").first).to_be_visible()


def test_after_care_gives_the_number_in_place(open_page: OpenPage, site_url: str) -> None:
    """'Seek help at once' on the course page carries the number itself, not only a pointer elsewhere."""
    page = open_page("phone")
    page.goto(site_url + "treatment/course/")
    advice = page.locator("article li").filter(has_text=re.compile("seek help at once", re.IGNORECASE))
    expect(advice).to_have_count(1)
    expect(advice.locator("a[href='tel:988']")).to_have_count(1)


# ---------------------------------------------------------------------------------------------
# Citations that read right
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_adjacent_citations_are_separated(sweep: Sweep, open_page: OpenPage, site_url: str, size: str) -> None:
    """No two citation numbers touch: each pair has a visible separator that screen readers read too."""
    problems = []
    groups = 0
    for path, facts in sweep(size).items():
        groups += facts.citation_groups
        problems += [f"/{path}: citations {pair} run together" for pair in facts.citations_run_together]
    assert not problems, f"{len(problems)} places:\n" + "\n".join(problems[:20])
    assert groups >= 10, f"only {groups} separated citation groups found; the check is not seeing the citations"
    page = open_page(size)
    # What a screen reader reads for a group: the two numbers with a separator between them.
    page.goto(site_url + "sources/claims/")
    sep = page.locator("article sup.fn-sep").first
    paragraph_text = sep.locator("xpath=..").inner_text()
    assert re.search(r"\d+\s*,\s*\d+", paragraph_text), paragraph_text[-120:]


@pytest.mark.parametrize("size", SIZES)
def test_unverified_references_are_marked_in_notes_and_tooltips(open_page: OpenPage, site_url: str, size: str) -> None:
    """A reference that could not be verified says so in its note and its tooltip, linking to the bibliography."""
    page = open_page(size)
    page.goto(site_url + "sources/claims/")
    note = page.locator("li[id='fn:deepdive-lau2013']")
    expect(note).to_contain_text("Not verified")
    expect(note.locator("a.bib-flag")).to_have_attribute("href", re.compile(r"reference/bibliography/#ref-deepdive-lau2013$"))
    verified = page.locator("li[id='fn:zarate2006']")
    if verified.count():
        expect(verified).not_to_contain_text("Not verified")
    if size == "desktop":
        page.locator("a.footnote-ref[href$='#fn:deepdive-lau2013']").first.hover()
        tooltip = page.locator(".md-tooltip2--active").first
        expect(tooltip).to_be_visible(timeout=5_000)
        expect(tooltip).to_contain_text("Not verified")


# Text that belongs to the maintainers' confirmation trail, never to readers.
MAINTAINER_PHRASES = (
    r"\bseed \d{3}\b",
    r"\bKept as seed\b",
    r"taken from the brief",
    r"was not read",
    r"not confirmed against a published record",
    r"\bnot confirmed and left out\b",
    r"repository citation",
    r"repository reference list",
    r"PMID seen",
    r"per press coverage",
    r"\bsource-[a-e]\b",
    r"\bdeepdive-\w+",
    r"\bsee [a-z]+\d{4}[a-z-]*\b",
)


def _bib_keys(repo: Path) -> list[str]:
    """Every key in refs.bib."""
    return re.findall(r"^@\w+\{([^,\s]+),", (repo / "refs.bib").read_text(encoding="utf-8"), re.MULTILINE)


@pytest.mark.parametrize("size", SIZES)
def test_no_maintainer_notes_or_raw_keys(sweep: Sweep, repo: Path, size: str) -> None:
    """No page shows the confirmation trail or a raw refs.bib key (articles are 'Article A' ... 'Article E')."""
    keys = [k for k in _bib_keys(repo) if not k.isalpha()]
    patterns = [re.compile(p) for p in MAINTAINER_PHRASES] + [re.compile(rf"(?<![\w#/-]){re.escape(k)}(?![\w-])") for k in keys]
    problems = []
    for path, facts in sweep(size).items():
        text = facts.text
        for pattern in patterns:
            for match in pattern.finditer(text):
                problems.append(f"/{path}: {match.group(0)!r} in ...{text[max(0, match.start() - 50) : match.end() + 30]!r}")
    assert not problems, f"{len(problems)} leaks:\n" + "\n".join(problems[:25])


def test_tapping_a_citation_shows_the_note_in_place_on_a_phone(open_page: OpenPage, site_url: str) -> None:
    """On a touch screen a tapped citation opens its note over the text, and one tap returns to the same place."""
    page = open_page("phone")
    page.goto(site_url + "evidence/effectiveness/")
    citation = page.locator("article a.footnote-ref").nth(3)
    citation.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    target = (citation.get_attribute("href") or "").split("#")[-1]
    reference = page.locator(f"li[id='{target}'] p").first.text_content() or ""
    citation.tap()
    sheet = page.locator(".fn-sheet")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text(reference.split(".")[0][:40])
    assert abs(page.evaluate("window.scrollY") - before) < 5, "the page jumped away from the text"
    sheet.get_by_role("button", name=re.compile("Back to the text")).tap()
    expect(sheet).to_have_count(0)
    assert abs(page.evaluate("window.scrollY") - before) < 5
    # The full list of notes is still one tap away, and each note links back to the text.
    citation.tap()
    page.locator(".fn-sheet").get_by_role("link", name=re.compile("See all notes")).tap()
    expect(page.locator(f"li[id='{target}']")).to_be_in_viewport()
    expect(page.locator(f"li[id='{target}'] a.footnote-backref").first).to_be_visible()


# ---------------------------------------------------------------------------------------------
# Pages that work on a phone and for a hurried reader
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_every_table_is_readable(sweep: Sweep, size: str) -> None:
    """Every table fits, or scrolls sideways with a visible cue and keyboard access; its text is near body size."""
    width = SIZES[size]["viewport"]["width"]
    problems = []
    tables = 0
    for path, facts in sweep(size).items():
        if not facts.ready:
            problems.append(f"/{path}: the tables were never wrapped and marked (Material's wrappers, reader.js's marks)")
        for number, table in enumerate(facts.tables, start=1):
            tables += 1
            where = f"/{path} table {number} ({table['columns']} columns)"
            if table["ratio"] < 0.85:
                problems.append(f"{where}: text is {table['ratio']:.2f} of body size (more than a step smaller)")
            if table["right"] > width + 1:
                problems.append(f"{where}: runs off the screen (right edge {table['right']:.0f}px)")
            if table["overflows"]:
                if size == "desktop":
                    problems.append(f"{where}: columns cut off at {width}px")
                elif not (table["scrolls"] and table["hint"] and table["focusable"]):
                    problems.append(f"{where}: hidden columns without a visible scroll cue and keyboard access")
    assert tables >= 10, f"only {tables} tables found"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES)
def test_home_page_leads_with_the_readers_tasks(open_page: OpenPage, site_url: str, size: str) -> None:
    """The home page offers Understand, Decide and Get help before the key points, within the first screens."""
    page = open_page(size)
    page.goto(site_url)
    height = SIZES[size]["viewport"]["height"]
    tops = {}
    for task in ("Understand", "Decide", "Get help now"):
        card = page.locator("article .task-cards li").filter(has=page.locator("strong", has_text=re.compile(f"^{task}$")))
        expect(card).to_have_count(1)
        expect(card.locator("a").first).to_be_visible()
        tops[task] = card.bounding_box()["y"]  # type: ignore[index]
    key_points = page.locator("article h2", has_text="Six key points").bounding_box()
    assert key_points is not None and max(tops.values()) < key_points["y"]
    assert tops["Understand"] < 1.5 * height, f"the tasks start {tops['Understand']:.0f}px down"
    card = page.locator("article .task-cards li").filter(has_text="Get help now")
    expect(card.locator("a[href='tel:988']")).to_have_count(1)
    expect(card.locator("a[href*='get-help']")).to_have_count(1)


# ---------------------------------------------------------------------------------------------
# The claims ledger
# ---------------------------------------------------------------------------------------------


def _counts(page: Page) -> dict[str, int]:
    """Claims per verdict, read from the ledger's count table (the 'All claims' column)."""
    counts = {}
    for row in page.locator(".ledger-counts tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        label = re.sub(r"^\W+", "", cells[0]).strip().lower()
        counts[label] = int(cells[1].strip("* "))
    return counts


@pytest.mark.parametrize("size", SIZES)
def test_ledger_works_without_javascript(open_page: OpenPage, site_url: str, size: str) -> None:
    """With JavaScript off every claim, its badge and the counts are visible; the filter controls are not."""
    page = open_page(size, javascript=False)
    page.goto(site_url + "sources/claims/")
    claims = page.locator(".ledger-claim")
    counts = _counts(page)
    assert counts["all claims"] == claims.count() >= 40
    for index in range(claims.count()):
        expect(claims.nth(index)).to_be_visible()
    expect(page.locator("form[data-ledger-filter]")).to_be_hidden()
    expect(page.locator(".ledger-counts")).to_be_visible()
    page.locator(".ledger-jump summary").click()
    page.locator(".ledger-jump a[href$='#c17']").click()
    expect(page.locator("#c17")).to_be_in_viewport()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_ledger_badges_and_filters(open_page: OpenPage, site_url: str, screenshot_dir: Path, size: str, scheme: str) -> None:
    """Badges show the verdict in words and a symbol; filters by verdict and article match the counts, after instant navigation."""
    page = open_page(size, scheme)
    page.goto(site_url)
    # Reach the ledger through instant navigation (no full page load), as a reader would.
    page.evaluate("window.__no_reload = true")
    page.locator("article a[href*='sources/claims/']").first.click()
    expect(page).to_have_url(re.compile(r"sources/claims/$"))
    assert page.evaluate("window.__no_reload === true"), "expected Material's instant navigation"
    expect(page.locator(".ledger-counts tbody tr")).to_have_count(7)  # the new page's content is in place
    claims = page.locator(".ledger-claim")
    counts = _counts(page)
    badge = claims.first.locator(".verdict-badge")
    expect(badge).to_be_visible()
    assert badge.inner_text().strip()[0] in "\u2714\u25d0?\u2716\u21ba\u21c4"
    assert re.search(r"[a-z]{4}", badge.inner_text(), re.IGNORECASE)
    form = page.locator("form[data-ledger-filter]")
    expect(form).to_be_visible()
    visible = page.locator(".ledger-claim:visible")
    for verdict in ("contradicted", "outdated", "partly-supported"):
        form.locator("select[name=verdict]").select_option(verdict)
        expected = counts[verdict.replace("-", " ")]
        expect(visible).to_have_count(expected)
        expect(form.locator("[role=status]")).to_have_text(f"Showing {expected} of {claims.count()} claims.")
        for claim in visible.all():
            assert claim.get_attribute("data-verdict") == verdict
    form.locator("select[name=verdict]").select_option("")
    form.locator("select[name=article]").select_option("source-c")
    article_c = int(page.locator(".ledger-counts tbody tr").last.locator("td").nth(4).inner_text())
    expect(visible).to_have_count(article_c)
    for claim in visible.all():
        expect(claim).to_contain_text("Article C")
    form.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / f"ledger-filtered-{size}-{scheme}.png"))
    # Jumping to a claim the filter hides shows it.
    hidden_id = page.locator(".ledger-claim[hidden] h3").first.get_attribute("id")
    page.locator(".ledger-jump summary").click()
    page.locator(f".ledger-jump a[href$='#{hidden_id}']").click()
    expect(page.locator(f"[id='{hidden_id}']")).to_be_in_viewport()
    expect(visible).to_have_count(claims.count())


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


def _search(page: Page, site_url: str, query: str) -> list[str]:
    """Type a query into Material's search box and return the result links (page and section)."""
    page.goto(site_url)
    opener = page.locator("label.md-header__button[for='__search']")
    if opener.is_visible():  # phone: the search box opens from the magnifier button
        opener.click()
    else:
        page.locator(".md-search__input").click()
    meta = page.locator(".md-search-result__meta")
    # Material searches on keyup (and when its worker becomes ready): wait for the worker, put in all
    # but the last letter without a key event, then type the last one, so exactly one search runs,
    # for the whole query, and the first results shown are its results.
    expect(meta).to_contain_text(re.compile("Type to start", re.IGNORECASE), timeout=15_000)
    box = page.locator(".md-search__input")
    box.fill(query[:-1])
    box.press(query[-1])
    expect(meta).not_to_contain_text(re.compile("Initializing|Type to start", re.IGNORECASE), timeout=15_000)
    # Open every "N more on this page" so all matching sections are listed.
    for more in page.locator(".md-search-result__more summary").all():
        more.click()
    hrefs = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    found = [re.sub(r"\?h=[^#]*", "", h.split("//", 1)[-1].split("/", 1)[-1]) for h in hrefs]
    count = re.search(r"(\d+) matching", meta.inner_text())
    return [f"{count.group(1) if count else 0} matching", *found]


@pytest.mark.parametrize("size", SIZES)
def test_search_finds_brand_names_spellings_and_synonyms(open_page: OpenPage, site_url: str, size: str) -> None:
    """Spravato, US spellings, plurals and common abbreviations find the right sections."""
    page = open_page(size)
    spravato = _search(page, site_url, "Spravato")
    assert "understand/forms-of-treatment/#esketamine-nasal-spray-spravato" in spravato, spravato
    anesthetic = _search(page, site_url, "anesthetic")
    assert any(h.startswith("understand/how-ketamine-works/") for h in anesthetic), anesthetic
    singular, plural = _search(page, site_url, "infusion"), _search(page, site_url, "infusions")
    # The same number of matching pages, and the section about repeated infusions in both.
    assert singular[0] == plural[0] != "0 matching", (singular[0], plural[0])
    assert "evidence/effectiveness/#a-course-of-infusions" in singular and "evidence/effectiveness/#a-course-of-infusions" in plural
    ect, electroconvulsive = _search(page, site_url, "ECT"), _search(page, site_url, "electroconvulsive")
    assert "evidence/effectiveness/#ketamine-compared-with-ect" in ect
    assert "evidence/effectiveness/#ketamine-compared-with-ect" in electroconvulsive
    trd = _search(page, site_url, "TRD")
    assert any(h.startswith("understand/depression/") for h in trd), trd


# ---------------------------------------------------------------------------------------------
# Every page: accessibility, and screenshots kept as test artifacts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_every_page_accessible_with_screenshots(sweep: Sweep, size: str) -> None:
    """axe finds no serious or critical problem on any page at this size (light, and dark on key pages); screenshots are kept."""
    report: list[str] = []
    for scheme in SCHEMES:
        checked = {path: facts for path, facts in sweep(size, scheme).items() if facts.axe is not None}
        assert checked, f"axe ran on no page at {size}, {scheme}"
        for path, facts in sweep(size, scheme).items():
            report += [f"/{path} ({size}, {scheme}): {line}" for line in serious(facts)]
            report += [f"/{path} ({size}, {scheme}): {problem}" for problem in facts.traffic]
    assert not report, "\n".join(report)
