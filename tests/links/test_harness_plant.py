"""The links harness's inputs: planted defects must leave the project's files valid, and a config is read as MkDocs reads it."""

from __future__ import annotations

import sys
from pathlib import Path

import markdown
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from links_packages import plugin_names, read_config
from links_plant import Planted, _append_item, _plant_nav_file, plant


def test_a_pages_nav_entry_takes_the_lists_own_indent(tmp_path: Path) -> None:
    """rook's Documentation/.pages indents its nav items by four: the planted entry is one more item, not text glued to the next."""
    pages = tmp_path / ".pages"
    pages.write_text("nav:\n    - Getting-Started\n    - Helm-Charts\n", encoding="utf-8")
    planted = _plant_nav_file(pages, lambda p: p.name, "nav entry in .pages")
    assert planted == Planted("nav entry in .pages", ".pages", 2, "planted-missing-pages.md")
    assert yaml.safe_load(pages.read_text(encoding="utf-8")) == {"nav": ["planted-missing-pages.md", "Getting-Started", "Helm-Charts"]}


def test_a_pages_file_without_nav_gets_one(tmp_path: Path) -> None:
    """A .pages with only a title gets a nav with the planted entry and the rest of the pages."""
    pages = tmp_path / ".pages"
    pages.write_text("title: Guides\n", encoding="utf-8")
    _plant_nav_file(pages, lambda p: p.name, "nav entry in .pages")
    assert yaml.safe_load(pages.read_text(encoding="utf-8")) == {"nav": ["planted-missing-pages.md", "..."], "title": "Guides"}


def test_inherited_plugins_merge_as_mkdocs_merges_them(tmp_path: Path) -> None:
    """Textual's mkdocs-online.yml adds plugins to the ones its INHERIT parent names (both mappings): the harness installs all of them."""
    (tmp_path / "common.yml").write_text("site_name: t\nplugins:\n  search:\n  git-revision-date-localized:\ntheme:\n  name: material\n", encoding="utf-8")
    (tmp_path / "online.yml").write_text("INHERIT: common.yml\nplugins:\n  blog:\n  search:\n    lang: en\n", encoding="utf-8")
    config = read_config(tmp_path / "online.yml")
    assert config["plugins"] == {"search": {"lang": "en"}, "git-revision-date-localized": None, "blog": None}
    assert plugin_names(config) == ["search", "git-revision-date-localized", "blog"]


def test_literate_nav_gets_no_root_nav_file_over_a_nav_in_mkdocs_yml(tmp_path: Path) -> None:
    """Python-Markdown: literate-nav on, nav in mkdocs.yml, no docs/SUMMARY.md. A SUMMARY.md made there would replace
    mkdocs.yml's nav and hide the nav entry planted in it; the mkdocs.yml entry is planted, no SUMMARY.md is made."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nnav:\n  - Home: index.md\nplugins:\n  - literate-nav:\n      nav_file: SUMMARY.md\n", encoding="utf-8")
    kinds = [p.kind for p in plant(tmp_path, tmp_path / "mkdocs.yml")]
    assert "nav entry in mkdocs.yml" in kinds
    assert "nav entry in SUMMARY.md" not in kinds
    assert not (tmp_path / "docs" / "SUMMARY.md").exists()


def test_a_summary_entry_keeps_the_list_tight(tmp_path: Path) -> None:
    """C2SM's SUMMARY.md ends without a newline; an entry planted after a blank line made the list loose (items in
    <p>), which literate-nav rejects, so no planted defect could be reported. The entry is the list's next item."""
    summary = tmp_path / "SUMMARY.md"
    summary.write_text("* [Home](index.md)\n* [Glossary](glossary/)", encoding="utf-8")
    assert _append_item(summary, "* [Planted summary](planted-missing-summary.md)") == 3
    text = summary.read_text(encoding="utf-8")
    assert text.splitlines()[2] == "* [Planted summary](planted-missing-summary.md)"
    assert "<p>" not in markdown.markdown(text)
