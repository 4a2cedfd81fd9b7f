"""Fixtures for the figures hook: refs.bib keys, the real data file and the real ledger's counts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from guide_hooks import ledger
from guide_hooks.figures import data
from mkdocs_sitecheck.api import bibliography_keys

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "outcomes.yml"


@pytest.fixture(scope="session")
def bib_keys() -> set[str]:
    """Keys defined in refs.bib."""
    return bibliography_keys(REPO / "refs.bib")


@pytest.fixture(scope="session")
def outcomes(bib_keys: set[str]) -> data.Outcomes:
    """The real data file, validated by the hook."""
    return data.load_outcomes(DATA, bib_keys)


@pytest.fixture(scope="session")
def ledger_counts(bib_keys: set[str]) -> tuple[dict[str, Counter[str]], tuple[str, ...]]:
    """Verdict counts per article in the real claims ledger, as the ledger figure draws them."""
    claims = ledger.load_ledger(REPO / ledger.LEDGER_FILE, bib_keys)
    return ledger.verdicts_by_article(claims), ledger.VERDICTS
