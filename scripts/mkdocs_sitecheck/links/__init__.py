"""sitecheck links: internal links, anchors, images, nav, footnotes and citation keys of a MkDocs site.

The site is loaded by MkDocs, its plugins and hooks run through the build's events, and each page
is rendered by Python-Markdown with the site's extensions (:mod:`mkdocs_sitecheck.links.engine`); nothing
is written and no theme template is rendered.

Codes and what they mean: ``sitecheck links --list-codes`` (the table is in :mod:`mkdocs_sitecheck.codes`).
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Any

from mkdocs_sitecheck.findings import CheckResult, EngineError, PluginImportError, UsageError
from mkdocs_sitecheck.project import Project

__all__ = ["add_arguments", "run"]


class _ListCodes(argparse.Action):
    """``--list-codes``: print every code with its severity and description, then exit 0."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        """Print the table (from the registry: it includes the review-date codes) and stop, as --version does."""
        from mkdocs_sitecheck.codes import code_table as registered

        sys.stdout.write(registered("links"))
        parser.exit(0)


def _jobs(value: str) -> int:
    """``--jobs``: a positive number of worker processes."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `sitecheck links`."""
    parser.add_argument("--list-codes", action=_ListCodes, help="list every code this check reports, and exit")
    parser.add_argument(
        "--site-dir",
        metavar="DIR",
        type=Path,
        default=None,
        help="also check the generated HTML in DIR (after `mkdocs build`): href, src, #ids, leftovers",
    )
    parser.add_argument(
        "--external",
        action="store_true",
        help="also check http(s) links (concurrently, cached); reported as warnings",
    )
    parser.add_argument(
        "--strict-external",
        action="store_true",
        help="like --external, but broken links are errors, and unreachable hosts make the run incomplete (exit 3)",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        default=Path(".cache/sitecheck"),
        help="where --external keeps answers between runs (default: %(default)s)",
    )
    parser.add_argument(
        "--jobs",
        metavar="N",
        type=_jobs,
        default=None,
        help="worker processes for pages checked from source alone (rendered pages are checked as they render; default: the CPUs)",
    )


def run(args: argparse.Namespace, project: Project) -> CheckResult:
    """Run the links check."""
    from mkdocs_sitecheck.links.config import load_site
    from mkdocs_sitecheck.links.missing import demote, missing_findings
    from mkdocs_sitecheck.links.pages import summarise_repeats
    from mkdocs_sitecheck.links.runner import check_site, default_jobs

    external = bool(getattr(args, "external", False) or getattr(args, "strict_external", False))
    while True:
        site = load_site(project)
        gc.disable()  # hundreds of thousands of small, long-lived objects: collection only costs time
        try:
            result = check_site(project, site, jobs=getattr(args, "jobs", None) or default_jobs(), external=external)
            break
        except PluginImportError as exc:  # installed, but what it imports is not: go on without it, as if missing
            project = _without(project, exc)
        finally:
            gc.enable()
    findings = summarise_repeats(demote(result.findings, project)) + missing_findings(project)
    incomplete = False
    site_dir = getattr(args, "site_dir", None)
    if site_dir is not None:
        from mkdocs_sitecheck.links.built import check_built_site

        findings += check_built_site(project, site, _site_dir(project, site_dir))
    if external:
        from mkdocs_sitecheck.links.external import check_external

        cache_dir = getattr(args, "cache_dir", None) or Path(".cache/sitecheck")
        if not cache_dir.is_absolute():
            cache_dir = project.root / cache_dir
        strict = bool(getattr(args, "strict_external", False))
        outcome = check_external(result.pages, site, cache_dir, strict=strict)
        findings += outcome.findings
        incomplete = strict and outcome.unchecked > 0
    checked = f"{_plural(len(result.pages), 'page')}, {_plural(result.links, 'link')}"
    return CheckResult(findings=findings, checked=checked, incomplete=incomplete)


def _without(project: Project, exc: PluginImportError) -> Project:
    """The project with the plugin that failed to import set aside; the original error when it cannot be."""
    if any(m.name == exc.plugin for m in project.missing):
        raise EngineError(str(exc)) from None
    reloaded = project.without_plugin(exc.plugin, exc.reason)
    if not any(m.name == exc.plugin for m in reloaded.missing):  # a hook file, not a plugin mkdocs.yml lists
        raise EngineError(str(exc)) from None
    return reloaded


def _plural(count: int, word: str) -> str:
    """Say '1 page' or '2 pages'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _site_dir(project: Project, site_dir: Path) -> Path:
    """``--site-dir`` resolved against the current folder; it must be a built site."""
    path = site_dir if site_dir.is_absolute() else Path.cwd() / site_dir
    if not path.is_dir():
        raise UsageError(f"--site-dir {site_dir}: not a folder (run `mkdocs build` first)")
    return path.resolve()
