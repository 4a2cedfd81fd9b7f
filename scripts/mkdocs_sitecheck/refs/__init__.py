"""sitecheck refs: check the bibliography offline, and with ``--online`` against the records it names.

Offline (the default, no network): entry syntax, required fields, identifier forms and check
digits, years, page ranges, duplicates, citable keys, acknowledgements; an entry with no
identifier and no URL to an official page is ``unverifiable``, every other one ``unchecked``.

``--online``: each entry gets one status from doi.org, Crossref, DataCite, NCBI E-utilities or its
page: verified, mismatch, not_found, unverifiable, retracted, or incomplete (a source could not be
reached: exit 3). ``--offline`` does the online checks from the cache only.

An entry may acknowledge its flag with ``verification = {STATUS: reason}``; it is then reported
as acknowledged (REF030, info) and shown as "Not verified (STATUS)" on the site.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs_sitecheck.bib import BibEntry, load_bibliography
from mkdocs_sitecheck.cache import DEFAULT_DIR, Cache
from mkdocs_sitecheck.findings import CheckResult, Finding, UsageError
from mkdocs_sitecheck.project import Project
from mkdocs_sitecheck.refs.consumers import CHOICES, choose_consumer
from mkdocs_sitecheck.refs.model import STATUS_MEANINGS, Identifiers, Outcome, Status
from mkdocs_sitecheck.refs.offline import (
    acknowledgement,
    all_identifiers,
    check_bibliography,
    offline_outcome,
)
from mkdocs_sitecheck.refs.results import (
    checked_line,
    codes_used,
    entry_findings,
    entry_json,
    is_acknowledged,
    printable,
    printable_findings,
    status_counts,
)
from mkdocs_sitecheck.suggest import closest

__all__ = ["add_arguments", "run"]


class _ListCodes(argparse.Action):
    """``--list-codes``: print the codes table and exit."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option: str | None = None) -> None:
        """Print every code with its default severity and meaning, then exit 0."""
        from mkdocs_sitecheck.codes import code_table

        sys.stdout.write(code_table("refs"))
        parser.exit(0)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `sitecheck refs`."""
    parser.add_argument("--bib", metavar="PATH", help="the .bib file (default: the bibtex plugin's bib_file)")
    parser.add_argument(
        "--online",
        action="store_true",
        help="check each entry against doi.org, Crossref, DataCite, PubMed or its page (needs the network)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="do the --online checks from the cache only (no network; uncached entries are incomplete)",
    )
    parser.add_argument("--cache-dir", metavar="DIR", help=f"where --online keeps answers (default: {DEFAULT_DIR} in the project)")
    parser.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="let --online fetch entry URLs on loopback, private or link-local addresses (refused by default:"
        " a bibliography is untrusted input; also SITECHECK_ALLOW_PRIVATE_URLS=1)",
    )
    parser.add_argument("--key", action="append", metavar="KEY", help="check only this entry (repeatable)")
    parser.add_argument(
        "--consumer",
        choices=CHOICES,
        help="the program that reads the file: its verdicts are errors, other programs' warnings "
        "(default: [tool.sitecheck] consumer, else detected: mkdocs-bibtex, Sphinx with sphinxcontrib-bibtex and "
        "Jupyter Book -> pybtex, Quarto -> csl, biblatex fields -> biblatex, else bibtex)",
    )
    parser.add_argument("--list-codes", action=_ListCodes, nargs=0, help="list the finding codes and exit")


def run(args: argparse.Namespace, project: Project) -> CheckResult:
    """Run the refs check."""
    bib_path = Path(args.bib) if getattr(args, "bib", None) else project.bib_file
    if bib_path is None and not project.config_path.exists():
        raise UsageError(f"no bibliography: pass --bib PATH (there is no {project.rel(project.config_path)} here to read the bibtex plugin's bib_file from)")
    if bib_path is None:
        raise UsageError("no bibliography: set the bibtex plugin's bib_file in mkdocs.yml or pass --bib PATH")
    bib = load_bibliography(bib_path)
    path = project.rel(bib_path)
    keys = _selected_keys(getattr(args, "key", None), bib.keys())
    consumer = choose_consumer(getattr(args, "consumer", None), project, bib_path, bib)
    all_found = all_identifiers(bib)
    findings = check_bibliography(bib, path, keys, consumer, all_found)
    entries = [e for e in bib.entries if keys is None or e.key in keys]
    found = {e.key: all_found[e.key] for e in entries}
    acks = {}
    for entry in entries:
        acks[entry.key], problems = acknowledgement(entry, path)
        findings += problems
    online = bool(getattr(args, "online", False) or getattr(args, "offline", False))
    meta: dict[str, Any] = {}
    if online:
        mode = "online, from the cache only" if args.offline else "online"
        import asyncio  # the online machinery loads only when it is used: offline runs start faster

        outcomes, meta = asyncio.run(_verify_online(entries, found, args, project))
    else:
        mode = "offline"
        outcomes = [offline_outcome(e, found[e.key]) for e in entries]
    items = []
    cited = cited_keys(project)
    for entry, outcome in zip(entries, outcomes):
        findings += entry_findings(entry, outcome, acks[entry.key], path)
        items.append(entry_json(entry, found[entry.key], outcome, acks[entry.key]))
        if cited is not None:
            items[-1]["cited"] = entry.key.lower() in cited
    if cited is not None:
        meta["cited"] = sum(1 for i in items if i["cited"])
    meta["consumer"] = {"name": consumer.name, "program": consumer.label, "why": consumer.why}
    return _result(path, mode, entries, outcomes, acks, findings, items, meta)


# mkdocs-bibtex's citation forms: ``[@key]``, ``[see @a; @b, p. 3]`` and (cite_inline) ``@key``.
_CITE_BLOCK = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")
_CITE_KEY = re.compile(r"(?<![\w.])@([\w:-]*[\w-])")


def cited_keys(project: Project) -> set[str] | None:
    """The keys the site's pages cite (lower case), or None without a mkdocs.yml and docs folder."""
    if not project.config_path.is_file() or not project.docs_dir.is_dir():
        return None
    keys: set[str] = set()
    for page in sorted(project.docs_dir.rglob("*.md")):
        try:
            text = page.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for block in _CITE_BLOCK.findall(text):
            keys |= {key.lower() for key in _CITE_KEY.findall(block)}
    return keys


def _selected_keys(wanted: list[str] | None, known: set[str]) -> set[str] | None:
    """The ``--key`` selection; an unknown key is a usage error with a suggestion."""
    if not wanted:
        return None
    for key in wanted:
        if key not in known:
            hint = closest(key, known)
            raise UsageError(f"--key {key}: no such entry" + (f" (did you mean '{hint}'?)" if hint else ""))
    return set(wanted)


async def _verify_online(
    entries: list[BibEntry], found: dict[str, Identifiers], args: argparse.Namespace, project: Project
) -> tuple[list[Outcome], dict[str, Any]]:
    """Check the entries against the services (or only the cache), and say what was asked of whom."""
    from mkdocs_sitecheck.http import Fetcher, mailto
    from mkdocs_sitecheck.refs.online import verify
    from mkdocs_sitecheck.refs.sources import PAGE_REDIRECTS, Endpoints, Sources, policies
    from mkdocs_sitecheck.urlguard import UrlGuard, guarded_transport

    endpoints = Endpoints.from_env()
    cache_dir = Path(args.cache_dir) if args.cache_dir else project.root / DEFAULT_DIR
    cache = Cache(cache_dir, offline=bool(args.offline))
    limits = policies(polite=mailto() is not None, ncbi_key=bool(os.environ.get("NCBI_API_KEY", "").strip()))
    allow = bool(getattr(args, "allow_private_urls", False)) or os.environ.get("SITECHECK_ALLOW_PRIVATE_URLS", "") == "1"
    guard = UrlGuard(allow_private=allow)
    async with (
        Fetcher(limits) as fetcher,
        Fetcher(limits, transport=guarded_transport(guard), max_redirects=PAGE_REDIRECTS) as pages,
    ):
        sources = Sources(fetcher, cache, endpoints, pages=pages, guard=guard)
        outcomes = await verify([(e, found[e.key]) for e in entries], sources)
    meta = {
        "services": {
            "doi": endpoints.doi,
            "crossref": endpoints.crossref,
            "ncbi": endpoints.ncbi,
            "datacite": endpoints.datacite,
        },
        "requests": dict(sorted((fetcher.requests + pages.requests).items())),
        "throttling": {**pages.throttling(), **fetcher.throttling()},
        "cache": {
            "directory": str(cache_dir),
            "read_only": cache.offline,
            "hits": cache.hits,
            "misses": cache.misses,
            "warnings": cache.warnings,
        },
    }
    return outcomes, meta


def _result(
    path: str,
    mode: str,
    entries: list[BibEntry],
    outcomes: list[Outcome],
    acks: dict[str, Any],
    findings: list[Finding],
    items: list[dict[str, Any]],
    meta: dict[str, Any],
) -> CheckResult:
    """The CheckResult with a self-explanatory ``refs`` block and the ``entries`` list for JSON."""
    counts = status_counts(outcomes)
    pairs = list(zip(entries, outcomes))
    acknowledged = [e.key for e, o in zip(entries, outcomes) if is_acknowledged(o, acks[e.key])]
    flagged = [i["key"] for i in items if i["status"] in _FLAGS and not i["acknowledged"]]
    incomplete = [e.key for e, o in zip(entries, outcomes) if o.status is Status.INCOMPLETE]
    summary = {
        "bibliography": path,
        "mode": mode,
        "statuses": counts,
        "status_meanings": STATUS_MEANINGS,
        "acknowledged": acknowledged,
        "unacknowledged_flags": flagged,
        "incomplete": incomplete,
        "acknowledgement_format": "verification = {STATUS: reason}, STATUS one of unverifiable, not_found, mismatch, retracted",
        "codes": codes_used(findings),
        **meta,
    }
    return CheckResult(
        findings=printable_findings(findings),
        checked=printable(checked_line(path, mode, outcomes, [is_acknowledged(o, acks[e.key]) for e, o in pairs])),
        extra={"refs": summary, "entries": items},
        incomplete=bool(incomplete),
    )


_FLAGS = {s.value for s in (Status.UNVERIFIABLE, Status.NOT_FOUND, Status.MISMATCH, Status.RETRACTED)}
