"""Resolve a link the way MkDocs 1.6 does (Markdown links) or the way a browser does (raw HTML)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import unquote

from mkdocs_sitecheck.links.config import PAGE_SUFFIXES, DocsIndex, SiteConfig
from mkdocs_sitecheck.suggest import Suggester

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})


class Outcome(NamedTuple):
    """A resolved link: a problem (code, message, suggestion), or the page whose anchor to check."""

    code: str | None = None
    message: str = ""
    suggestion: str | None = None
    target: str | None = None  # a page's src path when its anchor must be checked
    fragment: str = ""
    warning: bool = False  # a problem that does not break the published site as configured
    excluded: bool = False  # the target is a file exclude_docs (or the exclude plugin's settings) leaves out


OK = Outcome()


def kind_of(url: str) -> str:
    """``relative``, ``external`` (http/https or //host), ``script`` or ``other`` (mailto:, tel:…)."""
    if ":" not in url:
        return "external" if url.startswith("//") else "relative"
    m = SCHEME.match(url)
    if not m:
        return "relative"
    scheme = m.group(1).lower()
    if scheme in ("http", "https"):
        return "external"
    if scheme in SCRIPT_SCHEMES:
        return "script"
    return "other"


def is_page(src: str) -> bool:
    """Whether a docs file is a Markdown page."""
    return src.endswith(PAGE_SUFFIXES)


def split_url(url: str) -> tuple[str, str]:
    """``path`` and ``fragment`` of a relative URL (the query is dropped)."""
    path, _, fragment = url.partition("#")
    path = path.partition("?")[0]
    return path, fragment


def target_uri(src: str, path: str) -> str:
    """MkDocs' ``_target_uri``: the docs path a relative link names from a file."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src), path).lstrip("/"))


def join_link(parts: list[str], src: str, path: str) -> str:
    """``target_uri`` with a fast path for plain ``../dir/file.md`` links (``parts``: src's folders)."""
    rest, up = path, 0
    while rest.startswith("../"):
        up += 1
        rest = rest[3:]
    if up > len(parts) or not rest or rest[0] in "./" or "/." in rest or "//" in rest or rest[-1] == "/":
        return target_uri(src, path)
    kept = parts[: len(parts) - up]
    return "/".join(kept) + "/" + rest if kept else rest


def relative(target: str, src: str) -> str:
    """The relative link from the file ``src`` to the docs path ``target``."""
    return posixpath.relpath(target, posixpath.dirname(src) or ".")


class Resolver:
    """Resolves links against one docs index; successful lookups are cached per folder."""

    def __init__(self, site: SiteConfig, index: DocsIndex) -> None:
        self.site = site
        self.index = index
        self.cache: dict[tuple[str, str], str] = {}
        self._src = ""
        self._dir = ""
        self._parts: list[str] = []
        self._suggesters: dict[str, Suggester] = {}

    def markdown(self, src: str, url: str) -> Outcome:
        """A Markdown link or image, as MkDocs' validation resolves it."""
        path, fragment = split_url(url)
        if not path:
            return Outcome(target=src, fragment=fragment) if fragment else OK
        if path.startswith(("/", "\\")):
            return self._absolute(src, url, path, fragment)
        if src != self._src:
            self._src, self._dir = src, posixpath.dirname(src)
            self._parts = self._dir.split("/") if self._dir else []
        key = (self._dir, path)
        target = self.cache.get(key)
        if target is None:
            target = join_link(self._parts, src, unquote(path) if "%" in path else path)
            if target not in self.index.files:
                return self._missing(src, url, unquote(path), target, fragment)
            self.cache[key] = target
        return Outcome(target=target, fragment=fragment) if fragment and is_page(target) else OK

    def _absolute(self, src: str, url: str, path: str, fragment: str) -> Outcome:
        """An absolute path, as MkDocs' ``validation.links.absolute_links`` and ``site_url`` make it.

        ``relative_to_docs``: resolved against docs_dir like a relative link. With a ``site_url``
        the link is a URL on that site: fine when a page or file is published there (LNK001 when
        not), LNK005 when it misses the site's sub-path. Without a ``site_url`` nobody knows
        where the site is served: LNK005, suggesting the relative link.
        """
        site = self.site
        raw = unquote(path)
        if site.absolute_links == "relative_to_docs" and not path.startswith("\\"):
            target = posixpath.normpath(raw.lstrip("/"))
            if target in self.index.files:
                return Outcome(target=target, fragment=fragment) if fragment and is_page(target) else OK
            return self._missing(src, url, raw, target, fragment)
        prefix = site.site_url_path
        if site.has_site_url and (raw == prefix or raw.startswith(prefix + "/")):
            inside = raw[len(prefix) :].lstrip("/")
            found = self._by_url(posixpath.normpath(inside) if inside else ".", inside.endswith("/"))
            if found is None and site.versioned and "/" in inside:  # mike: /VERSION/page/ on another version
                rest = inside.partition("/")[2]
                found = self._by_url(posixpath.normpath(rest) if rest else ".", rest.endswith("/"))
            if found is not None:
                return Outcome(target=found, fragment=fragment) if fragment and is_page(found) else OK
            guess = posixpath.normpath(inside) if inside else "index.md"
            near = guess if guess in self.index.files else self._closest_file(guess)
            return Outcome(
                "LNK001",
                f"absolute link '{url}': no page or file is published at '{path}' on the site (site_url {prefix or '/'}); link the source file relatively",
                _with_fragment(relative(near, src), fragment) if near else None,
            )
        return self._lnk005(src, url, path, fragment)

    def _lnk005(self, src: str, url: str, path: str, fragment: str) -> Outcome:
        """LNK005, suggesting the relative link when the docs-relative file exists."""
        target = posixpath.normpath(unquote(path).lstrip("/\\"))
        suggestion = None
        for guess in (target, *self._guesses(src, path.lstrip("/"), target)):
            if guess in self.index.files:
                suggestion = _with_fragment(relative(guess, src), fragment)
                break
        return Outcome(
            "LNK005",
            f"absolute link '{url}' is left as is by MkDocs and breaks when the site is served from a sub-path; use a relative link to the file",
            suggestion,
        )

    def _missing(self, src: str, url: str, path: str, target: str, fragment: str) -> Outcome:
        """Why a relative Markdown link does not resolve, with the best suggestion."""
        docs = self.site.docs_rel
        if target == ".." or target.startswith("../"):
            return Outcome(
                "LNK002",
                f"link '{url}' points outside docs_dir '{docs}' ('{target}'); only files under '{docs}/' are published",
            )
        shown = self.site.page_path(target)
        if target in self.index.excluded:
            return Outcome("LNK001", f"link '{url}': '{shown}' is excluded from the site (exclude_docs)", excluded=True)
        actual = self.index.folded.get(target.lower())
        if actual is not None:
            return Outcome(
                "LNK003",
                f"link '{url}': '{shown}' does not exist; '{self.site.page_path(actual)}' differs only "
                "in case (works on case-insensitive disks, 404 on the server)",
                _with_fragment(relative(actual, src), fragment),
            )
        for guess in self._guesses(src, path, target):
            if guess in self.index.files:
                fix = "" if guess == src and fragment else relative(guess, src)
                if is_page(guess) and _url_form(path):
                    return Outcome(
                        "LNK004",
                        f"link '{url}' points at the built page URL, not the source file: link '{self.site.page_path(guess)}' so MkDocs checks and rewrites it",
                        _with_fragment(fix, fragment),
                    )
                return Outcome(
                    "LNK001",
                    f"link '{url}': target '{shown}' is not found among the documentation files",
                    _with_fragment(fix, fragment),
                )
        near = self._closest_file(target)
        return Outcome(
            "LNK001",
            f"link '{url}': target '{shown}' is not found among the documentation files",
            _with_fragment(relative(near, src), fragment) if near else None,
            target=target,
        )

    def _guesses(self, src: str, path: str, target: str) -> list[str]:
        """MkDocs' ``_possible_target_uris`` after the first: index.md, README.md, .html → .md."""
        if posixpath.normpath(path) == ".":
            return [src]
        use_dirs = self.site.use_directory_urls
        prefixes = [target]
        from_url = posixpath.normpath(posixpath.join(posixpath.dirname(self.index.url(src, use_dirs)), path).lstrip("/"))
        if from_url != target:
            prefixes.append(from_url)
        suffixes = []
        if use_dirs:
            suffixes.append(lambda p: p)
        if not posixpath.splitext(target)[1]:
            suffixes.append(lambda p: posixpath.join(p, "index.md"))
            suffixes.append(lambda p: posixpath.join(p, "README.md"))
        if not target.endswith(".") and not path.endswith(".md") and (use_dirs or not path.endswith("/")):
            suffixes.append(lambda p: (p[:-5] if p.endswith(".html") else p) + ".md")
        tried = {target}
        guesses = []
        for prefix in prefixes:
            for suffix in suffixes:
                guess = posixpath.normpath(suffix(prefix))
                if guess not in tried and not guess.startswith("../"):
                    tried.add(guess)
                    guesses.append(guess)
        return guesses

    def _closest_file(self, target: str) -> str | None:
        """The docs file most like a missing target: same folder first, then same name elsewhere."""
        directory, name = posixpath.split(target)
        if directory not in self.index.by_dir:
            near_dir = self._folders_at(directory.count("/")).closest(directory)
            if near_dir is None:
                same = self.index.by_name.get(name.lower())
                return same[0] if same and len(same) == 1 else None
            directory = near_dir
        # Typos keep the first letter: only names that share it are candidates.
        near = self._names_in(directory, name[:1].lower()).closest(name)
        return posixpath.join(directory, near) if near else None

    def _names_in(self, directory: str, first: str) -> Suggester:
        """The indexed names in one folder that start with ``first`` (built on first use)."""
        key = f"{directory}\0{first}"
        if key not in self._suggesters:
            names = self.index.by_dir[directory]
            self._suggesters[key] = Suggester(n for n in names if n[:1].lower() == first)
        return self._suggesters[key]

    def _folders_at(self, depth: int) -> Suggester:
        """The indexed folders at one depth (built on first use)."""
        key = f"\0depth{depth}"
        if key not in self._suggesters:
            self._suggesters[key] = Suggester(d for d in self.index.by_dir if d.count("/") == depth)
        return self._suggesters[key]

    def html(self, src: str, url: str) -> Outcome:
        """A raw HTML ``href``/``src``: MkDocs leaves it alone, so it must work as a URL."""
        path, fragment = split_url(url)
        if not path:
            return Outcome(target=src, fragment=fragment) if fragment else OK
        if path.startswith(("/", "\\")):
            return self._absolute(src, url, path, fragment)
        use_dirs = self.site.use_directory_urls
        base = url_folder(self.index.url(src, use_dirs))
        joined = posixpath.normpath(posixpath.join(base, unquote(path)))
        if joined == ".." or joined.startswith("../"):
            clamped = re.sub(r"^(?:\.\./|\.\.$)+", "", joined) or "."
            landed = self._by_url(clamped, path.endswith("/")) if self.site.has_site_url else None
            if landed is not None and not self.site.site_url_path:  # browsers stop at the root: it works there
                return Outcome(
                    "LNK002",
                    f"raw HTML link '{url}' points above the site root ('{joined}'); it reaches "
                    f"'{self.site.page_path(landed)}' only because browsers stop at the root of {self.site.site_url}",
                    _with_fragment(self._url_from(base, landed), fragment),
                    warning=True,
                )
            return Outcome("LNK002", f"raw HTML link '{url}' points above the site root ('{joined}')")
        found = self._by_url(joined, path.endswith("/"))
        if found is not None:
            return Outcome(target=found, fragment=fragment) if fragment and is_page(found) else OK
        if src in self.index.moved:  # a blog post: its URL, not its source folder, is what the link is relative to
            return Outcome("LNK001", f"raw HTML link '{url}': nothing is published at '{joined}' (relative to this page's URL '{self.index.moved[src]}')")
        as_source = self.markdown(src, url)
        if as_source.code is None:
            return Outcome(
                "LNK016",
                f"raw HTML link '{url}' names a source file; MkDocs rewrites only Markdown links, so it 404s on the site: use the page's URL",
                _with_fragment(self._url_from(base, target_uri(src, unquote(path))), fragment),
            )
        suggestion = as_source.suggestion
        if suggestion:  # a source path: turn it into the URL the raw HTML needs
            fixed_path, _, fixed_fragment = suggestion.partition("#")
            target = target_uri(src, fixed_path) if fixed_path else src
            suggestion = _with_fragment(self._url_from(base, target), fixed_fragment)
        return Outcome(as_source.code, f"raw HTML {as_source.message}", suggestion)

    def _url_from(self, base: str, target: str) -> str:
        """The relative URL from a page's URL folder ``base`` to where the docs file ``target`` is served."""
        target_url = self.index.url(target, self.site.use_directory_urls)
        fix = posixpath.relpath(target_url or ".", base.rstrip("/") or ".")
        if target_url.endswith("/") or not target_url:
            fix = fix.rstrip("/") + "/"
        return fix[2:] if fix.startswith("./") else fix

    def _by_url(self, joined: str, slash: bool) -> str | None:
        """The docs file published at a site-relative URL path, if any."""
        return published_at(self.index.urls, joined, slash)


def url_folder(page_url: str) -> str:
    """The folder a page's relative URLs start from, for a page served at ``page_url`` (a site path)."""
    if page_url.endswith("/") or not page_url:
        return page_url
    folder = posixpath.dirname(page_url)  # 'guide/page.html' -> 'guide/'; 'page.html' (the root's) -> ''
    return folder + "/" if folder else ""


def published_at(urls: Mapping[str, str], joined: str, slash: bool) -> str | None:
    """What is published at a normalised site path (``joined``, written with a trailing slash when ``slash``):
    the value ``urls`` has for that path, its folder URL or its ``index.html``; None for nothing."""
    key = "" if joined == "." else joined
    for candidate in (key + "/" if slash and key else key, key + "/", key):
        if candidate in urls:
            return urls[candidate]
    folder = served_url(key)
    return urls.get(folder) if folder != key else None


def served_url(path: str) -> str:
    """The URL a file written at ``path`` in the site is served at: ``a/index.html`` is ``a/``, ``index.html`` ''."""
    return path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path


def _url_form(path: str) -> bool:
    """Whether a link path looks like a built URL (``page.html``, ``page/``, ``page``) rather than a file."""
    return path.endswith(("/", ".html", ".htm")) or not posixpath.splitext(path)[1]


def _with_fragment(path: str, fragment: str) -> str:
    """``path#fragment`` (or just ``#fragment`` for a link to the same page)."""
    return f"{path}#{fragment}" if fragment else (path or ".")
