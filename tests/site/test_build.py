"""The real site builds strictly, every Markdown page becomes an HTML page, and unverified entries are flagged.

Leftover citation syntax (LNK023) and footnote links that do not resolve (LNK021) in the built HTML
are sitecheck's rules: tests/links/test_built.py::test_real_built_site runs it on this build; nav
entries and orphan pages (LNK012, LNK013) are checked by tests/guide/test_sitecheck_clean.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.build


def test_strict_build_writes_every_page(built_site: Path, repo: Path) -> None:
    """Every Markdown page becomes an HTML page."""
    sources = sorted((repo / "docs").rglob("*.md"))
    assert sources, "no Markdown pages in docs/"
    for source in sources:
        relative = source.relative_to(repo / "docs").with_suffix("")
        parts = relative.parts[:-1] if relative.name == "index" else relative.parts
        target = built_site.joinpath(*parts, "index.html")
        assert target.is_file(), f"{source} was not built to {target}"


def test_bibliography_marks_unverified_entries(built_site: Path, repo: Path) -> None:
    """Entries acknowledged as unverifiable are listed, visibly flagged, never hidden."""
    flagged = re.findall(r"^@\w+\{([^,]+),(?:(?!^@).)*?verification\s*=", (repo / "refs.bib").read_text(), re.M | re.S)
    page = (built_site / "reference" / "bibliography" / "index.html").read_text(encoding="utf-8")
    for key in flagged:
        assert f'id="ref-{key}"' in page, f"{key} is missing from the bibliography page"
        entry = page.split(f'id="ref-{key}"', 1)[1].split("</li>", 1)[0]
        assert "Not verified" in entry, f"{key} is not flagged as not verified"
