"""Fixtures shared by every test folder: the repository root and one strict build of the real site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (where mkdocs.yml lives)."""
    return REPO


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real site once per test session with ``mkdocs build --strict``; fail with its log.

    ``SITE_UNDER_TEST=/path/to/site`` tests an already built site instead (for example an older
    commit's, to show that a new test fails there).
    """
    prebuilt = os.environ.get("SITE_UNDER_TEST")
    if prebuilt:
        return Path(prebuilt)
    site_dir = tmp_path_factory.mktemp("site")
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
        pytest.fail(f"strict mkdocs build failed (exit {result.returncode}):\n{result.stderr[-6000:]}")
    return site_dir
