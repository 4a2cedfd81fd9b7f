"""``--external``: http(s) links checked against a local server only (127.0.0.1), with the shared cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from .conftest import Run, SiteMaker

Check = Callable[..., Run]


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry quickly: these tests exercise decisions, not patience."""
    monkeypatch.setenv("SITECHECK_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("SITECHECK_MAX_RETRY_SECONDS", "5")
    monkeypatch.setenv("SITECHECK_HTTP_TIMEOUT", "2")


def serve(httpserver: HTTPServer) -> None:
    """/ok, /gone (404), /head-refused (405 to HEAD), /flaky (503 once), /private (403)."""
    attempts = {"flaky": 0}

    def flaky(request: Request) -> Response:
        """Fail the first attempt with 503, then answer 200."""
        attempts["flaky"] += 1
        return Response("busy", status=503 if attempts["flaky"] == 1 else 200)

    httpserver.expect_request("/ok").respond_with_data("fine")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    httpserver.expect_request("/head-refused", method="HEAD").respond_with_data("", status=405)
    httpserver.expect_request("/head-refused", method="GET").respond_with_data("fine")
    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    httpserver.expect_request("/private").respond_with_data("login", status=403)


def page(httpserver: HTTPServer, *paths: str) -> str:
    """A page linking to the server's paths, one per line, plus citations of both fixture entries."""
    links = "\n".join(f"[{p}]({httpserver.url_for(p)})" for p in paths)
    return f"{links}\n\nCites [@berman2000] and [@zarate2006].\n"


def test_external_links_are_warnings_by_default(make_site: SiteMaker, sitecheck: Check, httpserver: HTTPServer, tmp_path: Path) -> None:
    """A 404 is a warning, HEAD-refusing and flaky servers are fine, 403 is not reported; exit 0."""
    serve(httpserver)
    root = make_site({"index.md": page(httpserver, "/ok", "/gone", "/head-refused", "/flaky", "/private")})
    run = sitecheck(root, "--external", "--cache-dir", str(tmp_path / "cache"))
    assert run.out.splitlines() == [
        f"docs/index.md:2:1: LNK030 external link '{httpserver.url_for('/gone')}' is broken: HTTP 404",
        "sitecheck: 0 errors, 1 warning (1 page, 5 links)",
    ]
    assert run.code == 0


def test_without_external_no_request_is_made(make_site: SiteMaker, sitecheck: Check, httpserver: HTTPServer) -> None:
    """Offline by default: pull-request checks never depend on other people's servers."""
    root = make_site({"index.md": page(httpserver, "/gone")})
    assert sitecheck(root).code == 0
    assert httpserver.log == []


def test_strict_external_fails_the_run(make_site: SiteMaker, sitecheck: Check, httpserver: HTTPServer, tmp_path: Path) -> None:
    """``--strict-external``: a broken external link is an error (exit 1)."""
    serve(httpserver)
    root = make_site({"index.md": page(httpserver, "/ok", "/gone")})
    run = sitecheck(root, "--strict-external", "--cache-dir", str(tmp_path / "cache"), "--format", "github")
    assert run.out.splitlines()[0] == (
        f"::error file=docs/index.md,line=2,col=1,title=LNK030::external link '{httpserver.url_for('/gone')}' is broken: HTTP 404"
    )
    assert run.code == 1


def test_unreachable_host_is_incomplete_only_when_strict(make_site: SiteMaker, sitecheck: Check, tmp_path: Path) -> None:
    """A host that cannot be reached is a warning; with --strict-external the run is incomplete (exit 3)."""
    root = make_site({"index.md": "[down](http://127.0.0.1:9/x)\n\nCites [@berman2000] and [@zarate2006].\n"})
    run = sitecheck(root, "--external", "--cache-dir", str(tmp_path / "cache"))
    assert run.out.startswith("docs/index.md:1:1: LNK030 external link 'http://127.0.0.1:9/x' could not be checked: ")
    assert run.code == 0
    assert sitecheck(root, "--strict-external", "--cache-dir", str(tmp_path / "cache")).code == 3


def test_answers_are_cached_between_runs(make_site: SiteMaker, sitecheck: Check, httpserver: HTTPServer, tmp_path: Path) -> None:
    """A second run asks nothing for links already known to work or to be gone."""
    serve(httpserver)
    root = make_site({"index.md": page(httpserver, "/ok", "/gone")})
    cache = tmp_path / "cache"
    first = sitecheck(root, "--external", "--cache-dir", str(cache))
    asked = len(httpserver.log)
    second = sitecheck(root, "--external", "--cache-dir", str(cache))
    assert asked == 3  # /ok by HEAD; /gone by HEAD, then GET (some servers refuse HEAD with 404)
    assert len(httpserver.log) == asked
    assert first.out == second.out
    assert any(cache.rglob("*.json"))
