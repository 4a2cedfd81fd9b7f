"""Fixture sites for the links check, built in tmp_path, and a runner that captures sitecheck's output."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mkdocs_sitecheck.cli import main

HOOK = Path(__file__).resolve().parents[2] / "scripts" / "hooks" / "bibliography.py"

BASE_CONFIG = """\
site_name: fixture
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.snippets:
      base_path: [includes]
      check_paths: true
plugins:
  - search
  - bibtex:
      bib_file: refs.bib
hooks:
  - hooks/bibliography.py
"""

# Fixture data, not real records. The real bibliography hook runs over it, and pybtex needs an author and a journal.
BIB = """\
@article{berman2000,
  author   = {Doe, Jane},
  journal  = {Fixture Journal},
  title    = {Antidepressant Effects of Ketamine},
  year     = {2000},
  keywords = {guide}
}

@article{zarate2006,
  author   = {Roe, Richard},
  journal  = {Fixture Journal},
  title    = {A Randomized Trial},
  year     = {2006},
  keywords = {guide}
}
"""


@dataclass
class Run:
    """One sitecheck run: exit status and what it printed."""

    code: int
    out: str
    err: str


SiteMaker = Callable[..., Path]


@pytest.fixture
def make_site(tmp_path: Path) -> SiteMaker:
    """Write a fixture site: ``{path: text}`` under docs/ (or ``/path`` from the root), mkdocs.yml, refs.bib."""

    def make(files: dict[str, str | bytes], config: str = BASE_CONFIG, extra_config: str = "", bib: str | None = BIB) -> Path:
        """Write the site and return its root (where mkdocs.yml is)."""
        root = tmp_path / "site"
        (root / "docs").mkdir(parents=True, exist_ok=True)
        (root / "mkdocs.yml").write_text(config + textwrap.dedent(extra_config), encoding="utf-8")
        if bib is not None:
            (root / "refs.bib").write_text(bib, encoding="utf-8")
        if "hooks/bibliography.py" in config and "/hooks/bibliography.py" not in files:
            # MkDocs loads the hooks it is given: the fixture sites use this repository's real hook.
            (root / "hooks").mkdir(exist_ok=True)
            (root / "hooks" / "bibliography.py").write_text(HOOK.read_text(encoding="utf-8"), encoding="utf-8")
        for name, text in files.items():
            path = root / name.lstrip("/") if name.startswith("/") else root / "docs" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


@pytest.fixture
def sitecheck(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``sitecheck links --config ROOT/mkdocs.yml ARGS...`` in-process, in ROOT (where a user runs
    `mkdocs build`: plugins and pymdownx.snippets resolve paths against it), and capture its output."""

    def run(root: Path, *args: str, command: str | None = "links") -> Run:
        """Run one command and return its exit status and output."""
        if root.is_dir():
            monkeypatch.chdir(root)
        argv = ([command] if command else []) + ["--config", str(root / "mkdocs.yml"), *args]
        code = main(argv)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
