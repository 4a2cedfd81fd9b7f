"""What the links check reads from mkdocs.yml, and the index of files under docs_dir (built once)."""

from __future__ import annotations

import errno
import fnmatch
import os
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs_sitecheck.bib import Bibliography, load_bibliography
from mkdocs_sitecheck.findings import UsageError
from mkdocs_sitecheck.links.slugs import Slugify, resolve_slugify
from mkdocs_sitecheck.project import Project, shown_path

PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


class GitIgnore:
    """A small gitignore-style matcher, as MkDocs' ``exclude_docs``/``not_in_nav`` use (last match wins)."""

    def __init__(self, text: str | list[str] | None) -> None:
        lines = text.splitlines() if isinstance(text, str) else list(text or [])
        self.rules: list[tuple[re.Pattern[str], bool]] = []
        for raw in lines:
            line = str(raw).strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            self.rules.append((_gitwild(line[1:] if negate else line), not negate))

    def match(self, path: str) -> bool:
        """Whether ``path`` (relative to docs_dir, posix) is matched."""
        result = False
        for pattern, include in self.rules:
            if pattern.match(path):
                result = include
        return result

    def __bool__(self) -> bool:
        """True when there is at least one rule."""
        return bool(self.rules)


def _gitwild(pattern: str) -> re.Pattern[str]:
    """Translate one gitignore pattern into a regex over relative file paths."""
    dir_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    anchored = "/" in pattern
    pattern = pattern.lstrip("/")
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if dir_only else "(?:/.*)?"
    return re.compile(f"^{prefix}{''.join(out)}{suffix}$")


_DEFAULT_EXCLUDE = GitIgnore([".*", "/templates/"])


@dataclass
class DocsIndex:
    """The files under docs_dir, looked up without touching the disk again."""

    files: frozenset[str]
    excluded: frozenset[str]
    pages: list[str]
    folded: dict[str, str]
    by_dir: dict[str, list[str]]
    by_name: dict[str, list[str]]
    urls: dict[str, str]
    moved: dict[str, str] = field(default_factory=dict)  # src -> URL where a plugin publishes it elsewhere

    def url(self, src: str, use_directory_urls: bool) -> str:
        """The URL a docs file is published at (a blog post's own URL, or MkDocs' rule)."""
        return self.moved[src] if src in self.moved else url_of(src, use_directory_urls, self.files)


@dataclass
class SiteConfig:
    """The settings from mkdocs.yml that change what a link resolves to or which ids exist."""

    root: Path
    docs_dir: Path
    docs_rel: str
    use_directory_urls: bool
    slugify: Slugify
    separator: str
    attr_list: bool
    footnotes: bool
    def_list: bool
    md_in_html: bool
    snippet_bases: list[Path] | None
    snippet_auto_append: list[str]
    exclude: GitIgnore
    not_in_nav: GitIgnore
    strict_orphans: bool
    site_url_path: str
    bib: Bibliography | None = None
    bib_rel: str = ""
    bibliography_hook: bool = False
    footnote_format: str = "{key}"
    bib_commands: tuple[str, ...] = ()
    keyword_keys: dict[str, list[str]] = field(default_factory=dict)
    snippet_page_relative: bool = False  # a bare ``!relative`` base path: the page's own folder
    snippet_check_paths: bool = False
    autorefs: bool = False  # the autorefs plugin resolves [text][identifier] site-wide
    inventories: list[str] = field(default_factory=list)  # mkdocstrings ``import`` URLs
    generators: list[str] = field(default_factory=list)  # what turns ``::: identifier`` into HTML
    literate_nav: bool = False
    nav_file: str = ""  # literate-nav's nav file name (SUMMARY.md)
    versioned: bool = False  # mike publishes each version under /VERSION/
    absolute_links: str = "info"  # validation.links.absolute_links
    unrecognized_links: str = "info"  # validation.links.unrecognized_links: MkDocs' level for links it leaves as is
    has_site_url: bool = False
    site_url: str = ""
    tabbed_slugify: Slugify | None = None
    tabbed_combine_header_slug: bool = False
    tabbed_separator: str = "-"
    jinja: bool = False  # a plugin (macros, ...) renders {{ }} and {% %} before Markdown
    gitignores: list[tuple[Path, GitIgnore]] = field(default_factory=list)
    outside: dict[str, Path] = field(default_factory=dict)  # pages the build takes from files outside docs_dir (monorepo)
    outside_folders: dict[str, Path] = field(default_factory=dict)  # their folders in the site -> on disk

    def generated_file(self, path: Path) -> str | None:
        """The .gitignore that lists a missing file (so a build step makes it), or None."""
        for folder, rules in self.gitignores:
            try:
                rel = path.resolve().relative_to(folder).as_posix()
            except ValueError:
                continue
            if rules.match(rel):
                return shown_path(folder / ".gitignore", self.root)
        return None

    def rel(self, path: str) -> str:
        """Any file as reported: relative to the repository root."""
        return shown_path(Path(os.path.normpath(path)), self.root)

    def merged(self, src: str, path: Path) -> None:
        """Note a page the build merged from a file outside docs_dir, and its folder."""
        self.outside[src] = path
        self.outside_folders.setdefault(posixpath.dirname(src), path.parent)

    def page_path(self, src: str) -> str:
        """A docs file as reported: relative to the repository root (a page merged from elsewhere, or a file in
        its folder: where it is on disk)."""
        if src in self.outside:
            return self.rel(str(self.outside[src]))
        folder, name = posixpath.split(src)
        if folder in self.outside_folders:
            return self.rel(str(self.outside_folders[folder] / name))
        return f"{self.docs_rel}/{src}" if self.docs_rel not in ("", ".") else src

    def page_file(self, src: str) -> Path:
        """Where a page's Markdown is on disk."""
        return self.outside.get(src) or self.docs_dir / src


# Extensions that turn on others (Python-Markdown's ``extra`` and pymdownx's ``extra``).
_BUNDLES = {
    "extra": ("abbr", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables"),
    "pymdownx.extra": (
        "abbr",
        "attr_list",
        "def_list",
        "footnotes",
        "md_in_html",
        "tables",
        "pymdownx.betterem",
        "pymdownx.superfences",
    ),
}
_MARKDOWN_PREFIX = "markdown.extensions."
# Plugins and extensions that turn ``::: identifier`` lines into generated HTML with ids.
_GENERATORS = ("mkdocstrings", "mkdocs-click", "mkdocs_click", "mkautodoc", "mkdocs-typer", "mkdocs_typer")
# Plugins that render Jinja ({{ }}, {% %}) in pages before Markdown sees them.
_JINJA_PLUGINS = ("macros", "markdownextradata", "mkdocs-simple-hooks")


def extension_options(project: Project) -> dict[str, dict[str, Any]]:
    """The Markdown extensions as ``{short name: options}``, with bundles (``extra``) expanded."""
    result: dict[str, dict[str, Any]] = {}
    for name, options in project.markdown_extensions.items():
        short = name.removeprefix(_MARKDOWN_PREFIX)
        for part in _BUNDLES.get(short, ()):
            result.setdefault(part, {})
        result[short] = {**result.get(short, {}), **options}
    return result


def load_site(project: Project) -> SiteConfig:
    """Read the links check's settings from the project; bad settings are UsageErrors."""
    config = project.raw
    extensions = extension_options(project)
    toc = extensions.get("toc", {})
    separator = str(toc.get("separator", "-"))
    validation = config.get("validation")
    nav_validation = validation.get("nav") if isinstance(validation, dict) else None
    omitted = str(nav_validation.get("omitted_files", "info")) if isinstance(nav_validation, dict) else "info"
    links_validation = validation.get("links") if isinstance(validation, dict) else None
    snippets = extensions.get("pymdownx.snippets")
    plugins = project.plugins
    site = SiteConfig(
        root=project.root,
        docs_dir=project.docs_dir,
        docs_rel=project.rel(project.docs_dir),
        use_directory_urls=project.use_directory_urls,
        slugify=resolve_slugify(toc.get("slugify")),
        separator=separator,
        attr_list="attr_list" in extensions,
        footnotes="footnotes" in extensions,
        def_list="def_list" in extensions,
        md_in_html="md_in_html" in extensions,
        snippet_bases=_snippet_bases(project, snippets),
        snippet_auto_append=[str(p) for p in (snippets or {}).get("auto_append") or []],
        exclude=_exclusions(project),
        not_in_nav=GitIgnore(_text_option(config, "not_in_nav")),
        strict_orphans=bool(config.get("strict")) and omitted == "warn",
        site_url_path=urlsplit(str(config.get("site_url") or "")).path.rstrip("/"),
    )
    site.snippet_page_relative = _bare_relative((snippets or {}).get("base_path"))
    site.snippet_check_paths = bool((snippets or {}).get("check_paths", False))
    short_plugins = {name.rpartition("/")[2] for name in plugins}
    site.autorefs = bool(short_plugins & {"autorefs", "mkdocstrings"})
    site.inventories = _inventories(project.plugin_options("mkdocstrings"))
    site.generators = [n for n in (*plugins, *extensions) if n.rpartition("/")[2] in _GENERATORS]
    site.literate_nav = "literate-nav" in short_plugins
    if site.literate_nav:
        site.nav_file = str((project.plugin_options("literate-nav") or {}).get("nav_file") or "SUMMARY.md")
    extra = config.get("extra")
    version = extra.get("version") if isinstance(extra, dict) else None
    site.versioned = "mike" in short_plugins or (isinstance(version, dict) and version.get("provider") == "mike")
    if isinstance(links_validation, dict):
        site.absolute_links = str(links_validation.get("absolute_links", "info"))
        site.unrecognized_links = str(links_validation.get("unrecognized_links", "info"))
    site.has_site_url = bool(config.get("site_url"))
    site.site_url = str(config.get("site_url") or "")
    site.jinja = bool(short_plugins & set(_JINJA_PLUGINS)) or any("macros" in name for name in extensions)
    tabbed = extensions.get("pymdownx.tabbed")
    if tabbed and tabbed.get("slugify") is not None:
        site.tabbed_slugify = resolve_slugify(tabbed.get("slugify"))
        site.tabbed_combine_header_slug = bool(tabbed.get("combine_header_slug", False))
        site.tabbed_separator = str(tabbed.get("separator", "-"))
    _load_bibtex(project, site)
    site.gitignores = _gitignores(project)
    return site


def _gitignores(project: Project) -> list[tuple[Path, GitIgnore]]:
    """The .gitignore files of mkdocs.yml's folder, its parents up to the repository root, and docs_dir."""
    folders = []
    folder = project.root
    while True:
        folders.append(folder)
        if (folder / ".git").exists() or folder.parent == folder:
            break
        folder = folder.parent
    if project.docs_dir not in folders:
        folders.append(project.docs_dir)
    found = []
    for folder in folders:
        try:
            text = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found.append((folder, GitIgnore(text)))
    return found


def _exclusions(project: Project) -> GitIgnore:
    """``exclude_docs``, plus the mkdocs-exclude plugin's ``glob`` patterns (its ``regex`` ones as regexes)."""
    rules = GitIgnore(_text_option(project.raw, "exclude_docs"))
    options = project.plugin_options("exclude")
    if options:
        globs = options.get("glob") or []
        for pattern in [globs] if isinstance(globs, str) else globs:
            rules.rules.append((_fnmatch(str(pattern)), True))
        regexes = options.get("regex") or []
        for pattern in [regexes] if isinstance(regexes, str) else regexes:
            try:
                rules.rules.append((re.compile(str(pattern)), True))
            except re.error as exc:
                raise UsageError(f"mkdocs.yml: exclude plugin regex {pattern!r} is invalid: {exc}") from None
    return rules


def _fnmatch(pattern: str) -> re.Pattern[str]:
    """mkdocs-exclude's ``glob``: fnmatch against the path relative to docs_dir (``*`` crosses folders)."""
    return re.compile(fnmatch.translate(pattern))


def _bare_relative(base: Any) -> bool:
    """Whether snippets' base_path has a bare ``!relative`` (the folder of the page being rendered)."""
    from mkdocs.utils.yaml import RelativeDirPlaceholder

    bases = base if isinstance(base, list) else [base]
    return any(isinstance(b, RelativeDirPlaceholder) and not b.suffix for b in bases)


def _inventories(options: dict[str, Any] | None) -> list[str]:
    """The inventory URLs mkdocstrings loads (``handlers.*.import`` / ``inventories``)."""
    found: list[str] = []
    if not options:
        return found
    handlers = options.get("handlers") or {}
    for handler in handlers.values() if isinstance(handlers, dict) else []:
        if not isinstance(handler, dict):
            continue
        for item in (handler.get("import") or []) + (handler.get("inventories") or []):
            url = item.get("url") if isinstance(item, dict) else item
            if url:
                found.append(str(url))
    return found


def _text_option(config: dict[str, Any], name: str) -> str | list[str] | None:
    """A gitignore-style option (a block string or a list); anything else is a UsageError."""
    value = config.get(name)
    if value is not None and not isinstance(value, (str, list)):
        raise UsageError(f"mkdocs.yml: {name} must be a string of gitignore-style patterns")
    return value


def _snippet_bases(project: Project, options: dict[str, Any] | None) -> list[Path] | None:
    """pymdownx.snippets' base_path folders (relative to the folder mkdocs runs in, as snippets resolves them).

    ``!relative $config_dir`` and ``!relative $docs_dir`` are resolved as MkDocs does; a bare
    ``!relative`` (the page's own folder) is added per page (``snippet_page_relative``).
    """
    if options is None:
        return None
    base = options.get("base_path", ["."])
    bases = list(base) if isinstance(base, (list, tuple)) else [base or "."]
    from mkdocs.utils.yaml import RelativeDirPlaceholder

    result = []
    for b in bases:
        if isinstance(b, RelativeDirPlaceholder):
            continue  # the page's own folder: added per page
        result.append(Path(os.fspath(b)).resolve())  # against the working folder; ``!relative $config_dir/...`` is absolute
    return result


def _load_bibtex(project: Project, site: SiteConfig) -> None:
    """Load the bibtex plugin's bib_file and the bibliography hook's keyword groups."""
    options = project.plugin_options("bibtex")
    if not isinstance(options, dict) or not options.get("bib_file"):
        return
    path = project.bib_file
    if path is None:
        return
    site.bib = load_bibliography(path)
    site.bib_rel = project.rel(path)
    site.footnote_format = str(options.get("footnote_format", "{key}"))
    try:
        site.footnote_format.format(key="key")
    except (KeyError, IndexError, ValueError):
        raise UsageError(f"mkdocs.yml: bibtex footnote_format {site.footnote_format!r} may only use {{key}}") from None
    site.bib_commands = (
        str(options.get("bib_command", "\\bibliography")),
        str(options.get("full_bib_command", "\\full_bibliography")),
    )
    site.bibliography_hook = any(Path(h).stem == "bibliography" for h in hook_paths(project))
    groups: dict[str, list[str]] = defaultdict(list)
    for entry in site.bib.entries:
        for keyword in entry.get("keywords").split(","):
            if keyword.strip():
                groups[keyword.strip()].append(entry.key)
    site.keyword_keys = dict(groups)


def hook_paths(project: Project) -> list[str]:
    """The ``hooks`` listed in mkdocs.yml (one string is read as a list of one)."""
    hooks = project.raw.get("hooks") or []
    return [str(h) for h in ([hooks] if isinstance(hooks, str) else hooks if isinstance(hooks, list) else [])]


def check_link(site: SiteConfig, rel: str) -> None:
    """A symbolic link under docs_dir that loops (to itself, or to a folder above it) is a UsageError naming it."""
    path = site.docs_dir / rel
    target = os.readlink(path)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        if not _loops(path):
            return  # a dangling link: MkDocs skips it, and links to it are reported as missing
        raise UsageError(
            f"{site.page_path(rel)}: symbolic link loop (-> {target}); remove the link or point it at a file or folder that is not above it"
        ) from None
    if real.is_dir() and (path.parent.resolve() == real or real in path.parent.resolve().parents):
        raise UsageError(
            f"{site.page_path(rel)}: symbolic link to a folder above it (-> {target}) makes an endless "
            "tree under docs_dir; remove the link or point it elsewhere"
        )


def _loops(path: Path) -> bool:
    """Whether resolving a link fails because it loops (ELOOP), not because its target is missing."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def find_link_loops(site: SiteConfig) -> None:
    """Refuse symbolic link loops under docs_dir before MkDocs walks it (one line naming the link)."""
    for folder, subdirs, files in os.walk(site.docs_dir):
        for name in [*subdirs, *files]:
            path = Path(folder) / name
            if path.is_symlink():
                check_link(site, path.relative_to(site.docs_dir).as_posix())


def index_docs(
    site: SiteConfig, built: frozenset[str] = frozenset(), built_urls: dict[str, str] | None = None, redirects: dict[str, str] | None = None
) -> DocsIndex:
    """Walk docs_dir once: published files, excluded files, pages, and the lookup tables.

    ``built``: the files MkDocs' build has after every plugin's on_files (gen-files, i18n, ...).
    """
    files: set[str] = set()
    excluded: set[str] = set()
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = list(os.scandir(site.docs_dir / rel_dir if rel_dir else site.docs_dir))
        except OSError as exc:
            raise UsageError(f"{site.docs_dir / rel_dir}: cannot read folder: {exc.strerror}") from None
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if entry.is_symlink():
                check_link(site, rel)
            if entry.is_dir():
                stack.append(rel)
            elif _DEFAULT_EXCLUDE.match(rel) or (site.exclude and site.exclude.match(rel)):
                excluded.add(rel)
            else:
                files.add(rel)
    on_disk = set(files)
    files.update(f for f in built if f not in excluded)  # the theme's files, and what plugins add
    folded: dict[str, str] = {}
    by_dir: dict[str, list[str]] = defaultdict(list)
    by_name: dict[str, list[str]] = defaultdict(list)
    for rel in sorted(files):
        folded.setdefault(rel.lower(), rel)
        directory, name = posixpath.split(rel)
        by_dir[directory].append(name)
        by_name[name.lower()].append(rel)
    pages = sorted(f for f in on_disk if f.endswith(PAGE_SUFFIXES))  # pages a plugin writes are link targets only
    moved = {src: url for src, url in (built_urls or {}).items() if url != url_of(src, site.use_directory_urls, files)}
    urls = {moved[rel] if rel in moved else url_of(rel, site.use_directory_urls, files): rel for rel in sorted(files)}
    for url, target in (redirects or {}).items():
        urls.setdefault(url, target)  # a redirect page leads to its target (its #fragment kept)
    return DocsIndex(frozenset(files), frozenset(excluded), pages, folded, dict(by_dir), dict(by_name), urls, moved)


def url_of(src: str, use_directory_urls: bool, files: set[str] | frozenset[str] = frozenset()) -> str:
    """The URL (relative to the site root) MkDocs publishes a docs file at."""
    if not src.endswith(PAGE_SUFFIXES):
        return src
    directory, name = posixpath.split(src)
    stem = name.rsplit(".", 1)[0]
    if stem == "index" or (stem == "README" and posixpath.join(directory, "index.md") not in files):
        if not use_directory_urls:
            return f"{directory}/index.html" if directory else "index.html"
        return f"{directory}/" if directory else ""
    if use_directory_urls:
        return f"{directory}/{stem}/" if directory else f"{stem}/"
    return f"{directory}/{stem}.html" if directory else f"{stem}.html"
