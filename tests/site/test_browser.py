"""Real-browser tests: Debian's Chromium, driven by Playwright, against the built site on 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import Sweep
from .sweep import SERIOUS, Traffic, page_paths, serious  # noqa: F401 - SERIOUS and Traffic: importable from here as before

pytestmark = pytest.mark.browser

# Traffic and the page list live in sweep.py; the old names stay importable from here.
_page_paths = page_paths


@pytest.fixture
def traffic(page: Page, site_url: str) -> Iterator[Traffic]:
    """Watch the page's traffic for the whole test."""
    yield Traffic(page, site_url.rstrip("/"))


def test_home_page_title_and_notice(page: Page, site_url: str, screenshot_dir: Path, traffic: Traffic) -> None:
    """The home page has the site title, the crisis banner and the not-medical-advice notice."""
    page.goto(site_url)
    expect(page).to_have_title(re.compile("IV ketamine for depression"))
    expect(page.locator(".md-banner")).to_contain_text("988")
    expect(page.locator("article")).to_contain_text(re.compile("not medical advice", re.I))
    page.screenshot(path=str(screenshot_dir / "home.png"), full_page=True)
    assert not traffic.problems, "\n".join(traffic.problems)


def test_click_through_the_nav(page: Page, site_url: str, screenshot_dir: Path, traffic: Traffic) -> None:
    """A reader reaches the safety page from the home page through the tabs and the sidebar."""
    page.goto(site_url)
    page.locator(".md-tabs").get_by_role("link", name="Evidence").click()
    page.locator(".md-sidebar--primary").get_by_role("link", name=re.compile("Safety")).first.click()
    expect(page).to_have_url(re.compile(r"evidence/safety/$"))
    expect(page.locator("article h1")).to_contain_text(re.compile("Safety", re.I))
    page.screenshot(path=str(screenshot_dir / "safety.png"), full_page=True)
    assert not traffic.problems, "\n".join(traffic.problems)


def test_search_finds_a_distinctive_word(page: Page, site_url: str, traffic: Traffic) -> None:
    """Typing 'esketamine' into search lists matching pages (Material listens for key presses)."""
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("esketamine", delay=50)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15_000)
    expect(page.locator(".md-search-result__meta")).to_contain_text(re.compile(r"\d+ matching"))
    assert not traffic.problems, "\n".join(traffic.problems)


def test_citation_footnote_is_shown(page: Page, site_url: str, screenshot_dir: Path, traffic: Traffic) -> None:
    """Hovering a citation shows its reference as a tooltip; clicking it shows the footnote."""
    page.goto(site_url + "evidence/effectiveness/")
    citation = page.locator("article a.footnote-ref").first
    expect(citation).to_be_visible()
    citation.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
    expect(tooltip).to_be_visible(timeout=5_000)
    page.screenshot(path=str(screenshot_dir / "citation-tooltip.png"))
    target = (citation.get_attribute("href") or "").split("#")[-1]  # instant navigation makes hrefs absolute
    citation.click()
    footnote = page.locator(f'[id="{target}"]')
    expect(footnote).to_be_in_viewport()
    assert not traffic.problems, "\n".join(traffic.problems)


def test_dark_mode_survives_a_reload(page: Page, site_url: str, screenshot_dir: Path, traffic: Traffic) -> None:
    """Choosing the dark scheme with the palette toggle is remembered across a reload."""
    page.goto(site_url)
    body = page.locator("body")
    for _ in range(3):  # system -> light -> dark
        if body.get_attribute("data-md-color-scheme") == "slate":
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.screenshot(path=str(screenshot_dir / "home-dark.png"))
    assert not traffic.problems, "\n".join(traffic.problems)


def test_every_page_is_clean_and_accessible(sweep: Sweep, built_site: Path) -> None:
    """On every page: no console errors, no failed or external requests, no serious axe violations (desktop, light)."""
    visits = sweep("desktop", "light")
    paths = page_paths(built_site)
    assert len(paths) > 1
    assert sorted(visits) == sorted(paths)
    report: list[str] = []
    for path, facts in visits.items():
        assert facts.axe is not None, f"/{path}: axe did not run"
        report += [f"/{path}: {line}" for line in serious(facts)]
        report += [f"/{path}: {problem}" for problem in facts.traffic]
    assert not report, "\n".join(report)
