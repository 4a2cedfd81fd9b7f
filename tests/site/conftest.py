"""Browser fixtures: Debian's Chromium driven by Playwright against the built site on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
