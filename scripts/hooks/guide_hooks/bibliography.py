"""MkDocs hook around mkdocs-bibtex: cache formatted citations, group the bibliography page, fix back-links.

* mkdocs-bibtex formats every citation on every page again with pybtex. We memoise the
  registry's ``reference_text`` per key, so build time grows with the number of distinct
  entries, not with the number of citations.
* ``<!-- bibliography: KEYWORD -->`` on a page expands to every refs.bib entry whose
  ``keywords`` field holds KEYWORD, formatted by mkdocs-bibtex, each with an ``id`` of
  ``ref-KEY``, and entries that carry a ``verification`` field visibly marked as not verified.
  Raw keys are not shown: readers see only the formatted reference.
* Footnotes (and so Material's citation tooltips) for entries with a ``verification`` field
  start with a "Not verified" mark that links to the entry on the bibliography page.
* Adjacent citation numbers get a comma between them, visible and read out by screen readers.
* A footnote definition with no reference on its page (as ``\\full_bibliography`` writes
  them) would get a back-link to an anchor that does not exist, which fails MkDocs' anchor
  validation; we turn such definitions into a plain list with ``ref-KEY`` ids instead.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from mkdocs_sitecheck.api import BibEntry, bibliography_entries

log = logging.getLogger("mkdocs.hooks.bibliography")

BIBLIOGRAPHY_PAGE = "reference/bibliography.md"
GROUP_MARKER = re.compile(r"^<!--\s*bibliography:\s*(?P<keyword>[\w-]+)\s*-->\s*$", re.MULTILINE)
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<label>[^\]]+)\]:[ \t]*(?P<text>.*)$")
FOOTNOTE_REF = re.compile(r"\[\^([^\]]+)\](?!:)")

NOT_VERIFIED_BADGE = '<span class="bib-flag">Not verified</span>'
# Adjacent footnote references, as mkdocs-bibtex writes ``[@a; @b]``: "<sup ...>1</sup><sup ...>3</sup>".
ADJACENT_FOOTNOTE_REFS = re.compile(r'(</sup>)\s*(?=<sup id="fnref)')
FOOTNOTE_SEPARATOR = '<sup class="fn-sep">,</sup>'

_entries: list[BibEntry] = []
_unverified: set[str] = set()


def _bibtex_plugin(config: Any) -> Any | None:
    """The configured mkdocs-bibtex plugin instance, if any."""
    return config["plugins"].get("bibtex")


@event_priority(-100)  # after mkdocs-bibtex has built its registry
def on_config(config: Any) -> Any:
    """Memoise citation formatting and load refs.bib for the grouped bibliography."""
    plugin = _bibtex_plugin(config)
    if plugin is None or plugin.registry is None:
        return config
    registry = plugin.registry
    if not getattr(registry, "_sitecheck_cached", False):
        original = registry.reference_text
        cache: dict[str, str] = {}

        def reference_text(citation: Any) -> str:
            """Format a citation once per build and reuse the text."""
            if citation.key not in cache:
                cache[citation.key] = original(citation)
            return cache[citation.key]

        registry.reference_text = reference_text
        registry._sitecheck_cached = True
    bib_path = Path(config["config_file_path"]).parent / plugin.config.bib_file
    global _entries, _unverified
    _entries = bibliography_entries(bib_path)
    _unverified = {entry.key for entry in _entries if entry.get("verification")}
    return config


def _group_markdown(keyword: str, plugin: Any) -> str:
    """The Markdown for every entry tagged with ``keyword``, sorted by key."""
    items = []
    for entry in sorted(_entries, key=lambda e: e.key.lower()):
        keywords = {k.strip() for k in entry.get("keywords").split(",")}
        if keyword not in keywords:
            continue
        text = plugin.registry.reference_text(_Citation(entry.key))
        badge = f" {NOT_VERIFIED_BADGE}" if entry.key in _unverified else ""
        items.append(f'- <span id="ref-{entry.key}" class="bib-key"></span>{badge} {text}')
    if not items:
        log.warning("bibliography group '%s' matches no entry in refs.bib", keyword)
    return "\n".join(items)


class _Citation:
    """The minimal citation object mkdocs-bibtex's registry formats."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.prefix = ""
        self.suffix = ""


@event_priority(-100)  # after mkdocs-bibtex has replaced citations and written footnote definitions
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Expand bibliography markers and list unreferenced footnote definitions plainly."""
    plugin = _bibtex_plugin(config)
    if plugin is None:
        return markdown
    if "<!--" in markdown:
        markdown = GROUP_MARKER.sub(lambda m: _group_markdown(m.group("keyword"), plugin), markdown)
    has_bibliography_page = files is not None and files.get_file_from_path(BIBLIOGRAPHY_PAGE) is not None
    markdown = _flag_unverified_footnotes(markdown, page if has_bibliography_page else None)
    return _unreferenced_definitions_as_list(markdown)


def _bibliography_link(page: Any, key: str) -> str:
    """A link from ``page`` to ``key``'s entry on the bibliography page, relative to the page's file."""
    return "../" * page.file.src_uri.count("/") + f"{BIBLIOGRAPHY_PAGE}#ref-{key}"


def _flag_unverified_footnotes(markdown: str, page: Any | None) -> str:
    """Start each footnote for an entry with a ``verification`` field with a "Not verified" mark.

    Material copies footnotes into citation tooltips, so the mark shows there too. It links to the
    entry on the bibliography page, where the reason is given.
    """
    if not _unverified:
        return markdown
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        match = FOOTNOTE_DEF.match(line)
        if match and match.group("label") in _unverified:
            label = match.group("label")
            mark = f"[Not verified]({_bibliography_link(page, label)}){{ .bib-flag }}" if page else NOT_VERIFIED_BADGE
            lines[number] = f"[^{label}]: {mark} {match.group('text')}"
    return "\n".join(lines)


def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    """Separate adjacent citation numbers with a comma, so "1" and "3" never read as "13"."""
    return ADJACENT_FOOTNOTE_REFS.sub(lambda m: m.group(1) + FOOTNOTE_SEPARATOR, html_text)


def _unreferenced_definitions_as_list(markdown: str) -> str:
    """Turn footnote definitions that nothing on the page references into a plain reference list."""
    referenced = set(FOOTNOTE_REF.findall(markdown))
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        match = FOOTNOTE_DEF.match(line)
        if match and match.group("label") not in referenced:
            lines[number] = f'- <span id="ref-{match.group("label")}"></span>{match.group("text")}'
            if number and not FOOTNOTE_DEF.match(lines[number - 1]) and lines[number - 1].strip():
                lines[number] = "\n" + lines[number]
    return "\n".join(lines)
