"""The real site builds strictly, leaves no raw citation syntax behind, and every citation links both ways."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.build

LEFTOVERS = ("[@", "[^", "\\bibliography", "\\full_bibliography")


class _IdsAndLinks(HTMLParser):
    """Collect element ids, footnote references and footnote back-links of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.footnote_refs: list[str] = []
        self.backrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record ids and the two kinds of footnote links."""
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        href = attributes.get("href") or ""
        classes = (attributes.get("class") or "").split()
        if tag == "a" and "footnote-ref" in classes:
            self.footnote_refs.append(href)
        if tag == "a" and "footnote-backref" in classes:
            self.backrefs.append(href)


def _parse(page: Path) -> _IdsAndLinks:
    """Parse one built HTML page."""
    parser = _IdsAndLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _content_pages(site: Path) -> list[Path]:
    """Every HTML page of the guide (not the 404 page)."""
    return sorted(p for p in site.rglob("index.html"))


def _nav_files(nav: list) -> set[str]:
    """Every Markdown file named in mkdocs.yml's nav."""
    found: set[str] = set()
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found |= _nav_files(value)
        elif isinstance(value, str) and value.endswith(".md"):
            found.add(value)
    return found


def _visible_text(html: str) -> str:
    """Page text outside <pre>/<code>, where leftover citation syntax would be visible to readers."""
    html = re.sub(r"<(pre|code)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_strict_build_writes_every_page(built_site: Path, repo: Path) -> None:
    """Every Markdown page becomes an HTML page."""
    sources = sorted((repo / "docs").rglob("*.md"))
    assert sources, "no Markdown pages in docs/"
    for source in sources:
        relative = source.relative_to(repo / "docs").with_suffix("")
        parts = relative.parts[:-1] if relative.name == "index" else relative.parts
        target = built_site.joinpath(*parts, "index.html")
        assert target.is_file(), f"{source} was not built to {target}"


def test_no_citation_syntax_survives(built_site: Path) -> None:
    """No '[@', '[^', '\\bibliography' or '\\full_bibliography' text reaches a reader."""
    problems = []
    for page in _content_pages(built_site):
        text = _visible_text(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(built_site)}: {token!r}" for token in LEFTOVERS if token in text]
    assert not problems, "\n".join(problems)


def test_every_docs_page_is_in_the_nav(repo: Path) -> None:
    """No orphan pages: the nav lists every Markdown file under docs/."""
    config = yaml.load((repo / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    in_nav = _nav_files(config["nav"])
    on_disk = {p.relative_to(repo / "docs").as_posix() for p in (repo / "docs").rglob("*.md")}
    assert sorted(on_disk - in_nav) == []
    assert sorted(in_nav - on_disk) == []


def test_every_citation_is_a_footnote_whose_backlink_resolves(built_site: Path) -> None:
    """Each footnote reference points at a footnote on its page, and each back-link at a reference."""
    citations = 0
    problems = []
    for page in _content_pages(built_site):
        parsed = _parse(page)
        name = page.relative_to(built_site).as_posix()
        for href in parsed.footnote_refs:
            citations += 1
            if href.lstrip("#") not in parsed.ids:
                problems.append(f"{name}: footnote reference {href} has no footnote")
        for href in parsed.backrefs:
            if href.lstrip("#") not in parsed.ids:
                problems.append(f"{name}: back-link {href} points at a missing anchor")
    assert citations > 0, "the site has no citations at all"
    assert not problems, "\n".join(problems)


def test_bibliography_marks_unverified_entries(built_site: Path, repo: Path) -> None:
    """Entries acknowledged as unverifiable are listed, visibly flagged, never hidden."""
    flagged = re.findall(r"^@\w+\{([^,]+),(?:(?!^@).)*?verification\s*=", (repo / "refs.bib").read_text(), re.M | re.S)
    page = (built_site / "reference" / "bibliography" / "index.html").read_text(encoding="utf-8")
    for key in flagged:
        assert f'id="ref-{key}"' in page, f"{key} is missing from the bibliography page"
        entry = page.split(f'id="ref-{key}"', 1)[1].split("</li>", 1)[0]
        assert "Not verified" in entry, f"{key} is not flagged as not verified"


class _Loader(yaml.SafeLoader):
    """Read mkdocs.yml without resolving its !ENV tags."""


_Loader.add_constructor("!ENV", lambda loader, node: None)
