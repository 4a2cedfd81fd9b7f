"""Polite async HTTP for every check that goes online: rate limits, concurrency limits and retries.

Usage::

    async with Fetcher({"crossref": Policy(rate=10, concurrency=3)}) as fetcher:
        response = await fetcher.get("https://api.crossref.org/works/10.1000/x", service="crossref")

* Each request belongs to a *service*: the name passed as ``service=``, or else the URL's host.
  A service's :class:`Policy` spaces request starts ``1/rate`` seconds apart and caps how many
  run at once; services with the same ``pool`` also share one cap on requests in flight (held
  only while a request runs). Different services run in parallel. Hosts without a policy get
  ``default``.
* The rate adapts to the service's answers (AIMD, as TCP does): a 429 halves the service's rate
  (down to ``MIN_RATE``) and each success wins back a tenth of its policy rate; a published
  limit (Crossref's ``x-rate-limit-limit``/``x-rate-limit-interval``, ``x-concurrency-limit``)
  lowers the ceiling. Retries queue for start slots like every other request, so requests that
  were throttled together come back one by one, not as a thundering herd.
* 429, 408 and 5xx answers (but 501 and 505), timeouts and connection errors are retried with
  exponential backoff and jitter. A ``Retry-After`` header (seconds or an HTTP date) is honoured
  and also holds back every other request to that service (one longer than the retry budget
  makes every request to that service fail at once for that long). The retry budget is *time*:
  retrying stops when the next wait would pass ``max_retry_seconds`` since the request's first
  failure (time spent queueing for a slot is not failure), or after ``max_attempts`` when a caller
  sets one. A service that fails one request for its whole budget (connection refused, 5xx,
  timeouts: an outage, not throttling) is marked down for ``OUTAGE_SECONDS`` (or two budgets),
  and the requests queued or sent after it fail at once with the reason. Then :class:`FetchError` is raised with the reason. Any other answer
  (200, 404, 410…) is returned as it is: what a status means is the caller's business.
* Every request carries a polite User-Agent, ``sitecheck/VERSION (+mailto:ADDRESS)`` when
  ``SITECHECK_MAILTO`` is set.
* Environment: ``SITECHECK_HTTP_TIMEOUT`` (seconds per attempt, default 10),
  ``SITECHECK_MAX_RETRY_SECONDS`` (default 60), ``SITECHECK_HTTP_BACKOFF`` (first backoff in
  seconds, default 1). Tests pass ``transport=`` (e.g. ``httpx.MockTransport``) or point base URLs
  at a local server.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import os
import random
import re
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpx

from mkdocs_sitecheck import __version__
from mkdocs_sitecheck.findings import UsageError
from mkdocs_sitecheck.urlguard import is_refusal

RETRY_STATUSES = frozenset({408, 429}) | frozenset(range(500, 600)) - {501, 505}


@dataclass(frozen=True)
class Policy:
    """How hard one service may be asked: request starts per second and requests at once."""

    rate: float = 2.0
    concurrency: int = 2
    pool: str | None = None  # services naming the same pool share one concurrency cap


class FetchError(Exception):
    """A request that failed for good (after retries, or with an error retrying cannot fix)."""

    def __init__(self, url: str, reason: str, attempts: int = 1) -> None:
        super().__init__(f"{reason} ({url})")
        self.url = url
        self.reason = reason
        self.attempts = attempts


def env_seconds(name: str, default: float) -> float:
    """A non-negative number of seconds from the environment; a bad value is a UsageError."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name}={raw!r}: expected a number of seconds") from None
    if value < 0 or value != value:
        raise UsageError(f"{name}={raw!r}: expected a number of seconds >= 0")
    return value


def mailto() -> str | None:
    """The contact address from ``SITECHECK_MAILTO``, if any."""
    return os.environ.get("SITECHECK_MAILTO", "").strip() or None


def user_agent() -> str:
    """``sitecheck/VERSION``, with ``(+mailto:ADDRESS)`` when ``SITECHECK_MAILTO`` is set."""
    address = mailto()
    return f"sitecheck/{__version__} (+mailto:{address})" if address else f"sitecheck/{__version__}"


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Clock:
    """Where the fetcher reads the time and waits: the event loop's clock and the calendar.

    Every wait and every duration the fetcher measures goes through one object, so a test can
    run the fetcher on a virtual clock (see tests/refs/virtualtime.py) and never on wall time.
    """

    def now(self) -> float:
        """Monotonic seconds: the running event loop's clock (what asyncio's timers use)."""
        return asyncio.get_running_loop().time()

    def calendar(self) -> float:
        """Seconds since the epoch, for HTTP dates (``Retry-After: Wed, 21 Oct 2015 …``)."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        await asyncio.sleep(seconds)

    async def wait(self, event: asyncio.Event, seconds: float) -> None:
        """Wait until ``event`` is set or ``seconds`` pass, whichever comes first."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)


class ServiceClosed(Exception):
    """The service was closed (a Retry-After beyond the budget, or an outage) while a request queued."""


OUTAGE_SECONDS = 60.0  # how long a service that failed a whole retry budget stays marked down
MIN_RATE = 0.2  # requests per second: the slowest an adaptive limiter goes (one every 5 s)


class _Limiter:
    """Spaces request starts ``1/rate`` apart, adapting the rate to the service's answers.

    ``ceiling`` is the policy's rate (or a lower limit the service published); ``rate`` is the
    rate in use: halved on each 429 (not more often than once per interval, so one burst of
    429s counts once), raised by a tenth of the ceiling on each success.
    """

    def __init__(self, rate: float, clock: Clock) -> None:
        self.clock = clock
        self.ceiling = rate if rate > 0 else 0.0
        self.rate = self.ceiling
        self.next_start = 0.0
        self.closed_until = 0.0  # the service asked for a wait longer than the retry budget, or is down
        self.closed_reason = ""
        self.slowed_at = -1e9
        self.throttled = 0  # 429 answers seen
        self.lowest = self.rate
        self._closing: asyncio.Event | None = None  # set when the service closes: queued requests give up at once

    @property
    def interval(self) -> float:
        """Seconds between request starts at the current rate."""
        return 1.0 / self.rate if self.rate > 0 else 0.0

    async def wait(self) -> None:
        """Reserve the next start slot and sleep until it comes; raise ServiceClosed if the service closes meanwhile."""
        if reason := self.closed():
            raise ServiceClosed(reason)
        now = self.clock.now()
        start = max(now, self.next_start)
        self.next_start = start + self.interval
        if start > now:
            if self._closing is None:
                self._closing = asyncio.Event()
            await self.clock.wait(self._closing, start - now)
        if reason := self.closed():
            raise ServiceClosed(reason)

    def hold(self, seconds: float) -> None:
        """Start nothing for this service for ``seconds`` from now."""
        self.next_start = max(self.next_start, self.clock.now() + seconds)

    def slow_down(self) -> None:
        """A 429: halve the rate (once per burst), never below ``MIN_RATE``."""
        self.throttled += 1
        if self.ceiling <= 0:
            self.rate = self.ceiling = MIN_RATE * 10  # an unlimited service that throttles gets a limit
        now = self.clock.now()
        if now - self.slowed_at >= self.interval:
            self.rate = max(MIN_RATE, self.rate / 2)
            self.slowed_at = now
            self.lowest = min(self.lowest, self.rate)

    def speed_up(self) -> None:
        """A success: win back a tenth of the ceiling (additive increase)."""
        if self.ceiling > 0 and self.rate < self.ceiling:
            self.rate = min(self.ceiling, self.rate + self.ceiling / 10)

    def publish(self, limit: float) -> None:
        """The service published its limit (requests per second): never go faster than it."""
        if limit > 0 and (self.ceiling <= 0 or limit < self.ceiling):
            self.ceiling = limit
            self.rate = min(self.rate, limit) if self.rate > 0 else limit

    def close(self, seconds: float, reason: str) -> None:
        """Fail every request to this service for ``seconds`` (longer than anyone may wait)."""
        self.closed_until = self.clock.now() + seconds
        self.closed_reason = reason
        if self._closing is not None:
            self._closing.set()
            self._closing = None  # later waits (after the closure ends) use a fresh event

    def closed(self) -> str | None:
        """Why requests to this service fail at once, or None when they may be sent."""
        return self.closed_reason if self.clock.now() < self.closed_until else None


def published_rate(headers: httpx.Headers) -> float | None:
    """Requests per second a service publishes (``x-rate-limit-limit`` per ``x-rate-limit-interval``), or None."""
    limit, interval = headers.get("x-rate-limit-limit", ""), headers.get("x-rate-limit-interval", "1s")
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*", interval)
    if not limit.strip().isdigit() or not match or int(limit) <= 0:
        return None
    seconds = float(match.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[match.group(2) or "s"]
    return int(limit) / seconds if seconds > 0 else None


class Fetcher:
    """One shared ``httpx.AsyncClient`` whose requests are spaced, capped and retried per service."""

    def __init__(
        self,
        policies: Mapping[str, Policy] | None = None,
        *,
        default: Policy | None = None,
        timeout: float | None = None,
        max_retry_seconds: float | None = None,
        backoff: float | None = None,
        max_attempts: int | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        max_redirects: int = 10,
    ) -> None:
        self.clock = clock or Clock()
        self.policies = dict(policies or {})
        self.default = default or Policy()
        self.timeout = env_seconds("SITECHECK_HTTP_TIMEOUT", 10.0) if timeout is None else timeout
        self.max_retry_seconds = env_seconds("SITECHECK_MAX_RETRY_SECONDS", 60.0) if max_retry_seconds is None else max_retry_seconds
        self.backoff = env_seconds("SITECHECK_HTTP_BACKOFF", 1.0) if backoff is None else backoff
        self.max_attempts = max(1, max_attempts) if max_attempts else None
        self.requests: Counter[str] = Counter()  # attempts sent, per service
        self._limiters: dict[str, _Limiter] = {}
        self._semaphores: dict[str, asyncio.Semaphore] = {}
        self._pools: dict[str, asyncio.Semaphore] = {}
        self._concurrency: dict[str, int] = {}  # a lower cap a service published (x-concurrency-limit)
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(self.timeout),
            headers={"User-Agent": user_agent(), **dict(headers or {})},
            follow_redirects=True,
            max_redirects=max_redirects,
        )

    async def __aenter__(self) -> Fetcher:
        """Use as ``async with Fetcher(...) as fetcher``."""
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Close the connection pool."""
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    def service_of(self, url: str, service: str | None) -> str:
        """The name a request is limited under: ``service`` or the URL's host."""
        return service or (urlsplit(url).hostname or url)

    def policy(self, service: str) -> Policy:
        """The policy of a service (``default`` when it has none)."""
        return self.policies.get(service, self.default)

    def _limiter(self, service: str) -> _Limiter:
        """The start-spacing limiter of a service."""
        if service not in self._limiters:
            self._limiters[service] = _Limiter(self.policy(service).rate, self.clock)
        return self._limiters[service]

    def _semaphore(self, service: str) -> asyncio.Semaphore:
        """The concurrency cap of one service."""
        if service not in self._semaphores:
            self._semaphores[service] = asyncio.Semaphore(max(1, self.policy(service).concurrency))
        return self._semaphores[service]

    def _published_cap(self, service: str) -> asyncio.Semaphore | contextlib.nullcontext[None]:
        """The lower concurrency cap a service published, once it has (else nothing extra)."""
        cap = self._concurrency.get(service)
        if cap is None:
            return contextlib.nullcontext()
        key = f"{service}#published{cap}"
        if key not in self._semaphores:
            self._semaphores[key] = asyncio.Semaphore(cap)
        return self._semaphores[key]

    def _pool(self, service: str) -> asyncio.Semaphore | None:
        """The cap shared by every service in the same pool (None when the service has no pool)."""
        policy = self.policy(service)
        if policy.pool is None:
            return None
        if policy.pool not in self._pools:
            self._pools[policy.pool] = asyncio.Semaphore(max(1, policy.concurrency))
        return self._pools[policy.pool]

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("GET", url, ...)``."""
        return await self.request("GET", url, **kwargs)

    async def request(
        self,
        method: str,
        url: str,
        *,
        service: str | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> httpx.Response:
        """Send a request politely and return the final response; raise FetchError when it cannot.

        ``max_bytes`` reads at most that much of the body (for pages that may be large).
        """
        name = self.service_of(url, service)
        limiter = self._limiter(name)
        first_failure: float | None = None
        attempt = 0
        while True:
            attempt += 1
            if closed := limiter.closed():
                raise FetchError(url, closed, attempt - 1)
            try:
                response = await self._attempt(method, url, name, params, headers, max_bytes)
            except ServiceClosed as exc:
                raise FetchError(url, str(exc), attempt - 1) from None
            except httpx.TimeoutException:
                problem, wait_hint = f"timed out after {self.timeout:g} s", None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.TooManyRedirects) as exc:
                raise FetchError(url, _describe(exc), attempt) from None
            except httpx.TransportError as exc:
                if is_refusal(exc):  # the URL guard said no: retrying cannot change that
                    raise FetchError(url, _describe(exc), attempt) from None
                problem, wait_hint = f"connection failed: {_describe(exc)}", None
            else:
                self._learn_limits(name, response.headers)
                if response.status_code not in RETRY_STATUSES:
                    limiter.speed_up()
                    return response
                problem = f"HTTP {response.status_code}"
                wait_hint = retry_after(response.headers.get("Retry-After"), self.clock.calendar())
                if response.status_code == 429:
                    limiter.slow_down()
                if wait_hint is not None and wait_hint > self.max_retry_seconds:
                    budget = f"{self.max_retry_seconds:g} s retry budget"
                    reason = f"{problem} with Retry-After {wait_hint:g} s, beyond the {budget}"
                    limiter.close(wait_hint, reason)
                elif wait_hint is not None:
                    limiter.hold(wait_hint)
            now = self.clock.now()
            first_failure = now if first_failure is None else first_failure
            elapsed = now - first_failure
            if self.max_attempts is not None and attempt >= self.max_attempts:
                raise FetchError(url, f"{problem}; gave up after {attempt} attempts in {elapsed:.1f} s", attempt)
            delay = wait_hint if wait_hint is not None else self._backoff(attempt)
            if problem == "HTTP 429" and wait_hint is None:
                limiter.hold(delay)  # slow the whole service down, not just this request
            # An error (not throttling) also counts the wait for this service's next free slot.
            queued = 0.0 if problem == "HTTP 429" else max(0.0, limiter.next_start - self.clock.now())
            if elapsed + max(delay, queued) > self.max_retry_seconds:
                why = f"Retry-After {wait_hint:g} s" if wait_hint is not None else f"next retry in {max(delay, queued):.1f} s"
                reason = f"{problem}; gave up after {attempt} attempts in {elapsed:.1f} s ({why} would pass the {self.max_retry_seconds:g} s retry budget)"
                if problem != "HTTP 429" and not limiter.closed():
                    # An outage, not throttling: the next requests would only wait out the same budget.
                    limiter.close(
                        max(OUTAGE_SECONDS, 2 * self.max_retry_seconds),
                        f"{problem}; the service is down (another request gave up after {attempt} attempts in {elapsed:.1f} s)",
                    )
                raise FetchError(url, reason, attempt)
            await self.clock.sleep(delay if wait_hint is None else 0)  # a Retry-After is waited out in the slot queue

    def _learn_limits(self, service: str, headers: httpx.Headers) -> None:
        """Lower the service's rate and concurrency to what it publishes in its answers."""
        if (rate := published_rate(headers)) is not None:
            self._limiter(service).publish(rate)
        cap = headers.get("x-concurrency-limit", "").strip()
        if cap.isdigit() and int(cap) > 0 and int(cap) < self._concurrency.get(service, max(1, self.policy(service).concurrency)):
            self._concurrency[service] = int(cap)

    def throttling(self) -> dict[str, dict[str, float]]:
        """Per service that was throttled: how many 429s, the policy rate and the lowest rate used."""
        return {
            name: {"throttled": limiter.throttled, "ceiling": round(limiter.ceiling, 3), "lowest_rate": round(limiter.lowest, 3)}
            for name, limiter in sorted(self._limiters.items())
            if limiter.throttled
        }

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: about ``backoff * 2**(attempt-1)``, between half and all of it."""
        ceiling = self.backoff * 2 ** (attempt - 1)
        return random.uniform(ceiling / 2, ceiling)

    async def _attempt(
        self,
        method: str,
        url: str,
        service: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        max_bytes: int | None,
    ) -> httpx.Response:
        """One attempt: inside the service's cap, at its next start slot, then inside its pool's cap.

        The pool is only held while the request runs, so a slow-rate service waiting for its
        slot (Crossref's searches) never blocks a faster one in the same pool (single records).
        """
        async with self._semaphore(service), self._published_cap(service):
            await self._limiter(service).wait()
            async with self._pool(service) or contextlib.nullcontext():
                return await self._send(method, url, service, params, headers, max_bytes)

    async def _send(
        self,
        method: str,
        url: str,
        service: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        max_bytes: int | None,
    ) -> httpx.Response:
        """Send one request (reading at most ``max_bytes`` of the body when given)."""
        self.requests[service] += 1
        if max_bytes is None:
            return await self._client.request(method, url, params=params, headers=headers)
        async with self._client.stream(method, url, params=params, headers=headers) as response:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) >= max_bytes:
                    break
            kept = {k: v for k, v in response.headers.items() if k.lower() not in _BODY_HEADERS}
            return httpx.Response(response.status_code, headers=kept, content=bytes(body[:max_bytes]), request=response.request)


_BODY_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


def _describe(exc: Exception) -> str:
    """A short reason for an httpx exception (its message, or its class name when it has none)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
