"""Record what an earlier sitecheck reported on the earlier tests' bibliographies (for the regression test).

Run with the earlier version's ``scripts`` and ``tests`` first on ``PYTHONPATH`` (a ``git archive`` of
that commit), so both the checker and the fixtures are the earlier ones:

    git archive 9eddb94 scripts tests | tar -x -C /tmp/earlier
    PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=/tmp/earlier/scripts:/tmp/earlier .venv/bin/python \\
        bench/refs_earlier_findings.py 9eddb94 > tests/refs/fixtures/earlier_findings.json

Every bibliography text of the earlier tests' parameter tables is run through ``sitecheck refs
--bib`` (offline, no site) and its findings are written as ``{"text", "findings": [[line, code,
message]]}``; tests/refs/test_no_finding_lost.py checks the current version against them.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from mkdocs_sitecheck.cli import main


def texts() -> list[tuple[str, str]]:
    """(name, bibliography text) of every parametrised bibliography in the earlier refs tests."""
    import tests.refs.test_any_bibliography as anyb
    import tests.refs.test_offline as offline

    marks = getattr(offline.test_offline_checks, "pytestmark")  # noqa: B009 - set by @pytest.mark.parametrize, unknown to mypy
    found = [(f"test_offline::{p.id}", p.values[0]) for p in marks[0].args[1]]
    found += [(f"VALID::{name}", text + "\n") for name, text in anyb.VALID.items()]
    found += [(f"PYBTEX_FAILS::{name}", text) for name, (text, _) in anyb.PYBTEX_FAILS.items()]
    return found


def findings(text: str) -> list[list[object]]:
    """``[line, code, message]`` of every finding the running sitecheck reports on ``text``."""
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        Path(folder, "refs.bib").write_text(text, encoding="utf-8")
        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            main(["refs", "--bib", "refs.bib", "--format", "json"])
    return [[f["line"], f["code"], f["message"]] for f in json.loads(out.getvalue())["findings"]]


def run() -> int:
    """Write the JSON table to stdout."""
    revision = sys.argv[1] if len(sys.argv) > 1 else "unknown"
    table = {"revision": revision, "cases": [{"name": n, "text": t, "findings": findings(t)} for n, t in texts()]}
    json.dump(table, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
