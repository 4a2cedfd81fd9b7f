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
from typing import TYPE_CHECKING, TextIO

from mkdocs_sitecheck import __version__, runcache

if TYPE_CHECKING:
    from mkdocs_sitecheck.findings import CheckResult
    from mkdocs_sitecheck.project import Project

# Only what a re-run with nothing changed needs is imported at the top: a kept run is printed
# before the parser, the checks, MkDocs and Markdown are imported (see runcache).

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
    from mkdocs_sitecheck.findings import UsageError
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
    from mkdocs_sitecheck.report import FORMATS

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
    from mkdocs_sitecheck.codes import code_table, explain, suggest_code
    from mkdocs_sitecheck.findings import EXIT_USAGE

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
    from mkdocs_sitecheck.findings import UsageError

    if path is None:
        yield sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--output {path}: cannot write: {exc.strerror}") from None
    with handle:
        yield handle


def _cacheable(args: argparse.Namespace) -> bool:
    """Whether this run's output may be kept: no network, no files written, cache not turned off."""
    if args.command == "explain" or getattr(args, "output", None) or getattr(args, "site_dir", None):
        return False
    if any(getattr(args, name, False) for name in ("external", "strict_external", "online")):
        return False
    return not (args.format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"))  # appends to a file


def _run(args: argparse.Namespace, subs: dict[str, argparse.ArgumentParser], argv: list[str], head: str) -> int:
    """Load the project, run the checks, apply the policy, render; returns the exit status."""
    from mkdocs_sitecheck.codes import registry
    from mkdocs_sitecheck.findings import EXIT_INCOMPLETE, exit_code
    from mkdocs_sitecheck.links.review import TODAY
    from mkdocs_sitecheck.policy import apply_policy
    from mkdocs_sitecheck.project import load_project
    from mkdocs_sitecheck.report import render

    session = _begin(argv, Path(args.config), head) if head and _cacheable(args) else None
    stderr = sys.stderr
    if session is not None and stderr is not None:
        sys.stderr = runcache.Tee(stderr, session.errors)
    try:
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
    finally:
        runcache.end()
        sys.stderr = stderr
    try:
        with _output(args.output) as out:
            text = io.StringIO()
            render(findings, args.format, text, checked=checked, extra=extra)
            out.write(text.getvalue())
            out.flush()
    except BrokenPipeError:  # `sitecheck ... | head`: the reader left; no traceback, no second error at exit
        _quiet_stdout()
    if session is not None and status != EXIT_INCOMPLETE:
        try:
            session.store(status, text.getvalue(), also=[p for p in (project.bib_file, *project.hooks) if p])
        except Exception:  # noqa: BLE001, S110 - a run that cannot be kept was still a good run
            pass
    return status


def _begin(argv: list[str], config: Path, head: str) -> runcache.Session | None:
    """Start keeping this run; None when that fails (the run goes on, it is only not kept)."""
    try:
        return runcache.begin(argv, config, head)
    except Exception:  # noqa: BLE001 - the cache must never stop a run
        runcache.end()
        return None


def _quiet_stdout() -> None:
    """Point standard output at /dev/null after its reader left, so exiting does not fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _replay(kept: runcache.Kept) -> int:
    """Print a kept run's output again and return its exit status."""
    try:
        if kept.errors and sys.stderr is not None:
            sys.stderr.write(kept.errors)
        sys.stdout.write(kept.output)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    return kept.code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected checks and return the exit status (see EXIT_STATUS)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        head = runcache.head_key(argv)
        kept = runcache.replay(argv, head)
    except Exception:  # noqa: BLE001 - the cache must never stop a run: go the full way
        head, kept = "", None
    if kept is not None:  # nothing changed since the last run: its output, without loading anything
        return _replay(kept)
    from mkdocs_sitecheck.findings import EXIT_INCOMPLETE, EXIT_INTERNAL, EXIT_USAGE, EngineError, UsageError

    parser, subs = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage or --help/--version
        return int(exc.code or 0)
    try:
        if args.command == "explain":
            return _explain(args)
        return _run(args, subs, argv, head)
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
