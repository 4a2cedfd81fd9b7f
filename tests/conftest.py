"""Fixtures shared by every test folder: the repository root and one strict build of the real site.

Every test that builds the real site or drives a browser is marked (``build``, ``browser``), here
from the fixtures it uses, so ``make test-fast`` (``-m "not browser and not build and not
network"``) can leave them out and a new test file cannot forget the mark. Under pytest-xdist
(``--dist loadgroup``) they run in one worker (group ``site``): one build, one browser, one sweep
of the pages. Do not mix them with the asyncio-based tests in one process: once Playwright's sync
API has started, ``asyncio.run`` fails there (``make test`` runs the two lanes as two processes).
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Fixtures that mean "this test drives a browser" or "this test needs the real site built".
BROWSER_FIXTURES = frozenset({"page", "context", "browser", "open_page", "sweep", "site_context"})
BUILD_FIXTURES = frozenset({"built_site", "site_url", "base_url"})


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the fixtures they use, and keep every site and browser test in one xdist worker."""
    xdist = bool(items) and items[0].config.pluginmanager.hasplugin("xdist")
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if used & BUILD_FIXTURES and not item.get_closest_marker("build"):
            item.add_marker(pytest.mark.build)
        if xdist and (item.get_closest_marker("browser") or item.get_closest_marker("build")):
            item.add_marker(pytest.mark.xdist_group("site"))


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (where mkdocs.yml lives)."""
    return REPO


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the block."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _shared_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's temporary folder, shared by all xdist workers of the run (each worker has a subfolder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _build_site(site_dir: Path) -> str | None:
    """Run ``mkdocs build --strict`` into site_dir; the failure message, or None when it built."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(site_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        return f"strict mkdocs build failed (exit {result.returncode}):\n{result.stderr[-6000:]}"
    return None


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real site once per test run with ``mkdocs build --strict``; fail with its log.

    Under pytest-xdist the workers share one build: the first builds under a file lock, the others
    wait for it and reuse the result (or its failure). ``SITE_UNDER_TEST=/path/to/site`` tests an
    already built site instead (for example an older commit's, to show that a new test fails there).
    """
    prebuilt = os.environ.get("SITE_UNDER_TEST")
    if prebuilt:
        return Path(prebuilt)
    shared = _shared_temp(tmp_path_factory)
    site_dir, done, failed = shared / "built-site", shared / "built-site.ok", shared / "built-site.failed"
    with _locked(shared / "built-site.lock"):
        if not done.exists() and not failed.exists():
            problem = _build_site(site_dir)
            if problem is None:
                done.touch()
            else:
                failed.write_text(problem, encoding="utf-8")
    if failed.exists():
        pytest.fail(failed.read_text(encoding="utf-8"))
    return site_dir
