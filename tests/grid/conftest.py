"""Fixtures for the option grid hook: the module, refs.bib keys and the outcomes it reuses."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mkdocs_sitecheck.bib import load_bibliography

REPO = Path(__file__).resolve().parents[2]


def load_hook() -> ModuleType:
    """The option grid hook's module, from the hooks package (pytest puts scripts/hooks on the path)."""
    from guide_hooks import option_grid

    return option_grid


@pytest.fixture(scope="session")
def grid() -> ModuleType:
    """The option grid hook module."""
    return load_hook()


@pytest.fixture(scope="session")
def bib_keys() -> set[str]:
    """Keys defined in refs.bib."""
    return load_bibliography(REPO / "refs.bib").keys()


@pytest.fixture(scope="session")
def real_outcomes(grid: ModuleType, bib_keys: set[str]) -> Any:
    """data/outcomes.yml, validated by the figures hook the grid hook uses."""
    return grid.load_outcomes(REPO / "data" / "outcomes.yml", bib_keys)


@pytest.fixture(scope="session")
def real_options(grid: ModuleType, bib_keys: set[str], real_outcomes: Any) -> Any:
    """data/options.yml, validated."""
    return grid.load_options(REPO / "data" / "options.yml", bib_keys, real_outcomes)
