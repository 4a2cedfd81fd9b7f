"""The shared fetcher: retries, Retry-After, backoff budget, rate and concurrency limits, identity."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mkdocs_sitecheck import __version__
from mkdocs_sitecheck.findings import UsageError
from mkdocs_sitecheck.http import Fetcher, FetchError, Policy, retry_after, user_agent
from tests.refs import virtualtime
from tests.refs.virtualtime import VirtualClock

Handler = Callable[[httpx.Request], Awaitable[httpx.Response] | httpx.Response]
# Every test on a mock transport runs on virtual time (tests/refs/virtualtime.py): exact, and never waiting.
FAST = {"backoff": 0.01, "max_retry_seconds": 5.0, "timeout": 2.0, "default": Policy(rate=100, concurrency=4)}


def virtual(**options: object) -> dict[str, object]:
    """Fetcher options for a test on the virtual clock."""
    return {**FAST, "clock": VirtualClock(), **options}


def scripted(*answers: int | Exception | tuple[int, dict[str, str]]) -> tuple[Handler, list[float]]:
    """A mock handler answering in order (status, (status, headers) or an exception), noting call times."""
    calls: list[float] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(virtualtime.now())
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        return httpx.Response(status, headers=headers, text=f"answer {status}")

    return handler, calls


def fetch(handler: Handler, url: str = "https://api.example.org/x", **options: object) -> httpx.Response:
    """Run one GET through a Fetcher on a mock transport."""

    async def go() -> httpx.Response:
        async with Fetcher(transport=httpx.MockTransport(handler), **virtual(**options)) as fetcher:  # type: ignore[arg-type]
            return await fetcher.get(url)

    return virtualtime.run(go())


@pytest.mark.parametrize(
    ("answers", "status", "attempts"),
    [
        pytest.param((503, 200), 200, 2, id="503-then-ok"),
        pytest.param((429, 502, 200), 200, 3, id="429-502-then-ok"),
        pytest.param((httpx.ConnectError("refused"), 200), 200, 2, id="connection-error-then-ok"),
        pytest.param((httpx.ReadTimeout("slow"), 200), 200, 2, id="timeout-then-ok"),
        pytest.param((404,), 404, 1, id="404-is-an-answer"),
        pytest.param((410,), 410, 1, id="410-is-an-answer"),
        pytest.param((501,), 501, 1, id="501-is-not-retried"),
    ],
)
def test_retries_transient_failures_only(answers: tuple, status: int, attempts: int) -> None:
    """429, 5xx, timeouts and connection errors are retried; other answers are returned at once."""
    handler, calls = scripted(*answers)
    assert fetch(handler).status_code == status
    assert len(calls) == attempts


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        pytest.param(503, "HTTP 503; gave up after 3 attempts", id="outage"),
        pytest.param(httpx.ReadTimeout("slow"), "timed out after 2 s; gave up after 3 attempts", id="timeouts"),
        pytest.param(httpx.ConnectError("refused"), "connection failed: refused; gave up after 3 attempts", id="down"),
    ],
)
def test_gives_up_with_the_reason(answer: int | Exception, reason: str) -> None:
    """After ``max_attempts`` the FetchError says what kept failing and for how long."""
    handler, calls = scripted(answer)
    with pytest.raises(FetchError) as info:
        fetch(handler, max_attempts=3)
    assert info.value.reason.startswith(reason)
    assert info.value.attempts == 3 == len(calls)


def test_retry_after_beyond_the_budget_fails_at_once_for_the_whole_service() -> None:
    """A Retry-After longer than the retry budget is not slept through, by this request or the next ones."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        if request.url.host == "api.example.org":
            return httpx.Response(429, headers={"Retry-After": "3600"})
        return httpx.Response(200)

    async def go() -> list[FetchError | None]:
        async with Fetcher(transport=httpx.MockTransport(handler), **virtual(max_retry_seconds=2.0)) as fetcher:  # type: ignore[arg-type]
            results = [await _catch(fetcher.get("https://api.example.org/a"))]
            results += [await _catch(fetcher.get("https://api.example.org/b"))]
            results += [await _catch(fetcher.get("https://other.example.org/c"))]
            return results

    first, second, other = virtualtime.run(go())
    assert len(calls) == 2  # nobody waited out the hour: the clock never moved past the first answers
    assert isinstance(first, FetchError) and "Retry-After 3600 s would pass the 2 s retry budget" in first.reason
    assert isinstance(second, FetchError) and second.reason == "HTTP 429 with Retry-After 3600 s, beyond the 2 s retry budget"
    assert other is None  # another host is not affected
    assert calls == ["api.example.org", "other.example.org"]


async def _catch(job: Awaitable[httpx.Response]) -> FetchError | None:
    """The FetchError a request raised, or None when it was answered (with any status)."""
    try:
        await job
    except FetchError as exc:
        return exc
    return None


def test_retry_after_is_honoured_and_holds_the_whole_service() -> None:
    """After a 429 with ``Retry-After: 1`` no request to that service starts for a second."""
    handler, calls = scripted((429, {"Retry-After": "1"}), 200)

    async def go() -> list[int]:
        async with Fetcher(transport=httpx.MockTransport(handler), **virtual()) as fetcher:  # type: ignore[arg-type]
            first = asyncio.create_task(fetcher.get("https://api.example.org/a"))
            await asyncio.sleep(0.05)
            second = asyncio.create_task(fetcher.get("https://api.example.org/b"))
            return [r.status_code for r in await asyncio.gather(first, second)]

    assert virtualtime.run(go()) == [200, 200]
    # The 429 at 0 s held the whole service for 1 s and halved its rate (100 to 50 per second):
    # the retry starts at 1 s, the second request (asked for at 0.05 s) in the next slot, 20 ms on.
    assert calls == pytest.approx([0.0, 1.0, 1.02])


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # in the past: do not wait
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_forms(value: str | None, seconds: float | None) -> None:
    """Retry-After is delta-seconds or an HTTP date; anything else is ignored."""
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert retry_after(value, now=now) == seconds


def test_requests_are_spaced_by_the_service_rate() -> None:
    """Ten requests at 20 per second: the k-th starts no earlier than k x 50 ms after the first slot.

    The bound is on start slots, which a loaded machine can only delay, never advance (gaps
    between two observed calls can shrink when one task is late, so they are not compared).
    Speed belongs in bench/bench_refs.py, so the upper bound only proves the requests are not
    serialised behind something else.
    """
    handler, calls = scripted(200)

    async def go() -> None:
        policies = {"svc": Policy(rate=20, concurrency=10)}
        async with Fetcher(policies, transport=httpx.MockTransport(handler), **virtual()) as fetcher:  # type: ignore[arg-type]
            await asyncio.gather(*(fetcher.get(f"https://a.example/{i}", service="svc") for i in range(10)))
            assert fetcher.requests == {"svc": 10}

    virtualtime.run(go())
    assert calls == pytest.approx([k * 0.05 for k in range(10)])


def test_concurrency_is_capped_per_pool_and_services_run_in_parallel() -> None:
    """Two services sharing a pool never exceed its cap; a third service is not held up by them."""
    running = {"pool": 0, "other": 0}
    peak = {"pool": 0, "other": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        group = "other" if request.url.host == "other.example" else "pool"
        running[group] += 1
        peak[group] = max(peak[group], running[group])
        await asyncio.sleep(0.05)
        running[group] -= 1
        return httpx.Response(200)

    async def go() -> float:
        policies = {
            "single": Policy(rate=1000, concurrency=3, pool="crossref"),
            "search": Policy(rate=1000, concurrency=3, pool="crossref"),
            "other.example": Policy(rate=1000, concurrency=2),  # a host's policy, by its name
        }
        async with Fetcher(policies, transport=httpx.MockTransport(handler), **virtual()) as fetcher:  # type: ignore[arg-type]
            jobs = [fetcher.get(f"https://cr.example/{i}", service="single") for i in range(6)]
            jobs += [fetcher.get(f"https://cr.example/s{i}", service="search") for i in range(6)]
            jobs += [fetcher.get(f"https://other.example/{i}") for i in range(6)]
            await asyncio.gather(*jobs)
        return virtualtime.now()

    elapsed = virtualtime.run(go())
    assert peak == {"pool": 3, "other": 2}
    # 12 pooled requests of 50 ms, 3 at a time, take 4 rounds; the other host's 6, 2 at a time, 3 rounds
    # alongside (start slots are 1 ms apart at 1,000 per second).
    assert 0.2 <= elapsed < 0.25


def test_user_agent_names_the_tool_and_the_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    """The User-Agent is ``sitecheck/VERSION (+mailto:…)`` when SITECHECK_MAILTO is set."""
    monkeypatch.delenv("SITECHECK_MAILTO", raising=False)
    assert user_agent() == f"sitecheck/{__version__}"
    monkeypatch.setenv("SITECHECK_MAILTO", "editors@example.org")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200)

    fetch(handler)
    assert seen == [f"sitecheck/{__version__} (+mailto:editors@example.org)"]


@pytest.mark.parametrize("name", ["SITECHECK_HTTP_TIMEOUT", "SITECHECK_MAX_RETRY_SECONDS", "SITECHECK_HTTP_BACKOFF"])
@pytest.mark.parametrize("value", ["ten", "-1", "nan"])
def test_bad_environment_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    """A setting that is not a number of seconds is a one-line usage error."""
    monkeypatch.setenv(name, value)
    with pytest.raises(UsageError, match=f"^{name}="):
        Fetcher()


def test_environment_sets_timeout_and_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """SITECHECK_HTTP_TIMEOUT and SITECHECK_MAX_RETRY_SECONDS configure a default Fetcher."""
    monkeypatch.setenv("SITECHECK_HTTP_TIMEOUT", "0.5")
    monkeypatch.setenv("SITECHECK_MAX_RETRY_SECONDS", "3")
    fetcher = Fetcher()
    assert (fetcher.timeout, fetcher.max_retry_seconds) == (0.5, 3.0)


@pytest.fixture
def never() -> Iterator[threading.Event]:
    """An event the server's handler waits on, set only when the test ends (so an answer never comes in time)."""
    event = threading.Event()
    yield event
    event.set()


def test_real_socket_slow_answer_times_out_and_refused_port_fails(httpserver: HTTPServer, never: threading.Event) -> None:
    """Against a real local server: an answer that never comes times out; a closed port is a connection failure."""

    def slow(request: Request) -> Response:
        never.wait(30)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchError, match="timed out after 0.2 s; gave up after 2 attempts"):
        asyncio.run(_get(httpserver.url_for("/slow"), timeout=0.2, max_attempts=2))
    with pytest.raises(FetchError, match="connection failed"):
        asyncio.run(_get("http://127.0.0.1:9/closed", max_attempts=2))


def test_max_bytes_reads_only_the_start_of_a_large_body(httpserver: HTTPServer) -> None:
    """``max_bytes`` stops reading a large page early."""
    httpserver.expect_request("/big").respond_with_data("x" * 1_000_000, content_type="text/html")
    response = asyncio.run(_get(httpserver.url_for("/big"), max_bytes=1000))
    assert (response.status_code, len(response.content), response.text[:3]) == (200, 1000, "xxx")


async def _get(url: str, *, max_bytes: int | None = None, **options: object) -> httpx.Response:
    """One GET through a Fetcher with fast settings, over the network."""
    async with Fetcher(**{**FAST, **options}) as fetcher:  # type: ignore[arg-type]
        return await fetcher.get(url, max_bytes=max_bytes)


def test_a_slow_service_never_blocks_a_fast_one_in_its_pool() -> None:
    """Searches waiting for their 1/s slots do not hold the pool that single-record lookups share."""
    done: dict[str, float] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200)

    async def go() -> None:
        policies = {
            "search": Policy(rate=1, concurrency=3, pool="crossref"),
            "single": Policy(rate=100, concurrency=3, pool="crossref"),
        }

        async def one(name: str, i: int) -> None:
            await fetcher.get(f"https://cr.example/{name}/{i}", service=name)
            done[f"{name}{i}"] = virtualtime.now()

        async with Fetcher(policies, transport=httpx.MockTransport(handler), **virtual()) as fetcher:  # type: ignore[arg-type]
            await asyncio.gather(*(one("search", i) for i in range(3)), *(one("single", i) for i in range(10)))

    virtualtime.run(go())
    assert [done[f"single{i}"] for i in range(10)] == pytest.approx([i * 0.01 for i in range(10)])
    assert [done[f"search{i}"] for i in range(3)] == pytest.approx([0.0, 1.0, 2.0])
