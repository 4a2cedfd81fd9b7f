"""The links harness's ground truth: broken links read from a built site, and how findings are matched to them."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from links_harness import norm_target, same, source_key
from links_truth import Broken, broken_links, leftover_text, nav_missing


def write_site(site: Path) -> None:
    """A built site: a home page and a guide page with two ids, as MkDocs writes them (folder URLs)."""
    (site / "guide").mkdir(parents=True)
    (site / "img").mkdir()
    (site / "index.html").write_text("<html><body><h1 id='home'>Home</h1></body></html>", encoding="utf-8")
    (site / "guide" / "index.html").write_text('<h1 id="guide">Guide</h1><h2 id="install">Install</h2><a name="old"></a>', encoding="utf-8")
    (site / "img" / "logo.png").write_bytes(b"png")


def record(tmp_path: Path, content: str, site_url: str = "") -> dict[str, object]:
    """What the driver records for one page (index.md) whose content HTML is given."""
    source = tmp_path / "docs" / "index.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("# Home\n\n[a](missing.md) [b](guide.md#nope) ![c](img/nope.png) [d](#gone) [e](/elsewhere/)\n", encoding="utf-8")
    return {
        "ok": True,
        "site_url": site_url,
        "files": {"index.md": "index.html", "guide.md": "guide/index.html", "img/logo.png": "img/logo.png"},
        "pages": [{"src": "index.md", "abs_src": str(source), "url": "", "dest": "index.html", "content": content}],
        "log": [
            ["WARNING", "mkdocs.structure.nav", "A reference to 'gone.md' is included in the 'nav' configuration, which is not found in the documentation set."]
        ],
    }


def test_broken_links_of_a_built_page(tmp_path: Path) -> None:
    """Missing file, missing anchor, missing image and same-page anchor are broken; working and external links are not."""
    site = tmp_path / "site"
    write_site(site)
    content = (
        '<a href="guide/">ok</a> <a href="guide/#install">ok</a> <a href="guide/#old">ok</a> <img src="img/logo.png">'
        '<a href="https://example.org/x">external</a> <a href="mailto:a@b.c">mail</a> <a href="#home">ok</a>'
        '<a href="missing.md">a</a> <a href="guide/#nope">b</a> <img src="img/nope.png"> <a href="#gone">d</a>'
    )
    assert broken_links(record(tmp_path, content), site) == [
        Broken("index.md", "missing.md", "missing.md", "", "file", True),
        Broken("index.md", "guide/#nope", "guide.md", "nope", "anchor", True),
        Broken("index.md", "img/nope.png", "img/nope.png", "", "image", True),
        Broken("index.md", "#gone", "index.md", "gone", "anchor", True),
    ]


def test_absolute_links_follow_site_url_path(tmp_path: Path) -> None:
    """Under site_url's path an absolute link works; outside it, it leaves the served site."""
    site = tmp_path / "site"
    write_site(site)
    content = '<a href="/docs/guide/">ok</a> <a href="/elsewhere/">e</a>'
    assert broken_links(record(tmp_path, content, "https://example.org/docs/"), site) == [
        Broken("index.md", "/elsewhere/", "/elsewhere/", "", "file", True),
    ]


def test_nav_log_and_leftover_text(tmp_path: Path) -> None:
    """Nav entries MkDocs could not find come from its log; reference text left in a page is read outside code."""
    rec = record(tmp_path, "<p>See [x][label].</p><pre><code>[y][code-label]</code></pre>")
    assert nav_missing(rec) == ["gone.md"]
    text = leftover_text(rec)["index.md"]
    assert "[x][label]" in text
    assert "code-label" not in text


def test_findings_match_built_links_by_page_target_and_anchor() -> None:
    """A checker's link finding and a built break name the same (page, target, anchor) whatever the URL style."""
    finding = {"message": "link '../guide.md#install': there is no anchor", "path": "docs/a/b.md"}
    key = source_key(finding, "a/b.md")
    assert key == ("a/b.md", "guide", "install")
    assert same(key, ("a/b.md", norm_target("guide/index.md"), "install"))
    assert not same(key, ("a/c.md", "guide", "install"))
    assert norm_target("docs/index.md") == "docs"
    assert norm_target("README.md") == ""
