"""Which module runs the checker in a scripts folder: `mkdocs_sitecheck`, or `sitecheck` in checkouts made before the rename."""

from __future__ import annotations

from pathlib import Path


def checker_module(scripts: Path | None = None) -> str:
    """`python -m` name of the checker in ``scripts`` (this checkout's when None)."""
    if scripts is not None and not (scripts / "mkdocs_sitecheck").is_dir() and (scripts / "sitecheck").is_dir():
        return "sitecheck"
    return "mkdocs_sitecheck"
