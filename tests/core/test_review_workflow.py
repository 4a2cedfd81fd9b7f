"""The weekly review-date workflow: when it runs, what it selects, and the issue it writes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "review-dates.yml"
SCRIPT = REPO / ".github" / "scripts" / "review_due.py"


def _finding(code: str, path: str, line: int = 1, message: str = "m") -> dict:
    """One finding in sitecheck's JSON shape."""
    return {"path": path, "line": line, "column": 1, "code": code, "severity": "warning", "message": message}


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """Import .github/scripts/review_due.py (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("review_due", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def workflow() -> dict:
    """The parsed workflow (PyYAML reads `on:` as True)."""
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_runs_weekly_or_by_hand_never_on_push(workflow: dict) -> None:
    """A passing date must never block a merge or a deploy: no push or pull_request trigger."""
    assert set(workflow[True]) == {"schedule", "workflow_dispatch"}
    assert workflow[True]["schedule"][0]["cron"].endswith("* * 1")


def test_scan_step_tolerates_sitecheck_errors_and_feeds_the_script(workflow: dict) -> None:
    """The scan runs sitecheck links as JSON, does not stop on its exit status, and runs the script."""
    steps = workflow["jobs"]["overdue"]["steps"]
    scan = next(s for s in steps if s.get("id") == "scan")
    run = scan["run"]
    assert "sitecheck links --format json > links-report.json || true" in run
    assert ".github/scripts/review_due.py links-report.json --body review-due.md" in run
    assert "continue-on-error" not in scan  # a report that cannot be read should show as a failed run


def test_issue_step_uses_one_labelled_issue(workflow: dict) -> None:
    """The issue step finds the open review-due issue by title, updates it, creates it, or closes it."""
    steps = workflow["jobs"]["overdue"]["steps"]
    issue = next(s for s in steps if "github-script" in s.get("uses", ""))
    code = issue["with"]["script"]
    assert "steps.scan.outputs.count" in issue["env"]["COUNT"]
    assert "const label = 'review-due'" in code and "labels: label" in code
    for call in ("issues.update", "issues.create", "issues.createComment", "state: 'closed'"):
        assert call in code
    assert workflow["jobs"]["overdue"]["permissions"] == {"contents": "read", "issues": "write"}


def test_script_and_workflow_agree_on_title_and_label(script: ModuleType, workflow: dict) -> None:
    """The issue title and label are the same in the script and the workflow."""
    code = next(s for s in workflow["jobs"]["overdue"]["steps"] if "github-script" in s.get("uses", ""))["with"]["script"]
    assert f"const title = '{script.TITLE}'" in code and f"const label = '{script.LABEL}'" in code


def test_selects_only_rev001_in_page_order(script: ModuleType) -> None:
    """Only REV001 findings are listed, sorted by page and line."""
    report = {
        "findings": [
            _finding("REV001", "docs/b.md", 3, "page is past its next_review date (2026-01-01)"),
            _finding("LNK001", "docs/a.md"),
            _finding("REV002", "docs/c.md"),
            _finding("REV001", "docs/a.md", 2, "page is past its next_review date (2025-12-01)"),
        ]
    }
    assert [(f["path"], f["line"]) for f in script.overdue(report)] == [("docs/a.md", 2), ("docs/b.md", 3)]


def test_body_lists_each_page_and_escapes_pipes(script: ModuleType) -> None:
    """The issue body has one table row per overdue page, with the message made table-safe."""
    body = script.issue_body([_finding("REV001", "docs/a.md", 2, "due | overdue")], "https://example.invalid/run/1")
    assert "| `docs/a.md` | 2 | due \\| overdue |" in body
    assert "found 1 page(s)" in body and body.rstrip().endswith("Run: https://example.invalid/run/1")


def test_main_writes_body_and_outputs(script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """main() writes the body, prints the count and sets the step outputs."""
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"findings": [_finding("REV001", "docs/a.md")], "summary": {}}), encoding="utf-8")
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    assert script.main([str(report), "--body", str(tmp_path / "body.md")]) == 0
    assert "docs/a.md" in (tmp_path / "body.md").read_text(encoding="utf-8")
    assert capsys.readouterr().out == "1 page(s) past their review date\n"
    assert "count=1\n" in outputs.read_text(encoding="utf-8")


def test_nothing_due_gives_count_zero(script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean report gives count=0, which closes any open issue."""
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"findings": [_finding("CIT003", "refs.bib")]}), encoding="utf-8")
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    assert script.main([str(report), "--body", str(tmp_path / "body.md")]) == 0
    assert "count=0\n" in outputs.read_text(encoding="utf-8")


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"summary": {}}'])
def test_unreadable_report_is_a_clear_error(script: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    """A missing, empty or wrong-shaped report exits 2 with a message naming the file, not a traceback."""
    report = tmp_path / "report.json"
    report.write_text(content, encoding="utf-8")
    assert script.main([str(report), "--body", str(tmp_path / "body.md")]) == 2
    assert "report.json: cannot read the sitecheck report" in capsys.readouterr().err
    assert script.main([str(tmp_path / "absent.json"), "--body", str(tmp_path / "b.md")]) == 2
