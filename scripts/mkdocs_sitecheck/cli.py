"""The ``sitecheck`` command: ``sitecheck [options] [links|refs|explain] [options]``."""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TextIO

from mkdocs_sitecheck import __version__
from mkdocs_sitecheck.codes import code_table, explain, registry, suggest_code
from mkdocs_sitecheck.findings import EXIT_INCOMPLETE, EXIT_INTERNAL, EXIT_USAGE, CheckResult, EngineError, UsageError, exit_code
from mkdocs_sitecheck.policy import apply_policy
from mkdocs_sitecheck.project import Project, load_project
from mkdocs_sitecheck.report import FORMATS, render

# Each check is a module with ``add_arguments(parser)`` and ``run(args, project) -> CheckResult``.
CHECKS: dict[str, tuple[str, str]] = {
    "links": ("mkdocs_sitecheck.links", "internal links, anchors, images, nav entries, footnotes, citation keys, review dates"),
    "refs": ("mkdocs_sitecheck.refs", "bibliography entries: syntax, identifiers, and (with --online) the records they name"),
}
EXIT_STATUS = (
    "exit status (each means one thing):\n"
    "  0  no errors (warnings and notes may have been reported)\n"
    "  1  errors found\n"
    "  2  usage or configuration error: nothing was checked\n"
    "  3  run incomplete: a service could not be reached, or a plugin or hook of the site raised\n"
    "  4  internal error: a bug in sitecheck (please report it; SITECHECK_DEBUG=1 shows the traceback)\n"
    "  130  interrupted (Ctrl-C)"
)


def _check_module(name: str) -> ModuleType:
    """Import the module that implements a check."""
    return importlib.import_module(CHECKS[name][0])


def _today(value: str) -> date:
    """``--today``: a YYYY-MM-DD date."""
    from mkdocs_sitecheck.links.review import parse_day

    try:
        return parse_day(value, "")
    except UsageError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _common_options(top: bool) -> argparse.ArgumentParser:
    """Options every subcommand accepts, before or after its name.

    The subcommands' copies default to SUPPRESS, so an option given before the subcommand is
    not overwritten by the subcommand's default.
    """
    common = argparse.ArgumentParser(add_help=False)

    def default(value: object) -> object:
        """The real default on the top-level parser, SUPPRESS on the subcommands."""
        return value if top else argparse.SUPPRESS

    common.add_argument("--config", default=default("mkdocs.yml"), metavar="PATH", help="the site's mkdocs.yml (default: mkdocs.yml)")
    common.add_argument("--format", choices=FORMATS, default=default("text"), help="output format (default: text)")
    common.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        type=Path,
        default=default(None),
        help="write the report to FILE instead of standard output",
    )
    common.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=_today,
        default=default(None),
        help="the date review dates are compared with (default: $SITECHECK_TODAY, else today)",
    )
    return common


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and one subparser per check (plus ``explain``)."""
    parser = argparse.ArgumentParser(
        prog="sitecheck",
        parents=[_common_options(top=True)],
        description=(
            "Check a MkDocs site's Markdown, nav and bibliography. With no subcommand, runs `links`, "
            "and the offline `refs` checks when the site has a bibliography."
        ),
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sitecheck {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="{" + ",".join([*CHECKS, "explain"]) + "}")
    common = _common_options(top=False)
    subs = {}
    for name, (_, help_text) in CHECKS.items():
        sub = subparsers.add_parser(
            name,
            parents=[common],
            help=help_text,
            description=help_text,
            epilog=EXIT_STATUS,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _check_module(name).add_arguments(sub)
        subs[name] = sub
    explainer = subparsers.add_parser(
        "explain",
        help="what a code means, why it matters and how to fix it",
        description="Print a code's explanation page (or, with --list, every code).",
    )
    explainer.add_argument("code", nargs="?", metavar="CODE", help="a code such as LNK001")
    explainer.add_argument("--list", action="store_true", help="list every code of every check")
    return parser, subs


def _namespaces(args: argparse.Namespace, subs: dict[str, argparse.ArgumentParser], project: Project) -> list[tuple[str, argparse.Namespace]]:
    """The checks to run; with no subcommand, links and (when there is a bibliography) refs, with defaults."""
    if args.command:
        return [(args.command, args)]
    runs = []
    for name, sub in subs.items():
        if name == "refs" and project.bib_file is None:
            continue  # a site without a bibliography has nothing for refs to do
        defaults = sub.parse_args([])
        for option in ("config", "format", "output", "today"):
            setattr(defaults, option, getattr(args, option))
        defaults.command = name
        runs.append((name, defaults))
    return runs


def _explain(args: argparse.Namespace) -> int:
    """``sitecheck explain CODE`` / ``--list``."""
    if args.list or not args.code:
        sys.stdout.write(code_table())
        return 0
    text = explain(args.code)
    if text is None:
        hint = suggest_code(args.code)
        print(
            f"sitecheck: error: explain {args.code}: no such code" + (f" (did you mean '{hint}'?)" if hint else " (sitecheck explain --list shows them all)"),
            file=sys.stderr,
        )
        return EXIT_USAGE
    sys.stdout.write(text)
    return 0


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or the ``--output`` file (written only when the run gets that far)."""
    if path is None:
        yield sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--output {path}: cannot write: {exc.strerror}") from None
    with handle:
        yield handle


def _run(args: argparse.Namespace, subs: dict[str, argparse.ArgumentParser]) -> int:
    """Load the project, run the checks, apply the policy, render; returns the exit status."""
    from mkdocs_sitecheck import runcache
    from mkdocs_sitecheck.links.review import TODAY

    key = runcache.run_key(args, Path(args.config)) if args.command != "explain" else None
    kept = runcache.load(Path(args.config), key) if key else None
    if kept is not None:  # nothing changed since the last run: its output
        sys.stdout.write(kept[1])
        return kept[0]
    project = load_project(Path(args.config), site_required=args.command != "refs")
    token = TODAY.set(args.today)
    try:
        runs = _namespaces(args, subs, project)
        results: list[CheckResult] = [_check_module(name).run(ns, project) for name, ns in runs]
    finally:
        TODAY.reset(token)
    known = {code: entry.check for code, entry in registry().items()}
    findings = apply_policy([f for r in results for f in r.findings], project, known=known, ran={name for name, _ in runs})
    extra = {k: v for r in results for k, v in r.extra.items()}
    checked = "; ".join(r.checked for r in results)
    status = exit_code(findings, incomplete=any(r.incomplete for r in results))
    try:
        with _output(args.output) as out:
            text = io.StringIO()
            render(findings, args.format, text, checked=checked, extra=extra)
            out.write(text.getvalue())
            out.flush()
    except BrokenPipeError:  # `sitecheck ... | head`: the reader left; no traceback, no second error at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if key and status != EXIT_INCOMPLETE:
        runcache.store(Path(args.config), key, status, text.getvalue())
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected checks and return the exit status (see EXIT_STATUS)."""
    parser, subs = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage or --help/--version
        return int(exc.code or 0)
    try:
        if args.command == "explain":
            return _explain(args)
        return _run(args, subs)
    except UsageError as exc:
        print(f"sitecheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except EngineError as exc:
        print(f"sitecheck: error: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    except KeyboardInterrupt:
        print("sitecheck: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: one line (the traceback on request), and its own exit status
        if os.environ.get("SITECHECK_DEBUG"):
            traceback.print_exc()
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(
            f"sitecheck: internal error: {type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno}; "
            "this is a bug in sitecheck, please report it; SITECHECK_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
