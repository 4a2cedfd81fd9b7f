"""What every hook needs about the project's files: paths as a reader types them, and refs.bib's keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from mkdocs_sitecheck.api import UsageError, bibliography_keys


def shown(path: Path) -> str:
    """The path as a reader would type it: relative to the working folder when possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def bib_file(config: Any) -> Path:
    """refs.bib as mkdocs-bibtex is configured to read it (``refs.bib`` beside mkdocs.yml without the plugin)."""
    plugin = config["plugins"].get("bibtex")
    name = plugin.config.bib_file if plugin is not None else "refs.bib"
    return Path(config["config_file_path"]).parent / name


def bib_keys_for(config: Any, data_file: Path, error: type[PluginError] = PluginError) -> set[str]:
    """refs.bib's keys, for checking ``data_file``'s citations; an unreadable refs.bib stops the build naming both."""
    try:
        return bibliography_keys(bib_file(config))
    except UsageError as exc:
        raise error(f"{shown(data_file)}: cannot check citation keys: {exc}") from None
