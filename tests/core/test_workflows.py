"""GitHub workflows: valid YAML, explicit permissions, every action pinned by full commit SHA."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

WORKFLOWS = sorted((Path(__file__).resolve().parents[2] / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>\s+#\s*v\d[\w.]*)?\s*$")


def _load(path: Path) -> dict:
    """Parse a workflow (PyYAML reads the `on:` key as True)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_there_are_workflows() -> None:
    """CI, Pages and the weekly reference check exist."""
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml", "references.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_top_level_permissions_are_read_only(path: Path) -> None:
    """Each workflow declares permissions, read-only at the top."""
    assert _load(path)["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_by_sha_with_a_version_comment(path: Path) -> None:
    """Every `uses:` is owner/repo@<40 hex> followed by a `# vX` comment."""
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if "uses:" not in line:
            continue
        match = USES_LINE.match(line)
        if not match or not PINNED.match(match.group("ref")) or not match.group("comment"):
            problems.append(f"{path.name}:{number}: {line.strip()}")
    assert not problems, "\n".join(problems)


def test_only_the_deploy_job_may_write_pages() -> None:
    """pages: write and id-token: write appear only in pages.yml's deploy job."""
    for path in WORKFLOWS:
        for name, job in _load(path)["jobs"].items():
            permissions = job.get("permissions", {})
            writes = {k for k, v in permissions.items() if v == "write"} & {"pages", "id-token"}
            if (path.name, name) == ("pages.yml", "deploy"):
                assert writes == {"pages", "id-token"}
            else:
                assert writes == set(), f"{path.name}: job {name} asks for {writes}"


def test_pull_request_runs_cancel_superseded_runs() -> None:
    """CI runs on pull requests and pushes, in a concurrency group that cancels stale PR runs."""
    ci = _load(next(p for p in WORKFLOWS if p.name == "ci.yml"))
    assert set(ci[True]) == {"pull_request", "push"}
    assert "cancel-in-progress" in ci["concurrency"]


def test_reference_check_is_scheduled_and_never_on_pull_requests() -> None:
    """The online reference check runs weekly or by hand, never as a PR check that could block merges."""
    refs = _load(next(p for p in WORKFLOWS if p.name == "references.yml"))
    assert set(refs[True]) == {"schedule", "workflow_dispatch"}
