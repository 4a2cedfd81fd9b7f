"""``--site-dir``: the generated HTML, where plugins have already rewritten the pages."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import BASE_CONFIG, Run, SiteMaker

Check = Callable[..., Run]

INDEX_HTML = """\
<html><head><link href="assets/style.css" rel="stylesheet"><script src="assets/app.js"></script>
<script>var x = '<a href="nowhere.html">';</script></head>
<body>
<h1 id="home">Home</h1>
<a href="guide/">Guide</a> <a href="guide/#install">Install</a> <a href="guide/#instal">Typo</a>
<a href="missing/">Missing</a> <img src="img/x.png"> <img src="img/y.png">
<p>Left over [@smith2020] and [^3] and \\bibliography here.</p>
<pre><code>[@in-code] and [^1] are fine in code</code></pre>
<a href="https://example.org/">ext</a> <a href="mailto:x@example.org">m</a> <a href="#home">top</a>
<a href="/sub/guide/">absolute, under the base path</a> <a href="/other/">outside it</a>
<span id="dup"></span><span id="dup"></span>
<!-- <a href="commented.html"> -->
</body></html>
"""


def make_built(root: Path) -> Path:
    """A small built site under ROOT/site."""
    site = root / "site"
    for rel, text in {
        "index.html": INDEX_HTML,
        "guide/index.html": '<h2 id="install">Install</h2><a href="../">home</a><a href="../index.html#home">h</a>',
        "assets/style.css": "body {}",
        "assets/app.js": "",
        "img/x.png": "png",
    }.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


def test_generated_html_is_checked(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK020 missing file, LNK021 missing id, LNK022 duplicate id, LNK023 leftover Markdown."""
    root = make_site(
        {"index.md": "Cites [@berman2000] and [@zarate2006].\n"},
        config=BASE_CONFIG + "site_url: https://example.org/sub/\n",
    )
    site = make_built(root)
    run = sitecheck(root, "--site-dir", str(site))
    assert run.out.splitlines()[:-1] == [
        "site/index.html:5:74: LNK021 link 'guide/#instal': there is no id 'instal' on 'guide/index.html' (did you mean 'guide/#install'?)",
        "site/index.html:6:10: LNK020 link 'missing/' points to 'missing', which is not in the built site",
        "site/index.html:6:64: LNK020 link 'img/y.png' points to 'img/y.png', which is not in the built site (did you mean 'img/x.png'?)",
        "site/index.html:7:14: LNK023 unprocessed '[@smith2020]' left in the page text: a citation, footnote "
        "or bibliography command that no plugin turned into HTML",
        "site/index.html:7:31: LNK023 unprocessed '[^3]' left in the page text: a citation, footnote or bibliography command that no plugin turned into HTML",
        "site/index.html:7:40: LNK023 unprocessed '\\bibliography' left in the page text: a citation, footnote "
        "or bibliography command that no plugin turned into HTML",
        "site/index.html:10:66: LNK020 link '/other/' is outside the site's base path '/sub/' (site_url)",
        "site/index.html:11:33: LNK022 id 'dup' appears more than once on the page (first at line 11)",
    ]
    assert run.code == 1


def test_site_dir_must_be_a_built_site(make_site: SiteMaker, sitecheck: Check, tmp_path: Path) -> None:
    """A folder without index.html is a usage error, not a flood of findings."""
    root = make_site({"index.md": "# Home\n"})
    empty = tmp_path / "empty"
    empty.mkdir()
    run = sitecheck(root, "--site-dir", str(empty))
    assert (run.code, run.err) == (2, f"sitecheck: error: --site-dir {empty}: no index.html in it; is it a built MkDocs site?\n")


@pytest.mark.build
def test_real_built_site(repo: Path, built_site: Path) -> None:
    """The guide, built strictly: the HTML check runs cleanly over MkDocs Material's real output."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_sitecheck", "links", "--config", str(repo / "mkdocs.yml"), "--site-dir", str(built_site)],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not [line for line in result.stdout.splitlines() if " LNK02" in line]
