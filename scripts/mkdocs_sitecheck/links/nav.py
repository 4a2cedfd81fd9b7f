"""The nav in mkdocs.yml: entries that point to missing files, and pages that no entry names."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding, Severity
from mkdocs_sitecheck.links.config import DocsIndex, SiteConfig
from mkdocs_sitecheck.links.resolve import kind_of
from mkdocs_sitecheck.suggest import Suggester, closest


def config_nodes(config_path: Path) -> yaml.Node | None:
    """mkdocs.yml composed into YAML nodes (for line numbers); None if it cannot be composed."""
    try:
        return yaml.compose(config_path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def top_level(root: yaml.Node | None, key: str) -> yaml.Node | None:
    """The node under a top-level key of mkdocs.yml."""
    if not isinstance(root, yaml.MappingNode):
        return None
    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def nav_entries(node: yaml.Node | None) -> Iterator[tuple[str, yaml.ScalarNode]]:
    """Every ``(title, path node)`` in a nav tree (title '' for bare paths)."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                yield "", item
            else:
                yield from nav_entries(item)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(v, yaml.ScalarNode):
                yield str(k.value), v
            else:
                yield from nav_entries(v)


def check_nav(
    site: SiteConfig, index: DocsIndex, config_rel: str, root: yaml.Node | None, unresolved: frozenset[str] | None = None
) -> tuple[list[Finding], set[str]]:
    """LNK012 for nav entries to missing files; also returns the docs paths the nav names. ``unresolved``: the
    entries the nav MkDocs and its plugins built left as links to nothing (None: no build ran); an entry the
    build resolved (a plugin found it elsewhere: i18n language folders) is not reported."""
    findings = []
    named: set[str] = set()
    pages = Suggester(index.pages)  # indexed once: a renamed folder may break many entries
    for title, node in nav_entries(top_level(root, "nav")):
        value = str(node.value)
        if kind_of(value) != "relative" or value.startswith("/") or not value:
            continue
        path = posixpath.normpath(value)
        named.add(path)
        if path in index.files:
            continue
        if unresolved is not None and value not in unresolved and path not in index.excluded:
            continue
        where = (config_rel, node.start_mark.line + 1, node.start_mark.column + 1)
        label = f"nav entry '{title}'" if title else "nav entry"
        actual = index.folded.get(path.lower())
        if actual is not None:
            named.add(actual)  # reported here once, not again as an orphan
            findings.append(finding(*where, "LNK012", f"{label} points to '{value}', which differs only in case from '{actual}'", actual))
        elif path in index.excluded:
            findings.append(finding(*where, "LNK012", f"{label} points to '{value}', which exclude_docs excludes"))
        elif site.literate_nav and ((site.docs_dir / path).is_dir() or any(f.startswith(path + "/") for f in index.files)):
            named.add(path.rstrip("/") + "/")  # literate-nav builds this part of the nav from the folder (on disk or generated)
            continue
        elif ignore := site.generated_file(site.docs_dir / path):
            findings.append(
                finding(
                    *where,
                    "LNK012",
                    f"{label} points to '{value}', which does not exist in docs_dir '{site.docs_rel}' (it is listed "
                    f"in {ignore}: generate it first, then check again)",
                    severity=Severity.WARNING,
                )
            )
        else:
            findings.append(finding(*where, "LNK012", f"{label} points to '{value}', which does not exist in docs_dir '{site.docs_rel}'", pages.closest(path)))
    return findings, named


def check_orphans(site: SiteConfig, index: DocsIndex, named: set[str]) -> list[Finding]:
    """LNK013 for pages in no nav entry (unless not_in_nav matches them)."""
    severity = Severity.ERROR if site.strict_orphans else None
    folders = [n for n in named if n.endswith("/")]
    why = " (the strict build fails on it: validation.nav.omitted_files is warn)" if site.strict_orphans else ""
    return [
        finding(site.page_path(page), 1, 1, "LNK013", f"page is not in the nav; add it to nav in mkdocs.yml or to not_in_nav{why}", severity=severity)
        for page in index.pages
        if page not in named and not site.not_in_nav.match(page) and not any(page.startswith(d) for d in folders)
    ]


# What nav-file plugins log about an entry that names nothing, with the nav file: awesome-pages (strict: false)
# and awesome-nav (which drops the entry and warns; `mkdocs build --strict` fails on it).
_PAGES_ENTRY = re.compile(
    r'Nav entry "(?P<entry>.+?)" not found\. \[(?P<file>.+?)\]'
    r"|The nav item '(?P<item>.+?)' doesn't match any files or directories \[(?P<item_file>.+?)\]"
)


def nav_file_entries(site: SiteConfig, index: DocsIndex, problems: list[str]) -> list[Finding]:
    """LNK012 for entries of nav files (awesome-pages' ``.pages``, awesome-nav's ``.nav.yml``) that the nav plugin
    could not find, at their line."""
    findings = []
    for message in problems:
        m = _PAGES_ENTRY.search(message)
        if m is None:
            continue
        entry, nav_file = m.group("entry") or m.group("item"), m.group("file") or m.group("item_file")
        try:
            lines = (site.docs_dir / nav_file).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        line, col = next(((n, text.index(entry) + 1) for n, text in enumerate(lines, 1) if entry in text), (1, 1))
        folder = posixpath.dirname(nav_file)
        near = closest(entry, index.by_dir.get(folder, []))
        findings.append(
            finding(
                site.page_path(nav_file),
                line,
                col,
                "LNK012",
                f"nav entry '{entry}' points to a file that does not exist in '{site.page_path(folder) if folder else site.docs_rel}'",
                near,
            )
        )
    return findings


def check_auto_append(site: SiteConfig, config_rel: str, root: yaml.Node | None) -> list[Finding]:
    """LNK015 for pymdownx.snippets' auto_append files that are missing (reported in mkdocs.yml)."""
    from mkdocs_sitecheck.links.pages import snippet_candidates, snippet_exists

    if site.snippet_bases is None:
        return []
    findings = []
    for name in site.snippet_auto_append:
        if snippet_exists(name, site.snippet_bases):
            continue
        line, col = _find_scalar(top_level(root, "markdown_extensions"), name)
        findings.append(
            finding(
                config_rel,
                line,
                col,
                "LNK015",
                f"pymdownx.snippets auto_append file '{name}' is not found in base_path",
                closest(name, snippet_candidates(site.snippet_bases)),
            )
        )
    return findings


def _find_scalar(node: yaml.Node | None, value: str) -> tuple[int, int]:
    """The (line, column) of the first scalar equal to ``value`` under ``node``, else (1, 1)."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.ScalarNode):
            if current.value == value:
                return current.start_mark.line + 1, current.start_mark.column + 1
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack.extend((k, v))
    return 1, 1
