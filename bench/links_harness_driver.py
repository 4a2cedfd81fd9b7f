"""Build one MkDocs site as ``mkdocs build`` does and record what the harness needs to read the result.

Run by ``bench/links_harness.py`` with the project's own virtual environment (standard library
and MkDocs only, so it runs on any MkDocs version that has ``PluginCollection.events``)::

    VENV/bin/python bench/links_harness_driver.py CONFIG SITE_DIR OUT.json [--drop PLUGIN ...]

It loads the config with MkDocs' loader, removes the plugins named by ``--drop`` (those that need
the network: social cards, privacy, git-committers), adds one recording plugin that runs last,
and calls MkDocs' own ``build``. The JSON written holds, per page, its source path, URL, output
path and final content HTML (after every plugin's ``on_page_content`` and ``on_post_page``), every
file's source and output path, and every log record at INFO or above.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority


class Recorder(BasePlugin):
    """Keeps each page's final content and the site's file map."""

    def __init__(self) -> None:
        self.pages: list[dict[str, Any]] = []
        self.files: dict[str, str] = {}

    @event_priority(-1000)
    def on_files(self, files: Any, config: Any) -> Any:
        """Every file's source path to its output path, after the other plugins changed the set."""
        for file in files:
            self.files[file.src_uri] = file.dest_uri
        return files

    @event_priority(-1000)
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """One page's source, URL, output path and content HTML."""
        self.pages.append(
            {
                "src": page.file.src_uri,
                "abs_src": page.file.abs_src_path,
                "url": page.url,
                "dest": page.file.dest_uri,
                "content": page.content or "",
            }
        )
        return output


class Collect(logging.Handler):
    """Keeps log records (INFO and above) as (level, logger, message)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Store one record."""
        try:
            self.records.append((record.levelname, record.name, record.getMessage()))
        except Exception:  # noqa: BLE001 - a plugin's malformed log call must not stop the build
            self.records.append((record.levelname, record.name, str(record.msg)))


def drop_plugin(config: Any, name: str) -> bool:
    """Remove a loaded plugin and its event handlers; True when it was there."""
    plugins = config.plugins
    plugin = plugins.get(name)
    if plugin is None:
        return False
    del plugins[name]
    for event, methods in plugins.events.items():
        plugins.events[event] = [m for m in methods if getattr(m, "__self__", None) is not plugin]
    return True


def offline_inventories(config: Any) -> list[str]:
    """Empty mkdocstrings' handler inventories (``import:``/``inventories:`` URLs): this machine has no internet, and
    mkdocstrings before 0.22 fails the build when it cannot fetch them. They only resolve links to other sites."""
    emptied = []
    for name, plugin in config.plugins.items():
        if name.rpartition("/")[2] != "mkdocstrings":
            continue
        for handler, options in (plugin.config.get("handlers") or {}).items():
            for key in ("import", "inventories"):
                if isinstance(options, dict) and options.get(key):
                    options[key] = []
                    emptied.append(f"{handler}.{key}")
    return emptied


def main(argv: list[str] | None = None) -> int:
    """Build the site and write the record."""
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("site_dir")
    parser.add_argument("out")
    parser.add_argument("--drop", nargs="*", default=[])
    args = parser.parse_args(argv)
    handler = Collect()
    handler.setFormatter(logging.Formatter())  # as under `mkdocs build`: sites' hooks retune handlers[0].formatter (fpdf2)
    root = logging.getLogger("mkdocs")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    result: dict[str, Any] = {"ok": False, "error": None, "dropped": []}
    recorder = Recorder()
    start = time.perf_counter()
    try:
        config = load_config(config_file=args.config, site_dir=args.site_dir, strict=False)
        result["site_url"] = config.site_url or ""
        for name in args.drop:
            if drop_plugin(config, name):
                result["dropped"].append(name)
        result["dropped"] += [f"mkdocstrings inventories ({where})" for where in offline_inventories(config)]
        config.plugins["harness-recorder"] = recorder
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        result["ok"] = True
    except BaseException as exc:  # noqa: BLE001 - the harness reports any failure of the build
        result["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0][:2000] if str(exc) else type(exc).__name__
        cause = exc.__cause__ or exc.__context__
        if cause is not None:  # e.g. the macros plugin wraps the ImportError that names the missing module
            result["error"] += f" (from {type(cause).__name__}: {str(cause).splitlines()[0][:500] if str(cause) else ''})"
    result["seconds"] = time.perf_counter() - start
    result["pages"] = recorder.pages
    result["files"] = recorder.files
    result["log"] = handler.records
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
