"""One Finding shape, three renderers, and the project's per-code policy."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mkdocs_sitecheck.findings import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, Finding, Severity, exit_code
from mkdocs_sitecheck.policy import apply_policy
from mkdocs_sitecheck.project import Project, load_overrides
from mkdocs_sitecheck.report import render
from mkdocs_sitecheck.suggest import closest

ERROR = Finding("docs/a.md", 3, 7, "LNK001", Severity.ERROR, "link to 'b.md': no such page", "c.md")
WARNING = Finding("docs/a.md", 1, 1, "LNK009", Severity.WARNING, "reference definition 'x' is never used")


def test_text_output_is_sorted_with_a_summary() -> None:
    """Text lines are path:line:col: CODE message, sorted by place, then a summary line."""
    out = io.StringIO()
    render([ERROR, WARNING], "text", out, checked="2 pages")
    assert out.getvalue() == (
        "docs/a.md:1:1: LNK009 reference definition 'x' is never used\n"
        "docs/a.md:3:7: LNK001 link to 'b.md': no such page (did you mean 'c.md'?)\n"
        "sitecheck: 1 error, 1 warning (2 pages)\n"
    )


def test_clean_run_says_so() -> None:
    """With nothing found, the summary says no problems."""
    out = io.StringIO()
    render([], "text", out, checked="5 pages")
    assert out.getvalue() == "sitecheck: no problems found (5 pages)\n"


def test_github_annotations_and_step_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GitHub format writes workflow commands with escaped values and appends a step summary."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    odd = Finding("docs/a,b.md", 2, 1, "CIT001", Severity.ERROR, "100% wrong\nreally")
    out = io.StringIO()
    render([odd, WARNING], "github", out, checked="1 page")
    assert out.getvalue().splitlines() == [
        "::error file=docs/a%2Cb.md,line=2,col=1,title=CIT001::100%25 wrong%0Areally",
        "::warning file=docs/a.md,line=1,col=1,title=LNK009::reference definition 'x' is never used",
        "sitecheck: 1 error, 1 warning (1 page)",
    ]
    text = summary.read_text()
    assert "| `docs/a,b.md:2:1` | CIT001 | error |" in text


def test_json_shape() -> None:
    """JSON carries every finding field, a summary, and extra keys such as entries."""
    out = io.StringIO()
    render([ERROR], "json", out, checked="1 page", extra={"entries": [{"key": "k"}]})
    data = json.loads(out.getvalue())
    assert data["findings"] == [
        {
            "path": "docs/a.md",
            "line": 3,
            "column": 7,
            "code": "LNK001",
            "severity": "error",
            "message": "link to 'b.md': no such page",
            "suggestion": "c.md",
        }
    ]
    assert data["summary"] == {"errors": 1, "warnings": 0, "infos": 0, "by_code": {"LNK001": 1}}
    assert data["entries"] == [{"key": "k"}]


@pytest.mark.parametrize(
    ("findings", "incomplete", "expected"),
    [
        ([], False, EXIT_OK),
        ([WARNING], False, EXIT_OK),
        ([ERROR, WARNING], False, EXIT_FINDINGS),
        ([WARNING], True, EXIT_INCOMPLETE),
        ([ERROR], True, EXIT_INCOMPLETE),
    ],
)
def test_exit_codes(findings: list[Finding], incomplete: bool, expected: int) -> None:
    """Errors fail the run; an incomplete run says so above all."""
    assert exit_code(findings, incomplete=incomplete) == expected


def _project(tmp_path: Path, overrides: str = "") -> Project:
    """A project rooted in tmp_path with an optional [tool.sitecheck.severity] table."""
    (tmp_path / "pyproject.toml").write_text(f"[tool.sitecheck.severity]\n{overrides}", encoding="utf-8")
    return Project(tmp_path, tmp_path / "mkdocs.yml", {}, tmp_path, load_overrides(tmp_path / "pyproject.toml"))


def test_severity_overrides(tmp_path: Path) -> None:
    """Per-code overrides can downgrade or silence a code."""
    project = _project(tmp_path, 'LNK001 = "warning"\nLNK009 = "off"\n')
    assert apply_policy([ERROR, WARNING], project) == [ERROR.with_severity(Severity.WARNING)]


def test_bad_override_value_is_a_usage_error(tmp_path: Path) -> None:
    """An override other than error/warning/info/off is rejected with the fix."""
    from mkdocs_sitecheck.findings import UsageError

    with pytest.raises(UsageError, match="use error, warning, info or off"):
        _project(tmp_path, 'LNK001 = "fatal"\n')


def test_inline_ignore_comment(tmp_path: Path) -> None:
    """A `sitecheck: ignore CODE` comment on the finding's line exempts that code only."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(
        "[x]: https://example.org/ <!-- sitecheck: ignore LNK009 -->\n\n[b](b.md) <!-- sitecheck: ignore LNK009, CIT001 -->\n",
        encoding="utf-8",
    )
    project = _project(tmp_path)
    assert apply_policy([ERROR, WARNING], project) == [ERROR]


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("Safety.md", ["safety.md", "costs.md"], "safety.md"),
        ("efectiveness", ["effectiveness", "safety"], "effectiveness"),
        ("zzz", ["effectiveness", "safety"], None),
    ],
)
def test_closest(word: str, candidates: list[str], expected: str | None) -> None:
    """Case-only differences win; otherwise the closest spelling above the cutoff."""
    assert closest(word, candidates) == expected
