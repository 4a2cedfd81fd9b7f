"""The parser agrees with the reference implementations: markdown-it for links, Python-Markdown for ids.

The links check does not run markdown-it's full inline parser (too slow for 10,000 pages) and
takes a fast path for flat pages; these properties show neither changes what is found.
"""

from __future__ import annotations

import os
import posixpath
import re

import markdown
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mkdocs.structure.pages import _RelativePathTreeprocessor

from mkdocs_sitecheck.links.flat import flat_events
from mkdocs_sitecheck.links.inline import scan
from mkdocs_sitecheck.links.parse import PageParser
from mkdocs_sitecheck.links.resolve import join_link
from mkdocs_sitecheck.links.slugs import toc_slugify

EXAMPLES = int(os.environ.get("SITECHECK_FUZZ_EXAMPLES", "400"))  # raise it to search harder
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REFS = {"FOO": "foo.md", "BAR BAZ": "bar.md#x"}

inline_text = st.text(alphabet="ab []()!<>`\\*_:/#.@^\"'\n&;-", max_size=60)


def markdown_it_links(text: str) -> list[str]:
    """Every link and image destination markdown-it finds, in document order."""
    md = MarkdownIt("commonmark", {"html": True})
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    env = {"references": {label: {"href": href, "title": ""} for label, href in REFS.items()}}
    found: list[str] = []

    def walk(tokens: list[Token]) -> None:
        """Collect hrefs and srcs depth-first, as they appear."""
        for token in tokens:
            if token.type == "link_open":
                found.append(str(token.attrs["href"]))
            elif token.type == "image":
                found.append(str(token.attrs["src"]))
            if token.children:
                walk(token.children)

    walk(md.parseInline(text, env))
    return found


def scanner_links(text: str) -> list[str]:
    """The destinations the fast scanner finds (CommonMark only), in document order."""
    items = scan(text, REFS, None, lenient=False).items
    kinds = {"link", "image", "ref", "refimage", "autolink"}
    return [item.value for item in sorted(items, key=lambda i: i.start) if item.kind in kinds]


@SETTINGS
@given(inline_text)
@example("[a](b) ![c](d 'e') <http://x.y/z> [FOO] [x][bar  baz] [y][] [foo][]")
@example('[a [b](c) d](e) [`]`](f) [<a href="](g)">](h)')
@example('[a](<b c> "t") [d](e\\)f) [g]( h ) [i](j&amp;k)')
def test_scanner_finds_what_markdown_it_finds(text: str) -> None:
    """On any inline text, the scanner finds exactly markdown-it's links and images."""
    assert scanner_links(text) == markdown_it_links(text)


def test_scanner_accepts_python_markdown_destinations_with_spaces() -> None:
    """Python-Markdown links ``[a](my page.md)``; CommonMark does not; the site is built by the former."""
    assert [i.value for i in scan('[a](my page.md) [b](c.md "T")', {}, None).items] == ["my page.md", "c.md"]


# Flat pages: documents built from lines that a flat page may hold, plus some that make it not flat.
LINES = [
    "# Heading",
    "## Heading {#custom}",
    "Some text with [a link](a.md#x) and `code [x](y)`.",
    "",
    "",
    "- item with [link](b.md)",
    "1. first",
    "2. second",
    "```",
    "~~~",
    "```python",
    '<div id="box">',
    "</div>",
    "<!-- [c](comment.md) -->",
    "[FOO]: foo.md",
    '[bar]: bar.md "Title"',
    "[^1]: A footnote with [link](f.md)",
    "Text[^1] and [^2] and [FOO] and [x][bar].",
    "---",
    "===",
    "Title",
    '<a name="n"></a> <img src="i.png">',
    "    indented",
    "> quote",
    "| a | b |",
    "|---|---|",
    "*[HTML]: abbr",
    "Déjà vu",
    "* * *",
    "  - nested",
    "[@key] citation",
    "`` a ` b ``",
    "***",
    "<script>",
    "</script>",
    "<pre>",
    "<?php x ?>",
    "<!DOCTYPE html>",
    "<span>type 7</span>",
    "<custom-tag>",
    "  continuation [c](c.md)",
    "+ plus",
    "3) paren",
    "-",
    "1.",
    "#",
    "####### seven",
    "#nospace",
    "[ref]: <a b.md>",
    '"title line"',
    "   three [t](t.md)",
    "\tTab",
    "Text  ",
    "[^note]:",
    "...",
]


@SETTINGS
@given(st.lists(st.sampled_from(LINES), max_size=14))
def test_flat_fast_path_matches_markdown_it(lines: list[str]) -> None:
    """Whenever a page takes the fast path, the result equals markdown-it's block parse."""
    text = "\n".join(lines)
    assume(flat_events(text.split("\n")) is not None)
    parser = PageParser(toc_slugify, "-", footnotes=True, def_list=True, attr_list=True)
    fast, slow = parser.parse(text), parser.parse(text, fast=False)
    assert (fast.ids, fast.links, fast.ref_defs, fast.ref_uses, fast.undefined_refs) == (
        slow.ids,
        slow.links,
        slow.ref_defs,
        slow.ref_uses,
        slow.undefined_refs,
    )
    assert (fast.fn_defs, fast.fn_refs, fast.code_lines, fast.skip_lines, fast.code_spans) == (
        slow.fn_defs,
        slow.fn_refs,
        slow.code_lines,
        slow.skip_lines,
        slow.code_spans,
    )


def test_fast_path_is_taken_for_plain_pages_and_refused_for_nested_ones() -> None:
    """The fast path covers plain pages and leaves indented or quoted structure to markdown-it."""
    assert flat_events(["# A", "", "Text [a](b.md).", "", "```", "    code", "```"]) is not None
    assert flat_events(["# A", "", "!!! note", "    [a](b.md)"]) is None
    assert flat_events(["> quote"]) is None


heading_words = st.lists(
    st.one_of(
        # No free "_" or "*": CommonMark and Python-Markdown disagree on rare emphasis runs (``_0 0__?_``).
        st.text(alphabet="abcXYZ019éüßøЖ中-.,!?&'()", min_size=1, max_size=8),
        st.sampled_from(["`code`", "`a b`", "&amp;", "Ünïcödé", "x_y_z", "*em*", "**strong**", "_under_"]),
    ),
    min_size=1,
    max_size=5,
)


def python_markdown_ids(source: str) -> list[str]:
    """Heading ids as the site's toc extension (Python-Markdown) makes them."""
    html = markdown.markdown(source, extensions=["toc", "attr_list"])
    return re.findall(r'<h\d[^>]*\bid="([^"]*)"', html)


@SETTINGS
@given(st.lists(heading_words, min_size=1, max_size=6))
@example([["Dup"], ["Dup"], ["Dup_1"], ["Dup"]])
@example([["Émile", "&amp;", "co"], ["日本語"], ["日本語"]])
def test_heading_ids_match_python_markdown(headings: list[list[str]]) -> None:
    """Slugs, duplicates (_1, _2), non-ASCII and code in headings give Python-Markdown's ids."""
    titles = [" ".join(words) for words in headings]
    assume(not any(t.strip().startswith("#") or t.rstrip().endswith("#") for t in titles))
    source = "\n\n".join(f"## {t}" for t in titles)
    parser = PageParser(toc_slugify, "-", footnotes=True, def_list=True, attr_list=True)
    ours = parser.parse(source).ids[: len(titles)]
    assert ours == python_markdown_ids(source)


def test_custom_heading_ids_reserve_their_names_like_python_markdown() -> None:
    """``{#dup_1}`` on a later heading pushes an earlier duplicate to ``dup_2``."""
    source = "## Dup\n\n## Dup\n\n## Dup {#dup_1}\n\n# Émile & co {: .x}\n"
    parser = PageParser(toc_slugify, "-", footnotes=True, def_list=True, attr_list=True)
    assert parser.parse(source).ids[:4] == python_markdown_ids(source) == ["dup", "dup_2", "dup_1", "emile-co"]


segment = st.sampled_from(["..", ".", "a", "b", "c.md", "d", ""])


@SETTINGS
@given(st.lists(st.sampled_from(["x", "y", "z"]), max_size=3), st.lists(segment, min_size=1, max_size=5))
def test_fast_link_join_equals_mkdocs_target_uri(folders: list[str], parts: list[str]) -> None:
    """The fast path for ``../dir/file.md`` resolves exactly as MkDocs' own ``_target_uri`` (MkDocs', not a copy)."""
    src = posixpath.join(*folders, "page.md") if folders else "page.md"
    path = "/".join(parts)
    assume(path and not path.startswith("/"))
    assert join_link(folders, src, path) == _RelativePathTreeprocessor._target_uri(src, path)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("`[a](b)` [c](d)", ["d"]),
        ("``[a](b)`` and `` ` `` [e](f)", ["f"]),
        ("\\[a](b) [c]\\(d)", []),
        ('<a href="x.md">[y](z.md)</a>', ["z.md"]),
    ],
)
def test_code_spans_and_escapes_hide_links(source: str, expected: list[str]) -> None:
    """Links inside code spans or behind a backslash are not links."""
    assert scanner_links(source) == expected == markdown_it_links(source)
