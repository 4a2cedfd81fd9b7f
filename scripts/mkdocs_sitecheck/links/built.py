"""``--site-dir``: check the generated HTML, since plugins and hooks rewrite pages after Markdown.

Every ``href`` and ``src`` must name a file of the built site, every ``#fragment`` an id on its
target page, no id may appear twice on a page, and no ``[@key]``, ``[^label]`` or
``\\bibliography`` text may be left in a page's text (outside code).
"""

from __future__ import annotations

import bisect
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding, UsageError
from mkdocs_sitecheck.links.config import SiteConfig
from mkdocs_sitecheck.links.parse import html_attributes
from mkdocs_sitecheck.links.resolve import kind_of, split_url
from mkdocs_sitecheck.project import Project
from mkdocs_sitecheck.suggest import Suggester

_RAW = re.compile(r"<(script|style|pre|code|textarea)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_HIDDEN = re.compile(r"(<(script|style)\b[^>]*>)(.*?)(</\2\s*>)|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_LINK_ATTRS = {"href": ("a", "area", "link"), "src": ("img", "script", "iframe", "source", "audio", "video", "embed", "track")}


@dataclass
class HtmlPage:
    """One generated page: its ids (with where each first appears), links and leftover text."""

    rel: str
    ids: dict[str, tuple[int, int]] = field(default_factory=dict)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)
    links: list[tuple[str, int, int]] = field(default_factory=list)
    leftovers: list[tuple[str, int, int]] = field(default_factory=list)


def _blank(match: re.Match[str]) -> str:
    """The same text with everything but newlines turned into spaces (keeps offsets and lines)."""
    return re.sub(r"[^\n]", " ", match.group(0))


class _Lines:
    """Offsets in a text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        """The (line, column) of an offset."""
        k = bisect.bisect_right(self.starts, offset) - 1
        return k + 1, offset - self.starts[k] + 1


def read_page(rel: str, text: str, leftovers: tuple[str, ...]) -> HtmlPage:
    """Collect ids, links and leftover Markdown from one HTML page."""
    page = HtmlPage(rel)
    lines = _Lines(text)
    for name, key, value, at in html_attributes(_HIDDEN.sub(_hide, text)):
        where = lines.at(at)
        if key == "id" or (key == "name" and name == "a"):
            if value in page.ids:
                page.duplicates.append((value, *where))
            else:
                page.ids[value] = where
        elif key in _LINK_ATTRS and name in _LINK_ATTRS[key]:
            page.links.append((value, *where))
    prose = _ANY_TAG.sub(_blank, _RAW.sub(_blank, text))
    for needle in leftovers:
        start = prose.find(needle)
        while start >= 0:
            snippet = re.match(r"[^\s\]]{0,40}\]?", prose[start + len(needle) :])
            page.leftovers.append((needle + (snippet.group(0) if snippet else ""), *lines.at(start)))
            start = prose.find(needle, start + 1)
    return page


def _hide(match: re.Match[str]) -> str:
    """Blank a comment, or a script's or style's body (keeping its tags): no links or ids in there."""
    if match.group(1):
        return match.group(1) + re.sub(r"[^\n]", " ", match.group(3)) + match.group(4)
    return _blank(match)


def check_built_site(project: Project, site: SiteConfig, site_dir: Path) -> list[Finding]:
    """LNK020–LNK023 over every HTML file of a built site."""
    _NEAR.clear()
    files: set[str] = set()
    for folder, _, names in os.walk(site_dir):
        rel_folder = os.path.relpath(folder, site_dir).replace(os.sep, "/")
        files.update(n if rel_folder == "." else f"{rel_folder}/{n}" for n in names)
    if "index.html" not in files and "404.html" not in files:
        raise UsageError(f"--site-dir {site_dir}: no index.html in it; is it a built MkDocs site?")
    leftovers = ("[@", "[^", *site.bib_commands) if site.bib is not None else ("[^",)
    pages: dict[str, HtmlPage] = {}
    for rel in sorted(f for f in files if f.endswith(".html")):
        try:
            text = (site_dir / rel).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"{site_dir / rel}: cannot read file: {exc.strerror}") from None
        pages[rel] = read_page(rel, text, leftovers)
    shown = {rel: project.rel(site_dir / rel) for rel in pages}
    findings: list[Finding] = []
    for rel, page in pages.items():
        path = shown[rel]
        for value, line, col in page.duplicates:
            first = page.ids[value]
            findings.append(finding(path, line, col, "LNK022", f"id '{value}' appears more than once on the page (first at line {first[0]})"))
        for needle, line, col in page.leftovers:
            findings.append(
                finding(
                    path,
                    line,
                    col,
                    "LNK023",
                    f"unprocessed '{needle}' left in the page text: a citation, footnote or bibliography command that no plugin turned into HTML",
                )
            )
        for url, line, col in page.links:
            problem = _check_link(rel, url, files, pages, site.site_url_path)
            if problem is not None:
                code, message, suggestion = problem
                findings.append(finding(path, line, col, code, message, suggestion))
    return findings


def _check_link(rel: str, url: str, files: set[str], pages: dict[str, HtmlPage], prefix: str) -> tuple[str, str, str | None] | None:
    """A problem with one link of a built page, or None."""
    if not url or kind_of(url) != "relative":
        return None
    path, fragment = split_url(url)
    if path.startswith("/"):
        if prefix and not (path + "/").startswith(prefix + "/"):
            return "LNK020", f"link '{url}' is outside the site's base path '{prefix}/' (site_url)", None
        joined = posixpath.normpath(path[len(prefix) :].lstrip("/") or ".")
    elif path:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(path)))
    else:
        joined = rel
    if joined == ".." or joined.startswith("../"):
        return "LNK020", f"link '{url}' points above the site root", None
    target = _find(joined, files, path.endswith("/"))
    if target is None:
        directory, name = posixpath.split(joined)
        near = _near("file", directory, lambda: [posixpath.basename(f) for f in files if posixpath.dirname(f) == directory], name)
        fix = posixpath.join(posixpath.dirname(path), near) if near else None
        return "LNK020", f"link '{url}' points to '{joined}', which is not in the built site", fix
    if fragment and target in pages and fragment not in pages[target].ids and unquote(fragment) not in pages[target].ids:
        near = _near("id", target, lambda: pages[target].ids, unquote(fragment))
        where = "this page" if target == rel else f"'{target}'"
        return "LNK021", f"link '{url}': there is no id '{fragment}' on {where}", (f"{url.partition('#')[0]}#{near}" if near else None)
    return None


_NEAR: dict[tuple[str, str], Suggester] = {}  # per run: a folder's files, a page's ids, indexed once


def _near(kind: str, where: str, candidates: Callable[[], Iterable[str]], word: str) -> str | None:
    """The closest name in a folder (or id on a page), from an index built on the first miss there."""
    key = (kind, where)
    if key not in _NEAR:
        _NEAR[key] = Suggester(candidates())
    return _NEAR[key].closest(word)


def _find(joined: str, files: set[str], slash: bool) -> str | None:
    """The built file a site path serves: the file itself, or a folder's index.html."""
    if joined in (".", ""):
        return "index.html" if "index.html" in files else None
    if not slash and joined in files:
        return joined
    index = f"{joined}/index.html"
    return index if index in files else None
