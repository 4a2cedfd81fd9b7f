"""A fast scanner for the inline constructs that carry links, following CommonMark's rules.

markdown-it-py's full inline parser costs about 2 ms a page, too slow for 10,000 pages in
seconds. Links only need a subset of it: code spans, escapes, autolinks, raw HTML and the
bracket algorithm of CommonMark's "look for link or image", with markdown-it's own helpers
for destinations and titles. ``tests/links/test_parser.py`` checks it against markdown-it.
Python-Markdown, which builds the site, also accepts a destination with spaces
(``[a](my page.md)``); so does this scanner.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.common.utils import normalizeReference
from markdown_it.helpers import parseLinkDestination, parseLinkTitle

_SPECIAL = re.compile(r"[\\`<\[\]!]")
_SPECIAL_ATTR = re.compile(r"[\\`<\[\]!{]")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_AUTOLINK = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]{1,31}):([^<>\x00-\x20]*)")
_EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
# Python-Markdown attr_list: ``{: #id .class key=value}`` (the colon is optional).
ATTR_LIST = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)\}")
_ATTR_WORD = re.compile(r"""([^ =}]+)=("[^"]*"|'[^']*'|[^ =}]+)|([^ =}]+)""")
# Fast path for the commonest link: plain text, plain destination (no brackets, code, HTML or escapes).
_PLAIN_LINK = re.compile(r"\[([^\[\]\\`<!^\n][^\[\]\\`<!\n]*)\]\(([^\s()<>\\&\x00-\x1f]+)\)")
_PLAIN_DESTINATION = re.compile(r"\(([^\s()<>\\&\x00-\x1f]+)\)")  # fast path for ``(page.md#id)``
_TITLE_TAIL = re.compile(r"""^(.*?)\s+("[^"]*"|'[^']*')$""", re.DOTALL)
_WS = " \t\n"


class Item(NamedTuple):
    """One construct found in inline text: where it starts and ends, and what it says."""

    kind: str  # link, image, ref, refimage, autolink, html, footnote, undefined_ref, attr_id
    start: int
    end: int
    value: str  # the destination, the reference label, the HTML tag, the footnote label, the id
    extra: str = ""  # normalised label (ref kinds), "?" for an undefined footnote


class Scan(NamedTuple):
    """Everything one inline text holds: items in order and code-span ranges."""

    items: list[Item]
    code: list[tuple[int, int]]


class _Opener:
    """A ``[`` or ``![`` waiting for its ``]``."""

    __slots__ = ("active", "image", "pos")

    def __init__(self, pos: int, image: bool) -> None:
        self.pos, self.image, self.active = pos, image, True


def attr_ids(text: str) -> list[str]:
    """The ids an attr_list body sets: ``#id`` words and ``id=value`` pairs."""
    ids = []
    for m in _ATTR_WORD.finditer(text):
        key, value, word = m.group(1), m.group(2), m.group(3)
        if word and word.startswith("#") and len(word) > 1:
            ids.append(word[1:])
        elif key == "id" and value:
            ids.append(value.strip("\"'"))
    return ids


def scan(src: str, refs: dict[str, str], footnotes: set[str] | None, attr_list: bool = False, *, lenient: bool = True) -> Scan:
    """Find links, images, autolinks, raw HTML, footnote references and attr_list ids in ``src``.

    ``lenient`` also accepts Python-Markdown's destinations with spaces (as the site's build does).
    """
    items: list[Item] = []
    code: list[tuple[int, int]] = []
    stack: list[_Opener] = []
    special = _SPECIAL_ATTR if attr_list else _SPECIAL
    n = len(src)
    pos = 0
    while True:
        m = special.search(src, pos)
        if m is None:
            break
        i = m.start()
        c = src[i]
        if c == "\\":
            pos = i + 2 if i + 1 < n and src[i + 1] in _ASCII_PUNCT else i + 1
        elif c == "`":
            pos = _code_span(src, i, code)
        elif c == "<":
            pos = _angle(src, i, items)
        elif c == "!":
            if i + 1 < n and src[i + 1] == "[":
                stack.append(_Opener(i, True))
                pos = i + 2
            else:
                pos = i + 1
        elif c == "[":
            plain = _PLAIN_LINK.match(src, i)
            if plain:
                items.append(Item("link", i, plain.end(), plain.group(2)))
                if stack:
                    _deactivate(stack, _Opener(i, False))
                pos = plain.end()
            else:
                pos = _open_bracket(src, i, stack, items, footnotes)
        elif c == "]":
            pos = _close_bracket(src, i, stack, items, refs, lenient, footnotes is not None)
        else:  # "{"
            am = ATTR_LIST.match(src, i)
            if am:
                items.extend(Item("attr_id", i, am.end(), value) for value in attr_ids(am.group(1)))
                pos = am.end()
            else:
                pos = i + 1
    return Scan(items, code)


def _code_span(src: str, i: int, code: list[tuple[int, int]]) -> int:
    """At a backtick run: record the code span it opens, or skip the run when nothing closes it."""
    j = i
    n = len(src)
    while j < n and src[j] == "`":
        j += 1
    run = src[i:j]
    k = j
    while True:
        k = src.find(run, k)
        if k < 0:
            return j
        end = k + len(run)
        if end < n and src[end] == "`":
            while end < n and src[end] == "`":
                end += 1
            k = end
            continue
        code.append((i, end))
        return end


def _angle(src: str, i: int, items: list[Item]) -> int:
    """At ``<``: an autolink, a raw HTML tag or comment, or a plain character."""
    close = src.find(">", i + 1)
    if close > 0:
        inner = src[i + 1 : close]
        if "<" not in inner and (_AUTOLINK.fullmatch(inner) or _EMAIL.fullmatch(inner)):
            url = inner if ":" in inner else f"mailto:{inner}"
            items.append(Item("autolink", i, close + 1, url))
            return close + 1
    hm = HTML_TAG_RE.match(src, i)
    if hm:
        items.append(Item("html", i, hm.end(), hm.group(0)))
        return hm.end()
    return i + 1


def _open_bracket(src: str, i: int, stack: list[_Opener], items: list[Item], footnotes: set[str] | None) -> int:
    """At ``[``: a footnote reference (Python-Markdown's ``[^label]``) or a link opener."""
    if footnotes is not None and src.startswith("[^", i):
        close = src.find("]", i + 2)
        if close > i + 2:
            label = src[i + 2 : close]
            if label in footnotes:
                items.append(Item("footnote", i, close + 1, label))
                return close + 1
            if not src.startswith("(", close + 1) and "\n" not in label and "[" not in label:
                items.append(Item("footnote", i, close + 1, label, "?"))
                return close + 1
    stack.append(_Opener(i, False))
    return i + 1


def _close_bracket(
    src: str,
    i: int,
    stack: list[_Opener],
    items: list[Item],
    refs: dict[str, str],
    lenient: bool,
    footnotes: bool = False,
) -> int:
    """At ``]``: close the nearest opener as an inline or reference link when one follows.

    With footnotes on, ``[text][^1]`` is text and a footnote reference (Python-Markdown matches
    footnotes before references), not a reference with the label ``^1``.
    """
    if not stack:
        return i + 1
    opener = stack.pop()
    if not opener.active:
        return i + 1
    text_start = opener.pos + (2 if opener.image else 1)
    inline = _inline_destination(src, i + 1, lenient)
    if inline is not None:
        dest, end = inline
        items.append(Item("image" if opener.image else "link", opener.pos, end, dest))
        _deactivate(stack, opener)
        return end
    text = src[text_start:i]
    label, end, explicit = text, i + 1, False
    if src.startswith("[", i + 1) and not (footnotes and src.startswith("[^", i + 1)):
        close = _label_end(src, i + 1)
        if close > 0:
            explicit = True
            end = close + 1
            if src[i + 2 : close].strip():
                label = src[i + 2 : close]
    norm = normalizeReference(label) if _valid_label(label) else ""
    if norm and norm in refs:
        items.append(Item("refimage" if opener.image else "ref", opener.pos, end, refs[norm], norm))
        _deactivate(stack, opener)
        return end
    if explicit:
        items.append(Item("undefined_ref", opener.pos, end, label, norm))
        shortcut = normalizeReference(text) if _valid_label(text) else ""
        if shortcut and shortcut in refs:  # CommonMark: ``[text]`` alone may still be a link
            items.append(Item("refimage" if opener.image else "ref", opener.pos, i + 1, refs[shortcut], shortcut))
            _deactivate(stack, opener)
        return end
    return i + 1


def _deactivate(stack: list[_Opener], opener: _Opener) -> None:
    """Links may not contain links: after one, earlier ``[`` openers are inactive (``![`` are not)."""
    if not opener.image:
        for other in stack:
            if not other.image:
                other.active = False


def _valid_label(label: str) -> bool:
    """A reference label: at most 999 characters, no unescaped brackets, not blank."""
    if not label.strip() or len(label) > 999:
        return False
    if "[" not in label and "]" not in label:
        return True
    escaped = False
    for ch in label:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "[]":
            return False
    return True


def _label_end(src: str, start: int) -> int:
    """The index of the ``]`` closing the label that opens at ``start``, or -1."""
    pos = start + 1
    n = len(src)
    while pos < n and pos - start <= 1000:
        ch = src[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "[":
            return -1
        if ch == "]":
            return pos
        pos += 1
    return -1


def _skip_ws(src: str, pos: int) -> int:
    """The first index at or after ``pos`` that is not a space, tab or newline."""
    n = len(src)
    while pos < n and src[pos] in _WS:
        pos += 1
    return pos


def _inline_destination(src: str, pos: int, lenient: bool = True) -> tuple[str, int] | None:
    """``(dest "title")`` at ``pos``: the destination and the index after ``)``, or None."""
    n = len(src)
    if pos >= n or src[pos] != "(":
        return None
    plain = _PLAIN_DESTINATION.match(src, pos)
    if plain:
        return plain.group(1), plain.end()
    p = _skip_ws(src, pos + 1)
    if p >= n:
        return None
    res = parseLinkDestination(src, p, n)
    if res.ok:
        dest = res.str
        q = _skip_ws(src, res.pos)
        if q < n and q != res.pos:
            title = parseLinkTitle(src, q, n)
            if title.ok:
                q = _skip_ws(src, title.pos)
        if q < n and src[q] == ")":
            return dest, q + 1
    elif src[p] == ")":  # ``[text]()``: a link with an empty destination
        return "", p + 1
    return _lenient_destination(src, pos) if lenient else None


def _lenient_destination(src: str, pos: int) -> tuple[str, int] | None:
    """Python-Markdown's looser ``(dest with spaces "title")``: balanced parentheses on one line."""
    depth = 0
    n = len(src)
    k = pos
    while k < n:
        ch = src[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "\n":
            return None
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                break
        k += 1
    else:
        return None
    inner = src[pos + 1 : k].strip()
    tm = _TITLE_TAIL.match(inner)
    if tm:
        inner = tm.group(1).strip()
    if inner.startswith("<") and inner.endswith(">"):
        inner = inner[1:-1]
    if not inner:
        return None
    return inner, k + 1
