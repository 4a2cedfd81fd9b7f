"""Untrusted entry URLs stay on the public internet: no loopback, private, link-local or metadata address,
directly, through DNS or after a redirect; only an explicit opt-in allows them."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from pytest_httpserver import HTTPServer

from mkdocs_sitecheck.http import Fetcher, FetchError
from mkdocs_sitecheck.urlguard import UrlGuard, address_problem, guarded_transport
from tests.refs.conftest import Project
from tests.refs.fakeservices import FakeServices

HINT = "pass --allow-private-urls to fetch such addresses on purpose"


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.8.9.10", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("169.254.169.254", "a link-local address (cloud metadata services live there)"),
        ("fe80::1", "a link-local address (cloud metadata services live there)"),
        ("10.0.0.7", "a private-network address"),
        ("172.16.5.4", "a private-network address"),
        ("192.168.1.1", "a private-network address"),
        ("fd00:ec2::254", "a private-network address"),
        ("0.0.0.0", "a private-network address"),  # noqa: S104 - an address to refuse, not one to bind
        ("100.64.0.1", "not a public address"),
        ("224.0.0.1", "not a public address"),
        ("93.184.215.14", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_only_public_addresses_pass(address: str, problem: str | None) -> None:
    """Each kind of non-public address is named; public ones pass."""
    assert address_problem(ipaddress.ip_address(address)) == problem


def resolver(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    """A DNS stand-in answering from a table."""

    async def resolve(host: str, port: int) -> list[str]:
        return table[host]

    return resolve


@pytest.mark.parametrize(
    ("url", "refusal"),
    [
        ("http://127.0.0.1:8000/admin", f"refused to connect to '127.0.0.1': a loopback address; {HINT}"),
        ("http://169.254.169.254/latest/meta-data/", f"refused to connect to '169.254.169.254': a link-local address "
                                                     f"(cloud metadata services live there); {HINT}"),
        ("http://[::1]/", f"refused to connect to '::1': a loopback address; {HINT}"),
        ("https://intranet.example/x", f"refused to connect to 'intranet.example' (resolves to 10.1.2.3): a private-network "
                                       f"address; {HINT}"),
        ("https://sneaky.example/x", f"refused to connect to 'sneaky.example' (resolves to 127.0.0.1): a loopback address; "
                                     f"{HINT}"),
        ("file:///etc/passwd", "only http and https URLs are fetched, not 'file:'"),
        ("https://www.example.org/report", None),
    ],
)  # fmt: skip
def test_refusal_names_the_address_and_the_way_out(url: str, refusal: str | None) -> None:
    """Literal addresses, and names that resolve to a private address (one is enough), are refused."""
    table = {"intranet.example": ["10.1.2.3"], "sneaky.example": ["93.184.215.14", "127.0.0.1"],
             "www.example.org": ["93.184.215.14"]}  # fmt: skip
    assert asyncio.run(UrlGuard(resolver=resolver(table)).refusal(url)) == refusal


def test_the_opt_in_allows_private_addresses() -> None:
    """With allow_private (the --allow-private-urls flag), the same URLs are fetched."""
    assert asyncio.run(UrlGuard(allow_private=True).refusal("http://127.0.0.1:8000/admin")) is None


class _TrustOnePort(UrlGuard):
    """A guard that also trusts one local test server (a stand-in for a public site), and nothing else."""

    port: int = 0

    async def addresses(self, host: str, port: int) -> list[str]:
        """The test server's own address passes; every other host is judged as usual."""
        if host in ("localhost", "127.0.0.1") and port == self.port:
            return ["127.0.0.1"]
        return await super().addresses(host, port)


def test_a_redirect_to_a_metadata_address_is_refused_and_not_retried(httpserver: HTTPServer) -> None:
    """Every redirect hop connects through the guard: a 302 to 169.254.169.254 fails at once, with the reason."""
    httpserver.expect_request("/paper").respond_with_data("", status=302, headers={"Location": "http://169.254.169.254/latest/"})
    guard = _TrustOnePort()
    guard.port = httpserver.port

    async def go() -> None:
        async with Fetcher(transport=guarded_transport(guard), max_redirects=5, backoff=0.01) as fetcher:
            await fetcher.get(httpserver.url_for("/paper"))

    with pytest.raises(FetchError) as info:
        asyncio.run(go())
    assert info.value.reason == ("refused to connect to '169.254.169.254': a link-local address (cloud metadata services live there); " + HINT)
    assert info.value.attempts == 1
    assert len(httpserver.log) == 1


def test_redirects_are_capped(httpserver: HTTPServer) -> None:
    """A redirect loop ends after the cap, as a failure that names it."""
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    guard = UrlGuard(allow_private=True)

    async def go() -> None:
        async with Fetcher(transport=guarded_transport(guard), max_redirects=3, backoff=0.01) as fetcher:
            await fetcher.get(httpserver.url_for("/loop"))

    with pytest.raises(FetchError, match="Exceeded maximum allowed redirects"):
        asyncio.run(go())
    assert len(httpserver.log) == 4


def test_entries_pointing_at_loopback_or_metadata_are_refused_with_a_clear_message(project: Project, fake: FakeServices) -> None:
    """`refs --online` without the opt-in: neither URL is requested; each entry says why (REF040) and stays unverifiable."""
    page = fake.add_page("internal", 200, "<title>Quarterly report</title>")
    project.bib(
        "@misc{internal,\n  title = {Quarterly Report of Nothing in Particular},\n  year = {2024},\n"
        f"  url = {{{page}}}\n}}\n\n"
        "@misc{metadata,\n  title = {Instance Identity of Nothing in Particular},\n  year = {2024},\n"
        "  url = {http://169.254.169.254/latest/meta-data/}\n}\n"
    )
    run = project.run("--online", "--cache-dir", str(project.root / "c"))
    host = page.split("/")[2].split(":")[0]
    assert [line for line in run.lines() if "REF040" in line] == [
        f"refs.bib:1:1: REF040 'internal': its URL was not fetched: refused to connect to '{host}': a loopback address; {HINT}",
        "refs.bib:7:1: REF040 'metadata': its URL was not fetched: refused to connect to '169.254.169.254': a link-local "
        f"address (cloud metadata services live there); {HINT}",
    ]
    assert fake.counts["pages"] == 0
    assert run.code == 1  # both stay unverifiable (REF020)


def test_the_opt_in_fetches_the_loopback_page(project: Project, fake: FakeServices) -> None:
    """--allow-private-urls: the same local page is fetched and verifies the entry."""
    page = fake.add_page("internal", 200, "<title>Quarterly Report of Nothing in Particular</title>")
    project.bib(f"@misc{{internal,\n  title = {{Quarterly Report of Nothing in Particular}},\n  year = {{2024}},\n  url = {{{page}}}\n}}\n")
    run = project.run("--online", "--allow-private-urls", "--format", "json", "--cache-dir", str(project.root / "c"))
    assert run.statuses() == {"internal": "verified"}
    assert fake.counts["pages"] == 1
