"""Browser fixtures: Debian's Chromium driven by Playwright against the built site on 127.0.0.1.

Cheap by design: one browser for the session (pytest-playwright's ``browser``), one context per
size, scheme and JavaScript setting (``site_context``), pages opened in them per test
(``open_page``), and one visit per page per size and scheme for the page-by-page checks
(``sweep``, see sweep.py). Playwright's own ``page`` fixture still works (a fresh context per test).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from .sweep import DARK_PAGES, FULL_SHOTS, SIZES, PageFacts, Traffic, page_paths, visit

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
INSTALL_HINT = "install Debian's Chromium with `sudo apt-get install chromium` (`playwright install` cannot download here)"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def find_chromium() -> str | None:
    """The Chromium executable to drive: $CHROMIUM_PATH, then Debian's package, then PATH."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Chromium's path; skip the browser tests without it, or fail when $CI is set."""
    path = find_chromium()
    if path is None:
        message = f"Chromium not found: {INSTALL_HINT}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; browser tests may not be skipped in CI", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], chromium_path: str) -> dict[str, Any]:
    """Launch Debian's Chromium headless with no background traffic to the outside."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request to stderr.

    It serves sitemap.xml with the site's configured address replaced by the address it is served
    at: Material's instant navigation only takes over links that the sitemap lists (matching
    scheme, host and port), so without this the tests would never see instant navigation.
    """

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the base class
        """Stay quiet."""

    def do_GET(self) -> None:
        """Serve files; rewrite the sitemap's addresses to this server's."""
        if self.path.split("?", 1)[0] != "/sitemap.xml":
            super().do_GET()
            return
        sitemap = Path(self.directory, "sitemap.xml")
        if not sitemap.is_file():
            self.send_error(404)
            return
        text = sitemap.read_text(encoding="utf-8")
        locations = re.findall(r"<loc>([^<]+)</loc>", text)
        if locations:
            root = min(locations, key=len)
            text = text.replace(root, f"http://{self.headers.get('Host', '127.0.0.1')}/")
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve the built site over http on 127.0.0.1 (a free port) for the session."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(site_url: str) -> str:
    """pytest-base-url's fixture, pointed at the served site."""
    return site_url


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where screenshots are kept as test artifacts (CI uploads this folder)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


ContextFor = Callable[..., BrowserContext]
OpenPage = Callable[..., Page]
Sweep = Callable[..., dict[str, PageFacts]]


@pytest.fixture(scope="session")
def site_context(browser: Browser) -> Iterator[ContextFor]:
    """The session's browser context for a size ('desktop', 'phone'), a scheme and JavaScript on or off."""
    contexts: dict[tuple[str, str, bool], BrowserContext] = {}

    def _context(size: str, scheme: str = "light", javascript: bool = True) -> BrowserContext:
        key = (size, scheme, javascript)
        if key not in contexts:
            contexts[key] = browser.new_context(**SIZES[size], color_scheme=scheme, java_script_enabled=javascript)  # type: ignore[arg-type]
        return contexts[key]

    yield _context
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_page(site_context: ContextFor) -> Iterator[OpenPage]:
    """Open a new page at a named size and colour scheme (optionally without JavaScript); closed after the test."""
    pages: list[Page] = []

    def _open(size: str, scheme: str = "light", javascript: bool = True) -> Page:
        page = site_context(size, scheme, javascript).new_page()
        pages.append(page)
        return page

    yield _open
    for page in pages:
        page.close()


@pytest.fixture(scope="session")
def sweep(site_context: ContextFor, site_url: str, built_site: Path, screenshot_dir: Path) -> Sweep:
    """Every page visited once at a size and scheme: {path: PageFacts}, computed on first use and kept.

    Light: every page, with axe and a screenshot. Dark: on a phone every page (the help link is
    checked there in the dark scheme), with axe and screenshots on DARK_PAGES; on a desktop DARK_PAGES only.
    """
    done: dict[tuple[str, str], dict[str, PageFacts] | Exception] = {}
    (screenshot_dir / "pages").mkdir(parents=True, exist_ok=True)

    def _sweep(size: str, scheme: str = "light") -> dict[str, PageFacts]:
        key = (size, scheme)
        if key not in done:
            try:
                done[key] = _visit_all(size, scheme)
            except Exception as error:  # noqa: BLE001 - kept and re-raised: a failed sweep fails every test that reads it, once
                done[key] = error
        result = done[key]
        if isinstance(result, Exception):
            raise result
        return result

    def _visit_all(size: str, scheme: str) -> dict[str, PageFacts]:
        page = site_context(size, scheme).new_page()
        traffic = Traffic(page, site_url.rstrip("/"))
        axe = Axe()
        paths = [p for p in page_paths(built_site) if scheme == "light" or size == "phone" or p in DARK_PAGES]
        facts = {}
        for path in paths:
            checked = scheme == "light" or path in DARK_PAGES
            facts[path] = visit(page, traffic, site_url, path, size, scheme, axe=axe if checked else None, shots=screenshot_dir if checked else None)
            if (size, scheme) == ("desktop", "light") and path in FULL_SHOTS:
                name = path.strip("/").replace("/", "-") or "home"
                shutil.copy(screenshot_dir / "pages" / f"{name}-{size}-{scheme}.png", screenshot_dir / f"{name}-full.png")
        page.close()
        return facts

    return _sweep
