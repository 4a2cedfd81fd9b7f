"""The guide's pages: cross-links, enough citations, and no copying from the source articles.

Review dates, nav entries, link targets and citation keys are sitecheck's rules: test_sitecheck_clean.py runs it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import DOCS, SHARED_TOOL, cited_keys

# Pages that need not cite three sources (the issue exempts them).
# get-help.md lists helplines and makes no claims that need a source.
UNCITED_OK = {"index.md", "get-help.md", "reference/glossary.md", "reference/bibliography.md"}
LINK = re.compile(r"\]\(([^)\s]+?\.md)(?:#[^)\s]*)?\)")


def relative(page: Path) -> str:
    """A page's path under docs/, with forward slashes."""
    return page.relative_to(DOCS).as_posix()


def page_keys(page: Path, text: str, claims: list) -> set[str]:
    """Keys cited on a page, including those the ledger hook renders into the claims page."""
    keys = cited_keys(text)
    if "<!-- claims-ledger -->" in text:
        keys |= {k for c in claims for k in c.cites}
    return keys


def test_every_page_links_to_two_other_pages(pages: dict[Path, str]) -> None:
    """Each page links to at least two other pages of the guide (that the links resolve is sitecheck's LNK001)."""
    problems = []
    for page, text in pages.items():
        targets = {(page.parent / link).resolve() for link in LINK.findall(text)} - {page.resolve()}
        targets = {target for target in targets if target.is_file()}
        if len(targets) < 2:
            problems.append(f"{relative(page)}: links to {len(targets)} other page(s)")
    assert problems == []


def test_pages_cite_at_least_three_sources(pages: dict[Path, str], claims: list) -> None:
    """Every page except Home, Get help now, Glossary and Bibliography cites at least three distinct sources."""
    thin = {relative(p): len(page_keys(p, text, claims)) for p, text in pages.items() if relative(p) not in UNCITED_OK and len(page_keys(p, text, claims)) < 3}
    assert thin == {}


def test_no_stray_at_signs(pages: dict[Path, str]) -> None:
    """Outside citations, an '@' could be mistaken for a citation by mkdocs-bibtex."""
    stray = {relative(p): t.count("@") for p, t in pages.items() if "@" in re.sub(r"\[@[^\]]*\]", "", t)}
    assert stray == {}


def _seed_overlap(target: Path) -> subprocess.CompletedProcess[str]:
    """Run the shared seed-overlap tool on a folder of Markdown."""
    if not SHARED_TOOL.is_file():
        pytest.skip(f"seed-overlap not found at {SHARED_TOOL} (the shared folder belongs beside the repository as ../shared)")
    return subprocess.run([str(SHARED_TOOL), str(target)], capture_output=True, text=True, timeout=300)


def test_docs_share_no_long_runs_with_the_source_articles() -> None:
    """No run of ten or more words in docs/ is copied from a source article."""
    result = _seed_overlap(DOCS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rendered_ledger_shares_no_long_runs(hook: ModuleType, claims: list, tmp_path: Path) -> None:
    """The ledger text lives in data/claims.yml; check the page it renders into as well."""
    folder = tmp_path / "rendered"
    folder.mkdir()
    (folder / "claims.md").write_text(hook.render_ledger(claims), encoding="utf-8")
    result = _seed_overlap(folder)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_clinic_contact_details(pages: dict[Path, str]) -> None:
    """No clinic phone numbers slip in from the articles (crisis lines on About are allowed)."""
    phone = re.compile(r"\(\d{3}\)\s?\d{3}-\d{4}")
    assert [relative(p) for p, t in pages.items() if phone.search(t)] == []


def test_citations_stay_on_one_line_and_before_no_colon(pages: dict[Path, str]) -> None:
    """mkdocs-bibtex misses a citation split across lines, and '[^key]:' reads as a footnote definition."""
    broken = {
        relative(p): sorted(set(re.findall(r"\[@[^\]\n]*\n[^\]]*\]|\[@[^\]]*\]:", t)))
        for p, t in pages.items()
        if re.search(r"\[@[^\]\n]*\n[^\]]*\]|\[@[^\]]*\]:", t)
    }
    assert broken == {}
