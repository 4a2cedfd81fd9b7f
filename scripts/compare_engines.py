"""Build the site with two engines (MkDocs and ProperDocs) and compare the pages they write and the ids on each page.

Usage: python scripts/compare_engines.py [--config mkdocs.yml] [--engine mkdocs] [--other properdocs] [--keep DIR]

Each engine is a command that takes MkDocs' ``build`` arguments (``mkdocs``, ``properdocs``, or a
path to either). Output: one line per difference, ``PAGE: id 'x' only in the properdocs build``,
then a summary. Exit 0 when both builds have the same pages and the same ids on each, 1 when they
differ, 2 when an engine is missing or a build fails (one line naming the engine and its last error).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path


class EngineError(Exception):
    """An engine could not be run, or its build failed."""


class _Ids(HTMLParser):
    """Collect the id attributes of one HTML page, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the element's id, if it has one."""
        self.ids += [value for name, value in attrs if name == "id" and value]


def page_ids(page: Path) -> set[str]:
    """The ids on one built page."""
    parser = _Ids()
    parser.feed(page.read_text(encoding="utf-8"))
    return set(parser.ids)


def site_pages(site: Path) -> dict[str, set[str]]:
    """Every HTML page of a built site (path relative to the site, with '/') and its ids."""
    return {page.relative_to(site).as_posix(): page_ids(page) for page in sorted(site.rglob("*.html"))}


@dataclass(frozen=True)
class Build:
    """One engine's build: its name (for messages) and its pages with their ids."""

    name: str
    pages: dict[str, set[str]]


def differences(one: Build, other: Build) -> list[str]:
    """Pages only one build wrote, and ids only one build has on a page both wrote, one line each, sorted."""
    lines = [f"{page}: page only in the {one.name} build" for page in sorted(one.pages.keys() - other.pages.keys())]
    lines += [f"{page}: page only in the {other.name} build" for page in sorted(other.pages.keys() - one.pages.keys())]
    for page in sorted(one.pages.keys() & other.pages.keys()):
        lines += [f"{page}: id '{i}' only in the {one.name} build" for i in sorted(one.pages[page] - other.pages[page])]
        lines += [f"{page}: id '{i}' only in the {other.name} build" for i in sorted(other.pages[page] - one.pages[page])]
    return lines


def engine_command(engine: str) -> list[str]:
    """The engine's command line: a name found beside this Python (the venv's bin) or on PATH, or a path."""
    words = shlex.split(engine)
    beside = Path(sys.executable).parent / words[0]
    if beside.is_file():
        return [str(beside), *words[1:]]
    found = shutil.which(words[0])
    if found is None:
        raise EngineError(f"{words[0]}: not found beside {sys.executable} or on PATH; install it (see CONTRIBUTING.md, 'Engines')")
    return [found, *words[1:]]


def build(engine: str, config: Path, site_dir: Path) -> Build:
    """Build the site strictly with one engine into site_dir."""
    command = engine_command(engine)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    arguments = ["build", "--strict", "--clean", "--config-file", str(config), "--site-dir", str(site_dir)]
    result = subprocess.run([*command, *arguments], cwd=config.parent, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        last = next((line.strip() for line in reversed(result.stderr.splitlines()) if line.strip()), "no output")
        raise EngineError(f"{Path(command[0]).name} build of {config} failed (exit {result.returncode}): {last}")
    return Build(Path(command[0]).name, site_pages(site_dir))


def summary(one: Build, other: Build, found: Sequence[str]) -> str:
    """The last line of the report."""
    ids = sum(len(ids) for ids in one.pages.values())
    if not found:
        return f"compare_engines: the {one.name} and {other.name} builds have the same {len(one.pages)} pages and the same {ids} ids"
    sizes = f"the {one.name} build ({len(one.pages)} pages) and the {other.name} build ({len(other.pages)} pages)"
    return f"compare_engines: {len(found)} differences between {sizes}"


def main(argv: Sequence[str] | None = None) -> int:
    """Build with both engines, print the differences and a summary; 0 same, 1 different, 2 could not build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the site's mkdocs.yml (default: mkdocs.yml)")
    parser.add_argument("--engine", default="mkdocs", help="the reference engine's command (default: mkdocs)")
    parser.add_argument("--other", default="properdocs", help="the engine compared with it (default: properdocs)")
    parser.add_argument("--keep", type=Path, help="build into DIR/one and DIR/other and keep them (default: a temporary folder)")
    args = parser.parse_args(argv)
    config = args.config.resolve()
    if not config.is_file():
        print(f"compare_engines: {args.config}: no such file; pass the site's mkdocs.yml with --config", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="compare-engines-") as scratch:
        root = args.keep or Path(scratch)
        try:
            one = build(args.engine, config, root / "one")
            other = build(args.other, config, root / "other")
        except EngineError as error:
            print(f"compare_engines: {error}", file=sys.stderr)
            return 2
    found = differences(one, other)
    for line in found:
        print(line)
    print(summary(one, other, found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
