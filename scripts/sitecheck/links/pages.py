"""Check one page on its own (links, definitions, footnotes, citations, snippets), in any process."""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sitecheck.findings import Finding, UsageError
from sitecheck.links.citations import GROUP_MARKER, check_citation, code_citation, find_citations
from sitecheck.links.codes import finding
from sitecheck.links.config import DocsIndex, SiteConfig
from sitecheck.links.hooks import LineMap, expand
from sitecheck.links.parse import PageParser, Parsed
from sitecheck.links.resolve import Resolver, kind_of
from sitecheck.suggest import closest

_CITE_HINT = re.compile(r"@([\w-]+)")
# pymdownx.snippets' markers: ``--8<-- "file"`` on its own line, or a block between ``--8<--`` lines.
SNIPPET = re.compile(
    r"""^[ \t]*(?P<escape>;*)(?:-+8<-+[ \t]+(?P<name>"(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?')"""
    r"""|(?P<block>-+8<-+))[ \t]*$"""
)
_SNIPPET_SUFFIX = re.compile(
    r"(?i)(.*?)(?:((?::-?[0-9]*){1,2}(?:(?:,(?=[-0-9:])-?[0-9]*)(?::-?[0-9]*)?)*)|(:[a-z][-_0-9a-z]*))?$"
)


@dataclass
class PageData:
    """One page's results: local findings, and what the cross-page checks need."""

    src: str
    ids: list[str]
    findings: list[Finding]
    anchors: list[tuple[str, str, int, int, str]] = field(default_factory=list)  # target, fragment, line, col, url
    cites: list[str] = field(default_factory=list)
    markers: list[tuple[str, int, int]] = field(default_factory=list)
    external: list[tuple[str, int, int]] = field(default_factory=list)
    links: int = 0


class PageChecker:
    """Everything needed to check pages, built once per run (and inherited by worker processes)."""

    def __init__(self, site: SiteConfig, index: DocsIndex, *, external: bool = False) -> None:
        self.site = site
        self.index = index
        self.external = external
        self.parser = PageParser(
            site.slugify, site.separator, footnotes=site.footnotes, def_list=site.def_list, attr_list=site.attr_list
        )
        self.resolver = Resolver(site, index)
        self.keys = site.bib.keys() if site.bib else set()
        self.folded = {k.lower(): k for k in sorted(self.keys)}
        self.snippet_cache: dict[str, bool] = {}

    def read(self, src: str) -> str:
        """A page's text with newlines normalised; an unreadable page is a UsageError."""
        path = self.site.docs_dir / src
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{self.site.page_path(src)}: cannot read file: {exc}") from None
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

    def check(self, src: str) -> PageData:
        """Check one page."""
        return self.check_text(src, self.read(src))

    def check_text(self, src: str, text: str) -> PageData:
        """Check one page's text (after the site's hooks have expanded their markers)."""
        mapper = None
        if self.site.expansions:
            text, mapper = expand(text, self.site.expansions)
        data = self._check_text(src, text)
        return remap(data, mapper) if mapper else data

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
        if self.site.snippet_bases is not None and "8<" in text:
            self._snippets(path, parsed, data)
        if "bibliography:" in text:
            for m in GROUP_MARKER.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                data.markers.append((m.group("keyword"), line, m.start("keyword") - m.start() + 1))
        return data

    def _link(self, src: str, path: str, kind: str, url: str, line: int, col: int, data: PageData, what: str) -> None:
        """Resolve one link; record a finding, an anchor to check later, or an external URL."""
        data.links += 1
        url_kind = kind_of(url)
        if url_kind == "relative":
            outcome = self.resolver.html(src, url) if kind == "html" else self.resolver.markdown(src, url)
            if outcome.code:
                message = outcome.message if what == "link" else f"{what}: {outcome.message}"
                data.findings.append(finding(path, line, col, outcome.code, message, outcome.suggestion))
            elif outcome.target is not None:
                data.anchors.append((outcome.target, outcome.fragment, line, col, url))
        elif url_kind == "external":
            if self.external:
                data.external.append((url, line, col))
        elif url_kind == "script":
            scheme = url.split(":", 1)[0].lower()
            shown = url if len(url) <= 40 else url[:37] + "..."
            data.findings.append(
                finding(path, line, col, "LNK014", f"{what} uses a '{scheme}:' URL ('{shown}'); link to a page or file")
            )

    def _links(self, src: str, path: str, parsed: Parsed, data: PageData) -> None:
        """Inline links, images, autolinks and raw HTML href/src."""
        for kind, url, line, col in parsed.links:
            if url:
                self._link(src, path, kind, url, line, col, data, "link")

    def _references(self, src: str, path: str, parsed: Parsed, data: PageData) -> None:
        """Reference definitions (target checked once, unused ones) and undefined labels."""
        labels = [label for _, label, _, _, _ in parsed.ref_defs]
        for norm, label, url, line, col in parsed.ref_defs:
            if url:
                self._link(src, path, "md", url, line, col, data, f"reference definition [{label}]")
            if norm not in parsed.ref_uses:
                data.findings.append(
                    finding(path, line, col, "LNK009", f"reference definition [{label}] is never used")
                )
        for label, line, col in parsed.undefined_refs:
            near = closest(label, labels)
            data.findings.append(
                finding(
                    path, line, col, "LNK008",
                    f"reference link uses label [{label}], which has no definition on this page",
                    f"[{near}]" if near else None,
                )
            )

    def _footnotes(self, path: str, parsed: Parsed, data: PageData) -> None:
        """Footnote references without definitions, and definitions nothing references."""
        defined = [label for label, _, _ in parsed.fn_defs]
        used = {label for label, _, _, ok in parsed.fn_refs if ok}
        for label, line, col, ok in parsed.fn_refs:
            if not ok:
                near = closest(label, defined)
                data.findings.append(
                    finding(
                        path, line, col, "LNK010",
                        f"footnote [^{label}] has no definition on this page",
                        f"[^{near}]" if near else None,
                    )
                )
        for label, line, col in parsed.fn_defs:
            if label not in used:
                data.findings.append(
                    finding(path, line, col, "LNK011", f"footnote definition [^{label}] is never referenced")
                )

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
                data.ids.append(f"fnref:{label}" if counts[label] == 1 else f"fnref{counts[label]}:{label}")
        data.ids.extend(f"fn:{label}" for label in counts)

    def _snippets(self, path: str, parsed: Parsed, data: PageData) -> None:
        """``--8<--`` lines whose file is in none of the snippet base paths."""
        in_block = False
        for index, text in enumerate(parsed.lines):
            line = index + 1
            if line in parsed.skip_lines:
                continue
            m = SNIPPET.match(text) if "8<" in text or in_block else None
            if m and m.group("escape"):
                continue
            if m and m.group("block"):
                in_block = not in_block
                continue
            if m and m.group("name"):
                name, col = m.group("name")[1:-1].replace('\\"', '"'), text.find(m.group("name")) + 2
            elif in_block and text.strip() and not text.lstrip().startswith(";"):
                name, col = text.strip(), len(text) - len(text.lstrip()) + 1
            else:
                continue
            self._snippet(path, name, line, col, data)

    def _snippet(self, path: str, name: str, line: int, col: int, data: PageData) -> None:
        """LNK015 when one snippet file is missing."""
        file_name = _SNIPPET_SUFFIX.match(name).group(1) or name  # type: ignore[union-attr]
        if kind_of(file_name) != "relative":
            return
        if file_name not in self.snippet_cache:
            self.snippet_cache[file_name] = snippet_exists(file_name, self.site.snippet_bases or [])
        if not self.snippet_cache[file_name]:
            bases = ", ".join(f"'{_rel(b, self.site.root)}'" for b in self.site.snippet_bases or [])
            near = closest(file_name, snippet_candidates(self.site.snippet_bases or []))
            data.findings.append(
                finding(path, line, col, "LNK015", f"snippet '{file_name}' is not found in base_path {bases}", near)
            )


def remap(data: PageData, mapper: LineMap) -> PageData:
    """Move positions inside hook-expanded text back to the marker's line in the source."""
    data.findings = [
        dataclasses.replace(f, line=line, column=col)
        for f in data.findings
        for line, col in [mapper(f.line, f.column)]
    ]
    data.anchors = [(t, frag, *mapper(line, col), url) for t, frag, line, col, url in data.anchors]
    data.external = [(url, *mapper(line, col)) for url, line, col in data.external]
    data.markers = [(kw, *mapper(line, col)) for kw, line, col in data.markers]
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


def _rel(path: Path, root: Path) -> str:
    """A path relative to the repository root when it is inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
