"""Arbitrary Markdown never crashes the checker, and every finding points at a real line and column."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mkdocs_sitecheck.links.config import index_docs, load_site
from mkdocs_sitecheck.links.pages import PageChecker
from mkdocs_sitecheck.project import load_project

from .conftest import BASE_CONFIG, HOOK

EXAMPLES = int(os.environ.get("SITECHECK_FUZZ_EXAMPLES", "300"))

PIECES = [
    "# ",
    "## ",
    "- ",
    "1. ",
    "> ",
    "    ",
    "\t",
    "```",
    "~~~",
    "---",
    "===",
    "!!! note",
    '=== "Tab"',
    "[",
    "]",
    "(",
    ")",
    "![",
    "<",
    ">",
    "`",
    "``",
    "\\",
    "*",
    "_",
    "{#id}",
    "{: #x }",
    "[^1]",
    "[^1]: ",
    "[@berman2000]",
    "[@nokey; @zarate2006]",
    "[x]: ",
    "page.md",
    "#anchor",
    "missing.md",
    "../out.md",
    "/abs.md",
    "javascript:x",
    '<a href="page.md">',
    '<img src="x.png">',
    '<div id="d">',
    "</div>",
    "<!--",
    "-->",
    '--8<-- "snip.md"',
    "<!-- bibliography: guide -->",
    "| a | b |",
    "|---|---|",
    ": ",
    "é",
    "日本",
    "\u00a0",
    "\r",
    "\x00",
    " ",
    "text",
    "\n",
    "\n\n",
]

markdown_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map("".join)


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> PageChecker:
    """A checker for a small site: index.md, page.md, an image, refs.bib and snippets."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "docs").mkdir()
    (root / "includes").mkdir()
    (root / "mkdocs.yml").write_text(BASE_CONFIG, encoding="utf-8")
    (root / "hooks").mkdir()
    (root / "hooks" / "bibliography.py").write_text(HOOK.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "refs.bib").write_text("@article{berman2000, title={T}, keywords={guide}}\n", encoding="utf-8")
    (root / "docs" / "page.md").write_text("# Page\n\n## Anchor\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs" / "x.png").write_bytes(b"png")
    (root / "includes" / "snip.md").write_text("x\n", encoding="utf-8")
    site = load_site(load_project(root / "mkdocs.yml"))
    return PageChecker(site, index_docs(site))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markdown_text)
@example('<!-- bibliography: guide --><a href="page.md">')  # found by this test: comment before a tag
@example("- a\n\t[x](missing.md)\n> [y](page.md#nope)")
def test_any_markdown_is_checked_without_crashing(checker: PageChecker, text: str) -> None:
    """Whatever the text, checking returns findings whose line and column exist in that text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    data = checker.check_text("index.md", text)
    for finding in data.findings:
        assert finding.path == "docs/index.md"
        assert 1 <= finding.line <= len(lines), finding
        assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, finding
    for _, _, line, col, _ in data.anchors:
        assert 1 <= line <= len(lines) and col >= 1


def test_fuzz_site_is_real(checker: PageChecker) -> None:
    """The fuzz fixture resolves real links (so the property above exercises real lookups)."""
    data = checker.check_text("index.md", "[a](page.md#anchor) [b](missing.md)\n")
    assert [f.code for f in data.findings] == ["LNK001"]
    assert data.anchors == [("page.md", "anchor", 1, 1, "page.md#anchor")]
    assert Path(checker.site.docs_dir, "page.md").is_file()
