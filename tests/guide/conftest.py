"""Fixtures for the guide's content tests: the ledger hook module, refs.bib keys and the docs pages."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from guide_hooks import ledger
from mkdocs_sitecheck.bib import load_bibliography

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
LEDGER = REPO / "data" / "claims.yml"
SHARED_TOOL = REPO.parent / "shared" / "tools" / "seed-overlap"
CITATION = re.compile(r"\[(@[^\]]*)\]")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def cited_keys(markdown: str) -> set[str]:
    """Every citation key in mkdocs-bibtex syntax, one or several per bracket."""
    keys: set[str] = set()
    for group in CITATION.findall(markdown):
        keys |= {part.strip().lstrip("@") for part in group.split(";") if part.strip()}
    return keys


def front_matter(markdown: str) -> dict:
    """The YAML front matter of a page, or an empty dict."""
    match = FRONT_MATTER.match(markdown)
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


@pytest.fixture(scope="session")
def hook() -> ModuleType:
    """The ledger hook module (guide_hooks.ledger; scripts/hooks is on pytest's pythonpath)."""
    return ledger


@pytest.fixture(scope="session")
def bib_keys() -> set[str]:
    """Keys defined in refs.bib."""
    return load_bibliography(REPO / "refs.bib").keys()


@pytest.fixture(scope="session")
def claims(hook: ModuleType, bib_keys: set[str]) -> list:
    """The real ledger, validated by the hook."""
    return hook.load_ledger(LEDGER, bib_keys)


@pytest.fixture(scope="session")
def pages() -> dict[Path, str]:
    """Every Markdown page under docs/, by path."""
    return {p: p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md"))}
