"""The mkdocs hook around mkdocs-bibtex: cached formatting, grouped bibliography, resolvable back-links."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pybtex.style.formatting.plain import Style

REPO = Path(__file__).resolve().parents[2]
HOOK = REPO / "scripts" / "hooks" / "bibliography.py"

BIB = """@article{alpha2000,
  author = {Alpha, Ann},
  title = {First paper},
  journal = {Journal of Tests},
  year = {2000},
  keywords = {guide}
}

@misc{source-x,
  title = {A clinic article},
  howpublished = {Clinic website},
  year = {2024},
  keywords = {source-article},
  verification = {unverifiable: no URL known, kept to document it}
}
"""


def _site(tmp_path: Path, pages: dict[str, str], hooks: bool = True) -> Path:
    """Write a small site using the real hook and return its mkdocs.yml."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    nav = "".join(f"  - {name}\n" for name in pages)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nstrict: true\n"
        "validation:\n  links:\n    anchors: warn\n    not_found: warn\n"
        + (f"hooks:\n  - {HOOK}\n" if hooks else "")
        + "plugins:\n  - bibtex:\n      bib_file: refs.bib\n      enable_inline_citations: false\n"
        + "markdown_extensions:\n  - footnotes\n  - attr_list\n  - md_in_html\n"
        + f"nav:\n{nav}",
        encoding="utf-8",
    )
    return config


def _build(config_path: Path) -> Path:
    """Build strictly in-process, as `mkdocs build --strict` would, and return site_dir."""
    config = load_config(str(config_path), site_dir=str(config_path.parent / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return Path(config.site_dir)


def test_formatting_is_cached_across_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key cited on many pages is formatted by pybtex once per build, not once per page."""
    calls: list[str] = []
    original = Style.format_entry

    def counting(self: Style, label: str, entry: object) -> object:
        """Count calls to pybtex's formatter."""
        calls.append(label)
        return original(self, label, entry)

    monkeypatch.setattr(Style, "format_entry", counting)
    pages = {f"p{i}.md": f"# Page {i}\n\nA claim [@alpha2000].\n" for i in range(5)}
    _build(_site(tmp_path, pages))
    assert len(calls) == 1


def test_grouped_bibliography_flags_unverified_entries(tmp_path: Path) -> None:
    """Markers expand to the entries of one keyword, with ids and visible 'Not verified' flags."""
    page = "# Bibliography\n\n## Ours\n\n<!-- bibliography: guide -->\n\n## Theirs\n\n<!-- bibliography: source-article -->\n"
    site = _build(_site(tmp_path, {"index.md": page}))
    html = (site / "index.html").read_text(encoding="utf-8")
    ours, theirs = html.split('id="theirs"')
    assert 'id="ref-alpha2000"' in ours and "source-x" not in ours
    assert 'id="ref-source-x"' in theirs
    assert '<span class="bib-flag">Not verified</span>' in theirs
    assert "kept to document it" not in theirs  # the verification reason is for maintainers
    assert "<code>source-x</code>" not in theirs  # no raw keys for readers


def test_footnotes_of_unverified_entries_are_flagged(tmp_path: Path) -> None:
    """A citation of an unverified entry gets a "Not verified" mark in its footnote (and so its tooltip)."""
    pages = {"index.md": "# Home\n\nA claim [@alpha2000] and an article's own [@source-x].\n"}
    html = (_build(_site(tmp_path, pages)) / "index.html").read_text(encoding="utf-8")
    unverified = html.split('id="fn:source-x"', 1)[1].split("</li>", 1)[0]
    verified = html.split('id="fn:alpha2000"', 1)[1].split("</li>", 1)[0]
    assert '<span class="bib-flag">Not verified</span>' in unverified
    assert "Not verified" not in verified


def test_adjacent_citations_get_a_separator(tmp_path: Path) -> None:
    """Two citations side by side are separated by a visible comma, not run together as "12"."""
    pages = {"index.md": "# Home\n\nA claim [@alpha2000; @source-x]. Another [@alpha2000].\n"}
    html = (_build(_site(tmp_path, pages)) / "index.html").read_text(encoding="utf-8")
    assert '</sup><sup class="fn-sep">,</sup><sup id="fnref:source-x">' in html
    assert html.count('class="fn-sep"') == 1


def test_annote_is_not_rendered(tmp_path: Path) -> None:
    """pybtex as mkdocs-bibtex uses it renders 'note' but never 'annote', where the confirmation trail lives."""
    bib = BIB.replace("  keywords = {guide}", "  note = {Reader note},\n  annote = {Maintainer trail},\n  keywords = {guide}")
    config = _site(tmp_path, {"index.md": "# Home\n\nA claim [@alpha2000].\n"})
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    html = (_build(config) / "index.html").read_text(encoding="utf-8")
    assert "Reader note" in html
    assert "Maintainer trail" not in html


def test_full_bibliography_backlinks_pass_anchor_validation(tmp_path: Path) -> None:
    """\\full_bibliography's entries become a plain list, so no back-link points at a missing anchor."""
    pages = {"index.md": "# Home\n\nA claim [@alpha2000].\n", "all.md": "# All\n\n\\full_bibliography\n"}
    site = _build(_site(tmp_path, pages))
    html = (site / "all" / "index.html").read_text(encoding="utf-8")
    assert 'id="ref-alpha2000"' in html and 'id="ref-source-x"' in html
    assert "First paper" in html
    assert "footnote-backref" not in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="footnote-backref" href="#fnref:alpha2000"' in home


def test_without_the_hook_the_full_bibliography_fails_strict_validation(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The reason the hook exists: MkDocs flags the dangling back-links of \\full_bibliography."""
    from mkdocs.exceptions import Abort

    pages = {"index.md": "# Home\n\nText.\n", "all.md": "# All\n\n\\full_bibliography\n"}
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        _build(_site(tmp_path, pages, hooks=False))
    assert "#fnref:alpha2000" in caplog.text
