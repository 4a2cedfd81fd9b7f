"""A fast path for the block structure of "flat" pages, where it is unambiguous.

markdown-it's block parser costs about 0.25 ms a page; most of that is spent trying every rule
on every line. A page whose lines never start with four spaces or a tab, a ``>``, an indented
fence, a table, a definition-list colon or a Python-Markdown container has a flat structure:
paragraphs, ATX and setext headings, simple list items, column-0 fences, HTML blocks,
one-line link and footnote definitions and front matter. For such pages this module yields
the same events as markdown-it, at a fraction of the cost; for any other page it returns
None and markdown-it does the work. ``tests/links/test_parser.py`` checks the two agree.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.rules_block.html_block import HTML_SEQUENCES

Event = tuple[Any, ...]

_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_HR = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"([-+*]|(\d{1,9})[.)])(?:([ \t]+)(.*))?$")
_ITEM_RISKY = re.compile(r"(?:#|>|`{3}|~{3}|<|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|\[\^?[^\]]*\]:|!!!|\?\?\?|===|[:~][ \t])")
_FOOTNOTE_DEF = re.compile(r"\[\^([^\]\s]+)\]:[ \t]*(.*)$")
_REF_DEF = re.compile(
    r"\[((?:\\.|[^\[\]\\]){1,999})\]:[ \t]*(<(?:\\.|[^<>\\\n])*>|[^\s<][^\s]*)"
    r"(?:[ \t]+(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|\((?:\\.|[^()\\])*\)))?[ \t]*$"
)
_TITLE_START = re.compile(r"[ \t]*[\"'(]")
_TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-*:?[ \t]*)*$")
_FRONT_CLOSE = re.compile(r"(?: {0,3}(-+)|\.\.\.)[ \t]*$")
_ESCAPE_HATCH = re.compile(r"(?:>|!!!|\?\?\?|===|[:~][ \t])")


def _indent(line: str) -> int:
    """Leading spaces of a line; -1 when a tab is among them."""
    stripped = line.lstrip(" ")
    if stripped.startswith("\t"):
        return -1
    return len(line) - len(stripped)


class _Flat:
    """One pass over a page's lines, emitting markdown-it-like block events."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.events: list[Event] = []
        self.refs: dict[str, dict[str, Any]] = {}
        self.para: list[int] = []  # line indexes of the open paragraph
        self.para_text: list[str] = []
        self.in_list = False
        self.nested_para = False  # the open paragraph began in a list item or footnote

    def close_paragraph(self) -> None:
        """Emit the open paragraph as inline text."""
        if self.para:
            self.events.append(("inline", "\n".join(self.para_text).strip(), self.para[0]))
            self.para, self.para_text, self.nested_para = [], [], False

    def open_paragraph(self, index: int, text: str, nested: bool = False) -> None:
        """Start a paragraph (closing any open one); ``nested`` when in a list item or footnote."""
        self.close_paragraph()
        self.para, self.para_text, self.nested_para = [index], [text], nested

    def run(self) -> bool:
        """Scan every line; False as soon as the page is not flat."""
        lines = self.lines
        n = len(lines)
        i = self.front_matter()
        if i < 0:
            return False
        blank_before = False
        while i < n:
            line = lines[i]
            indent = _indent(line)
            if indent < 0 or indent >= 4 and line.strip():
                return False
            body = line[indent:]
            if not body.strip():
                self.close_paragraph()
                blank_before = True
                i += 1
                continue
            if self.in_list and blank_before and indent == 0 and not _ITEM.match(body):
                self.in_list = False
            blank_before = False
            first = body[0]
            if _ESCAPE_HATCH.match(body) or "|" in body and "-" in body and _TABLE_DELIMITER.match(body.strip()):
                return False
            if first in "`~":
                fence = _FENCE.match(body)
                if fence and not (first == "`" and "`" in fence.group(2)):
                    if indent:
                        return False
                    i = self.fence(i, fence.group(1))
                    continue
            if first == "#":
                atx = _ATX.match(body)
                if atx:
                    self.close_paragraph()
                    content = atx.group(2) or ""
                    content = _ATX_CLOSE.sub("", content) if content.rstrip().endswith("#") else content
                    self.events.append(("heading", content.strip(), i))
                    i += 1
                    continue
            if first in "=-" and self.para and _SETEXT.match(body):
                if self.nested_para or self.in_list:
                    return False
                self.events.append(("heading", "\n".join(self.para_text).strip(), self.para[0]))
                self.para, self.para_text = [], []
                i += 1
                continue
            if first in "-*_" and _HR.match(body):
                self.close_paragraph()
                self.in_list = False
                i += 1
                continue
            if first == "<":
                end = self.html(i, body, indent)
                if end is not None:
                    i = end
                    continue
            if first == "[":
                handled = self.definition(i, body)
                if handled is None:
                    return False
                if handled:
                    i += 1
                    continue
            if first in "-+*" or first.isdigit():
                item = _ITEM.match(body)
                if item and self.item(i, item):
                    i += 1
                    continue
            if self.para:
                self.para.append(i)
                self.para_text.append(line)
            else:
                self.open_paragraph(i, line)
            i += 1
        self.close_paragraph()
        return True

    def front_matter(self) -> int:
        """Front matter (``---`` … ``---``) at the top: the index after it; -1 when unsure."""
        lines = self.lines
        dashes = re.match(r"-*", lines[0]).group(0) if lines else ""  # type: ignore[union-attr]
        if len(dashes) < 3:
            return 0
        if lines[0] != dashes:
            return -1
        for j in range(1, len(lines)):
            close = _FRONT_CLOSE.match(lines[j])
            if close and (close.group(1) is None or len(close.group(1)) >= len(dashes)):
                self.events.append(("front", 0, j + 1))
                return j + 1
        return -1

    def fence(self, start: int, marker: str) -> int:
        """A column-0 fence: emit its code lines; return the index after it."""
        self.close_paragraph()
        closing = re.compile(rf" {{0,3}}{marker[0]}{{{len(marker)},}}[ \t]*$")
        j = start + 1
        while j < len(self.lines) and not closing.match(self.lines[j]):
            j += 1
        end = min(j + 1, len(self.lines))
        self.events.append(("code", start, end))
        return end

    def html(self, start: int, body: str, indent: int) -> int | None:
        """An HTML block as markdown-it finds it: the index after it, or None."""
        for opener, closer, interrupts in HTML_SEQUENCES:
            if opener.search(body):
                break
        else:
            return None
        if self.para and not interrupts:
            return None
        if indent:
            raise _NotFlat  # an indented HTML block may sit in a list item, which ends it differently
        self.close_paragraph()
        j = start + 1
        if not closer.search(body):
            while j < len(self.lines):
                text = self.lines[j].lstrip(" \t")
                if closer.search(text):
                    if text:
                        j += 1
                    break
                j += 1
        content = "\n".join(self.lines[start:j])
        self.events.append(("html", content, start, j))
        return j

    def definition(self, index: int, body: str) -> bool | None:
        """A one-line footnote or link definition: True if handled, False if not one, None if unsure."""
        footnote = _FOOTNOTE_DEF.match(body)
        if footnote:
            if not footnote.group(2).strip():
                return None
            self.close_paragraph()
            self.events.append(("fndef", footnote.group(1), index))
            rest = footnote.group(2)
            self.open_paragraph(index, rest, nested=True)
            return True
        if self.para or "]:" not in body:
            return False
        ref = _REF_DEF.match(body)
        if not ref:
            return None
        following = self.lines[index + 1] if index + 1 < len(self.lines) else ""
        if ref.group(3) is None and _TITLE_START.match(following):
            return None
        label = normalizeReference(ref.group(1))
        if not label:
            return None
        dest = ref.group(2)
        dest = unescapeAll(dest[1:-1] if dest.startswith("<") else dest)
        self.refs.setdefault(label, {"href": dest, "title": "", "map": [index, index + 1]})
        return True

    def item(self, index: int, item: re.Match[str]) -> bool:
        """A simple list item line: start a paragraph with its text (True), or not an item (False)."""
        content, spaces, number = item.group(4), item.group(3), item.group(2)
        empty = content is None or not content.strip()
        if self.para and not self.in_list and (empty or number is not None and int(number) != 1):
            return False  # cannot interrupt a paragraph: the line continues it
        if empty or "\t" in spaces or len(spaces) > 4 or _ITEM_RISKY.match(content):
            raise _NotFlat
        self.in_list = True
        self.open_paragraph(index, content, nested=True)
        return True


class _NotFlat(Exception):
    """Raised deep in the scan when the page needs markdown-it after all."""


def flat_events(lines: list[str]) -> tuple[list[Event], dict[str, dict[str, Any]]] | None:
    """Block events and link definitions of a flat page, or None when markdown-it must parse it."""
    flat = _Flat(lines[:-1] if lines and lines[-1] == "" else lines)  # as markdown-it counts lines
    try:
        if not flat.run():
            return None
    except _NotFlat:
        return None
    return flat.events, flat.refs
