"""Drive MkDocs through a build's event order, without theme templates and without writing files.

on_startup, on_config, on_pre_build, files (+ on_files), nav (+ on_nav), then per page MkDocs' own
``_populate_page`` (on_pre_page, on_page_read_source, on_page_markdown, Python-Markdown render
with the site's extensions, on_page_content). Each page's ids are what MkDocs found in the HTML
it rendered; its links and images are collected from the rendered tree by a treeprocessor added
to the site's own extensions, before MkDocs rewrites them.
"""

from __future__ import annotations

import contextlib
import gc
import html
import logging
import posixpath
import re
import sys
import warnings
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from mkdocs_sitecheck.findings import EngineError, PluginImportError
from mkdocs_sitecheck.links.pages import too_large
from mkdocs_sitecheck.links.resolve import published_at, served_url, url_folder
from mkdocs_sitecheck.project import Project


@dataclass
class Rendered:
    """One page as the build renders it."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # ("a" | "img", url) in document order
    packed: tuple[bytes, bytes] = (b"", b"")  # the Markdown after on_page_markdown and the HTML after on_page_content, compressed
    read: list[str] = field(default_factory=list)  # other text files read while the page was built (includes, snippets)
    resolved: dict[str, tuple[str, ...]] = field(default_factory=dict)  # relative link -> the files MkDocs found, per build (() none)
    served: dict[str, tuple[str, ...]] = field(default_factory=dict)  # link MkDocs did not find -> what its URL serves, per build
    final: list[str] = field(default_factory=list)  # the tree's hrefs and srcs after MkDocs rewrote them
    raw: list[str] = field(default_factory=list)  # links in the final HTML the tree did not have: raw HTML, macros' HTML, plugins'
    unused: Unused | None = None  # the definitions Python-Markdown read and nothing on the page used (None: not rendered)
    outside: str = ""  # its Markdown file, when that is a project file outside docs_dir (merged by mkdocs-monorepo)

    def merge(self, other: Rendered) -> None:
        """Add what another build of the same page (another language's) rendered: its ids, MkDocs' verdicts
        (a link one build could not resolve is broken there)."""
        self.ids |= other.ids
        if self.unused is not None and other.unused is not None:  # used in one build is used
            self.unused = Unused(self.unused.references & other.unused.references, self.unused.footnotes & other.unused.footnotes)
        for url, targets in other.resolved.items():
            _record(self.resolved, url, targets)
        for url, targets in other.served.items():
            _record(self.served, url, targets)

    def keep(self, markdown: str, content: str) -> None:
        """Keep the page's Markdown and HTML compressed: few checks read them again, and a site built per language keeps
        every page until its last build."""
        self.packed = (zlib.compress(markdown.encode("utf-8", "surrogatepass"), 1), zlib.compress(content.encode("utf-8", "surrogatepass"), 1))

    @property
    def markdown(self) -> str:
        """The Markdown after every plugin's on_page_markdown."""
        return zlib.decompress(self.packed[0]).decode("utf-8", "surrogatepass") if self.packed[0] else ""

    @property
    def content(self) -> str:
        """The HTML after every plugin's on_page_content."""
        return zlib.decompress(self.packed[1]).decode("utf-8", "surrogatepass") if self.packed[1] else ""

    def left_as_text(self, literal: str) -> bool:
        """Whether the rendered page shows ``literal`` as text outside code (an unresolved ``[label]`` or ``[^note]``)."""
        return literal in _CODE.sub("", self.content)


@dataclass(frozen=True)
class Unused:
    """Reference and footnote definitions Python-Markdown read on a page and never looked up (labels by :func:`label_key`)."""

    references: frozenset[str] = frozenset()
    footnotes: frozenset[str] = frozenset()


def label_key(label: str) -> str:
    """A reference or footnote label as compared: case and runs of white space do not matter (as in Python-Markdown)."""
    return " ".join(label.split()).casefold()


class _LookedUp(dict[str, Any]):
    """``Markdown.references``, noting which labels the reference processors look up (each use does)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.looked: set[str] = set()

    def __getitem__(self, key: Any) -> Any:
        """Note the label, then look it up."""
        self.looked.add(key)
        return super().__getitem__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        """Note the label, then look it up."""
        self.looked.add(key)
        return super().get(key, default)


class _Watch(Preprocessor):
    """Before anything is parsed: the page's reference definitions go in a dict that notes their uses."""

    def run(self, lines: list[str]) -> list[str]:
        """Swap in the noting dict, leaving the text as it is."""
        self.md.references = _LookedUp(self.md.references)
        return lines


def unused_definitions(md: Markdown) -> Unused:
    """What this conversion defined and never used: references never looked up, footnotes never referenced."""
    from markdown.extensions.footnotes import FootnoteExtension

    references = md.references
    looked = references.looked if isinstance(references, _LookedUp) else set(references)
    notes: frozenset[str] = frozenset()
    for extension in md.registeredExtensions:
        if isinstance(extension, FootnoteExtension):
            found = getattr(extension, "found_refs", None)  # the back-link ids of the footnotes referenced
            if isinstance(found, dict):
                notes = frozenset(label_key(str(n)) for n in extension.footnotes if extension.makeFootnoteRefId(n) not in found)
    return Unused(frozenset(label_key(str(r)) for r in references if r not in looked), notes)


def _record(verdicts: dict[str, tuple[str, ...]], url: str, targets: tuple[str, ...]) -> None:
    """Add one build's verdict on a link: what it leads to, or () when it leads nowhere (which then stands)."""
    known = verdicts.get(url)
    verdicts[url] = targets if known is None else () if not known or not targets else tuple(dict.fromkeys(known + targets))


class _Links(Treeprocessor):
    """Records each ``<a href>`` and ``<img src>`` of the page being rendered, and whether MkDocs finds its file."""

    def __init__(self, md: Markdown, extension: _LinksExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: ET.Element) -> None:
        """Collect, leaving the tree as it is."""
        page = getattr(self.extension.config, "_current_page", None)
        into = self.extension.rendered
        if page is None or into is None:
            return
        into.unused = unused_definitions(self.md)
        use_directory_urls = bool(self.extension.config.use_directory_urls)
        docs_dir = Path(self.extension.config.docs_dir)
        for el in root.iter():
            if el.tag == "a" and el.get("href") and not _WRITTEN.intersection(el.get("class", "").split()):
                kind, raw = "a", el.get("href", "")
            elif el.tag == "img" and el.get("src"):
                kind, raw = "img", el.get("src", "")
            else:
                continue
            url = _plain(raw)
            into.links.append((kind, url))
            target = mkdocs_target(raw, page.file, self.extension.files, use_directory_urls)
            if target is None:
                continue
            _record(into.resolved, url, (_docs_path(target, docs_dir),) if target else ())
            if not target:  # a URL (MkDocs leaves it as is): what this build serves there
                served = served_at(url, _site_path(page.file.url), self.extension.urls)
                _record(into.served, url, (served,) if served else ())


def served_at(url: str, page_url: str, urls: dict[str, str]) -> str:
    """What a browser gets for a relative URL on a page served at ``page_url`` (a site path): the docs path (or
    redirect) published there in this build, '' for nothing."""
    path = urlsplit(url).path
    joined = posixpath.normpath(posixpath.join(url_folder(page_url), unquote(path)))
    if joined == ".." or joined.startswith("../"):
        return ""
    return published_at(urls, joined, path.endswith("/")) or ""


def mkdocs_target(url: str, file: Any, files: Any, use_directory_urls: bool) -> Any:
    """The file MkDocs' link rewriting finds for a relative link, among the files of the build that renders
    the page; False when it finds none (or an excluded one); None for a link it does not resolve (external,
    absolute, only a #fragment)."""
    from mkdocs.structure.pages import _RelativePathTreeprocessor

    scheme, netloc, path, _query, _fragment = urlsplit(url)
    if scheme or netloc or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url or not path or files is None:
        return None
    first = next(_RelativePathTreeprocessor._possible_target_uris(file, unquote(path), use_directory_urls))
    target = files.get_file_from_path(first)
    return target if target is not None and not target.inclusion.is_excluded() else False


# Links the extensions write themselves: toc permalinks, and footnote back-links (an unreferenced
# footnote's back-link has no target; LNK011 reports that footnote at its definition).
_WRITTEN = frozenset({"headerlink", "footnote-backref"})
_CODE = re.compile(r"<(code|pre|script|style)\b.*?</\1>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # what a browser skips: no link or id in it counts
_STASHED = re.compile(r"\x02(\d+)\x03")


_TAG = re.compile(r"<([a-zA-Z][\w:-]*)(\s[^<>]*)>")
_ATTRIBUTE = re.compile(r"""(?<=\s)([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


def attributes(content: str, wanted: Callable[[str, str], bool]) -> Iterator[tuple[str, str, str]]:
    """``(tag, attribute, value)`` of the start tags in final HTML, outside comments, for the (tag, attribute)
    pairs ``wanted`` accepts (both lower case), values unescaped, in document order."""
    for tag in _TAG.finditer(_COMMENT.sub("", content)):
        name = tag.group(1).lower()
        for m in _ATTRIBUTE.finditer(tag.group(2)):
            attribute = m.group(1).lower()
            if wanted(name, attribute):
                yield name, attribute, html.unescape(next(v for v in m.groups()[1:] if v is not None))


def ids_in(content: str) -> set[str]:
    """The ids of a page's final HTML (after every extension's postprocessors and the plugins' on_page_content),
    and the names of its ``<a name>`` elements: what a browser scrolls to."""
    return {value for _, _, value in attributes(content, lambda tag, attribute: attribute == "id" or (tag == "a" and attribute == "name"))}


def _plain(url: str) -> str:
    """A URL as the reader's browser gets it: Python-Markdown's escapes and entity obfuscation undone."""
    url = _STASHED.sub(lambda m: chr(int(m.group(1))), url.replace(AMP_SUBSTITUTE, "&"))
    return html.unescape(url)


class _Final(Treeprocessor):
    """Records the tree's link values after every other treeprocessor (MkDocs' relpath among them)."""

    def __init__(self, md: Markdown, extension: _LinksExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: ET.Element) -> None:
        """Collect, leaving the tree as it is."""
        into = self.extension.rendered
        if into is None:
            return
        for el in root.iter():
            attribute = _LINK_ATTRIBUTES.get(el.tag)
            if attribute and el.get(attribute):
                into.final.append(_plain(el.get(attribute, "")))


# The elements whose URL a reader's browser follows or loads, and the attribute that holds it.
_LINK_ATTRIBUTES = {"a": "href", "img": "src", "source": "src", "video": "src", "audio": "src"}


def raw_links(content: str, final: list[str]) -> list[str]:
    """The links of a page's final HTML (outside code) that the Markdown tree did not have: raw HTML, HTML a
    macro or plugin wrote (in document order)."""
    from collections import Counter

    left = Counter(final)
    found = []
    for _, _, url in attributes(_CODE.sub("", content), lambda tag, attribute: _LINK_ATTRIBUTES.get(tag) == attribute):
        if left[url] > 0:
            left[url] -= 1
        elif url:
            found.append(url)
    return found


class _LinksExtension(Extension):
    """Adds :class:`_Links` after inline processing, before MkDocs' relpath rewriting (priority 0)."""

    def __init__(self, config: Any) -> None:
        super().__init__()
        self.config = config
        self.files: Any = None  # the files of the build being run
        self.urls: dict[str, str] = {}  # that build's published URLs (site paths) -> docs path, or a redirect's target
        self.rendered: Rendered | None = None  # the page being rendered

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the collector."""
        md.preprocessors.register(_Watch(md), "sitecheck_watch", 1000)
        md.treeprocessors.register(_Links(md, self), "sitecheck_links", 0.5)
        md.treeprocessors.register(_Final(md, self), "sitecheck_final", -1000)


_READ: list[str] = []  # while a page is built: its own path, then every other text file opened


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Record the text files a page's build opens (snippets, include-markdown, macros' include)."""
    if event == "open" and _READ and isinstance(args[0], str) and args[0].endswith(_TEXT) and args[0] not in _READ:
        _READ.append(args[0])


_TEXT = (".md", ".markdown", ".txt", ".html", ".htm", ".csv")
sys.addaudithook(_audit)


@dataclass
class Built:
    """What the build knows beyond single pages."""

    files: frozenset[str] = frozenset()  # every file it publishes, after on_files
    urls: dict[str, str] = field(default_factory=dict)  # each page's URL as the build (and its plugins: blog, i18n) set it
    not_in_nav: frozenset[str] = frozenset()  # pages the build or a plugin (blog posts) keeps out of the nav on purpose
    nav_pages: frozenset[str] | None = None  # the pages in its nav, after on_nav (None: no build)
    nav_links: frozenset[str] | None = None  # its nav's relative links to no file (entries MkDocs could not resolve)
    nav_problems: list[str] = field(default_factory=list)  # what MkDocs and nav plugins logged about the nav
    redirects: dict[str, str] = field(default_factory=dict)  # URL of a redirect page -> the docs page it leads to ('' elsewhere)
    failed: dict[str, str] = field(default_factory=dict)  # docs path -> why MkDocs could not render the page
    same_url: dict[str, list[str]] = field(default_factory=dict)  # a URL two or more pages are written to -> their docs paths
    handed: bool = False  # given to the visitor


def _nav_pages(nav: Any, docs_dir: Path) -> frozenset[str]:
    """The docs paths of the pages in a built nav."""
    return frozenset(_docs_path(page.file, docs_dir) for page in getattr(nav, "pages", []) if getattr(page, "file", None))


class Visitor(Protocol):
    """Takes the build's results as they become final: what it knows of files and nav, then each page."""

    def begin(self, built: Built) -> None:
        """The build's files, URLs, nav and redirects are known; no page has been handed over yet."""

    def page(self, src: str, rendered: Rendered) -> None:
        """One page (by its path under docs_dir) as every build renders it."""


class _VisitorFailed(Exception):
    """The visitor raised: its exception is the run's, not a plugin's."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def build_pages(project: Project, visitor: Visitor) -> Built:
    """Run the build's events and hand each page, as MkDocs renders it, to ``visitor`` as soon as it is final;
    a plugin that raises is an EngineError.

    A site built once hands over each page right after it renders, so nothing of a page is kept after its
    check. A plugin that builds the site again from on_post_build (mkdocs-static-i18n: once per other
    language) is followed: each of those builds runs the same events, a page rendered by several is merged,
    and the pages are handed over once every build is done.
    """
    from mkdocs_sitecheck.project import quiet_mkdocs

    config = project.config
    extension = _LinksExtension(config)
    config.markdown_extensions.append(extension)
    plugins = config.plugins
    kept: dict[str, Rendered] = {}
    built = Built()
    home, folder = Path(config.docs_dir).resolve(), Path(config.config_file_path).parent.resolve()  # before plugins move docs_dir
    log = quiet_mkdocs()
    _lenient_nav_plugins(plugins)
    try:  # in the caller's working folder, as `mkdocs build -f CONFIG`: plugins resolve some paths against it
        with contextlib.redirect_stdout(sys.stderr):  # what plugins and hooks print must not mix with the findings (JSON, SARIF)
            plugins.on_startup(command="build", dirty=False)
            config = _build(config, extension, _Pages(visitor, kept, home, folder), built, log)
            for _language in _builds_again(plugins):
                config = _build(config, extension, _Pages(None, kept, home, folder), None, log, built)
            if kept:
                _hand_over(visitor, built, kept)
    except _VisitorFailed as failed:
        raise failed.error from None
    except Exception as exc:  # noqa: BLE001 - a plugin or hook failed: name it, as the build would fail
        culprit = getattr(plugins, "_current_plugin", None)
        who = f"plugin '{culprit}'" if culprit else "MkDocs"
        reason = _reason(exc)
        message = f"{project.rel(project.config_path)}: {who} failed while sitecheck ran the build's events: {reason}"
        if culprit and (isinstance(exc, ImportError) or isinstance(exc.__cause__ or exc.__context__, ImportError)):
            raise PluginImportError(message, str(culprit), reason) from None
        raise EngineError(message) from None
    finally:
        _READ.clear()
        gc.unfreeze()
        config.markdown_extensions[:] = [e for e in config.markdown_extensions if not isinstance(e, _LinksExtension)]
    if not built.handed:  # no page was rendered: the visitor still learns the files and nav
        built.handed = True
        visitor.begin(built)
    return built


def _reason(exc: Exception) -> str:
    """An exception in one line: its type and the first line of what it says."""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def _hand_over(visitor: Visitor, built: Built, pages: dict[str, Rendered]) -> None:
    """Give the visitor the build's knowledge, then every page (the visitor's exceptions kept apart from the build's)."""
    try:
        if not built.handed:
            built.handed = True
            visitor.begin(built)
        for src in list(pages):
            visitor.page(src, pages.pop(src))
    except Exception as exc:
        raise _VisitorFailed(exc) from exc


@dataclass
class _Pages:
    """Where one build's rendered pages go: straight to the visitor (a site built once), or kept to be merged."""

    visitor: Visitor | None
    kept: dict[str, Rendered]
    home: Path  # the site's docs_dir, as mkdocs.yml gives it
    folder: Path  # the project's folder (mkdocs.yml's)


def _build(config: Any, extension: _LinksExtension, pages: _Pages, built: Built | None, log: Any, first: Built | None = None) -> Any:
    """One build's events, from on_config to each page's on_page_content (``built``: filled by the first build;
    a later one adds its nav's pages to ``first``)."""
    from mkdocs.commands.build import _populate_page
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    plugins = config.plugins
    config = plugins.on_config(config)
    if pages.visitor is not None and _more_builds(plugins):
        pages.visitor = None  # each page is final only once every language's build has rendered it
    plugins.on_pre_build(config=config)
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    files = plugins.on_files(files, config=config)
    set_exclusions(files, config)
    start = len(log.records)
    with warnings.catch_warnings(record=True) as caught:  # awesome-pages (strict: false) warns this way
        warnings.simplefilter("always")
        nav = get_navigation(files, config)
        nav = plugins.on_nav(nav, config=config, files=files)
    documentation = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
    docs_dir = Path(config.docs_dir)
    redirects = _redirects(plugins, documentation, config.use_directory_urls)
    if built is None and first is not None:
        first.nav_pages = (first.nav_pages or frozenset()) | _nav_pages(nav, docs_dir)  # each language's nav
        for url, paths in _same_url(documentation, docs_dir).items():  # each language's pages on one URL
            first.same_url[url] = list(dict.fromkeys(first.same_url.get(url, []) + paths))
    if built is not None:
        built.files = frozenset(f.src_uri for f in files if f.inclusion.is_included()) | frozenset(
            config.theme.static_templates
        )  # sitemap.xml, 404.html: rendered from the theme's templates
        built.nav_pages = _nav_pages(nav, docs_dir)
        built.nav_links = _nav_links(nav)
        built.urls = {_docs_path(f, docs_dir): _site_path(f.url) for f in files if f.inclusion.is_included()}
        built.redirects = redirects
        built.not_in_nav = frozenset(_docs_path(f, docs_dir) for f in documentation if f.inclusion.is_not_in_nav())
        built.nav_problems = [r.getMessage() for r in log.records[start:] if r.levelno >= logging.WARNING]
        built.nav_problems += [str(w.message) for w in caught]
        built.same_url = _same_url(documentation, docs_dir)
        if pages.visitor is not None:
            _hand_over(pages.visitor, built, {})
    extension.files = files
    extension.urls = {_site_path(f.url): _docs_path(f, docs_dir) for f in files if f.inclusion.is_included()}
    for url, target in redirects.items():
        page = files.get_file_from_path(target) if target else None
        extension.urls.setdefault(url, _docs_path(page, docs_dir) if page else f"redirect:{url}")
    for number, file in enumerate(documentation, 1):
        if number % _COLLECT_EVERY == 0:
            _collect()
        if file.page is None:
            Page(None, file, config)
        assert file.page is not None
        if file.abs_src_path and too_large(Path(file.abs_src_path)):
            continue  # reported as LNK024 by the source check
        _READ.clear()
        _READ.append(file.abs_src_path or "")
        extension.rendered = rendered = Rendered()
        try:
            _populate_page(file.page, config, files)
        except Exception as exc:
            if getattr(plugins, "_current_plugin", None):
                raise
            if built is not None:
                built.failed[_docs_path(file, docs_dir)] = _reason(exc)
            continue
        finally:
            extension.rendered = None
        rendered.ids = set(file.page.present_anchor_ids or ()) | ids_in(file.page.content or "")
        content = file.page.content or ""
        rendered.keep(file.page.markdown or "", content)
        rendered.read = _READ[1:]
        rendered.raw = raw_links(content, rendered.final)
        rendered.final = []  # only needed to tell the raw links apart
        rendered.outside = _outside(file, pages.home, pages.folder)
        key = _docs_path(file, docs_dir)
        if pages.visitor is not None and built is not None:
            _hand_over(pages.visitor, built, {key: rendered})
        elif key in pages.kept:
            pages.kept[key].merge(rendered)
        else:
            pages.kept[key] = rendered
    return config


def _nav_links(nav: Any) -> frozenset[str]:
    """The relative links of a built nav: the entries that name no file (MkDocs makes a Link, not a Page, of them)."""
    from mkdocs.structure.nav import Link, _get_by_type

    return frozenset(link.url for link in _get_by_type(getattr(nav, "items", []), Link) if not urlsplit(link.url).scheme and not link.url.startswith("//"))


_COLLECT_EVERY = 100  # pages


def _collect() -> None:
    """Free the pages' dead Markdown instances (MkDocs makes one per page, each a reference cycle; the run turns
    automatic collection off), then freeze what survives so later collections do not scan it again."""
    gc.collect()
    gc.freeze()


def _same_url(documentation: list[Any], docs_dir: Path) -> dict[str, list[str]]:
    """The files the build writes to the same place (each but one is lost), by the place."""
    by_dest: dict[str, dict[str, None]] = {}
    for file in documentation:  # a page a plugin lists twice is written twice to its own file: no loss
        by_dest.setdefault(file.dest_uri, {})[_docs_path(file, docs_dir)] = None
    return {_site_path(served_url(dest)): list(paths) for dest, paths in by_dest.items() if len(paths) > 1}


def _outside(file: Any, docs_dir: Path, project: Path) -> str:
    """The page's Markdown file when it is a file of the project outside the site's docs_dir (mkdocs-monorepo
    merges other folders' docs and points each page back at its file), else ''; pages a plugin generates in
    a temporary folder (gen-files) are not project files."""
    if not file.abs_src_path:
        return ""
    path = Path(file.abs_src_path).resolve()
    return str(path) if not path.is_relative_to(docs_dir) and path.is_relative_to(project) and path.is_file() else ""


def _site_path(url: str) -> str:
    """A file's URL as an unquoted path from the site's root (MkDocs quotes it, and writes the home page's as ``./``)."""
    return unquote(url[2:] if url.startswith("./") else url)


def _docs_path(file: Any, docs_dir: Path) -> str:
    """A page's path under docs_dir on disk (a plugin may give it another src_uri: i18n folders), else its src_uri."""
    if file.abs_src_path:
        try:
            return Path(file.abs_src_path).relative_to(docs_dir).as_posix()
        except ValueError:
            pass
    return str(file.src_uri)


def _language_plugins(plugins: Any) -> Iterator[tuple[Any, list[Any], Any]]:
    """Plugins that build the site once per language (mkdocs-static-i18n after its on_config): each with its
    ``build_languages`` and the ``current_language`` being built."""
    for plugin in list(plugins.values()):
        languages = getattr(plugin, "build_languages", None)
        first = getattr(plugin, "current_language", None)
        if isinstance(languages, list) and first in languages:
            yield plugin, languages, first


def _more_builds(plugins: Any) -> bool:
    """Whether a plugin will build the site again from on_post_build (another language to build)."""
    return any(len(set(languages)) > 1 for _, languages, _ in _language_plugins(plugins))


def _builds_again(plugins: Any) -> Iterator[str]:
    """The builds a plugin starts from on_post_build, set up as it sets them up: mkdocs-static-i18n sets
    ``current_language`` to each other language of ``build_languages`` and builds again (``building`` set)."""
    for plugin, languages, first in list(_language_plugins(plugins)):
        if hasattr(plugin, "building"):
            plugin.building = True
        for language in languages:
            if language != first:
                plugin.current_language = language
                yield str(language)


def _redirects(plugins: Any, pages: list[Any], use_directory_urls: bool) -> dict[str, str]:
    """The redirect pages mkdocs-redirects writes in on_post_build (which sitecheck does not run), placed by the
    plugin's own ``get_html_path``: each URL and the docs page it leads to ('' for a redirect off the site).
    As the plugin does, a redirect whose target is no page is not written."""
    found: dict[str, str] = {}
    sources = {f.src_uri for f in pages}
    for plugin in plugins.values():
        options: Any = getattr(plugin, "config", {})
        maps = options.get("redirect_maps") if callable(getattr(options, "get", None)) else None
        get_html_path = getattr(sys.modules.get(type(plugin).__module__), "get_html_path", None)
        if not isinstance(maps, dict) or not callable(get_html_path):
            continue
        for old, new in maps.items():
            target = str(new).partition("#")[0]
            if str(new).lower().startswith(("http://", "https://")):
                target = ""
            elif target not in sources:
                continue
            found[served_url(str(get_html_path(str(old), use_directory_urls)))] = target
    return found


def _lenient_nav_plugins(plugins: Any) -> None:
    """Nav plugins that stop the build at the first bad entry are asked to log it instead (awesome-pages'
    own ``strict: false``), so every bad entry is reported at its line."""
    for name, plugin in plugins.items():
        if name.rpartition("/")[2] == "awesome-pages" and "strict" in getattr(plugin, "config", {}):
            plugin.config["strict"] = False


def _blank(line: str) -> bool:
    """Blank lines do not anchor the line mapping: generated text has them too."""
    return not line.strip()


class Locator:
    """Finds where the author wrote a rendered link: in the page's source, else (text a plugin
    generated or included) at the source line the generated text replaced: the macro or include call."""

    def __init__(self, source: str, markdown: str, included: dict[str, str] | None = None) -> None:
        self.source = source
        self.markdown = markdown
        self.included = included or {}
        self.next: dict[str, int] = {}
        self._map: list[int] | None = None

    def place(self, url: str) -> tuple[str | None, int, int]:
        """The included file (None: the page itself), line and column (1-based) of the next occurrence of ``url``."""
        start = self.next.get(url, 0)
        at = self.source.find(url, start)
        if at < 0 and start:
            at = self.source.find(url)
        if at >= 0:
            self.next[url] = at + len(url)
            return None, *self._line_col(self.source, at)
        tail = url.rstrip("/").rpartition("/")[2]  # include-markdown rewrites relative URLs: find what was written
        for needle in (url, tail) if tail and tail != url else (url,):
            for path, text in self.included.items():
                at = text.find(needle)
                if at >= 0:
                    return path, *self._line_col(text, at)
        at = self.markdown.find(url)
        if at < 0:
            return None, 1, 1
        line, _ = self._line_col(self.markdown, at)
        return None, self._source_line(line), 1

    @staticmethod
    def _line_col(text: str, at: int) -> tuple[int, int]:
        """1-based line and column of an offset, the column at the link's opening bracket when there is one."""
        line_start = text.rfind("\n", 0, at) + 1
        bracket = text.rfind("[", line_start, at)
        col = (bracket if bracket >= 0 else at) - line_start + 1
        if bracket > 0 and text[bracket - 1] == "!":
            col -= 1
        return text.count("\n", 0, at) + 1, col

    def _source_line(self, line: int) -> int:
        """The source line a line of the plugins' Markdown comes from (difflib over lines)."""
        if self._map is None:
            import difflib

            src, out = self.source.split("\n"), self.markdown.split("\n")
            self._map = [1] * (len(out) + 1)
            for tag, i1, _i2, j1, j2 in difflib.SequenceMatcher(_blank, src, out, autojunk=False).get_opcodes():
                for j in range(j1, j2):
                    self._map[j] = (i1 + (j - j1) if tag == "equal" else i1) + 1
        return self._map[min(line - 1, len(self._map) - 1)]
