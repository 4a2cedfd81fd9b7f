"""The option grid page and the summary to print in a real browser (Debian's Chromium via Playwright).

At 390x844 and 1280x800, light and dark: no table or grid on the page needs sideways scrolling,
and each option's name stays in view beside its answers. The values step works with no script,
and the summary prints on at most two A4 or Letter pages. Each test fails on the site before
issue 15 (SITE_UNDER_TEST=<old build>), whose grid was a 1,254 px table that scrolled sideways.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, ViewportSize, expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
GRID = "treatment/compare-options/"
SUMMARY = "treatment/summary-to-print/"
VIEWPORTS: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SCHEMES = {"light": "default", "dark": "slate"}

# Every table and every part of the grid: its box must stay inside the screen, and nothing may
# scroll sideways (a scroll box whose content is wider than the box itself).
SIDEWAYS = """() => {
    const width = document.documentElement.clientWidth;
    const found = [];
    const name = e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
    const boxes = document.querySelectorAll('article table, article .og, article .og *, article .og-summary, article .og-summary *, article .option-grid, article .option-grid *');
    const shown = e => e.checkVisibility ? e.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true}) : true;
    for (const e of boxes) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || !shown(e)) continue;
        if (r.right > width + 1 || r.left < -1) found.push(`${name(e)} spans ${Math.round(r.left)} to ${Math.round(r.right)} px in a ${width} px window`);
        const overflow = getComputedStyle(e).overflowX;
        if ((overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth + 1) found.push(`${name(e)} scrolls sideways by ${e.scrollWidth - e.clientWidth} px`);
    }
    for (const e of document.querySelectorAll('article .md-typeset__scrollwrap, article .md-typeset__table')) {
        if (e.scrollWidth > e.clientWidth + 1 && e.getBoundingClientRect().width > 0 && shown(e)) found.push(`${name(e)} scrolls sideways by ${e.scrollWidth - e.clientWidth} px`);
    }
    return [...new Set(found)].slice(0, 12);
}"""


def _data() -> dict[str, Any]:
    """data/options.yml as written (the test's expectations come from the data, not from the hook)."""
    return yaml.safe_load((REPO / "data" / "options.yml").read_text(encoding="utf-8"))


def _open(page: Page, url: str, viewport: str, scheme: str) -> None:
    """Open a page at a size and in a colour scheme (Material follows prefers-color-scheme)."""
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(url, wait_until="networkidle")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_grid_page_needs_no_sideways_scrolling(page: Page, site_url: str, screenshot_dir: Path, viewport: str, scheme: str) -> None:
    """Neither the page, nor the grid, nor any table on it scrolls sideways or sticks out of the screen."""
    _open(page, site_url + GRID, viewport, scheme)
    out = screenshot_dir / "grid"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"compare-options-{viewport}-{scheme}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert page.evaluate(SIDEWAYS) == []
    assert page.locator("article td[data-option]").count() > 0, "the option grid is missing"


def test_folded_tables_fit_a_phone_when_opened(page: Page, site_url: str) -> None:
    """Opened, the folded sections' tables (the numbers behind a figure) fit 390 px too."""
    _open(page, site_url + GRID, "phone", "light")
    page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")
    assert page.evaluate(SIDEWAYS) == []


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_each_answer_keeps_its_option_name_in_view_on_a_phone(page: Page, site_url: str, scheme: str) -> None:
    """At 390 px every answer shows its option's name on screen, and the name stays while a long answer is read."""
    _open(page, site_url + GRID, "phone", scheme)
    names = [o["name"] for o in _data()["options"]]
    cells = page.locator("article td[data-option]")
    assert cells.count() == len(names) * len(_data()["questions"])
    shown = page.evaluate(
        """() => [...document.querySelectorAll('article td[data-option]')].map(td => {
            const label = td.querySelector('.og-name');
            if (!label) return ['', false];
            const r = label.getBoundingClientRect();
            return [label.textContent.trim(), r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth + 1];
        })"""
    )
    expected = [[names[i % len(names)], True] for i in range(len(shown))]
    assert shown == expected
    # Scroll half-way into the longest answer: its top has left the screen, its option's name has not.
    place = page.evaluate(
        """() => {
            const cells = [...document.querySelectorAll('article td[data-option]')];
            const td = cells.reduce((a, b) => (b.offsetHeight > a.offsetHeight ? b : a));
            window.scrollTo(0, window.scrollY + td.getBoundingClientRect().top + td.offsetHeight / 2);
            const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
            const label = td.querySelector('.og-name').getBoundingClientRect();
            return {header, cellTop: td.getBoundingClientRect().top, top: label.top, bottom: label.bottom,
                    height: td.offsetHeight, screen: window.innerHeight};
        }"""
    )
    assert place["height"] > 300, place
    assert place["cellTop"] < place["header"], place
    assert place["header"] - 1 <= place["top"] and place["bottom"] <= place["screen"], place


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_option_names_stay_in_view_on_a_desktop(page: Page, site_url: str, scheme: str) -> None:
    """At 1280 px the grid is a table of all seven options whose names stay under the header while it scrolls."""
    _open(page, site_url + GRID, "desktop", scheme)
    names = [o["name"] for o in _data()["options"]]
    heads = page.locator("article table.og-table thead th")
    assert heads.all_inner_texts() == names
    place = page.evaluate(
        """() => {
            const table = document.querySelector('article table.og-table');
            window.scrollTo(0, window.scrollY + table.getBoundingClientRect().top + table.offsetHeight / 2);
            const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
            const th = table.querySelector('thead th').getBoundingClientRect();
            return {header, top: th.top, bottom: th.bottom, tableTop: table.getBoundingClientRect().top};
        }"""
    )
    assert place["tableTop"] < 0, place
    assert place["header"] - 1 <= place["top"] <= place["header"] + 8, place


def test_values_step_works_without_javascript(browser: Browser, site_url: str) -> None:
    """With scripts off, each 'what matters' item can be marked and links to the grid row that answers it."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + GRID)
        items = page.locator("form.og-values fieldset")
        assert items.count() == len(_data()["values"])
        first = items.first
        expect(first.locator("legend")).to_have_text(_data()["values"][0]["label"])
        first.get_by_label("A lot", exact=True).check()
        expect(first.get_by_label("A lot", exact=True)).to_be_checked()
        expect(first.get_by_label("Not at all", exact=True)).not_to_be_checked()
        for href in first.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert page.locator(href).count() == 1, href
    finally:
        context.close()


def test_summary_prints_on_at_most_two_pages(page: Page, site_url: str, screenshot_dir: Path) -> None:
    """The summary and question sheet print on one or two A4 or Letter pages, without the site's menus."""
    page.goto(site_url + GRID, wait_until="networkidle")
    expect(page.locator(f'article a[href$="{SUMMARY.split("/")[1]}/"]').first).to_be_attached()
    page.goto(site_url + SUMMARY, wait_until="networkidle")
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator("table.og-sumtable")).to_be_visible()
    assert page.locator("table.og-sumtable tbody tr").count() == len(_data()["options"])
    expect(page.locator("article")).to_contain_text(re.compile("Questions to ask"))
    out = screenshot_dir / "grid"
    out.mkdir(parents=True, exist_ok=True)
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size)
        (out / f"summary-{size}.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages <= 2, f"the summary prints on {pages} {size} pages"
