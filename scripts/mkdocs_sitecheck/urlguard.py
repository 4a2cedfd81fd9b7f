"""Keep requests for untrusted URLs (a bibliography entry's ``url``) on the public internet.

A bibliography arrives in pull requests, so its URLs are untrusted input: fetched naively, an
entry could make the checker (in CI, with cloud credentials at hand) ask a loopback service, a
private network or a cloud metadata endpoint (169.254.169.254), directly, through a hostname
that resolves there, or through a redirect.

The guard works where the connection is made: :class:`GuardedBackend` resolves each host
itself, refuses the connection unless every address is public, and connects to the address it
checked (so a DNS answer that changes between check and connect cannot slip through). Every
redirect hop opens its connection through the same backend. :func:`refusal` gives the same
verdict before a request is sent, so a refused URL gets a clear message and no retries.

The services' own base URLs (doi.org, Crossref… or the local fakes in tests) are configured by
the user and trusted: they do not go through this guard.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
ALLOW_HINT = "pass --allow-private-urls to fetch such addresses on purpose"


class ForbiddenAddress(httpcore.ConnectError):
    """A connection the guard refused: the host is (or resolves to) a non-public address."""


async def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the system resolver (what a connection would use)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_problem(address: Address) -> str | None:
    """Why an address is not on the public internet (None when it is)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_problem(address.ipv4_mapped)
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (cloud metadata services live there)"
    if address.is_private:
        return "a private-network address"
    if address.is_multicast or address.is_unspecified or address.is_reserved or not address.is_global:
        return "not a public address"
    return None


@dataclass(frozen=True)
class UrlGuard:
    """Which addresses untrusted URLs may reach: public ones only, unless ``allow_private``."""

    allow_private: bool = False
    resolver: Resolver = system_resolver

    async def addresses(self, host: str, port: int) -> list[str]:
        """The host's addresses after the guard's check; raise ForbiddenAddress when any is not public."""
        host = host.strip("[]")
        try:
            literal: Address | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            found = [str(literal)]
        else:
            try:
                found = await self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise httpcore.ConnectError(f"cannot resolve '{host}': {exc}") from None
            if not found:
                raise httpcore.ConnectError(f"cannot resolve '{host}': no address")
        if not self.allow_private:
            for text in found:
                problem = address_problem(ipaddress.ip_address(text))
                if problem:
                    name = f"'{host}'" if literal is not None else f"'{host}' (resolves to {text})"
                    raise ForbiddenAddress(f"refused to connect to {name}: {problem}; {ALLOW_HINT}")
        return found

    async def refusal(self, url: str) -> str | None:
        """Why the URL may not be fetched (scheme or address), before any request; None when it may."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"only http and https URLs are fetched, not '{parts.scheme}:'"
        if not parts.hostname:
            return "the URL has no host"
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return "the URL's port is not a number from 0 to 65535"
        try:
            await self.addresses(parts.hostname, port)
        except ForbiddenAddress as exc:
            return str(exc)
        except httpcore.ConnectError:
            return None  # not resolvable: the request itself reports it as a connection failure
        return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses the guard allows (and checked)."""

    def __init__(self, guard: UrlGuard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to the first of the host's checked addresses (TLS still names the host)."""
        addresses = await self.guard.addresses(host, port)
        return await self.inner.connect_tcp(addresses[0], port, timeout, local_address, socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        """Never: an untrusted URL does not reach a local socket."""
        raise ForbiddenAddress(f"refused to connect to the local socket {path}")

    async def sleep(self, seconds: float) -> None:
        """httpcore's own waits."""
        await self.inner.sleep(seconds)


def guarded_transport(guard: UrlGuard) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection (redirect hops included) goes through the guard.

    Proxy settings from the environment are not used: a proxy would make the connection for us,
    out of the guard's sight.
    """
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(  # httpx builds its pool without a backend option
        ssl_context=httpx.create_ssl_context(trust_env=False),
        network_backend=GuardedBackend(guard),
    )
    return transport


def is_refusal(exc: BaseException) -> bool:
    """Whether an exception (or what caused it) is the guard refusing a connection."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, ForbiddenAddress):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return False
