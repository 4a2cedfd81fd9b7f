"""End to end through the shared CLI: formats, exit codes, severity overrides, inline ignores, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run, SiteMaker

Check = Callable[..., Run]

BROKEN = "# Home\n\nSee [setup](setup.md) and [guide](guide.md#nope).\n\nCites [@berman2000] and [@zarate2006].\n"
GUIDE = "# Guide\n"


def test_github_format_and_step_summary(make_site: SiteMaker, sitecheck: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--format github``: one ``::error`` per finding; a Markdown table appended to the step summary."""
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    root = make_site({"index.md": BROKEN, "guide.md": GUIDE})
    run = sitecheck(root, "--format", "github")
    assert run.out.splitlines() == [
        "::error file=docs/index.md,line=3,col=5,title=LNK001::link 'setup.md': target 'docs/setup.md' is not found among the documentation files",
        "::error file=docs/index.md,line=3,col=27,title=LNK006::link 'guide.md#nope': there is no anchor '#nope' on 'docs/guide.md'",
        "sitecheck: 2 errors, 0 warnings (2 pages, 2 links)",
    ]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### sitecheck: 2 errors, 0 warnings\n")
    assert "| `docs/index.md:3:5` | LNK001 | error |" in text
    assert run.code == 1


def test_warnings_are_github_warnings(make_site: SiteMaker, sitecheck: Check) -> None:
    """A warning-severity code becomes ``::warning`` and does not fail the run."""
    root = make_site({"index.md": "Text.\n\n[old]: https://example.org/\n\nCites [@berman2000] and [@zarate2006].\n"})
    run = sitecheck(root, "--format", "github")
    assert run.out.splitlines()[0] == ("::warning file=docs/index.md,line=3,col=1,title=LNK009::reference definition [old] is never used")
    assert run.code == 0


def test_json_format(make_site: SiteMaker, sitecheck: Check) -> None:
    """``--format json``: every finding with path, line, column, code, severity, message, suggestion."""
    root = make_site({"index.md": BROKEN, "guide.md": "# Guide\n\n## Nop\n"})
    run = sitecheck(root, "--format", "json")
    data = json.loads(run.out)
    assert data["findings"] == [
        {
            "path": "docs/index.md",
            "line": 3,
            "column": 5,
            "code": "LNK001",
            "severity": "error",
            "message": "link 'setup.md': target 'docs/setup.md' is not found among the documentation files",
            "suggestion": None,
        },
        {
            "path": "docs/index.md",
            "line": 3,
            "column": 27,
            "code": "LNK006",
            "severity": "error",
            "message": "link 'guide.md#nope': there is no anchor '#nope' on 'docs/guide.md'",
            "suggestion": "guide.md#nop",
        },
    ]
    assert data["summary"] == {"errors": 2, "warnings": 0, "infos": 0, "by_code": {"LNK001": 1, "LNK006": 1}}
    assert run.code == 1


def test_severity_overrides_from_pyproject(make_site: SiteMaker, sitecheck: Check) -> None:
    """``[tool.sitecheck.severity]`` turns a code into a warning or off; the exit status follows."""
    root = make_site({"index.md": BROKEN, "guide.md": GUIDE})
    (root / "pyproject.toml").write_text('[tool.sitecheck.severity]\nLNK001 = "warning"\nLNK006 = "off"\n', encoding="utf-8")
    run = sitecheck(root)
    assert run.out.splitlines() == [
        "docs/index.md:3:5: LNK001 link 'setup.md': target 'docs/setup.md' is not found among the documentation files",
        "sitecheck: 0 errors, 1 warning (2 pages, 2 links)",
    ]
    assert run.code == 0


def test_inline_ignore_comment(make_site: SiteMaker, sitecheck: Check) -> None:
    """``<!-- sitecheck: ignore CODE -->`` exempts that code on that line only; a code that exempts nothing is SCK002."""
    page = (
        "[a](gone.md) <!-- sitecheck: ignore LNK001 -->\n"
        "[b](gone.md) <!-- sitecheck: ignore LNK006 -->\n"
        "[c](gone.md#x) <!-- sitecheck: ignore LNK001, LNK006 -->\n\n"
        "Cites [@berman2000] and [@zarate2006].\n"
    )
    root = make_site({"index.md": page})
    assert sitecheck(root).out.splitlines()[:-1] == [
        "docs/index.md:2:1: LNK001 link 'gone.md': target 'docs/gone.md' is not found among the documentation files",
        "docs/index.md:2:37: SCK002 ignore comment for LNK006 suppresses nothing on this line",
        "docs/index.md:3:47: SCK002 ignore comment for LNK006 suppresses nothing on this line",
    ]


def test_usage_errors_are_one_line(make_site: SiteMaker, sitecheck: Check, tmp_path: Path) -> None:
    """Missing mkdocs.yml, an unreadable page, a bad --site-dir, a bad slugify: exit 2, one line, no traceback."""
    missing = sitecheck(tmp_path / "nowhere")
    assert missing.code == 2
    assert missing.err.splitlines()[0].startswith("sitecheck: error: ") and len(missing.err.splitlines()) == 1

    root = make_site({"index.md": b"# Caf\xe9 in Latin-1\n"})
    run = sitecheck(root)
    assert run.code == 2
    assert run.err.startswith("sitecheck: error: docs/index.md: cannot read file: 'utf-8' codec can't decode")
    assert len(run.err.splitlines()) == 1

    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    run = sitecheck(root, "--site-dir", str(tmp_path / "no-site"))
    assert (run.code, run.err) == (2, f"sitecheck: error: --site-dir {tmp_path / 'no-site'}: not a folder (run `mkdocs build` first)\n")

    (root / "mkdocs.yml").write_text("site_name: t\nmarkdown_extensions:\n  - toc:\n      slugify: !!python/name:nowhere.slugify\n", encoding="utf-8")
    run = sitecheck(root)
    assert (run.code, run.err) == (2, f"sitecheck: error: {root / 'mkdocs.yml'}:4:16: invalid YAML: cannot find module 'nowhere' (No module named 'nowhere')\n")

    run = sitecheck(root, "--jobs", "0")
    assert run.code == 2 and "--jobs: must be at least 1" in run.err


def test_missing_bibliography_is_a_usage_error(make_site: SiteMaker, sitecheck: Check) -> None:
    """The bibtex plugin's bib_file must exist: a configuration error, exit 2."""
    root = make_site({"index.md": "# Home\n"}, bib=None)
    run = sitecheck(root)
    assert run.code == 2
    assert run.err.endswith("refs.bib: bibliography not found (set the bibtex plugin's bib_file in mkdocs.yml, or pass --bib PATH to sitecheck refs)\n")


def test_parallel_run_matches_serial_run(make_site: SiteMaker, sitecheck: Check) -> None:
    """Worker processes give exactly the serial output (large sites use them)."""
    pages = {f"part{i % 7}/page{i}.md": f"# Page {i}\n\n[next](../part{(i + 1) % 7}/page{i + 1}.md#page-{i + 1})\n" for i in range(450)}
    pages["index.md"] = "Cites [@berman2000] and [@zarate2006].\n"
    root = make_site(pages)
    serial, parallel = sitecheck(root, "--jobs", "1"), sitecheck(root, "--jobs", "2")
    assert serial.out == parallel.out
    assert serial.out.splitlines()[-1] == "sitecheck: 1 error, 0 warnings (451 pages, 450 links)"


def test_no_subcommand_runs_links_too(make_site: SiteMaker, sitecheck: Check) -> None:
    """``sitecheck`` alone runs the links check (with the offline refs check)."""
    root = make_site({"index.md": BROKEN, "guide.md": GUIDE})
    run = sitecheck(root, command=None)
    assert "docs/index.md:3:5: LNK001 link 'setup.md'" in run.out
    assert run.code == 1


def test_real_repository(repo: Path) -> None:
    """The guide's own config: no errors (exit 0), no traceback, every finding on a real line."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_sitecheck", "links", "--config", str(repo / "mkdocs.yml"), "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for f in json.loads(result.stdout)["findings"]:
        lines = (repo / f["path"]).read_text(encoding="utf-8").splitlines()
        assert 1 <= f["line"] <= max(len(lines), 1), f
        assert f["column"] >= 1, f


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "plugins:\n  - bibtex:\n      bib_file: refs.bib\n      footnote_format: '{number}'\n",
            "sitecheck: error: mkdocs.yml: bibtex footnote_format '{{number}}' may only use {{key}}\n",
        ),
        # MkDocs' own validation rejects these, with its own message, at the key's line.
        (
            "exclude_docs: 42\n",
            "sitecheck: error: {config}:2:1: Config value 'exclude_docs': Expected a multiline string, but a <class 'int'> was given.\n",
        ),
        (
            "validation: warn\n",
            "sitecheck: error: {config}:2:1: Config value 'validation': The configuration is invalid. Expected a key-value "
            "mapping (dict) but received: <class 'str'>\n",
        ),
        (
            "use_directory_urls: maybe\n",
            "sitecheck: error: {config}:2:1: Config value 'use_directory_urls': Expected type: <class 'bool'> but received: <class 'str'>\n",
        ),
    ],
)
def test_bad_settings_are_usage_errors(make_site: SiteMaker, sitecheck: Check, extra: str, message: str) -> None:
    """Settings the check cannot use are named in one line (exit 2)."""
    root = make_site({"index.md": "# Home\n"}, config=f"site_name: t\n{extra}")
    run = sitecheck(root)
    assert (run.code, run.err) == (2, message.format(config=root / "mkdocs.yml"))


def test_odd_but_valid_settings_are_tolerated(make_site: SiteMaker, sitecheck: Check) -> None:
    """Plugins in mapping form are what MkDocs accepts: no error."""
    root = make_site({"index.md": "# Home\n"}, config="site_name: t\nplugins:\n  search: {}\n")
    run = sitecheck(root)
    assert (run.code, run.out) == (0, "sitecheck: no problems found (1 page, 0 links)\n")


def test_a_plugin_that_raises_is_one_line_naming_it(make_site: SiteMaker, sitecheck: Check) -> None:
    """The bibtex plugin without a bib_file raises in on_config, as in ``mkdocs build``: one line naming it, exit 3."""
    root = make_site({"index.md": "# Home\n"}, config="site_name: t\nplugins:\n  bibtex: {}\n")
    run = sitecheck(root)
    assert (run.code, run.out, run.err) == (
        3,
        "",
        "sitecheck: error: mkdocs.yml: plugin 'bibtex' failed while sitecheck ran the build's events: "
        "ConfigurationError: Must supply a bibtex file or directory for bibtex files\n",
    )
