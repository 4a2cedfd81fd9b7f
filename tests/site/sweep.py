"""One visit per page: everything the page-by-page browser checks need, collected once per size and scheme.

A visit waits for named conditions (the load event, the fonts, Material's table wrappers and the
site's own table marks; after a scroll, two frames and no running animation), never for a fixed
time or for network idle. The tests in test_browser.py and test_reader.py assert on the facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, Request
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

SERIOUS = {"serious", "critical"}
SIZES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SCHEMES = ("light", "dark")
# Pages checked with axe in the dark scheme as well (every page is checked in the light one).
DARK_PAGES = ("", "get-help/", "sources/claims/", "sources/disagreements/", "evidence/safety/")
# Pages whose desktop screenshot is also kept under its old name (test-artifacts/screenshots/<name>-full.png).
FULL_SHOTS = ("", "sources/claims/", "reference/bibliography/")
SCROLLS = ("0", "document.documentElement.scrollHeight / 2", "document.documentElement.scrollHeight")


def page_paths(site: Path) -> list[str]:
    """URL paths of every page of the built site, home first (the 404 page has no index.html)."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        paths.append("" if relative == "." else relative + "/")
    return sorted(paths, key=lambda p: (p != "", p))


class Traffic:
    """Console errors, failed requests and requests that leave the site's origin, seen by one page."""

    def __init__(self, page: Page, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []
        self.inflight: set[Request] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("request", self._request)
        page.on("requestfinished", self._finished)

    def _console(self, message: ConsoleMessage) -> None:
        """Record console errors."""
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _finished(self, request: Request) -> None:
        """Forget a request that has finished."""
        self.inflight.discard(request)

    def _failed(self, request: Request) -> None:
        """Record requests that failed."""
        self.inflight.discard(request)
        self.problems.append(f"failed request: {request.url} ({request.failure})")

    def _request(self, request: Request) -> None:
        """Track the request; record any to another origin: the site must make none."""
        self.inflight.add(request)
        if not request.url.startswith(self.origin) and not request.url.startswith(("data:", "blob:")):
            self.problems.append(f"external request: {request.url}")

    def settle(self) -> None:
        """Wait until every request the page started has finished or failed (before it is left)."""
        while self.inflight:
            request = self.inflight.pop()
            response = request.response()  # waits for this request's response
            if response is not None:
                response.finished()  # waits for its body

    def take(self) -> list[str]:
        """The problems seen so far, and forget them."""
        problems, self.problems = self.problems, []
        return problems


# Ready: loaded, fonts in, every table wrapped by Material, and reader.js's marks on every wrapper
# that scrolls sideways (it runs on Material's document$, after the wrapping).
READY_JS = r"""
() => document.readyState === 'complete' && document.fonts.status === 'loaded'
  // Material wraps the tables Markdown writes (table:not([class])); the option grid's own tables lay themselves out.
  && [...document.querySelectorAll('article table:not([class])')].every((t) => t.closest('.md-typeset__scrollwrap'))
  && [...document.querySelectorAll('.md-typeset__scrollwrap')].every(
       (w) => (w.scrollWidth > w.clientWidth + 1) === w.classList.contains('is-scrollable'))
"""

# After a scroll: two animation frames rendered and no CSS transition or animation running.
SETTLED_JS = r"""
() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() =>
  resolve(document.getAnimations().every((a) => a.playState !== 'running')))))
"""

# The numbers the site lists: emergency numbers, 988 and Samaritans. Each occurrence in a page must
# be inside a tel: or sms: link; "988" used as part of the Lifeline's name is not a number to dial.
PHONE_NUMBERS_JS = r"""
() => {
  const number = /(^|[^\w.,\/-])(988|911|999|112|000|116 123)(?![\w\/-]|,\d|\s*(Suicide|Lifeline|lifeline))/g;
  const roots = document.querySelectorAll('.md-content article, .md-banner, .md-footer');
  const bad = [];
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // A reference's title ("988 launches in Canada") names the line; it is not a number to call.
      if (node.parentElement.closest('.footnote, .md-source-file, code, pre, .search-synonyms, li:has(.bib-key)')) continue;
      for (const match of node.data.matchAll(number)) {
        const link = node.parentElement.closest('a[href^="tel:"], a[href^="sms:"]');
        if (!link) bad.push(match[2] + ' in "' + node.data.trim().slice(0, 80) + '"');
      }
    }
  }
  return bad;
}
"""

ADJACENT_JS = r"""
() => {
  const bad = [];
  let groups = 0;
  for (const sup of document.querySelectorAll('article sup[id^="fnref"]')) {
    let next = sup.nextSibling;
    let between = '';
    while (next && next.nodeType === Node.TEXT_NODE && !next.data.trim()) { between += next.data; next = next.nextSibling; }
    if (!next) continue;
    const isRef = (n) => n.nodeType === Node.ELEMENT_NODE && n.matches('sup[id^="fnref"]');
    if (isRef(next)) { bad.push(sup.textContent + next.textContent); continue; }
    if (next.nodeType === Node.ELEMENT_NODE && next.matches('sup.fn-sep') && next.nextSibling && isRef(next.nextSibling)) {
      groups += 1;
      const box = next.getBoundingClientRect();
      const text = next.textContent.trim();
      if (!text || box.width === 0 || getComputedStyle(next).visibility === 'hidden' || next.getAttribute('aria-hidden') === 'true') {
        bad.push(sup.textContent + '|' + next.nextSibling.textContent + ' (separator not visible or hidden from screen readers)');
      }
    }
  }
  return {bad, groups};
}
"""

TABLES_JS = r"""
() => {
  const body = parseFloat(getComputedStyle(document.querySelector('article p') || document.body).fontSize);
  return [...document.querySelectorAll('article table')].map((table) => {
    const wrap = table.closest('.md-typeset__scrollwrap') || table.parentElement;
    const style = getComputedStyle(wrap);
    const hint = wrap.previousElementSibling;
    const cell = table.querySelector('td') || table.querySelector('th');
    const rect = wrap.getBoundingClientRect();
    return {
      columns: table.rows[0].cells.length,
      overflows: wrap.scrollWidth > wrap.clientWidth + 1,
      scrolls: ['auto', 'scroll'].includes(style.overflowX),
      focusable: wrap.tabIndex >= 0,
      hint: !!(hint && hint.classList.contains('table-scroll-hint') && hint.getBoundingClientRect().height > 0),
      right: rect.right,
      ratio: parseFloat(getComputedStyle(cell).fontSize) / body,
    };
  });
}
"""


@dataclass
class PageFacts:
    """What one visit to one page at one size and scheme found."""

    path: str
    ready: bool = True  # whether READY_JS came true (tables wrapped and marked) before Playwright's timeout
    phone_numbers: list[str] = field(default_factory=list)  # numbers not inside a tel:/sms: link
    sms_988: int = 0  # a[href='sms:988'] links
    footer_crisis: int = 0  # footer .md-footer-crisis elements
    footer_crisis_tel: int = 0  # tel:988 links inside the first of them
    citations_run_together: list[str] = field(default_factory=list)
    citation_groups: int = 0
    text: str = ""  # the body's text, then every footnote and list item's
    tables: list[dict[str, Any]] = field(default_factory=list)
    help_link: list[str] = field(default_factory=list)  # where the header's 'Get help now' link is missing or off screen
    axe: list[dict[str, Any]] | None = None  # axe's violations, when axe ran on this visit
    traffic: list[str] = field(default_factory=list)


def _help_link_problems(page: Page, height: int) -> list[str]:
    """At the top, the middle and the bottom: a visible 'Get help now' link in the header, on screen."""
    for where in SCROLLS:
        page.evaluate(f"window.scrollTo(0, {where})")
        try:
            page.wait_for_function(SETTLED_JS)
        except PlaywrightTimeoutError:
            return [f"at scroll {where}: an animation kept running; the page never settled"]
        help_link = page.locator("header a[href*='get-help']").filter(has_text=re.compile("Get help", re.IGNORECASE))
        if help_link.count() != 1 or not help_link.is_visible():
            return [f"at scroll {where}: no visible 'Get help now' link in the header"]
        box = help_link.bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > height:
            return [f"at scroll {where}: the 'Get help now' link is off screen ({box})"]
    return []


def _screenshot(page: Page, target: Path) -> None:
    """A full-page screenshot; Chromium cannot capture very tall pages (the ledger on a phone) whole: first screen only."""
    tall = page.evaluate("document.documentElement.scrollHeight") > 12_000
    page.screenshot(path=str(target), full_page=not tall, timeout=90_000)


def visit(page: Page, traffic: Traffic, url: str, path: str, size: str, scheme: str, *, axe: Axe | None, shots: Path | None) -> PageFacts:
    """Load one page and collect every fact the page-by-page checks assert on; axe and a screenshot when given."""
    page.goto(url + path)
    facts = PageFacts(path)
    try:
        page.wait_for_function(READY_JS)
    except PlaywrightTimeoutError:
        facts.ready = False
    facts.phone_numbers = page.evaluate(PHONE_NUMBERS_JS)
    facts.sms_988 = page.locator("a[href='sms:988']").count()
    footer = page.locator("footer .md-footer-crisis")
    facts.footer_crisis = footer.count()
    facts.footer_crisis_tel = footer.first.locator("a[href='tel:988']").count() if facts.footer_crisis else 0
    adjacent = page.evaluate(ADJACENT_JS)
    facts.citations_run_together, facts.citation_groups = adjacent["bad"], adjacent["groups"]
    # Footnotes and bibliography entries are collapsed or far down; read their text too.
    facts.text = page.locator("body").inner_text() + "\n" + "\n".join(page.locator(".footnote li, .md-typeset li").all_inner_texts())
    facts.tables = page.evaluate(TABLES_JS)
    if axe is not None:
        # resultTypes: axe still runs every rule, but lists only one node per pass (much faster on long pages).
        facts.axe = axe.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    if shots is not None:
        name = (path.strip("/").replace("/", "-") or "home") + f"-{size}-{scheme}.png"
        _screenshot(page, shots / "pages" / name)
    facts.help_link = _help_link_problems(page, SIZES[size]["viewport"]["height"])
    traffic.settle()
    facts.traffic = traffic.take()
    return facts


def serious(facts: PageFacts) -> list[str]:
    """axe's serious and critical violations on the visit, one line each."""
    lines = []
    for violation in facts.axe or []:
        if violation["impact"] in SERIOUS:
            nodes = ", ".join(n["target"][0] for n in violation["nodes"][:3])
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {nodes}")
    return lines
