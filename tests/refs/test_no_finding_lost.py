"""A finding that was real is never lost: every finding the earlier version reported is still reported.

tests/refs/fixtures/earlier_findings.json holds what sitecheck 9eddb94 (before consumer profiles and
the new parser) reported on every bibliography of its own tests (bench/refs_earlier_findings.py
wrote it). A finding may change its message or severity (a code only through ``CODE_CHANGES``); it must
still be reported on the same line, unless issue 18 showed it to be a false alarm (``FALSE_ALARMS``, each with its reason).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.refs.test_any_bibliography import run_in

EARLIER = json.loads((Path(__file__).parent / "fixtures" / "earlier_findings.json").read_text(encoding="utf-8"))
# (case, code, line) -> why the earlier finding was wrong.
FALSE_ALARMS: dict[tuple[str, str, int], str] = {}
# Codes that were renamed: the earlier code -> the code the same finding has now.
CODE_CHANGES: dict[str, str] = {}


@pytest.mark.parametrize("case", EARLIER["cases"], ids=[c["name"] for c in EARLIER["cases"]])
def test_every_earlier_finding_is_still_reported(tmp_path: Path, case: dict[str, object]) -> None:
    """Each earlier (line, code) is reported now (under its new code if it was renamed), or is a documented false alarm."""
    (tmp_path / "refs.bib").write_text(str(case["text"]), encoding="utf-8")
    now = run_in(tmp_path, "refs", "--bib", "refs.bib", "--format", "json").data["findings"]
    lines_now = {(f["line"], f["code"]) for f in now}
    lost = [
        (line, code, message)
        for line, code, message in case["findings"]  # type: ignore[attr-defined]
        if (line, CODE_CHANGES.get(code, code)) not in lines_now and (case["name"], code, line) not in FALSE_ALARMS
    ]
    assert lost == []
