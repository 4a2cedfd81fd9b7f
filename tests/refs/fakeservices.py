"""A local stand-in for doi.org, Crossref, NCBI E-utilities and DataCite, answering as their documentation shows.

One threaded pytest-httpserver on 127.0.0.1 serves all four under path prefixes (``/doi``,
``/crossref``, ``/ncbi``, ``/datacite``) plus ``/pages/…`` for entries' own URLs:

* doi.org ``/api/handles/{doi}``: 200 ``{"responseCode": 1, "handle", "values"}``, or 404 ``{"responseCode": 100}``.
* Crossref ``/works/{doi}``: ``{"status": "ok", "message-type": "work", "message": {...}}``, or 404 with
  the plain text ``Resource not found.``; ``/works?query.bibliographic=`` returns ``message.items``
  with ``score`` (always some items, like the real search).
* NCBI ``esummary.fcgi`` (``result.uids`` and ``result[uid]``; an unknown id gets
  ``{"uid", "error": "cannot get document summary"}``) and ``esearch.fcgi`` (``esearchresult.idlist``).
* DataCite ``/dois/{doi}``: JSON:API ``data.attributes``, or 404 ``{"errors": [{"status": "404", "title": …}]}``.

Faults per service (``fail``): an HTTP status (429 with ``Retry-After``, 503 …) for the next N
requests or for good, or for every second request (``every=2``: a 429 storm), slow answers,
malformed bodies. ``latency`` delays every answer.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mkdocs_sitecheck.refs.normalise import norm_text

SERVICES = ("doi", "crossref", "ncbi", "datacite")


@dataclass
class Work:
    """One published work as the registries know it."""

    title: str
    authors: list[tuple[str, str]]  # (given, family)
    year: int
    journal: str = ""
    abbrev: str = ""
    volume: str = ""
    pages: str = ""  # Crossref form, 351-354
    medline_pages: str = ""  # PubMed form, 351-4
    doi: str | None = None
    pmid: str | None = None
    subtitle: str = ""  # Crossref keeps it apart from the title
    registry: str = "crossref"  # crossref | datacite | none (registered DOI, no metadata anywhere)
    online_year: int | None = None
    updated_by: list[dict[str, Any]] = field(default_factory=list)
    update_to: list[dict[str, Any]] = field(default_factory=list)
    pubtypes: list[str] = field(default_factory=lambda: ["Journal Article"])
    html_title: str | None = None  # Crossref's title with markup, when it differs


@dataclass
class Fault:
    """What a service does instead of answering: a status, a slow answer or a malformed body."""

    status: int = 503
    times: int | None = None  # None: for good
    retry_after: str | None = None
    slow: float = 0.0
    malformed: bool = False
    every: int = 1  # 2: only every second request to the service gets the fault (a 429 storm), for good
    per_second: int = 0  # N: requests beyond N in any one second get the fault (a rate limit), for good


class FakeServices:
    """The four services (and some pages) on one local server, with request counts per service."""

    def __init__(self, server: HTTPServer, works: list[Work], *, latency: float = 0.0) -> None:
        self.server = server
        self.works = works
        self.latency = latency
        self.pages: dict[str, tuple[int, str, str]] = {}
        self.faults: dict[str, Fault] = {}
        self.bodies: dict[str, tuple[int, str, str]] = {}  # service -> (status, body, content type) served instead
        self.counts: Counter[str] = Counter()
        self.total = 0  # requests to any service (a fault for "*" counts these)
        self.accepted: dict[str, list[float]] = {}  # when requests were let through (for per_second limits)
        self.searches: Counter[str] = Counter()
        self._lock = threading.Lock()
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def env(self) -> dict[str, str]:
        """The SITECHECK_*_URL variables that point sitecheck here."""
        return {f"SITECHECK_{name.upper()}_URL": self.server.url_for(f"/{name}") for name in SERVICES}

    def page_url(self, name: str) -> str:
        """The URL of a fake page."""
        return self.server.url_for(f"/pages/{name}")

    def add_page(self, name: str, status: int = 200, body: str = "", content_type: str = "text/html") -> str:
        """Serve a page at ``/pages/NAME`` and return its URL."""
        self.pages[name] = (status, content_type, body)
        return self.page_url(name)

    def fail(self, service: str, fault: Fault) -> None:
        """Make a service misbehave."""
        self.faults[service] = fault

    def fail_with_body(self, service: str, status: int, body: str, content_type: str) -> None:
        """Make a service answer every request with this status and body (a proxy's error page, say)."""
        self.bodies[service] = (status, body, content_type)

    # -- dispatch ----------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Route a request to its service, after the latency and any fault."""
        service, _, rest = request.path.lstrip("/").partition("/")
        with self._lock:
            self.counts[service] += 1
            self.total += 1
            fault = self.faults.get(service) or self.faults.get("*")
            if fault and fault.per_second:
                now = time.monotonic()
                recent = [t for t in self.accepted.get(service, []) if now - t < 1.0]
                if len(recent) < fault.per_second:
                    recent.append(now)
                    fault = None  # under the limit: let through
                self.accepted[service] = recent
            elif fault and fault.every > 1 and (self.total if "*" in self.faults else self.counts[service]) % fault.every:
                fault = None  # this request is let through
            elif fault and fault.times is not None:
                fault.times -= 1
                if fault.times < 0:
                    del self.faults[service]
                    fault = None
        if self.latency:
            time.sleep(self.latency)
        if service in self.bodies:
            status, body, content_type = self.bodies[service]
            return Response(body, status, content_type=content_type)
        if fault:
            if fault.slow:
                time.sleep(fault.slow)
            elif fault.malformed:
                return Response("<html><body>Gateway error page</body></html>", 200, content_type="text/html")
            else:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return Response("Service Unavailable", fault.status, headers=headers, content_type="text/plain")
        handler = {
            "doi": self.doi,
            "crossref": self.crossref,
            "ncbi": self.ncbi,
            "datacite": self.datacite,
            "pages": self.page,
        }.get(service)
        return handler(rest, request) if handler else Response("no such service", 404)

    def _by_doi(self, doi: str) -> Work | None:
        """The work with this DOI (case-insensitive)."""
        return next((w for w in self.works if w.doi and w.doi.lower() == doi.lower()), None)

    # -- doi.org -----------------------------------------------------------------------------

    def doi(self, rest: str, request: Request) -> Response:
        """The handle API: responseCode 1 with values, or HTTP 404 with responseCode 100."""
        doi = rest.removeprefix("api/handles/")
        work = self._by_doi(doi)
        if work is None:
            return _json({"responseCode": 100, "handle": doi}, 404)
        value = {"index": 1, "type": "URL", "data": {"format": "string", "value": f"https://publisher.example/{doi}"}}
        return _json({"responseCode": 1, "handle": doi, "values": [{**value, "ttl": 86400}]})

    # -- Crossref ----------------------------------------------------------------------------

    def crossref(self, rest: str, request: Request) -> Response:
        """``/works/{doi}`` and ``/works?query.bibliographic=…``."""
        if rest == "works":
            query = request.args.get("query.bibliographic", "")
            self.searches["crossref"] += 1
            items = [dict(_crossref_message(w), score=s) for s, w in self._search(query) if w.registry == "crossref"]
            message = {"facets": {}, "total-results": len(items), "items": items[: int(request.args.get("rows", 20))]}
            return _json({"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message})
        work = self._by_doi(rest.removeprefix("works/"))
        if work is None or work.registry != "crossref":
            return Response("Resource not found.", 404, content_type="text/plain")
        message = _crossref_message(work)
        return _json({"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message})

    def _search(self, query: str) -> list[tuple[float, Work]]:
        """Works ranked by shared words with the query (the real search always returns something)."""
        words = set(norm_text(query).split())
        scored = []
        for work in self.works:
            text = set(norm_text(f"{work.title} {work.subtitle} {' '.join(f for _, f in work.authors)}").split())
            scored.append((round(100.0 * len(words & text) / max(1, len(words)), 3), work))
        return sorted(scored, key=lambda s: -s[0])[:5]

    # -- NCBI --------------------------------------------------------------------------------

    def ncbi(self, rest: str, request: Request) -> Response:
        """``esummary.fcgi`` and ``esearch.fcgi`` with retmode=json."""
        if rest == "esummary.fcgi":
            ids = [i for i in request.args.get("id", "").split(",") if i]
            result: dict[str, Any] = {"uids": ids}
            for uid in ids:
                work = next((w for w in self.works if w.pmid == uid), None)
                result[uid] = _pubmed_doc(work) if work else {"uid": uid, "error": "cannot get document summary"}
            return _json({"header": {"type": "esummary", "version": "0.3"}, "result": result})
        if rest == "esearch.fcgi":
            self.searches["ncbi"] += 1
            term = request.args.get("term", "")
            title = re.search(r"(.*?)\[Title\]", term)
            author = re.search(r"AND (.*?)\[Author\]", term)
            hits = []
            for work in self.works:
                if not work.pmid or not title:
                    continue
                full = norm_text(f"{work.title} {work.subtitle}")
                if norm_text(title.group(1)) in full and (not author or any(norm_text(author.group(1)) == norm_text(f) for _, f in work.authors)):
                    hits.append(work.pmid)
            data = {"count": str(len(hits)), "retmax": str(len(hits)), "retstart": "0", "idlist": hits}
            return _json({"header": {"type": "esearch", "version": "0.3"}, "esearchresult": data})
        return Response("unknown E-utility", 404)

    # -- DataCite ----------------------------------------------------------------------------

    def datacite(self, rest: str, request: Request) -> Response:
        """``/dois/{doi}`` as JSON:API, or its 404 error document."""
        work = self._by_doi(rest.removeprefix("dois/"))
        if work is None or work.registry != "datacite":
            error = {"status": "404", "title": "The resource you are looking for doesn't exist."}
            return _json({"errors": [error]}, 404)
        first, _, last = work.pages.partition("-")
        attributes = {
            "doi": work.doi.lower() if work.doi else "",
            "titles": [{"title": work.title}] + ([{"title": work.subtitle, "titleType": "Subtitle"}] if work.subtitle else []),
            "creators": [{"name": f"{family}, {given}", "nameType": "Personal", "givenName": given, "familyName": family} for given, family in work.authors],
            "publicationYear": work.year,
            "container": {"type": "Series", "title": work.journal, "volume": work.volume, "firstPage": first, "lastPage": last},
            "types": {"resourceTypeGeneral": "Dataset"},
            "url": f"https://repository.example/{work.doi}",
        }
        return _json({"data": {"id": attributes["doi"], "type": "dois", "attributes": attributes}})

    # -- pages -------------------------------------------------------------------------------

    def page(self, rest: str, request: Request) -> Response:
        """An entry's own page."""
        status, content_type, body = self.pages.get(rest, (404, "text/html", "<h1>Not Found</h1>"))
        return Response(body, status, content_type=content_type)


def _json(data: Any, status: int = 200) -> Response:
    """A JSON response."""
    return Response(json.dumps(data), status, content_type="application/json")


def _date(year: int) -> dict[str, Any]:
    """A Crossref partial date."""
    return {"date-parts": [[year]]}


def _crossref_message(work: Work) -> dict[str, Any]:
    """A Crossref ``work`` message with the documented fields."""
    message: dict[str, Any] = {
        "DOI": (work.doi or "").lower(),
        "type": "journal-article",
        "title": [work.html_title or work.title],
        "author": [{"given": g, "family": f, "sequence": "first" if i == 0 else "additional", "affiliation": []}
                   for i, (g, f) in enumerate(work.authors)],
        "container-title": [work.journal] if work.journal else [],
        "short-container-title": [work.abbrev] if work.abbrev else [],
        "issued": _date(work.year),
        "published-print": _date(work.year),
        "volume": work.volume,
        "page": work.pages,
        "URL": f"https://doi.org/{work.doi}",
    }  # fmt: skip
    if work.subtitle:
        message["subtitle"] = [work.subtitle]
    if work.online_year:
        message["published-online"] = _date(work.online_year)
    if work.updated_by:
        message["updated-by"] = work.updated_by
    if work.update_to:
        message["update-to"] = work.update_to
    return {k: v for k, v in message.items() if v not in ("", [])}


def _pubmed_doc(work: Work) -> dict[str, Any]:
    """An esummary document for a PubMed record."""
    names = []
    for given, family in work.authors:
        suffix = " Jr" if given.endswith(" Jr.") else ""
        initials = "".join(p[0] for p in re.split(r"[\s.-]+", given.removesuffix(" Jr.")) if p and p[0].isupper())
        names.append({"name": f"{family} {initials}{suffix}", "authtype": "Author", "clusterid": ""})
    ids = [{"idtype": "pubmed", "idtypen": 1, "value": work.pmid}]
    if work.doi:
        ids.append({"idtype": "doi", "idtypen": 3, "value": work.doi})
    return {
        "uid": work.pmid,
        "pubdate": f"{work.year} Feb 15",
        "epubdate": f"{work.online_year} Dec 1" if work.online_year else "",
        "source": work.abbrev or work.journal,
        "authors": names,
        "lastauthor": names[-1]["name"] if names else "",
        "title": f"{work.title}{': ' + work.subtitle if work.subtitle else ''}.",
        "volume": work.volume,
        "issue": "4",
        "pages": work.medline_pages or work.pages,
        "lang": ["eng"],
        "pubtype": work.pubtypes,
        "articleids": ids,
        "fulljournalname": work.journal,
        "sortpubdate": f"{work.year}/02/15 00:00",
    }
