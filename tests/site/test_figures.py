"""The figures and the option grid (scripts/hooks/figures.py) in a real browser: desktop and phone, light
and dark, and print; every figure is screenshot into test-artifacts/screenshots/figures/.

Kept here, with the other browser tests, so Playwright's event loop starts after the asyncio-based tests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import pytest
import yaml
from playwright.sync_api import Page, ViewportSize, expect

pytestmark = pytest.mark.browser

VIEWPORTS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SCHEMES = {"light": "default", "dark": "slate"}


def figure_pages(site: Path) -> list[str]:
    """URL paths of the built pages that carry a figure or the option grid."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        html = index.read_text(encoding="utf-8")
        if 'class="kfig ' in html or 'class="option-grid"' in html:
            relative = index.parent.relative_to(site).as_posix()
            paths.append("" if relative == "." else relative + "/")
    return paths


def test_every_figure_is_placed_on_a_page(built_site: Path) -> None:
    """Each figure the data defines appears on at least one built page, and the option grid on its page."""
    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "outcomes.yml").read_text(encoding="utf-8"))
    pages = figure_pages(built_site)
    assert "treatment/compare-options/" in pages
    html = "".join((built_site / p / "index.html").read_text(encoding="utf-8") for p in pages)
    missing = [f["id"] for f in data["figures"] if f'id="figure-{f["id"]}"' not in html]
    assert missing == []


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_figure_renders_and_is_screenshot(
    page: Page, site_url: str, built_site: Path, screenshot_dir: Path, viewport: str, scheme: Literal["light", "dark"]
) -> None:
    """Each figure is visible, sized, follows the colour scheme, and the page does not scroll sideways."""
    out = screenshot_dir / "figures"
    out.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(color_scheme=scheme)
    shots = 0
    for path in figure_pages(built_site):
        page.goto(site_url + path, wait_until="domcontentloaded")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
        # Material's fixed header would cover part of a tall element's screenshot.
        page.add_style_tag(content=".md-header, .md-tabs { position: static !important; } .md-top { display: none !important; }")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"/{path} scrolls sideways by {overflow}px at {viewport}"
        figures = page.locator(".kfig")
        for i in range(figures.count()):
            figure = figures.nth(i)
            figure.scroll_into_view_if_needed()
            svg = figure.locator("svg.kfig-svg").first
            expect(svg).to_be_visible()
            box = svg.bounding_box()
            assert box is not None and box["width"] > 150 and box["height"] > 80
            text_colour = svg.evaluate("e => getComputedStyle(e.querySelector('text')).fill")
            brightness = sum(int(c) for c in re.findall(r"\d+", text_colour)[:3])
            if scheme == "light":
                assert brightness < 300, f"text {text_colour} is too light for the light scheme"
            else:
                assert brightness > 450, f"text {text_colour} is too dark for the dark scheme"
            name = f"{path.strip('/').replace('/', '-') or 'home'}-{figure.get_attribute('id')}-{viewport}-{scheme}.png"
            figure.screenshot(path=str(out / name))
            shots += 1
        grid = page.locator(".option-grid")
        if grid.count():
            grid.screenshot(path=str(out / f"option-grid-{viewport}-{scheme}.png"))
            shots += 1
    expected = sum(
        (built_site / p / "index.html").read_text(encoding="utf-8").count('class="kfig ')
        + (built_site / p / "index.html").read_text(encoding="utf-8").count('class="option-grid"')
        for p in figure_pages(built_site)
    )
    assert shots == expected and shots >= 2


def test_figures_print_without_scroll_cues(page: Page, site_url: str) -> None:
    """In print, figures stay and the on-screen scroll cues go."""
    page.goto(site_url + "treatment/compare-options/", wait_until="domcontentloaded")
    page.emulate_media(media="print")
    expect(page.locator(".kfig svg").first).to_be_visible()
    assert page.locator(".kfig-scrollcue:visible, .option-grid-cue:visible").count() == 0


# The option grid's phone layout (no sideways scrolling; option names in view) is tested in test_grid.py.
