"""Clients for doi.org, Crossref, DataCite, NCBI E-utilities and plain pages, returning normalised records.

Every lookup goes through the cache first (found records 30 days, not found 1 day, errors never)
and then through the shared :class:`~mkdocs_sitecheck.http.Fetcher` with each service's published limits.
A failure to get an answer raises :class:`SourceError`: the entry is then ``incomplete``.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from mkdocs_sitecheck.cache import Cache
from mkdocs_sitecheck.findings import UsageError
from mkdocs_sitecheck.http import Fetcher, FetchError, Policy, mailto
from mkdocs_sitecheck.refs.identifiers import url_problem
from mkdocs_sitecheck.refs.model import Record
from mkdocs_sitecheck.refs.normalise import html_to_text, main_title, norm_text, pubmed_surname, split_authors
from mkdocs_sitecheck.urlguard import UrlGuard

DEFAULT_URLS = {
    "SITECHECK_DOI_URL": "https://doi.org",
    "SITECHECK_CROSSREF_URL": "https://api.crossref.org",
    "SITECHECK_NCBI_URL": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
    "SITECHECK_DATACITE_URL": "https://api.datacite.org",
}
ESUMMARY_BATCH = 200
SEARCH_ROWS = 5
PAGE_BYTES = 512 * 1024  # an entry's page is read no further than this
PAGE_SECONDS = 30.0  # nor for longer than this, redirects and retries included
PAGE_REDIRECTS = 5  # nor through more redirects than this
TITLE_CHARS = 160  # a page's titles are kept (and ever shown) no longer than this
CACHE_VERSION = "v1"


@dataclass(frozen=True)
class Endpoints:
    """The services' base URLs (``SITECHECK_*_URL`` environment variables override them)."""

    doi: str
    crossref: str
    ncbi: str
    datacite: str

    @classmethod
    def from_env(cls) -> Endpoints:
        """Read the base URLs from the environment; a malformed one is a UsageError."""
        values = {}
        for name, default in DEFAULT_URLS.items():
            value = os.environ.get(name, "").strip() or default
            if problem := url_problem(value):
                raise UsageError(f"{name}: {problem}")
            values[name] = value.rstrip("/")
        return cls(*values.values())


def policies(*, polite: bool, ncbi_key: bool) -> dict[str, Policy]:
    """Each service's published limits (Crossref from December 2025; NCBI 3/s, 10/s with an API key)."""
    return {
        "doi.org": Policy(rate=10, concurrency=5),
        "crossref": Policy(rate=10 if polite else 5, concurrency=3 if polite else 1, pool="crossref"),
        "crossref-search": Policy(rate=3 if polite else 1, concurrency=3 if polite else 1, pool="crossref"),
        "datacite": Policy(rate=3 if polite else 1.5, concurrency=3),
        "ncbi": Policy(rate=10 if ncbi_key else 3, concurrency=3),
    }


SERVICE_NAMES = {
    "doi.org": "doi.org",
    "crossref": "Crossref",
    "crossref-search": "Crossref search",
    "datacite": "DataCite",
    "ncbi": "NCBI E-utilities",
}


class SourceError(Exception):
    """A source could not give an answer (unreachable, refused, malformed, or not in the offline cache)."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{SERVICE_NAMES.get(service, service)}: {reason}")
        self.service = service
        self.reason = reason

    @classmethod
    def joined(cls, errors: list[SourceError]) -> SourceError:
        """One error that names every source that failed."""
        error = cls(errors[0].service, errors[0].reason)
        error.args = ("; ".join(dict.fromkeys(str(e) for e in errors)),)
        return error


class Sources:
    """Cached, polite lookups against every service a refs run uses."""

    def __init__(
        self,
        fetcher: Fetcher,
        cache: Cache,
        endpoints: Endpoints,
        *,
        pages: Fetcher | None = None,
        guard: UrlGuard | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.pages = pages or fetcher  # entries' own URLs: untrusted, fetched through the guard's transport
        self.guard = guard or UrlGuard()
        self.cache = cache
        self.urls = endpoints
        self.mailto = mailto()
        self.ncbi_key = os.environ.get("NCBI_API_KEY", "").strip() or None
        self._summaries: dict[str, asyncio.Task[dict[str, Record | None]]] = {}
        self._inflight: dict[tuple[str, str], asyncio.Task[Any]] = {}
        self._known: dict[str, Record | None] = {}  # PubMed summaries already read from the cache

    # -- plumbing ---------------------------------------------------------------------------

    async def _cached(self, namespace: str, key: str, service: str, fetch: Any) -> Any:
        """Serve ``key`` from the cache, or call ``fetch()`` -> (value, found) once and cache the answer.

        Concurrent lookups of the same key share one request; a failure is shared too (and never cached).
        """
        hit = self.cache.get(f"{namespace}-{CACHE_VERSION}", key)
        if hit is not None:
            return hit.value
        if self.cache.offline:
            raise SourceError(service, "not in the cache (--offline)")
        task = self._inflight.get((namespace, key))
        if task is None:
            task = asyncio.ensure_future(self._fetch_and_store(namespace, key, fetch))
            self._inflight[(namespace, key)] = task
        return await task

    async def _fetch_and_store(self, namespace: str, key: str, fetch: Any) -> Any:
        """Fetch an answer and cache it (found or not found); errors propagate uncached."""
        value, found = await fetch()
        self.cache.put(f"{namespace}-{CACHE_VERSION}", key, value, found=found)
        return value

    async def _get(self, service: str, url: str, params: dict[str, str] | None = None) -> httpx.Response:
        """GET through the fetcher; a failure after retries becomes a SourceError."""
        try:
            return await self.fetcher.get(url, service=service, params=params)
        except FetchError as exc:
            raise SourceError(service, exc.reason) from None

    def _json(self, service: str, response: httpx.Response) -> Any:
        """The JSON body of a response, or a SourceError saying it was malformed."""
        try:
            return response.json()
        except (ValueError, UnicodeDecodeError):
            snippet = " ".join(response.text[:60].split())
            reason = f"malformed response (HTTP {response.status_code}, not JSON: '{snippet}')"
            raise SourceError(service, reason) from None

    def _polite(self, params: dict[str, str]) -> dict[str, str]:
        """Add ``mailto`` when SITECHECK_MAILTO is set."""
        return {**params, "mailto": self.mailto} if self.mailto else params

    def _ncbi(self, params: dict[str, str]) -> dict[str, str]:
        """Add NCBI's ``tool``, ``email`` and ``api_key`` parameters."""
        extra = {"tool": "sitecheck"}
        if self.mailto:
            extra["email"] = self.mailto
        if self.ncbi_key:
            extra["api_key"] = self.ncbi_key
        return {**params, **extra}

    # -- doi.org ----------------------------------------------------------------------------

    async def doi_exists(self, doi: str) -> bool:
        """Whether the DOI is registered, from the doi.org handle API (responseCode 1 or 200 = it exists)."""

        async def fetch() -> tuple[bool, bool]:
            url = f"{self.urls.doi}/api/handles/{quote(doi, safe='/')}"
            response = await self._get("doi.org", url, {"type": "URL"})
            data = self._json("doi.org", response)
            code = data.get("responseCode") if isinstance(data, dict) else None
            if response.status_code == 200 and code in (1, 200):
                return True, True
            if code == 100:  # the handle API's own "handle not found" (with HTTP 404): only this means not found
                return False, False
            raise SourceError("doi.org", f"unexpected answer (HTTP {response.status_code}, responseCode {code})")

        return bool(await self._cached("doi-handle", f"{self.urls.doi}|{doi.casefold()}", "doi.org", fetch))

    # -- Crossref ---------------------------------------------------------------------------

    async def crossref_work(self, doi: str) -> Record | None:
        """Crossref's record of a DOI, or None when Crossref does not know it (404 'Resource not found.')."""

        async def fetch() -> tuple[dict[str, Any] | None, bool]:
            url = f"{self.urls.crossref}/works/{quote(doi, safe='/')}"
            response = await self._get("crossref", url, self._polite({}))
            if response.status_code == 404 and response.text.strip() == "Resource not found.":
                return None, False  # Crossref's own answer for a DOI it does not hold; any other 404 is a fault
            if response.status_code != 200:
                raise SourceError("crossref", f"HTTP {response.status_code}")
            message = _message(self._json("crossref", response), "crossref")
            return crossref_record(message).as_dict(), True

        data = await self._cached("crossref-work", f"{self.urls.crossref}|{doi.casefold()}", "crossref", fetch)
        return Record.from_dict(data) if data else None

    async def crossref_search(self, query: str) -> list[Record]:
        """Crossref ``query.bibliographic`` results (up to 5), normalised."""

        async def fetch() -> tuple[list[dict[str, Any]], bool]:
            params = self._polite({"query.bibliographic": query, "rows": str(SEARCH_ROWS)})
            response = await self._get("crossref-search", f"{self.urls.crossref}/works", params)
            if response.status_code != 200:
                raise SourceError("crossref-search", f"HTTP {response.status_code}")
            message = _message(self._json("crossref-search", response), "crossref-search")
            items = message.get("items")
            if not isinstance(items, list):
                raise SourceError("crossref-search", "malformed response (no message.items list)")
            records = [crossref_record(item).as_dict() for item in items if isinstance(item, dict)]
            return records, bool(records)

        key = f"{self.urls.crossref}|{norm_text(query)}"
        return [Record.from_dict(d) for d in await self._cached("crossref-search", key, "crossref-search", fetch)]

    # -- DataCite ---------------------------------------------------------------------------

    async def datacite_work(self, doi: str) -> Record | None:
        """DataCite's record of a DOI, or None when DataCite does not know it (404 JSON:API error)."""

        async def fetch() -> tuple[dict[str, Any] | None, bool]:
            url = f"{self.urls.datacite}/dois/{quote(doi, safe='/')}"
            response = await self._get("datacite", url, self._polite({}))
            if response.status_code == 404 and _jsonapi_not_found(response):
                return None, False  # DataCite's JSON:API "not found"; any other 404 is a fault
            if response.status_code != 200:
                raise SourceError("datacite", f"HTTP {response.status_code}")
            data = self._json("datacite", response)
            attributes = data.get("data", {}).get("attributes") if isinstance(data, dict) else None
            if not isinstance(attributes, dict):
                raise SourceError("datacite", "malformed response (no data.attributes)")
            return datacite_record(doi, attributes).as_dict(), True

        data = await self._cached("datacite-doi", f"{self.urls.datacite}|{doi.casefold()}", "datacite", fetch)
        return Record.from_dict(data) if data else None

    # -- NCBI -------------------------------------------------------------------------------

    def prefetch_pubmed(self, pmids: Iterable[str]) -> None:
        """Start fetching PubMed summaries for many PMIDs, ``ESUMMARY_BATCH`` per request (cached ones aside)."""
        wanted = []
        for pmid in dict.fromkeys(pmids):
            if pmid in self._summaries or pmid in self._known:
                continue
            hit = self.cache.get(f"pubmed-{CACHE_VERSION}", self._pubmed_key(pmid))
            if hit is not None:
                self._known[pmid] = Record.from_dict(hit.value) if hit.value else None
            else:
                wanted.append(pmid)
        if self.cache.offline:
            return
        for start in range(0, len(wanted), ESUMMARY_BATCH):
            batch = wanted[start : start + ESUMMARY_BATCH]
            task = asyncio.ensure_future(self._esummary("pubmed", batch))
            for pmid in batch:
                self._summaries[pmid] = task

    def _pubmed_key(self, pmid: str, db: str = "pubmed") -> str:
        """The cache key of a summary."""
        return f"{self.urls.ncbi}|{db}|{pmid}"

    async def pubmed(self, pmid: str) -> Record | None:
        """PubMed's summary of a PMID, or None when PubMed has no such record."""
        return await self._summary("pubmed", pmid)

    async def pmc(self, pmcid: str) -> Record | None:
        """PMC's summary of a PMCID (``PMC123``), or None when PMC has no such record."""
        return await self._summary("pmc", pmcid.upper().removeprefix("PMC"))

    async def _summary(self, db: str, uid: str) -> Record | None:
        """One summary: from the cache, from a prefetched batch, or fetched alone."""
        if db == "pubmed" and uid in self._known:
            return self._known[uid]
        namespace = "pubmed" if db == "pubmed" else "pmc"
        hit = self.cache.get(f"{namespace}-{CACHE_VERSION}", self._pubmed_key(uid, db))
        if hit is not None:
            return Record.from_dict(hit.value) if hit.value else None
        if self.cache.offline:
            raise SourceError("ncbi", "not in the cache (--offline)")
        task = self._summaries.get(uid) if db == "pubmed" else None
        if task is None:
            task = asyncio.ensure_future(self._esummary(db, [uid]))
            if db == "pubmed":
                self._summaries[uid] = task
        return (await task).get(uid)

    async def _esummary(self, db: str, uids: list[str]) -> dict[str, Record | None]:
        """Fetch and cache summaries; NCBI reports an unknown id as ``result[uid].error``."""
        params = self._ncbi({"db": db, "id": ",".join(uids), "retmode": "json"})
        response = await self._get("ncbi", f"{self.urls.ncbi}/esummary.fcgi", params)
        if response.status_code != 200:
            raise SourceError("ncbi", f"HTTP {response.status_code}")
        data = self._json("ncbi", response)
        result = data.get("result") if isinstance(data, dict) else None
        if not isinstance(result, dict):
            error = data.get("error") if isinstance(data, dict) else None
            raise SourceError("ncbi", f"malformed response (no result{': ' + str(error) if error else ''})")
        records: dict[str, Record | None] = {}
        namespace = "pubmed" if db == "pubmed" else "pmc"
        for uid in uids:
            doc = result.get(uid)
            if isinstance(doc, dict) and "error" not in doc and doc.get("title") is not None:
                record = pubmed_record(doc, db)
                records[uid] = record
                self.cache.put(f"{namespace}-{CACHE_VERSION}", self._pubmed_key(uid, db), record.as_dict(), found=True)
            elif isinstance(doc, dict) or uid not in result.get("uids", [uid]):
                records[uid] = None  # {"uid": …, "error": "cannot get document summary"}, or left out
                self.cache.put(f"{namespace}-{CACHE_VERSION}", self._pubmed_key(uid, db), None, found=False)
            else:
                raise SourceError("ncbi", f"malformed response (no summary for {uid})")
        return records

    async def pubmed_search(self, term: str) -> list[Record]:
        """PubMed esearch for a term, then the summaries of the (up to 5) ids it returns."""

        async def fetch() -> tuple[list[str], bool]:
            params = self._ncbi({"db": "pubmed", "term": term, "retmode": "json", "retmax": str(SEARCH_ROWS)})
            response = await self._get("ncbi", f"{self.urls.ncbi}/esearch.fcgi", params)
            if response.status_code != 200:
                raise SourceError("ncbi", f"HTTP {response.status_code}")
            data = self._json("ncbi", response)
            idlist = data.get("esearchresult", {}).get("idlist") if isinstance(data, dict) else None
            if not isinstance(idlist, list):
                raise SourceError("ncbi", "malformed response (no esearchresult.idlist)")
            ids = [str(i) for i in idlist if str(i).isdigit()]
            return ids, bool(ids)

        ids = await self._cached("pubmed-search", f"{self.urls.ncbi}|{norm_text(term)}", "ncbi", fetch)
        if not ids:
            return []
        self.prefetch_pubmed(ids)
        found = await asyncio.gather(*(self.pubmed(i) for i in ids))
        return [r for r in found if r is not None]

    # -- pages ------------------------------------------------------------------------------

    async def page(self, url: str) -> dict[str, Any]:
        """A page's status, content type, titles and (normalised) text, for checking an entry's URL.

        The URL comes from the bibliography, so it is untrusted: a URL the guard refuses (a
        loopback, private, link-local or metadata address, directly or by DNS) is not fetched and
        comes back as ``{"refused": why}``; redirects, bytes and time are capped, and only short
        titles are kept.
        """
        if refused := await self.guard.refusal(url):
            return {"status": 0, "content_type": "", "titles": [], "text": "", "refused": refused}

        async def fetch() -> tuple[dict[str, Any], bool]:
            host = urlsplit(url).hostname or url
            try:
                response = await asyncio.wait_for(self.pages.get(url, max_bytes=PAGE_BYTES), PAGE_SECONDS)
            except FetchError as exc:
                raise SourceError(host, exc.reason) from None
            except TimeoutError:
                raise SourceError(host, f"no complete answer within {PAGE_SECONDS:g} s") from None
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            data: dict[str, Any] = {"status": response.status_code, "content_type": content_type}
            data.update(titles=[], text="")
            if response.status_code < 400 and "html" in content_type:
                text = response.text
                data["titles"] = [title[:TITLE_CHARS] for title in page_titles(text)[:5]]
                data["text"] = norm_text(html_to_text(re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)))[:50_000]
            return data, response.status_code < 400

        return await self._cached("page", url, urlsplit(url).hostname or url, fetch)


def _jsonapi_not_found(response: httpx.Response) -> bool:
    """Whether a 404 carries DataCite's JSON:API error document (``{"errors": [{"status": "404"…}]}``)."""
    try:
        data = response.json()
    except (ValueError, UnicodeDecodeError):
        return False
    errors = data.get("errors") if isinstance(data, dict) else None
    return isinstance(errors, list) and any(isinstance(e, dict) and str(e.get("status")) == "404" for e in errors)


def _message(data: Any, service: str) -> dict[str, Any]:
    """Crossref's ``message`` envelope, or a SourceError when it is missing."""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise SourceError(service, "malformed response (no message object)")
    return message


def _strings(value: Any) -> list[str]:
    """A list of non-empty strings from a JSON value that should be one (anything else is dropped)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [" ".join(v.split()) for v in value if isinstance(v, str) and v.strip()]


def _date_year(value: Any) -> int | None:
    """The year of a Crossref date (``{"date-parts": [[2019, 3, 1]]}``)."""
    try:
        year = value["date-parts"][0][0]
    except (KeyError, IndexError, TypeError):
        return None
    return year if isinstance(year, int) and 1000 <= year <= 3000 else None


def _list(value: Any) -> list[Any]:
    """A JSON value if it is an array, else an empty one."""
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    """A JSON value if it is an object, else an empty one."""
    return value if isinstance(value, dict) else {}


def _updates(value: Any) -> list[dict[str, str]]:
    """Crossref ``updated-by`` / ``update-to`` items as ``{type, doi, label, source, date}``."""
    if not isinstance(value, list):
        return []
    updates = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            continue
        updated = _dict(item.get("updated"))
        date = updated.get("date-time") or ("-".join(str(p) for p in (updated.get("date-parts") or [[]])[0]))
        update = {
            "type": item["type"],
            "doi": str(item.get("DOI", "")),
            "label": str(item.get("label", "")),
            "source": str(item.get("source", "")),
            "date": str(date or ""),
        }
        updates.append({k: v for k, v in update.items() if v})
    return updates


def crossref_record(message: dict[str, Any]) -> Record:
    """Normalise a Crossref work (``/works/{doi}`` message, or one search item)."""
    titles = _strings(message.get("title"))
    subtitles = _strings(message.get("subtitle"))
    full = [f"{t}: {s}" for t in titles[:1] for s in subtitles]
    authors = []
    for author in _list(message.get("author")):
        if isinstance(author, dict):
            name = author.get("family") or author.get("name")
            if isinstance(name, str) and name.strip():
                authors.append(" ".join(name.split()))
    years = []
    for key in ("issued", "published-print", "published-online", "published"):
        year = _date_year(message.get(key))
        if year and year not in years:
            years.append(year)
    page = message.get("page") or message.get("article-number") or ""
    return Record(
        source="crossref",
        id=str(message.get("DOI", "")),
        titles=full + titles + _strings(message.get("original-title")) + _strings(message.get("short-title")),
        authors=authors,
        years=years,
        journals=_strings(message.get("container-title")) + _strings(message.get("short-container-title")),
        volume=str(message.get("volume") or ""),
        pages=str(page),
        doi=str(message.get("DOI", "")),
        isbns=_strings(message.get("ISBN")),
        updates=_updates(message.get("updated-by")),
        update_to=_updates(message.get("update-to")),
        kind=str(message.get("type") or ""),
        url=str(message.get("URL") or ""),
    )


def datacite_record(doi: str, attributes: dict[str, Any]) -> Record:
    """Normalise a DataCite DOI's ``data.attributes``."""
    titles: list[str] = []
    subtitles: list[str] = []
    for item in _list(attributes.get("titles")):
        if isinstance(item, dict) and isinstance(item.get("title"), str):
            (subtitles if item.get("titleType") == "Subtitle" else titles).append(" ".join(item["title"].split()))
    authors = []
    for creator in _list(attributes.get("creators")):
        if not isinstance(creator, dict):
            continue
        family, name = creator.get("familyName"), creator.get("name")
        if isinstance(family, str) and family.strip():
            authors.append(family.strip())
        elif isinstance(name, str) and name.strip():
            parsed = split_authors(name if creator.get("nameType") != "Organizational" else "{" + name + "}")
            authors.append(parsed[0].last if parsed else name.strip())
    container = _dict(attributes.get("container"))
    year = attributes.get("publicationYear")
    year = int(year) if isinstance(year, (int, str)) and str(year).isdigit() else None
    first, last = container.get("firstPage"), container.get("lastPage")
    types = _dict(attributes.get("types"))
    return Record(
        source="datacite",
        id=str(attributes.get("doi") or doi),
        titles=[f"{titles[0]}: {s}" for s in subtitles[:1] if titles] + titles,
        authors=authors,
        years=[year] if year else [],
        journals=_strings(container.get("title")),
        volume=str(container.get("volume") or ""),
        pages=f"{first}-{last}" if first and last else str(first or ""),
        doi=str(attributes.get("doi") or doi),
        kind=str(types.get("resourceTypeGeneral") or ""),
        url=str(attributes.get("url") or ""),
    )


def pubmed_record(doc: dict[str, Any], db: str = "pubmed") -> Record:
    """Normalise an esummary document (PubMed or PMC)."""
    authors = []
    for author in _list(doc.get("authors")):
        if isinstance(author, dict) and isinstance(author.get("name"), str) and author["name"].strip():
            name = author["name"].strip()
            authors.append(name if author.get("authtype") == "CollectiveName" else pubmed_surname(name))
    years = []
    for key in ("pubdate", "epubdate", "printpubdate", "sortpubdate"):
        match = re.match(r"\s*(\d{4})", str(doc.get(key) or ""))
        if match and int(match.group(1)) not in years:
            years.append(int(match.group(1)))
    article_ids: dict[str, str] = {}
    for item in _list(doc.get("articleids")):
        if isinstance(item, dict) and isinstance(item.get("idtype"), str):
            article_ids.setdefault(item["idtype"].lower(), str(item.get("value", "")))
    uid = str(doc.get("uid", ""))
    pmcid = article_ids.get("pmc") or article_ids.get("pmcid", "").split(";")[0].removeprefix("pmc-id: ")
    return Record(
        source=db,
        id=uid if db == "pubmed" else f"PMC{uid}",
        titles=[html_to_text(str(doc.get("title") or ""))],
        authors=authors,
        years=years,
        journals=_strings(doc.get("fulljournalname")) + _strings(doc.get("source")),
        volume=str(doc.get("volume") or ""),
        pages=str(doc.get("pages") or ""),
        doi=article_ids.get("doi", ""),
        pmid=uid if db == "pubmed" else article_ids.get("pmid", ""),
        pmcid=pmcid if pmcid.upper().startswith("PMC") else "",
        pubtypes=_strings(doc.get("pubtype")),
    )


_META_TITLE = re.compile(
    r"""<meta\s[^>]*(?:name|property)=["'](?:citation_title|og:title|dc\.title)["'][^>]*content=["']([^"']+)["']""",
    re.IGNORECASE,
)


def page_titles(text: str) -> list[str]:
    """A page's ``<title>``, ``citation_title``/``og:title`` meta tags and ``<h1>`` headings."""
    titles = [m.group(1) for m in _META_TITLE.finditer(text)]
    titles += re.findall(r"(?is)<title[^>]*>(.*?)</title>", text)[:1]
    titles += re.findall(r"(?is)<h1[^>]*>(.*?)</h1>", text)[:3]
    cleaned = [html_to_text(t) for t in titles]
    return list(dict.fromkeys(t for t in cleaned if t))


def search_terms(title: str, surname: str, year: int | None, journal: str) -> tuple[str, str]:
    """The Crossref bibliographic query and the PubMed term for an entry without identifiers."""
    query = " ".join(p for p in (title, surname, journal, str(year) if year else "") if p)
    main = norm_text(main_title(title))
    term = f"{main}[Title]" + (f" AND {surname}[Author]" if surname else "")
    return query, term
