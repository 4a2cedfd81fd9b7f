"""The theme shows both review dates, NHS-style, and a page past its next_review says so to readers."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.build

REPO = Path(__file__).resolve().parents[2]

PAGES = {
    "index.md": "---\nlast_reviewed: 2026-11-30\nnext_review: 2027-05-30\n---\n\n# Current page\n\nText.\n",
    "old.md": "---\nlast_reviewed: 2024-01-10\nnext_review: 2024-07-10\n---\n\n# Overdue page\n\nText.\n",
    "undated.md": "# A page with no review dates\n\nText.\n",
}


def _build(tmp_path: Path, build_day: str) -> Path:
    """Build a three-page site with the project's theme overrides, as if on ``build_day``."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: Review dates test\ntheme:\n  name: material\n  custom_dir: {REPO / 'overrides'}\nnav:\n  - index.md\n  - old.md\n  - undated.md\n",
        encoding="utf-8",
    )
    epoch = int(datetime.strptime(build_day, "%Y-%m-%d").replace(tzinfo=UTC).timestamp())
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return tmp_path / "site"


def _notice(html: str) -> str:
    """The opening tag of the overdue notice on a built page."""
    match = re.search(r'<div class="admonition warning review-overdue"[^>]*>', html)
    assert match, "no review notice on the page"
    return match.group(0)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test site built on 30 November 2026."""
    return _build(tmp_path_factory.mktemp("review"), "2026-11-30")


def test_both_dates_are_shown_in_words(site: Path) -> None:
    """A reviewed page shows 'Page last reviewed' and 'Next review due' with readable dates."""
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'Page last reviewed: <time datetime="2026-11-30">30 November 2026</time>' in html
    assert 'Next review due: <time datetime="2027-05-30">30 May 2027</time>' in html


def test_a_current_page_hides_the_notice(site: Path) -> None:
    """Before next_review, the notice is in the page but hidden (the script may reveal it later)."""
    html = (site / "index.html").read_text(encoding="utf-8")
    assert " hidden" in _notice(html)
    assert 'data-next-review="2027-05-30"' in html


def test_an_overdue_page_shows_the_notice_without_javascript(site: Path) -> None:
    """After next_review, the build renders the notice visible, so it shows with JavaScript off."""
    html = (site / "old" / "index.html").read_text(encoding="utf-8")
    assert " hidden" not in _notice(html)
    assert "This page is due for review" in html
    assert '<time datetime="2024-07-10">10 July 2024</time>' in html


def test_the_build_date_decides(tmp_path: Path) -> None:
    """The same page built after its next_review date shows the notice; built before, it does not."""
    html = (_build(tmp_path, "2027-06-01") / "index.html").read_text(encoding="utf-8")
    assert " hidden" not in _notice(html)


def test_the_browser_check_compares_the_readers_date(site: Path) -> None:
    """The inline script un-hides the notice when the reader's date is past data-next-review."""
    html = (site / "index.html").read_text(encoding="utf-8")
    script = html[html.index("review-dates[data-next-review]") - 600 :]
    assert "iso > due" in script and "notice.hidden = false" in script


def test_a_page_without_dates_shows_nothing(site: Path) -> None:
    """No front matter dates, no review line and no notice."""
    html = (site / "undated" / "index.html").read_text(encoding="utf-8")
    assert "review-overdue" not in html and "Page last reviewed" not in html


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """Serve the test site on 127.0.0.1 for the browser tests."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the base class
        """Stay quiet."""


@pytest.mark.browser
def test_the_readers_date_reveals_the_notice(browser: Browser, served: str) -> None:
    """A page built before its next_review, read after it, shows the notice once the script runs."""
    page = browser.new_page()
    page.clock.set_fixed_time(datetime(2027, 6, 1, 12, tzinfo=UTC))
    page.goto(served)
    expect(page.locator(".review-overdue")).to_be_visible()
    page.close()


@pytest.mark.browser
def test_before_next_review_the_notice_stays_hidden(browser: Browser, served: str) -> None:
    """Read before next_review, the current page shows its dates and no notice."""
    page = browser.new_page()
    page.clock.set_fixed_time(datetime(2027, 1, 15, 12, tzinfo=UTC))
    page.goto(served)
    expect(page.locator(".review-overdue")).to_be_hidden()
    expect(page.get_by_text("Next review due:")).to_be_visible()
    page.close()


@pytest.mark.browser
def test_with_javascript_off_the_build_time_notice_stands(browser: Browser, served: str) -> None:
    """Without JavaScript, the overdue page still shows its notice and the current page does not."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "old/")
    expect(page.locator(".review-overdue")).to_be_visible()
    page.goto(served)
    expect(page.locator(".review-overdue")).to_be_hidden()
    expect(page.get_by_text("Page last reviewed:")).to_be_visible()
    context.close()
