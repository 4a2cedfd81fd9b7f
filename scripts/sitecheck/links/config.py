"""What the links check reads from mkdocs.yml, and the index of files under docs_dir (built once)."""

from __future__ import annotations

import os
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitecheck.bib import Bibliography, load_bibliography
from sitecheck.findings import UsageError
from sitecheck.links.hooks import Expansion, load_expansions
from sitecheck.links.slugs import Slugify, resolve_slugify
from sitecheck.project import Project

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
    expansions: list[Expansion] = field(default_factory=list)

    def page_path(self, src: str) -> str:
        """A docs file as reported: relative to the repository root."""
        return f"{self.docs_rel}/{src}" if self.docs_rel not in ("", ".") else src


def load_site(project: Project) -> SiteConfig:
    """Read the links check's settings from the project; bad settings are UsageErrors."""
    config = project.config
    extensions = project.markdown_extensions
    toc = extensions.get("toc", {})
    separator = str(toc.get("separator", "-"))
    validation = config.get("validation")
    nav_validation = validation.get("nav") if isinstance(validation, dict) else None
    omitted = str(nav_validation.get("omitted_files", "info")) if isinstance(nav_validation, dict) else "info"
    site = SiteConfig(
        root=project.root,
        docs_dir=project.docs_dir,
        docs_rel=project.rel(project.docs_dir),
        use_directory_urls=project.use_directory_urls,
        slugify=resolve_slugify(toc.get("slugify")),
        separator=separator,
        attr_list="attr_list" in extensions or "markdown.extensions.attr_list" in extensions,
        footnotes="footnotes" in extensions or "markdown.extensions.footnotes" in extensions,
        def_list="def_list" in extensions or "markdown.extensions.def_list" in extensions,
        md_in_html="md_in_html" in extensions or "markdown.extensions.md_in_html" in extensions,
        snippet_bases=_snippet_bases(project, extensions.get("pymdownx.snippets")),
        snippet_auto_append=[str(p) for p in (extensions.get("pymdownx.snippets") or {}).get("auto_append") or []],
        exclude=GitIgnore(_text_option(config, "exclude_docs")),
        not_in_nav=GitIgnore(_text_option(config, "not_in_nav")),
        strict_orphans=bool(config.get("strict")) and omitted == "warn",
        site_url_path=urlsplit(str(config.get("site_url") or "")).path.rstrip("/"),
    )
    _load_bibtex(project, site)
    site.expansions = load_expansions(project, hook_paths(project), site.bib.keys() if site.bib else set())
    return site


def _text_option(config: dict[str, Any], name: str) -> str | list[str] | None:
    """A gitignore-style option (a block string or a list); anything else is a UsageError."""
    value = config.get(name)
    if value is not None and not isinstance(value, (str, list)):
        raise UsageError(f"mkdocs.yml: {name} must be a string of gitignore-style patterns")
    return value


def _snippet_bases(project: Project, options: dict[str, Any] | None) -> list[Path] | None:
    """pymdownx.snippets' base_path folders (relative to where mkdocs runs: mkdocs.yml's folder)."""
    if options is None:
        return None
    base = options.get("base_path", ["."])
    bases = [base] if isinstance(base, str) else list(base or ["."])
    return [(project.root / str(b)).resolve() for b in bases]


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
    hooks = project.config.get("hooks") or []
    return [str(h) for h in ([hooks] if isinstance(hooks, str) else hooks if isinstance(hooks, list) else [])]


def index_docs(site: SiteConfig) -> DocsIndex:
    """Walk docs_dir once: published files, excluded files, pages, and the lookup tables."""
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
            if entry.is_dir():
                stack.append(rel)
            elif _DEFAULT_EXCLUDE.match(rel) or (site.exclude and site.exclude.match(rel)):
                excluded.add(rel)
            else:
                files.add(rel)
    folded: dict[str, str] = {}
    by_dir: dict[str, list[str]] = defaultdict(list)
    by_name: dict[str, list[str]] = defaultdict(list)
    for rel in sorted(files):
        folded.setdefault(rel.lower(), rel)
        directory, name = posixpath.split(rel)
        by_dir[directory].append(name)
        by_name[name.lower()].append(rel)
    pages = sorted(f for f in files if f.endswith(PAGE_SUFFIXES))
    urls = {url_of(rel, site.use_directory_urls, files): rel for rel in sorted(files)}
    return DocsIndex(frozenset(files), frozenset(excluded), pages, folded, dict(by_dir), dict(by_name), urls)


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
