"""sitecheck's public API for code outside the checker, such as this site's MkDocs hooks.

Only the names in ``__all__`` are public. They are a thin facade over sitecheck's internals,
which may change at any time; these names and their behaviour stay:

``load_yaml``             parse a YAML file; any failure is a one-line ``UsageError`` with ``file:line:col``
``bibliography_entries``  the entries of a .bib file (``BibEntry``: ``key``, ``line``, ``get(field)``)
``bibliography_keys``     the cite keys a .bib file defines
``BibEntry``              one bibliography entry
``UsageError``            a file that cannot be read or parsed, with a message fit to show as it is
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mkdocs_sitecheck.bib import BibEntry
from mkdocs_sitecheck.bib import load_bibliography as _load_bibliography
from mkdocs_sitecheck.findings import UsageError
from mkdocs_sitecheck.project import load_yaml as _load_yaml

__all__ = ["BibEntry", "UsageError", "bibliography_entries", "bibliography_keys", "load_yaml"]


def load_yaml(path: Path, missing: str = "file not found", loader: type[yaml.SafeLoader] | None = None) -> Any:
    """Parse a YAML file with ``loader`` (a SafeLoader subclass; by default one that knows MkDocs' tags).

    A missing file raises ``UsageError("PATH: <missing>")``; an unreadable file or invalid YAML raises
    ``UsageError("PATH:LINE:COL: invalid YAML: <problem>")``, never a traceback.
    """
    return _load_yaml(path, missing=missing, loader=loader)


def bibliography_entries(path: Path) -> list[BibEntry]:
    """Every entry of the .bib file at ``path``, in file order; ``UsageError`` if it is not a readable .bib file."""
    return list(_load_bibliography(path).entries)


def bibliography_keys(path: Path) -> set[str]:
    """The cite keys the .bib file at ``path`` defines, as written; ``UsageError`` if it is not a readable .bib file."""
    return {entry.key for entry in bibliography_entries(path)}
