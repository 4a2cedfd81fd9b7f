"""Fixtures for the figures hook: the module, refs.bib keys and the real data file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sitecheck.bib import load_bibliography

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "outcomes.yml"


def load_hook() -> ModuleType:
    """Import scripts/hooks/figures.py as a module (hooks are files, not a package)."""
    path = REPO / "scripts" / "hooks" / "figures.py"
    spec = importlib.util.spec_from_file_location("guide_figures_hook", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def figures() -> ModuleType:
    """The figures hook module."""
    return load_hook()


@pytest.fixture(scope="session")
def bib_keys() -> set[str]:
    """Keys defined in refs.bib."""
    return load_bibliography(REPO / "refs.bib").keys()


@pytest.fixture(scope="session")
def outcomes(figures: ModuleType, bib_keys: set[str]):
    """The real data file, validated by the hook."""
    return figures.load_outcomes(DATA, bib_keys)

