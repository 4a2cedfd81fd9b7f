"""Check one page on its own (links, definitions, footnotes, citations, snippets), in any process."""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs_sitecheck.codes import finding
from mkdocs_sitecheck.findings import Finding, Severity, UsageError
from mkdocs_sitecheck.links.citations import (
    GROUP_MARKER,
    check_citation,
    code_citation,
    find_citations,
)
from mkdocs_sitecheck.links.config import DocsIndex, SiteConfig
from mkdocs_sitecheck.links.parse import PageParser, Parsed
from mkdocs_sitecheck.links.resolve import Resolver, is_page, kind_of
from mkdocs_sitecheck.links.snippets import Included, PathNamer, Snippets
from mkdocs_sitecheck.project import shown_path
from mkdocs_sitecheck.suggest import closest

if TYPE_CHECKING:
    from mkdocs_sitecheck.links.engine import Rendered

_CITE_HINT = re.compile(r"@([\w-]+)")


MAX_PAGE_BYTES = 10 * 10**6  # a page this large takes MkDocs minutes and gigabytes; memory stays bounded without it
MAX_REPEATS = 100  # findings of one code in one file shown before the rest are summarised in one line


def too_large(path: Path) -> int:
    """The page's size when it is over MAX_PAGE_BYTES, else 0."""
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    return size if size > MAX_PAGE_BYTES else 0


def summarise_repeats(findings: list[Finding]) -> list[Finding]:
    """After MAX_REPEATS findings of one code in one file, one line says how many more there are."""
    counts: dict[tuple[str, str], int] = {}
    kept: list[Finding] = []
    last: dict[tuple[str, str], Finding] = {}
    for f in sorted(findings, key=Finding.sort_key):
        key = (f.path, f.code)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= MAX_REPEATS:
            kept.append(f)
        else:
            last.setdefault(key, f)
    for key, first in last.items():
        more = counts[key] - MAX_REPEATS
        kept.append(
            dataclasses.replace(
                first, suggestion=None, message=f"and {more} more {key[1]} finding{'s' if more != 1 else ''} in this file from here on, not shown one by one"
            )
        )
    return kept


@dataclass
class PageData:
    """One page's results: local findings, and what the cross-page checks need."""

    src: str
    ids: list[str]  # from the source parse; replaced by the rendered page's ids when the build rendered it
    findings: list[Finding]
    cite_ids: list[str] = field(default_factory=list)  # the footnote ids mkdocs-bibtex writes for the page's citations
    anchors: list[tuple[str, str, int, int, str]] = field(default_factory=list)  # target, fragment, line, col, url
    cites: list[str] = field(default_factory=list)
    markers: list[tuple[str, int, int]] = field(default_factory=list)
    external: list[tuple[str, int, int]] = field(default_factory=list)
    links: int = 0
    anchor_paths: list[str] = field(default_factory=list)  # per anchor: the included file it is in ('' = page)
    autorefs: list[tuple[str, int, int, str]] = field(default_factory=list)  # identifier, line, col, path
    generated: list[str] = field(default_factory=list)  # ``::: identifier`` objects on the page
    final_ids: bool = False  # its ids are the render's, every generator of ``:::`` blocks applied: none can come later
    included_findings: list[Finding] = field(default_factory=list)  # inside snippet files (reported once)
    urls: list[str] = field(default_factory=list)  # every link URL the source parse found
    md_urls: list[str] = field(default_factory=list)  # those of Markdown links and images (the render must have them)


class PageChecker:
    """Everything needed to check pages, built once per run (and inherited by worker processes)."""

    def __init__(self, site: SiteConfig, index: DocsIndex, *, external: bool = False) -> None:
        self.site = site
        self.index = index
        self.external = external
        self.rendered: dict[str, Rendered] = {}  # the page being checked as the build rendered it (MkDocs' verdicts, per build)
        self.parser = PageParser(
            site.slugify,
            site.separator,
            footnotes=site.footnotes,
            def_list=site.def_list,
            attr_list=site.attr_list,
            tabbed=(site.tabbed_slugify, site.tabbed_separator, site.tabbed_combine_header_slug) if site.tabbed_slugify else None,
        )
        self.resolver = Resolver(site, index)
        self.keys = site.bib.keys() if site.bib else set()
        self.folded = {k.lower(): k for k in sorted(self.keys)}
        self.snippets = Snippets(site.snippet_bases, site.snippet_auto_append, PathNamer(site.root)) if site.snippet_bases is not None else None

    def read(self, src: str) -> str:
        """A page's text with newlines normalised; an unreadable page is a UsageError."""
        path = self.site.page_file(src)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{self.site.page_path(src)}: cannot read file: {exc}") from None
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

    def check(self, src: str) -> PageData:
        """Check one page (one that is too large to render is one finding)."""
        size = too_large(self.site.page_file(src))
        if size:
            return PageData(
                src,
                [],
                [
                    finding(
                        self.site.page_path(src),
                        1,
                        1,
                        "LNK024",
                        f"page is {size / 1e6:.0f} MB; sitecheck (like a build) renders pages up to {MAX_PAGE_BYTES // 10**6} MB: split it into smaller pages",
                    )
                ],
            )
        return self.check_text(src, self.read(src))

    def check_text(self, src: str, text: str) -> PageData:
        """Check one page's text (after the site's hooks and snippets have expanded it)."""
        included = None
        if self.snippets is not None and ("8<" in text or self.snippets.auto_append):
            page_dir = self.site.page_file(src).parent if self.site.snippet_page_relative else None
            included = self.snippets.expand(text, page_dir)
            text = "\n".join(included.lines)
        data = self._check_text(src, text)
        if included is not None:
            data = from_snippets(data, included, self.site.page_path(src))
            for missing in included.missing:
                where, line, shift = missing.origin
                self._snippet(where or self.site.page_path(src), missing.name, line, max(missing.col - shift, 1), data)
        return data

    def _check_text(self, src: str, text: str) -> PageData:
        """Check one page's text as MkDocs renders it."""
        path = self.site.page_path(src)
        cited_labels: set[str] = set()
        if self.site.bib is not None and "@" in text:
            fmt = self.site.footnote_format
            cited_labels = {fmt.format(key=k) for k in _CITE_HINT.findall(text)}
        parsed = self.parser.parse(text, cited_labels)
        data = PageData(src, parsed.ids, [])
        self._links(src, path, parsed, data)
        self._references(src, path, parsed, data)
        self._footnotes(path, parsed, data)
        if self.site.bib is not None:
            self._citations(path, parsed, data)
        if self.site.generators and ":::" in text:
            data.generated = generated_objects(parsed)
        if "bibliography:" in text:
            for m in GROUP_MARKER.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                data.markers.append((m.group("keyword"), line, m.start("keyword") - m.start() + 1))
        return data

    def link(self, src: str, path: str, kind: str, url: str, line: int, col: int, data: PageData, what: str) -> None:
        """Resolve one link; record a finding, an anchor to check later, or an external URL."""
        data.links += 1
        data.urls.append(url)
        if kind != "html":
            data.md_urls.append(url)
        if self.site.jinja and ("{{" in url or "{%" in url):
            return  # a template placeholder, filled in before Markdown runs
        url_kind = kind_of(url)
        if url_kind == "relative" and self.nav_section(src, url):
            return
        if url_kind == "relative":
            outcome = self.resolver.html(src, url) if kind == "html" else self.resolver.markdown(src, url)
            built = self.rendered.get(src) if kind != "html" else None  # MkDocs resolves Markdown links only
            fragment = url.partition("#")[2]
            if built is not None and built.resolved.get(url) and not outcome.excluded:
                # MkDocs found the file in every build that renders the page (each language's, with the files
                # plugins add or move): no finding; the #fragment is looked for on each page it leads to.
                data.anchors.extend((t, fragment, line, col, url) for t in built.resolved[url] if fragment and is_page(t))
                return
            if outcome.code:
                message = outcome.message if what == "link" else f"{what}: {outcome.message}"
                severity = Severity.WARNING if outcome.warning else None
                leads = self._served(src, url, outcome.code, built) if kind != "html" else None
                if leads:
                    # A link to a built URL that works on the site in every build: MkDocs leaves it as is
                    # ("unrecognized relative link") and says so at validation.links.unrecognized_links.
                    severity = Severity.WARNING if self.site.unrecognized_links == "warn" else Severity.INFO
                    message += f" (it works on the site; MkDocs reports it at {severity.value})"
                    data.anchors.extend((t, fragment, line, col, url) for t in leads if fragment and is_page(t))
                elif leads is not None and self.resolver.html(src, url).code is None:  # works in one build, not in all
                    message += " (it leads nowhere on the site of at least one language this page is built for)"
                if outcome.code == "LNK001" and outcome.target and self.site.gitignores:
                    ignore = self.site.generated_file(self.site.docs_dir / outcome.target)
                    if ignore:  # made by a build step, as in the site's own CI: not checkable from a checkout
                        severity = Severity.WARNING
                        message += f" (it is listed in {ignore}: generate it first, then check again)"
                data.findings.append(finding(path, line, col, outcome.code, message, outcome.suggestion, severity=severity, subject=url))
            elif outcome.target is not None:
                data.anchors.append((outcome.target, outcome.fragment, line, col, url))
        elif url_kind == "external":
            if self.external:
                data.external.append((url, line, col))
        elif url_kind == "script":
            scheme = url.split(":", 1)[0].lower()
            shown = url if len(url) <= 40 else url[:37] + "..."
            data.findings.append(finding(path, line, col, "LNK014", f"{what} uses a '{scheme}:' URL ('{shown}'); link to a page or file", subject=url))

    def nav_section(self, src: str, url: str) -> bool:
        """Whether a link in a literate-nav nav file names a folder of pages: literate-nav makes it a section of
        that folder's own nav (its rule, ``_resolve_string_item``: the link ends in '/' and the folder has files)."""
        if not self.site.nav_file or posixpath.basename(src) != self.site.nav_file or not url.endswith("/"):
            return False
        folder = posixpath.normpath(posixpath.join(posixpath.dirname(src), url.partition("#")[0]))
        return any(d == folder or d.startswith(folder + "/") for d in self.index.by_dir)

    def _served(self, src: str, url: str, code: str, built: Rendered | None) -> tuple[str, ...] | None:
        """What a link MkDocs leaves as is (a built URL: no file extension) serves on the site: the docs paths in
        every build that renders the page (() when one serves nothing), or from the source index when no build
        rendered it; None for a link that is not a built URL."""
        if code not in ("LNK001", "LNK002", "LNK004") or posixpath.splitext(url.partition("#")[0].partition("?")[0].rstrip("/"))[1]:
            return None
        if built is not None and url in built.served:
            return built.served[url]
        served = self.resolver.html(src, url)
        return (served.target or "",) if served.code is None else ()

    def _links(self, src: str, path: str, parsed: Parsed, data: PageData) -> None:
        """Inline links, images, autolinks and raw HTML href/src."""
        for kind, url, line, col in parsed.links:
            if url:
                self.link(src, path, kind, url, line, col, data, "link")

    def _references(self, src: str, path: str, parsed: Parsed, data: PageData) -> None:
        """Reference definitions (target checked once, unused ones) and undefined labels."""
        labels = [label for _, label, _, _, _ in parsed.ref_defs]
        for norm, label, url, line, col in parsed.ref_defs:
            if url and norm in parsed.ref_uses:  # an unused definition renders nothing, so its target is moot
                self.link(src, path, "md", url, line, col, data, f"reference definition [{label}]")
            if norm not in parsed.ref_uses:
                data.findings.append(finding(path, line, col, "LNK009", f"reference definition [{label}] is never used", subject=label))
        for label, line, col in parsed.undefined_refs:
            if _NOT_A_LABEL.match(label):
                continue  # ``[0-9][a-z]``, ``["a"]["b"]``: a character class or an index, not a reference
            if self.site.autorefs:  # resolved site-wide by autorefs: checked once every page is read
                data.autorefs.append((label, line, col, path))
                continue
            near = closest(label, labels)
            data.findings.append(
                finding(
                    path,
                    line,
                    col,
                    "LNK008",
                    f"reference link uses label [{label}], which has no definition on this page",
                    f"[{near}]" if near else None,
                    subject=label,
                )
            )

    def _footnotes(self, path: str, parsed: Parsed, data: PageData) -> None:
        """Footnote references without definitions, and definitions nothing references."""
        defined = [label for label, _, _ in parsed.fn_defs]
        used = {label for label, _, _, ok in parsed.fn_refs if ok}
        for label, line, col, ok in parsed.fn_refs:
            if not ok and not _NOT_A_LABEL.match("^" + label):
                near = closest(label, defined)
                data.findings.append(
                    finding(
                        path,
                        line,
                        col,
                        "LNK010",
                        f"footnote [^{label}] has no definition on this page",
                        f"[^{near}]" if near else None,
                        subject=label,
                    )
                )
        for label, line, col in parsed.fn_defs:
            if label not in used:
                data.findings.append(finding(path, line, col, "LNK011", f"footnote definition [^{label}] is never referenced", subject=label))

    def _citations(self, path: str, parsed: Parsed, data: PageData) -> None:
        """Citation keys against refs.bib; the footnote ids mkdocs-bibtex will add."""
        counts: dict[str, int] = {}
        fmt = self.site.footnote_format
        for cite in find_citations(parsed.lines, parsed.skip_lines, parsed.code_lines, parsed.code_spans):
            if cite.in_code:
                data.findings.append(code_citation(cite, path))
                continue
            problem = check_citation(cite, path, self.keys, self.folded)
            if problem is not None:
                data.findings.append(problem)
            if cite.key.lower() in self.folded and cite.written == cite.key:
                data.cites.append(self.folded[cite.key.lower()])
                label = fmt.format(key=cite.key)
                counts[label] = counts.get(label, 0) + 1
                data.cite_ids.append(f"fnref:{label}" if counts[label] == 1 else f"fnref{counts[label]}:{label}")
        data.cite_ids.extend(f"fn:{label}" for label in counts)

    def _snippet(self, path: str, name: str, line: int, col: int, data: PageData) -> None:
        """LNK015 for a snippet file that is in none of the base paths (``path``: where the marker is)."""
        bases = ", ".join(f"'{shown_path(b, self.site.root)}'" for b in self.site.snippet_bases or [])
        if self.site.snippet_page_relative:
            bases = f"{bases}, the page's folder (!relative)" if bases else "the page's folder (!relative)"
        near = snippet_near(name, self.site.snippet_bases or [])
        message = f"snippet '{name}' is not found in base_path {bases}"
        severity = None
        for base in self.site.snippet_bases or []:
            ignore = self.site.generated_file(base / name)
            if ignore:
                severity = Severity.WARNING
                message += f" (it is listed in {ignore}: generate it first, then check again)"
                break
        data.findings.append(finding(path, line, col, "LNK015", message, near, severity=severity))


# Bracketed text that is code-like, not a reference label: character classes (``a-z``, ``^0-9``) and quoted keys.
_NOT_A_LABEL = re.compile(r"""^(?:\^?(?:\w-\w|\\[wdsWDS])+|(["']).*\1)$""")
_GENERATED = re.compile(r"^[ \t]*:::[ \t]+([^\s{]+)")


def generated_objects(parsed: Parsed) -> list[str]:
    """The identifiers of ``::: identifier`` lines outside code (mkdocstrings and the like render them)."""
    found = []
    for index, text in enumerate(parsed.lines):
        if ":::" in text and index + 1 not in parsed.code_lines and index + 1 not in parsed.skip_lines:
            m = _GENERATED.match(text)
            if m:
                found.append(m.group(1))
    return found


def from_snippets(data: PageData, included: Included, page: str) -> PageData:
    """Move positions in snippet-expanded text to the page's lines, or to the included file's lines.

    Findings inside an ``auto_append`` file that only make sense per page (an unused definition
    or footnote) are dropped: such files are shared glossaries.
    """
    origins = included.origins

    def place(line: int, col: int) -> tuple[str | None, int, int]:
        """(included file or None, line, column) of one position in the expanded text."""
        if not 1 <= line <= len(origins):
            return None, line, col
        where, source_line, shift = origins[line - 1]
        return where, max(source_line, 1), max(col - shift, 1) if where else col

    findings: list[Finding] = []
    for f in data.findings:
        where, line, col = place(f.line, f.column)
        if where in included.appended and f.code in ("LNK009", "LNK011"):
            continue
        moved = dataclasses.replace(f, path=where or f.path, line=line, column=col)
        (data.included_findings if where else findings).append(moved)
    data.findings = findings
    anchors, paths = [], []
    for target, fragment, line, col, url in data.anchors:
        where, line, col = place(line, col)
        anchors.append((target, fragment, line, col, url))
        paths.append(where or "")
    data.anchors, data.anchor_paths = anchors, paths
    data.external = [(url, *place(line, col)[1:]) for url, line, col in data.external]
    data.autorefs = [(label, *place(line, col)[1:], place(line, col)[0] or path) for label, line, col, path in data.autorefs]
    data.markers = [(kw, *place(line, col)[1:]) for kw, line, col in data.markers]
    return data


def snippet_exists(name: str, bases: list[Path]) -> bool:
    """Whether pymdownx.snippets finds ``name`` in one of its base paths (a folder, or a file by name)."""
    for base in bases:
        if base.is_file():
            if base.name == name:
                return True
        elif (base / name).is_file():
            return True
    return False


def snippet_near(name: str, bases: list[Path]) -> str | None:
    """The existing snippet most like a missing one, looked for only in its own folder of each base path."""
    folder, _, leaf = name.rpartition("/")
    names: list[str] = []
    for base in bases:
        directory = base / folder if base.is_dir() else None
        if directory is not None and directory.is_dir():
            names.extend(entry.name for entry in os.scandir(directory) if entry.is_file())
    near = closest(leaf, sorted(set(names)))
    return f"{folder}/{near}" if near and folder else near


def snippet_candidates(bases: list[Path]) -> list[str]:
    """Snippet names that do exist (for suggestions)."""
    names = []
    for base in bases:
        if base.is_file():
            names.append(base.name)
        elif base.is_dir():
            for folder, _, files in os.walk(base):
                rel = os.path.relpath(folder, base)
                names.extend(f if rel == "." else f"{rel}/{f}".replace(os.sep, "/") for f in files)
    return names
