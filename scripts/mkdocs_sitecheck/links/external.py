"""``--external``: check http(s) links with the shared fetcher and cache; never fatal unless strict.

Each distinct URL (without its fragment) is asked once: ``HEAD``, then ``GET`` when a server
does not do ``HEAD``. :class:`mkdocs_sitecheck.http.Fetcher` spaces and caps requests per host and
retries timeouts, 429 and 5xx (honouring ``Retry-After``). Definite answers are cached
(:class:`mkdocs_sitecheck.cache.Cache`): a working link for 30 days, a 404/410 for one day.
401, 403 and 429 answers mean the page exists behind a wall or a rate limit: not reported.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mkdocs_sitecheck.cache import Cache
from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding, Severity
from mkdocs_sitecheck.http import Fetcher, FetchError, Policy
from mkdocs_sitecheck.links.config import SiteConfig
from mkdocs_sitecheck.links.pages import PageData

NAMESPACE = "links-external-v1"
NOT_HEAD = frozenset({400, 403, 404, 405, 406, 501})  # retry these with GET before believing them
UNVERIFIABLE = frozenset({401, 403, 429})
HOST_POLICY = Policy(rate=4.0, concurrency=2)


@dataclass(frozen=True)
class Verdict:
    """What one URL turned out to be: fine, broken (with why), or unanswered; and whether to cache it."""

    ok: bool
    reason: str = ""
    answered: bool = True
    cacheable: bool = True


@dataclass
class ExternalResult:
    """Findings for broken external links, and whether some could not be checked."""

    findings: list[Finding]
    unchecked: int


async def _probe(fetcher: Fetcher, url: str) -> Verdict:
    """HEAD (then GET when HEAD is refused) one URL and judge the answer."""
    try:
        response = await fetcher.request("HEAD", url)
        if response.status_code in NOT_HEAD:
            response = await fetcher.request("GET", url, max_bytes=65536)
    except FetchError as exc:
        return Verdict(False, exc.reason, answered=False, cacheable=False)
    status = response.status_code
    if status in UNVERIFIABLE:
        return Verdict(True, cacheable=False)
    if status < 400:
        return Verdict(True)
    return Verdict(False, f"HTTP {status}", cacheable=status in (404, 410))


async def _probe_all(urls: list[str], cache: Cache, fetcher_options: dict[str, object]) -> dict[str, Verdict]:
    """Verdicts for every URL: from the cache when fresh, else from the network, concurrently."""
    verdicts: dict[str, Verdict] = {}
    todo = []
    for url in urls:
        hit = cache.get(NAMESPACE, url)
        if hit is not None:
            verdicts[url] = Verdict(hit.found, str(hit.value or ""))
        else:
            todo.append(url)
    if todo:
        async with Fetcher(default=HOST_POLICY, max_attempts=3, **fetcher_options) as fetcher:  # type: ignore[arg-type]
            results = await asyncio.gather(*(_probe(fetcher, url) for url in todo))
        for url, verdict in zip(todo, results):
            verdicts[url] = verdict
            if verdict.cacheable:
                cache.put(NAMESPACE, url, verdict.reason, found=verdict.ok)
    return verdicts


def check_external(
    pages: Iterable[PageData],
    site: SiteConfig,
    cache_dir: Path,
    *,
    strict: bool = False,
    fetcher_options: dict[str, object] | None = None,
) -> ExternalResult:
    """LNK030 for each occurrence of a broken http(s) link; errors only when ``strict``."""
    places: dict[str, list[tuple[str, int, int, str]]] = {}
    for page in pages:
        for url, line, col in page.external:
            key = url.partition("#")[0]
            places.setdefault(key, []).append((site.page_path(page.src), line, col, url))
    if not places:
        return ExternalResult([], 0)
    verdicts = asyncio.run(_probe_all(sorted(places), Cache(cache_dir), dict(fetcher_options or {})))
    findings = []
    unchecked = 0
    for key, verdict in verdicts.items():
        if verdict.ok:
            continue
        if not verdict.answered:
            unchecked += 1
        severity = Severity.ERROR if strict and verdict.answered else Severity.WARNING
        what = "is broken" if verdict.answered else "could not be checked"
        for path, line, col, url in places[key]:
            findings.append(finding(path, line, col, "LNK030", f"external link '{url}' {what}: {verdict.reason}", severity=severity))
    return ExternalResult(findings, unchecked)
