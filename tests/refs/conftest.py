"""Fixtures for the refs tests: a project folder, a fake of every service, and no real network."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from mkdocs_sitecheck.cli import main
from tests.refs.fakeservices import FakeServices, Work
from tests.refs.works import WORKS

CLOSED = "http://127.0.0.1:9"  # nothing listens on the discard port: "connection refused"
MKDOCS_YML = "site_name: t\nplugins:\n  - bibtex:\n      bib_file: refs.bib\n"


@pytest.fixture(autouse=True)
def _no_real_services(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every service at a closed local port and keep retries short, unless a test says otherwise.

    A 0.4 s budget still means several attempts with backoff (0.02, 0.04, 0.08 … s) before an
    entry is incomplete; a test that needs a wait longer than that (a Retry-After of 1 s, the
    429 storms) sets its own budget.
    """
    for name in ("DOI", "CROSSREF", "NCBI", "DATACITE"):
        monkeypatch.setenv(f"SITECHECK_{name}_URL", CLOSED)
    monkeypatch.setenv("SITECHECK_MAILTO", "tests@example.org")
    monkeypatch.setenv("SITECHECK_HTTP_TIMEOUT", "1")
    monkeypatch.setenv("SITECHECK_MAX_RETRY_SECONDS", "0.4")
    monkeypatch.setenv("SITECHECK_HTTP_BACKOFF", "0.02")
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[HTTPServer]:
    """One threaded local server for the whole session (stopping a server takes half a second)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def fake(fake_server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServices]:
    """doi.org, Crossref, NCBI and DataCite (and some pages) on the local server, fresh for each test."""
    fake_server.clear()
    services = FakeServices(fake_server, [Work(**vars(w)) for w in WORKS])
    for name, value in services.env().items():
        monkeypatch.setenv(name, value)
    yield services
    fake_server.clear()


def all_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every service at a closed port (connection refused)."""
    for name in ("DOI", "CROSSREF", "NCBI", "DATACITE"):
        monkeypatch.setenv(f"SITECHECK_{name}_URL", CLOSED)


@dataclass
class Run:
    """A finished sitecheck run."""

    code: int
    out: str
    err: str

    @property
    def data(self) -> dict[str, Any]:
        """The JSON report."""
        return json.loads(self.out)

    def statuses(self) -> dict[str, str]:
        """Entry key -> status, from the JSON report."""
        return {e["key"]: e["status"] for e in self.data["entries"]}

    def lines(self) -> list[str]:
        """The text report's lines."""
        return self.out.splitlines()


@dataclass
class Project:
    """A throwaway site: mkdocs.yml, docs/ and refs.bib."""

    root: Path

    def bib(self, text: str) -> Path:
        """Write refs.bib."""
        path = self.root / "refs.bib"
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, *args: str) -> Run:
        """Run ``sitecheck refs ARGS`` in-process against this project."""
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
            patch.chdir(self.root)
            code = main(["refs", "--config", str(self.root / "mkdocs.yml"), *args])
        return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A minimal MkDocs project whose bibtex plugin reads refs.bib."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return Project(tmp_path)
