"""Read and validate identifiers: DOI, PMID, PMCID, ISBN, ISSN and URLs (offline, by form and check digit)."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote, urlsplit

_DOI_PREFIX = re.compile(r"^(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
# A shortDOI (https://shortdoi.org): ``10/abc12``, resolved by doi.org like any DOI.
_SHORT_DOI = re.compile(r"^10/[A-Za-z0-9]+$")
_LATEX_ESCAPE = re.compile(r"\{?\\([_&%#$])\}?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalise_doi(raw: str) -> str:
    """A DOI without ``https://doi.org/``, ``doi:`` or LaTeX escapes (letter case kept for display)."""
    text = _LATEX_ESCAPE.sub(r"\1", raw.strip())
    if _DOI_PREFIX.match(text):
        text = _DOI_PREFIX.sub("", text)
        if "%" in text:
            text = unquote(text)
    return text.strip()


def doi_problem(doi: str) -> str | None:
    """Why a normalised DOI is not a DOI, or None."""
    if not doi:
        return "the DOI is empty"
    if _CONTROL.search(doi):
        return f"'{doi}' contains a control character (a DOI is printable text)"
    if _SHORT_DOI.match(doi):
        return None
    if not doi.startswith("10."):
        return f"'{doi}' does not start with '10.' (a DOI looks like 10.1000/xyz)"
    if not _DOI.match(doi):
        return f"'{doi}' is not of the form 10.NNNN/suffix (no spaces)"
    if doi[-1] in ".,;":
        return f"'{doi}' ends with '{doi[-1]}', which is probably punctuation, not part of the DOI"
    return None


def doi_key(doi: str) -> str:
    """DOIs are case-insensitive: the form used to compare them."""
    return doi.casefold()


def normalise_pmid(raw: str) -> str:
    """A PMID without a ``PMID:`` prefix."""
    return re.sub(r"^pmid:?\s*", "", raw.strip(), flags=re.IGNORECASE)


def pmid_problem(pmid: str) -> str | None:
    """Why a PMID is not a PMID (a positive whole number of up to 9 digits), or None."""
    if not re.fullmatch(r"[0-9]{1,9}", pmid) or int(pmid) == 0:
        hint = " (that is a PMCID: put it in the pmcid field)" if pmid.upper().startswith("PMC") else ""
        return f"'{pmid}' is not a PMID (a number of up to 9 digits){hint}"
    return None


def normalise_pmcid(raw: str) -> str:
    """A PMCID in upper case, without a ``PMCID:`` prefix (``PMCID: pmc123`` -> ``PMC123``)."""
    return re.sub(r"^PMCID:?\s*", "", raw.strip().upper())


def pmcid_problem(pmcid: str) -> str | None:
    """Why a PMCID is not ``PMC`` followed by digits, or None."""
    if re.fullmatch(r"PMC[0-9]{1,9}", pmcid):
        return None
    if re.fullmatch(r"[0-9]{1,9}", pmcid):
        return f"'{pmcid}' is not a PMCID: write 'PMC{pmcid}'"
    return f"'{pmcid}' is not a PMCID (PMC followed by digits)"


def split_isbns(raw: str) -> list[str]:
    """The ISBNs in an ``isbn`` field: several may be separated by commas, semicolons or spaces.

    Zotero writes ``9780521880688 0521880688``; a single ISBN may itself contain spaces
    (``0 19 853453 1``), so a part is split at spaces only when every piece is an ISBN by itself.
    """
    isbns: list[str] = []
    for part in re.split(r"[,;]|\s+(?:and|or)\s+", strip_qualifiers(raw)):
        part = part.strip()
        if not part:
            continue
        pieces = part.split()
        if len(pieces) > 1 and isbn_problem(part) and all(_isbn_shaped(p) for p in pieces):
            isbns += pieces
        else:
            isbns.append(part)
    return isbns


_QUALIFIER = re.compile(r"\s*\((?:[^()0-9]*)\)|\s*\[(?:[^\[\]0-9]*)\]")


def strip_qualifiers(raw: str) -> str:
    """``2689-6575 (Electronic)`` -> ``2689-6575``: catalogue qualifiers (print, electronic, pbk.) go."""
    return _QUALIFIER.sub(" ", raw)


def _isbn_shaped(text: str) -> bool:
    """Whether a piece has the form of an ISBN-10 or ISBN-13 (digits and hyphens; check digit not tested)."""
    digits = re.sub(r"-", "", re.sub(r"^isbn(?:-1[03])?:?", "", text, flags=re.IGNORECASE)).upper()
    return bool(re.fullmatch(r"[0-9]{9}[0-9X]|97[89][0-9]{10}", digits))


def isbn_problem(isbn: str) -> str | None:
    """Why an ISBN-10 or ISBN-13 has the wrong form or check digit, or None."""
    digits = re.sub(r"[\s-]", "", re.sub(r"^isbn(?:-1[03])?:?\s*", "", isbn, flags=re.IGNORECASE)).upper()
    if re.fullmatch(r"[0-9]{9}[0-9X]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return None if total % 11 == 0 else f"ISBN '{isbn}' has a wrong check digit"
    if re.fullmatch(r"97[89][0-9]{10}", digits):
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return None if total % 10 == 0 else f"ISBN '{isbn}' has a wrong check digit"
    return f"'{isbn}' is not an ISBN-10 or ISBN-13"


def issn_problem(issn: str) -> str | None:
    """Why an ISSN has the wrong form (NNNN-NNNC) or check digit, or None."""
    match = re.fullmatch(r"([0-9]{4})-?([0-9]{3}[0-9Xx])", issn.strip())
    if not match:
        return f"'{issn}' is not an ISSN (NNNN-NNNC)"
    digits = (match.group(1) + match.group(2)).upper()
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    return None if digits[7] == ("X" if check == 10 else str(check)) else f"ISSN '{issn}' has a wrong check digit"


def normalise_url(raw: str) -> str:
    """A URL without a ``\\url{}`` wrapper or LaTeX escapes."""
    text = raw.strip()
    match = re.fullmatch(r"\\url\s*\{(.*)\}", text, re.DOTALL)
    text = match.group(1).strip() if match else text
    return _LATEX_ESCAPE.sub(r"\1", text)


def url_problem(url: str) -> str | None:
    """Why a URL is not an absolute http(s) URL with a host, or None."""
    if not url or re.search(r"\s", url):
        return f"'{url}' is not a URL (it is empty or contains spaces)"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return f"'{url}' is not a valid URL: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"'{url}' is not an http(s) URL"
    if not host or not (_is_ip(host) or host == "localhost" or re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", host)):
        return f"'{url}' has no valid host name"
    return None


def _is_ip(host: str) -> bool:
    """Whether a host is an IP address."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# Pages that are not an official record of a work: search engines, encyclopaedias, shadow
# libraries, personal upload sites, social networks and link shorteners.
UNOFFICIAL_HOSTS = (
    "google.", "scholar.google.", "bing.com", "duckduckgo.com", "wikipedia.org", "researchgate.net",
    "academia.edu", "sci-hub.", "libgen.", "z-lib.", "facebook.com", "twitter.com", "x.com", "reddit.com",
    "linkedin.com", "bit.ly", "tinyurl.com", "t.co", "goo.gl",
)  # fmt: skip


def unofficial_host(url: str) -> str | None:
    """The host of a URL if it is a search engine, Wikipedia, a shadow library or similar, else None."""
    host = (urlsplit(url).hostname or "").lower()
    for pattern in UNOFFICIAL_HOSTS:
        if pattern.endswith("."):
            if host.startswith(pattern) or f".{pattern}" in f".{host}":
                return host
        elif host == pattern or host.endswith(f".{pattern}"):
            return host
    return None


def identifiers_in_url(url: str) -> dict[str, str]:
    """A DOI, PMID or PMCID that a doi.org, PubMed or PMC URL names."""
    parts = urlsplit(url)
    host, path = (parts.hostname or "").lower(), unquote(parts.path)
    if host in ("doi.org", "dx.doi.org", "www.doi.org") and (path.startswith("/10.") or _SHORT_DOI.match(path[1:])):
        return {"doi": path[1:]}
    if host == "pubmed.ncbi.nlm.nih.gov" and (m := re.fullmatch(r"/([0-9]{1,9})/?", path)):
        return {"pmid": m.group(1)}
    if host == "www.ncbi.nlm.nih.gov" and (m := re.fullmatch(r"/pubmed/([0-9]{1,9})/?", path)):
        return {"pmid": m.group(1)}
    if host in ("www.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov") and (m := re.fullmatch(r"(?:/pmc)?/articles/(PMC[0-9]{1,9})/?", path, re.IGNORECASE)):
        return {"pmcid": m.group(1).upper()}
    return {}


# biblatex's ``eprinttype`` (or BibTeX's ``archiveprefix``) names the archive an ``eprint`` is in.
EPRINT_TYPES = {
    "arxiv": "arxiv", "jstor": "jstor", "pubmed": "pubmed", "pmid": "pubmed", "pmc": "pmc", "pmcid": "pmc",
    "hdl": "hdl", "handle": "hdl", "googlebooks": "googlebooks", "doi": "doi", "ssrn": "ssrn", "hal": "hal",
    "biorxiv": "biorxiv", "medrxiv": "medrxiv", "repec": "repec", "ads": "ads", "mr": "mr", "zbl": "zbl",
}  # fmt: skip
_ARXIV = re.compile(r"^(?:arxiv:)?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE)


def eprint_of(eprint: str, kind: str) -> tuple[str, str] | None:
    """``(archive, id)`` for an entry's ``eprint`` and ``eprinttype``/``archiveprefix``, or None.

    An ``eprint`` without a type counts when it has arXiv's form (biblatex's default reading).
    """
    eprint, kind = eprint.strip(), kind.strip().lower()
    if not eprint or re.search(r"\s", eprint):
        return None
    archive = EPRINT_TYPES.get(kind.replace(" ", "").replace("-", ""))
    if archive is None and kind:
        return (kind, eprint)  # a named archive biblatex prints as 'kind: id'
    if archive is None:
        return ("arxiv", eprint) if _ARXIV.match(eprint) else None
    return archive, eprint


def eprint_problem(archive: str, eprint: str) -> str | None:
    """Why an eprint id does not have its archive's form (arXiv, PubMed, PMC), or None."""
    if archive == "arxiv" and not _ARXIV.match(eprint):
        return f"'{eprint}' is not an arXiv identifier (like 2101.01234 or hep-th/9901001)"
    if archive == "pubmed":
        return pmid_problem(normalise_pmid(eprint))
    if archive == "pmc":
        return pmcid_problem(normalise_pmcid(eprint if eprint.upper().startswith("PMC") else f"PMC{eprint}"))
    return None
