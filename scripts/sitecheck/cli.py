"""The ``sitecheck`` command: ``sitecheck [links|refs] [options]``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from sitecheck import __version__
from sitecheck.findings import EXIT_USAGE, CheckResult, UsageError, exit_code
from sitecheck.project import apply_policy, load_project
from sitecheck.report import FORMATS, render

# Each check is a module with ``add_arguments(parser)`` and ``run(args, project) -> CheckResult``.
CHECKS: dict[str, tuple[str, str]] = {
    "links": ("sitecheck.links", "internal links, anchors, images, nav entries, footnotes and citation keys"),
    "refs": ("sitecheck.refs", "bibliography entries: syntax, identifiers, and (with --online) the records they name"),
}


def _check_module(name: str) -> ModuleType:
    """Import the module that implements a check."""
    return importlib.import_module(CHECKS[name][0])


def _common_options() -> argparse.ArgumentParser:
    """Options every subcommand accepts."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", default="mkdocs.yml", metavar="PATH", help="the site's mkdocs.yml (default: %(default)s)"
    )
    common.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: %(default)s)"
    )
    return common


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and one subparser per check."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="sitecheck",
        parents=[common],
        description=(
            "Check the guide's Markdown, nav and bibliography. With no subcommand, runs `links` "
            "and the offline `refs` checks together."
        ),
        epilog=(
            "exit status:\n  0  no errors\n  1  errors found\n  2  usage or configuration error\n"
            "  3  run incomplete (a service could not be reached)"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sitecheck {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="{" + ",".join(CHECKS) + "}")
    subs = {}
    for name, (_, help_text) in CHECKS.items():
        sub = subparsers.add_parser(name, parents=[common], help=help_text, description=help_text)
        _check_module(name).add_arguments(sub)
        subs[name] = sub
    return parser, subs


def _namespaces(args: argparse.Namespace, subs: dict[str, argparse.ArgumentParser]) -> list[tuple[str, argparse.Namespace]]:
    """The checks to run and their arguments; with no subcommand, every check with its defaults."""
    if args.command:
        return [(args.command, args)]
    runs = []
    for name, sub in subs.items():
        defaults = sub.parse_args([])
        defaults.config, defaults.format, defaults.command = args.config, args.format, name
        runs.append((name, defaults))
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected checks and return the exit status."""
    parser, subs = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage or --help/--version
        return int(exc.code or 0)
    try:
        project = load_project(Path(args.config), site_required=args.command != "refs")
        results: list[CheckResult] = [
            _check_module(name).run(ns, project) for name, ns in _namespaces(args, subs)
        ]
    except UsageError as exc:
        print(f"sitecheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("sitecheck: interrupted", file=sys.stderr)
        return 130
    findings = apply_policy([f for r in results for f in r.findings], project)
    extra = {k: v for r in results for k, v in r.extra.items()}
    checked = "; ".join(r.checked for r in results)
    try:
        render(findings, args.format, sys.stdout, checked=checked, extra=extra)
        sys.stdout.flush()
    except BrokenPipeError:  # `sitecheck ... | head`: the reader left; no traceback, no second error at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return exit_code(findings, incomplete=any(r.incomplete for r in results))


if __name__ == "__main__":
    raise SystemExit(main())
