"""Browser fixtures: Debian's Chromium driven by Playwright against the built site on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
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
    """A static file handler that does not log every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the base class
        """Stay quiet."""


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
