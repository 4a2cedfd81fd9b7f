"""Markdown the site's own MkDocs hooks write into pages before rendering, so its ids and links count.

* ``scripts/hooks/bibliography.py`` expands ``<!-- bibliography: KEYWORD -->`` into entries with
  ``id="ref-KEY"``: derived from refs.bib's ``keywords`` in :mod:`sitecheck.links.runner`.
* ``scripts/hooks/ledger.py`` replaces ``<!-- claims-ledger -->`` with Markdown rendered from
  its ledger file (headings with ``{#c01}`` ids, links, citations). We call the hook's own
  ``load_ledger`` and ``render_ledger`` so the text is exactly what the build sees; when that
  fails (the build fails too, with the hook's message) the marker is left as it is.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitecheck.project import Project


@dataclass(frozen=True)
class Expansion:
    """A marker line and the Markdown a hook puts in its place."""

    marker: re.Pattern[str]
    text: str


def load_expansions(project: Project, hooks: list[str], bib_keys: set[str]) -> list[Expansion]:
    """The expansions of the configured hooks we know how to run without MkDocs."""
    expansions = []
    for hook in hooks:
        path = (project.root / hook).resolve()
        if path.stem == "ledger" and path.is_file():
            expansion = _ledger(path, project.root, bib_keys)
            if expansion is not None:
                expansions.append(expansion)
    return expansions


def _ledger(path: Path, root: Path, bib_keys: set[str]) -> Expansion | None:
    """The claims ledger rendered by the hook's own functions, or None when it cannot be."""
    try:
        module = _import_file(path)
        claims = module.load_ledger(root / module.LEDGER_FILE, bib_keys)
        return Expansion(module.MARKER, module.render_ledger(claims))
    except Exception:  # noqa: BLE001 - a broken ledger is the build's to report, not ours
        return None


def _import_file(path: Path) -> Any:
    """Import a hook file as a module (hooks are files, not an importable package)."""
    spec = importlib.util.spec_from_file_location(f"_sitecheck_hook_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(str(path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[spec.name]
        raise
    return module


LineMap = Callable[[int, int], tuple[int, int]]


def expand(text: str, expansions: list[Expansion]) -> tuple[str, LineMap | None]:
    """Apply the expansions (first marker of each); return the text and a map back to source lines."""
    mapper: LineMap | None = None
    for expansion in expansions:
        m = expansion.marker.search(text)
        if m is None:
            continue
        start = text.count("\n", 0, m.start()) + 1
        inserted = expansion.text.count("\n")
        shift = inserted - m.group(0).count("\n")
        text = text[: m.start()] + expansion.text + text[m.end() :]
        mapper = _compose(mapper, _region(start, inserted, shift))
    return text, mapper


def _region(start: int, inserted: int, shift: int) -> LineMap:
    """Lines inside an expansion map to the marker's line, column 1; later lines shift back."""

    def back(line: int, col: int) -> tuple[int, int]:
        """Map one position of the expanded text to the source."""
        if line < start:
            return line, col
        if line <= start + inserted:
            return start, 1
        return line - shift, col

    return back


def _compose(first: LineMap | None, second: LineMap) -> LineMap:
    """Apply ``second`` (the later expansion) and then ``first``."""
    if first is None:
        return second
    return lambda line, col: first(*second(line, col))
