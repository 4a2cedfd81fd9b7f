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
_DASHES = re.compile(r"-*")
_FRONT_CLOSE = re.compile(r"(?: {0,3}(-+)|\.\.\.)[ \t]*$")
_ESCAPE_HATCH = re.compile(r"(?:>|!!!|\?\?\?|===|[:~][ \t])")


def _indent(line: str) -> int:
    """Leading spaces of a line; -1 when a tab is among them."""
    stripped = line.lstrip(" ")
    if stripped.startswith("\t"):
        return -1
    return len(line) - len(stripped)


class _NotFlat(Exception):
    """Raised as soon as the page needs markdown-it after all."""


class _Flat:
    """One pass over a page's lines, emitting markdown-it-like block events."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.events: list[Event] = []
        self.refs: dict[str, dict[str, Any]] = {}
        self.para: list[int] = []  # line indexes of the open paragraph
        self.para_text: list[str] = []
        self.nested_para = False  # the open paragraph began in a list item or footnote
        self.in_list = False
        self.blank_before = False

    def run(self) -> None:
        """Scan every line (raises _NotFlat when the page is not flat)."""
        i = self.front_matter()
        while i < len(self.lines):
            i = self.step(i)
        self.close_paragraph()

    def step(self, i: int) -> int:
        """Handle the line at ``i``; return the index of the next line to handle."""
        line = self.lines[i]
        indent = _indent(line)
        if indent < 0 or (indent >= 4 and line.strip()):
            raise _NotFlat
        body = line[indent:]
        if not body.strip():
            self.close_paragraph()
            self.blank_before = True
            return i + 1
        if self.in_list and self.blank_before and indent == 0 and not _ITEM.match(body):
            self.in_list = False
        self.blank_before = False
        if _ESCAPE_HATCH.match(body) or ("|" in body and "-" in body and _TABLE_DELIMITER.match(body.strip())):
            raise _NotFlat
        for handler in (self.fence, self.atx, self.setext, self.hr, self.html, self.definition, self.item):
            end = handler(i, body, indent)
            if end is not None:
                return end
        if self.para:
            self.para.append(i)
            self.para_text.append(line)
        else:
            self.open_paragraph(i, line)
        return i + 1

    def close_paragraph(self) -> None:
        """Emit the open paragraph as inline text."""
        if self.para:
            self.events.append(("inline", "\n".join(self.para_text).strip(), self.para[0]))
            self.para, self.para_text, self.nested_para = [], [], False

    def open_paragraph(self, index: int, text: str, nested: bool = False) -> None:
        """Start a paragraph (closing any open one); ``nested`` when in a list item or footnote."""
        self.close_paragraph()
        self.para, self.para_text, self.nested_para = [index], [text], nested

    def front_matter(self) -> int:
        """Front matter (``---`` … ``---``) at the top: the index after it."""
        dashes = _DASHES.match(self.lines[0]).group(0) if self.lines else ""  # type: ignore[union-attr]
        if len(dashes) < 3:
            return 0
        if self.lines[0] != dashes:
            raise _NotFlat
        for j in range(1, len(self.lines)):
            close = _FRONT_CLOSE.match(self.lines[j])
            if close and (close.group(1) is None or len(close.group(1)) >= len(dashes)):
                self.events.append(("front", 0, j + 1))
                return j + 1
        raise _NotFlat  # unclosed: markdown-it reads it as a rule or a heading instead

    def fence(self, start: int, body: str, indent: int) -> int | None:
        """A fence at column 0: its lines are code; the index after the closing fence."""
        m = _FENCE.match(body) if body[0] in "`~" else None
        if m is None or (body[0] == "`" and "`" in m.group(2)):
            return None
        if indent:
            raise _NotFlat  # an indented fence may sit in a list item, which can end it early
        self.close_paragraph()
        marker = m.group(1)
        closing = re.compile(rf" {{0,3}}{marker[0]}{{{len(marker)},}}[ \t]*$")
        j = start + 1
        while j < len(self.lines) and not closing.match(self.lines[j]):
            j += 1
        end = min(j + 1, len(self.lines))
        self.events.append(("code", start, end))
        return end

    def atx(self, i: int, body: str, indent: int) -> int | None:
        """An ``#`` heading, without its closing hashes."""
        m = _ATX.match(body) if body[0] == "#" else None
        if m is None:
            return None
        self.close_paragraph()
        content = m.group(2) or ""
        if content.rstrip().endswith("#"):
            content = _ATX_CLOSE.sub("", content)
        self.events.append(("heading", content.strip(), i))
        return i + 1

    def setext(self, i: int, body: str, indent: int) -> int | None:
        """A ``===``/``---`` underline turns the open paragraph into a heading."""
        if body[0] not in "=-" or not self.para or not _SETEXT.match(body):
            return None
        if self.nested_para or self.in_list:
            raise _NotFlat  # in a list item or footnote the underline may be a rule instead
        self.events.append(("heading", "\n".join(self.para_text).strip(), self.para[0]))
        self.para, self.para_text = [], []
        return i + 1

    def hr(self, i: int, body: str, indent: int) -> int | None:
        """A thematic break (``---``, ``***``, ``___``) ends paragraphs and lists."""
        if body[0] not in "-*_" or not _HR.match(body):
            return None
        self.close_paragraph()
        self.in_list = False
        return i + 1

    def html(self, start: int, body: str, indent: int) -> int | None:
        """An HTML block as markdown-it finds it: the index after it."""
        if body[0] != "<":
            return None
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
                    j += 1 if text else 0
                    break
                j += 1
        self.events.append(("html", "\n".join(self.lines[start:j]), start, j))
        return j

    def definition(self, i: int, body: str, indent: int) -> int | None:
        """A one-line footnote definition (starts a paragraph) or link definition."""
        if body[0] != "[":
            return None
        footnote = _FOOTNOTE_DEF.match(body)
        if footnote:
            if not footnote.group(2).strip():
                raise _NotFlat  # the text follows on indented lines
            self.close_paragraph()
            self.events.append(("fndef", footnote.group(1), i))
            self.open_paragraph(i, footnote.group(2), nested=True)
            return i + 1
        if "]:" not in body:
            return None
        ref = _REF_DEF.match(body)
        if self.para and self.nested_para and ref is not None:
            raise _NotFlat
        if self.para:  # Python-Markdown takes a definition line inside a paragraph as a definition
            if ref is None or indent > 3:
                return None
            self.close_paragraph()
        following = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        if ref is None or (ref.group(3) is None and _TITLE_START.match(following)):
            raise _NotFlat  # spread over lines, or a title may follow on the next one
        label = normalizeReference(ref.group(1))
        if not label:
            raise _NotFlat
        dest = ref.group(2)
        dest = unescapeAll(dest[1:-1] if dest.startswith("<") else dest)
        self.refs[label] = {"href": dest, "title": "", "map": [i, i + 1]}  # the last definition wins
        return i + 1

    def item(self, i: int, body: str, indent: int) -> int | None:
        """A simple list item: its text starts a paragraph."""
        m = _ITEM.match(body) if body[0] in "-+*" or body[0].isdigit() else None
        if m is None:
            return None
        content, spaces, number = m.group(4), m.group(3), m.group(2)
        empty = content is None or not content.strip()
        if self.para and not self.in_list and (empty or (number is not None and int(number) != 1)):
            return None  # cannot interrupt a paragraph: the line continues it
        if empty or "\t" in spaces or len(spaces) > 4 or _ITEM_RISKY.match(content):
            raise _NotFlat
        self.in_list = True
        self.open_paragraph(i, content, nested=True)
        return i + 1


def flat_events(lines: list[str]) -> tuple[list[Event], dict[str, dict[str, Any]]] | None:
    """Block events and link definitions of a flat page, or None when markdown-it must parse it."""
    flat = _Flat(lines[:-1] if lines and lines[-1] == "" else lines)  # as markdown-it counts lines
    try:
        flat.run()
    except _NotFlat:
        return None
    return flat.events, flat.refs
