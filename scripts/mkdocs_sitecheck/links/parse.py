"""Parse one Markdown page into what the checks need: links, ids, definitions, code regions, lines.

Blocks come from markdown-it-py (CommonMark + tables, front matter, footnotes, definition
lists, and Python-Markdown's ``!!!``/``???``/``===`` containers), or, for flat pages, from
the equivalent fast path in :mod:`mkdocs_sitecheck.links.flat`; inline text from
:mod:`mkdocs_sitecheck.links.inline`. Every position is a 1-based ``(line, column)`` in the source.

Known differences from Python-Markdown, which builds the site: ``#Heading`` without a space is
not a heading here, and a raw HTML block ends at a blank line (CommonMark) rather than at its
closing tag; emphasis runs such as ``_0 0__?_`` may slug differently.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from mkdocs_sitecheck.links.citations import CITATION_BLOCK, parse_block
from mkdocs_sitecheck.links.flat import flat_events
from mkdocs_sitecheck.links.inline import Scan, attr_ids, scan
from mkdocs_sitecheck.links.slugs import Slugify, unique

_CONTAINER = re.compile(r"(?:!!!|\?\?\?\+?|===[!+]{0,2})[ \t]+\S")
_HEADER_ATTRS = re.compile(r"[ ]+\{:?[ ]*([^}\n ][^\n]*)\}[ ]*$")  # Python-Markdown attr_list HEADER_RE
TAG = re.compile(
    r"<([A-Za-z][A-Za-z0-9-]*)((?:\s+[a-zA-Z_:][a-zA-Z0-9:._-]*"
    r"(?:\s*=\s*(?:[^\"'=<>`\s]+|'[^']*'|\"[^\"]*\"))?)*)\s*/?>"
)
ATTR = re.compile(r"([a-zA-Z_:][a-zA-Z0-9:._-]*)(?:\s*=\s*([^\"'=<>`\s]+|'[^']*'|\"[^\"]*\"))?")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def html_attributes(text: str) -> Iterator[tuple[str, str, str, int]]:
    """(tag, attribute, unescaped value, offset of the value in ``text``) for each valued attribute."""
    for tag in TAG.finditer(text):
        name = tag.group(1).lower()
        for attr in ATTR.finditer(tag.group(2)):
            key, raw = attr.group(1).lower(), attr.group(2)
            if raw is None:
                continue
            quoted = raw[:1] in ("'", '"')
            yield name, key, html.unescape(raw[1:-1] if quoted else raw), tag.start(2) + attr.start(2) + quoted


_LINK_ATTRS = frozenset({"href", "src"})
_PLAIN_HEADING = re.compile(r"[\\`*_\[\]<>&!{~]")
_DEF_LABEL = re.compile(r"\s*\[((?:\\.|[^\]\\])*)\]:")


@dataclass
class Parsed:
    """What one page says, with 1-based positions."""

    lines: list[str]
    ids: list[str] = field(default_factory=list)
    links: list[tuple[str, str, int, int]] = field(default_factory=list)  # (md|html, url, line, col)
    ref_defs: list[tuple[str, str, str, int, int]] = field(default_factory=list)  # (norm, label, url, line, col)
    ref_uses: set[str] = field(default_factory=set)
    undefined_refs: list[tuple[str, int, int]] = field(default_factory=list)  # (label, line, col)
    fn_defs: list[tuple[str, int, int]] = field(default_factory=list)
    fn_refs: list[tuple[str, int, int, bool]] = field(default_factory=list)  # (label, line, col, defined)
    code_lines: set[int] = field(default_factory=set)
    skip_lines: set[int] = field(default_factory=set)  # front matter and HTML comments
    code_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # line -> [(col0, col1)]


def _container(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Python-Markdown's admonition, details and tabbed blocks: a marker line, then 4-space indented body."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    if state.src[start : start + 1] not in ("!", "?", "="):
        return False
    if not _CONTAINER.match(state.src, start, state.eMarks[start_line]):
        return False
    if silent:
        return True
    indent = state.sCount[start_line] + 4
    last = start_line
    line = start_line + 1
    while line < end_line:
        if not state.isEmpty(line):
            if state.sCount[line] < indent:
                break
            last = line
        line += 1
    end = last + 1
    saved = (state.parentType, state.lineMax, state.blkIndent)
    state.parentType = "container"
    state.lineMax = end
    state.blkIndent = indent
    token = state.push("container_open", "div", 1)
    token.map = [start_line, end]
    state.md.block.tokenize(state, start_line + 1, end)
    state.push("container_close", "div", -1)
    state.parentType, state.lineMax, state.blkIndent = saved
    state.line = end
    return True


_TAB_TITLE = re.compile(r"[ \t]*===[!+]{0,2}[ \t]+\"(.*)\"[ \t]*$")
_DEF_START = re.compile(r" {0,3}\[(?!\^)(?:\\.|[^\[\]\\])+\]:")


def _definition_interrupts(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Python-Markdown takes a ``[label]: url`` line inside a paragraph as a definition: end the paragraph there."""
    if not silent or state.parentType != "paragraph":
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4 or state.src[start : start + 1] != "[":
        return False
    return _DEF_START.match(state.src, state.bMarks[start_line], state.eMarks[start_line]) is not None


def _last_definition_wins(rule: Any) -> Any:
    """markdown-it's reference rule, but a later definition of a label replaces an earlier one (Python-Markdown)."""

    def reference(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        """Parse one definition into a fresh table, then lay it over the page's."""
        if silent:
            return bool(rule(state, start_line, end_line, silent))
        saved = state.env.get("references")
        state.env["references"] = {}
        try:
            ok = bool(rule(state, start_line, end_line, silent))
        finally:
            new = state.env["references"]
            state.env["references"] = {**(saved or {}), **new}
        return ok

    return reference


def make_block_parser(footnotes: bool = True, def_list: bool = True) -> MarkdownIt:
    """markdown-it for block structure only (inline text is scanned separately), raw URLs kept."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    from markdown_it.rules_block.reference import reference

    md.block.ruler.at("reference", _last_definition_wins(reference), {"alt": ["reference"]})
    md.block.ruler.before("paragraph", "definition_interrupts", _definition_interrupts, {"alt": ["paragraph"]})
    md.use(front_matter_plugin)
    if footnotes:
        md.use(footnote_plugin, inline=False, move_to_end=False)
    if def_list:
        md.use(deflist_plugin)
    md.block.ruler.before("fence", "container", _container, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.disable("inline")
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def make_inline_parser() -> MarkdownIt:
    """markdown-it's full inline parser, used only for heading text (ids need emphasis, code, HTML)."""
    md = MarkdownIt("commonmark", {"html": True})
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


class _Locator:
    """Maps offsets in a token's content back to source lines and columns."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor: dict[int, int] = {}

    def bases(self, first: int, content: str) -> tuple[list[int], list[int], list[int]]:
        """For each content line: its offset in content, its source line index, its column base."""
        offsets, line_ids, cols = [], [], []
        offset = 0
        for k, part in enumerate(content.split("\n")):
            index = first + k
            source = self.lines[index] if index < len(self.lines) else ""
            col = source.find(part, self.cursor.get(index, 0)) if part else -1
            if col < 0 and part.strip():  # e.g. a tab expanded to spaces: anchor on the text itself
                text = part.lstrip()
                found = source.find(text.rstrip())
                col = max(found - (len(part) - len(text)), 0) if found >= 0 else -1
            if col < 0:
                col = len(source) - len(source.lstrip())
            else:
                self.cursor[index] = col + len(part)
            offsets.append(offset)
            line_ids.append(index)
            cols.append(col)
            offset += len(part) + 1
        return offsets, line_ids, cols

    @staticmethod
    def at(bases: tuple[list[int], list[int], list[int]], offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a content offset."""
        offsets, line_ids, cols = bases
        k = bisect.bisect_right(offsets, offset) - 1
        return line_ids[k] + 1, cols[k] + offset - offsets[k] + 1


def token_events(tokens: list[Token]) -> Iterator[tuple[Any, ...]]:
    """markdown-it's tokens as the block events the page parser consumes (see :mod:`flat`)."""
    heading_inline = -1
    for i, token in enumerate(tokens):
        kind = token.type
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if kind == "heading_open" and following is not None and following.map is not None:
            heading_inline = i + 1
            yield ("heading", following.content, following.map[0])
        elif kind == "inline" and token.map is not None and i != heading_inline:
            yield ("inline", token.content, token.map[0])
        elif kind in ("fence", "code_block") and token.map:
            yield ("code", token.map[0], token.map[1])
        elif kind == "html_block" and token.map:
            yield ("html", token.content, token.map[0], token.map[1])
        elif kind == "front_matter" and token.map:
            yield ("front", token.map[0], token.map[1])
        elif kind == "footnote_reference_open" and token.map:
            yield ("fndef", token.meta["label"], token.map[0])


class PageParser:
    """Parses pages with one configuration; reusable across pages (and processes)."""

    def __init__(
        self,
        slugify: Slugify,
        separator: str,
        *,
        footnotes: bool,
        def_list: bool,
        attr_list: bool,
        tabbed: tuple[Slugify, str, bool] | None = None,
    ) -> None:
        self.tabbed = tabbed  # pymdownx.tabbed's (slugify, separator, combine_header_slug) when it slugs tab ids
        self.block = make_block_parser(footnotes, def_list)
        self.inline = make_inline_parser()
        self.slugify = slugify
        self.separator = separator
        self.footnotes = footnotes
        self.attr_list = attr_list

    def parse(self, text: str, extra_footnotes: set[str] | frozenset[str] = frozenset(), *, fast: bool = True) -> Parsed:
        """Parse one page; ``extra_footnotes`` are labels defined by plugins (citations)."""
        lines = text.split("\n")
        flat = flat_events(lines) if fast else None
        if flat is None:
            env: dict[str, Any] = {}
            events = list(token_events(self.block.parse(text, env)))
            references = env.get("references") or {}
        else:
            events, references = flat
        refs = {label: ref["href"] for label, ref in references.items()}
        parsed = Parsed(lines)
        footnote_labels: set[str] | None = None
        if self.footnotes:
            footnote_labels = set(extra_footnotes)
            footnote_labels.update(event[1] for event in events if event[0] == "fndef")
        locator = _Locator(lines)
        headings: list[tuple[str | None, str]] = []  # (custom id, plain text) in order
        heading_lines: list[int] = []
        fixed_ids: list[str] = []
        for event in events:
            kind = event[0]
            if kind == "inline":
                self._inline(event[1], event[2], locator, refs, footnote_labels, parsed, fixed_ids)
            elif kind == "heading":
                self._inline(event[1], event[2], locator, refs, footnote_labels, parsed, fixed_ids)
                headings.append(self._heading(event[1], references))
                heading_lines.append(event[2])
            elif kind == "code":
                parsed.code_lines.update(range(event[1] + 1, event[2] + 1))
            elif kind == "html":
                self._html_block(event[1], event[2], event[3], locator, parsed, fixed_ids)
            elif kind == "front":
                parsed.skip_lines.update(range(event[1] + 1, event[2] + 1))
            elif kind == "fndef":
                line = event[2]
                parsed.fn_defs.append((event[1], line + 1, lines[line].find("[^") + 1))
        self._references(references, lines, parsed)
        parsed.ids = self._ids(headings, fixed_ids, parsed)
        if self.tabbed is not None and "===" in text:
            parsed.ids += self._tab_ids(parsed, heading_lines)
        return parsed

    def _tab_ids(self, parsed: Parsed, heading_lines: list[int]) -> list[str]:
        """pymdownx.tabbed's slugged tab ids: the tab title slugified (after the heading's id, if combined)."""
        assert self.tabbed is not None
        slugify, sep, combine = self.tabbed
        used = set(parsed.ids)
        heading_ids = parsed.ids[: len(heading_lines)]
        found = []
        for index, line in enumerate(parsed.lines):
            m = _TAB_TITLE.match(line) if line.lstrip().startswith("===") else None
            if m is None or index + 1 in parsed.code_lines:
                continue
            title = heading_text(m.group(1), self.inline, {}, self.footnotes)
            slug = slugify(title, sep)
            if combine:
                k = bisect.bisect_right(heading_lines, index) - 1
                if k >= 0:
                    slug = heading_ids[k] + sep + slug
            found.append(unique(slug, used))
        return found

    def _inline(
        self,
        content: str,
        first_line: int,
        locator: _Locator,
        refs: dict[str, str],
        footnotes: set[str] | None,
        parsed: Parsed,
        fixed_ids: list[str],
    ) -> None:
        """Scan one inline text for links, footnotes, raw HTML, attr_list ids and code spans."""
        result: Scan = scan(content, refs, footnotes, self.attr_list)
        if not result.items and not result.code:
            return
        bases = locator.bases(first_line, content)
        for item in result.items:
            line, col = locator.at(bases, item.start)
            kind = item.kind
            if kind in ("link", "image", "autolink"):
                parsed.links.append(("md", item.value, line, col))
            elif kind in ("ref", "refimage"):
                parsed.ref_uses.add(item.extra)
            elif kind == "undefined_ref":
                if not _is_citation(content[item.start : item.end]):
                    parsed.undefined_refs.append((item.value, line, col))
            elif kind == "footnote":
                parsed.fn_refs.append((item.value, line, col, item.extra != "?"))
            elif kind == "attr_id":
                fixed_ids.append(item.value)
            elif kind == "html":
                self._html(item.value, bases, item.start, parsed, fixed_ids)
        for start, end in result.code:
            first = locator.at(bases, start)
            last = locator.at(bases, max(start, end - 1))
            for line in range(first[0], last[0] + 1):
                lo = first[1] - 1 if line == first[0] else 0
                hi = last[1] if line == last[0] else 1 << 30
                parsed.code_spans.setdefault(line, []).append((lo, hi))

    def _html(
        self,
        text: str,
        bases: tuple[list[int], list[int], list[int]],
        offset: int,
        parsed: Parsed,
        fixed_ids: list[str],
    ) -> None:
        """Raw HTML: ``id``/``name`` become ids, ``href``/``src`` become links (at their value)."""
        if "=" not in text:
            return
        for name, key, value, at in html_attributes(text):
            if key == "id" or (key == "name" and name == "a"):
                fixed_ids.append(value)
            elif key in _LINK_ATTRS:
                line, col = _Locator.at(bases, offset + at)
                parsed.links.append(("html", value, line, col))

    def _html_block(self, content: str, first: int, end: int, locator: _Locator, parsed: Parsed, fixed_ids: list[str]) -> None:
        """An HTML block: comments are skipped (their lines too), tags scanned for ids and links."""
        original = content = content.rstrip("\n")
        if "<!--" in content:
            content = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), content)  # same offsets
            if not content.strip():
                parsed.skip_lines.update(range(first + 1, end + 1))
                return
        if "=" in content:
            self._html(content, locator.bases(first, original), 0, parsed, fixed_ids)

    def _heading(self, content: str, references: dict[str, Any]) -> tuple[str | None, str]:
        """A heading's custom id (attr_list ``{#id}``), if any, and its plain text for the slug."""
        custom = None
        if self.attr_list and "{" in content:
            m = _HEADER_ATTRS.search(content)
            if m and "`" not in m.group(0):
                ids = attr_ids(m.group(1))
                custom = ids[-1] if ids else None
                content = content[: m.start()].rstrip("#").rstrip()
        return custom, heading_text(content, self.inline, {"references": references}, self.footnotes)

    def _references(self, references: dict[str, Any], lines: list[str], parsed: Parsed) -> None:
        """Reference definitions: label as written, destination, and where the ``[`` is."""
        for norm, ref in references.items():
            line = ref["map"][0]
            source = lines[line] if line < len(lines) else ""
            m = _DEF_LABEL.match(source)
            label = m.group(1) if m else norm
            col = source.find("[") + 1
            parsed.ref_defs.append((norm, label, ref["href"], line + 1, max(col, 1)))

    def _ids(self, headings: list[tuple[str | None, str]], fixed_ids: list[str], parsed: Parsed) -> list[str]:
        """Every id on the page: heading ids made as toc makes them, then attr_list, HTML, footnotes."""
        used = {i for i in fixed_ids}
        used.update(custom for custom, _ in headings if custom)
        footnote_ids = [f"fn:{label}" for label, _, _ in parsed.fn_defs]
        seen: dict[str, int] = {}
        for label, _, _, defined in parsed.fn_refs:
            if defined:
                seen[label] = seen.get(label, 0) + 1
                footnote_ids.append(f"fnref:{label}" if seen[label] == 1 else f"fnref{seen[label]}:{label}")
        used.update(footnote_ids)
        ids = []
        for custom, text in headings:
            ids.append(custom if custom else unique(self.slugify(text, self.separator), used))
        return ids + fixed_ids + footnote_ids


def heading_text(content: str, inline: MarkdownIt, env: dict[str, Any], footnotes: bool) -> str:
    """A heading's text as toc sees it: rendered, tags stripped, entities decoded, spaces collapsed."""
    content = strip_citations(content)
    if footnotes and "[^" in content:
        content = re.sub(r"\[\^[^\]]*\]", "", content)
    if not _PLAIN_HEADING.search(content):
        return " ".join(content.split())
    out: list[str] = []
    for token in inline.parseInline(content, dict(env))[0].children or []:
        if token.type in ("text", "text_special", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return " ".join("".join(out).split())


def _is_citation(text: str) -> bool:
    """Whether ``[a][b]`` holds a citation block, which mkdocs-bibtex replaces before Markdown runs."""
    return "@" in text and strip_citations(text) != text


def strip_citations(text: str) -> str:
    """Remove ``[...@key...]`` blocks, which mkdocs-bibtex turns into footnote references."""
    if "@" not in text:
        return text
    return CITATION_BLOCK.sub(lambda m: "" if parse_block(m.group(1)) else m.group(0), text)
