"""The sitecheck command's skeleton: version, help, and one-line errors for bad configuration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_sitecheck import __version__
from mkdocs_sitecheck.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package version and exits 0."""
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"sitecheck {__version__}\n"


def test_help_lists_the_checks(capsys: pytest.CaptureFixture[str]) -> None:
    """--help names both subcommands and the exit statuses."""
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "links" in out and "refs" in out
    assert "3  run incomplete" in out


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's usage errors come back as exit status 2, not as an exception."""
    assert main(["--no-such-option"]) == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_missing_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing mkdocs.yml is one line on stderr and exit status 2."""
    config = tmp_path / "mkdocs.yml"
    assert main(["links", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err == f"sitecheck: error: {config}: file not found (pass --config PATH to point at mkdocs.yml)\n"


def test_invalid_yaml_names_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Invalid YAML is reported at its line and column, without a traceback."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nnav:\n  - Home: index.md\n - bad\n", encoding="utf-8")
    assert main(["links", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sitecheck: error: {config}:4:")
    assert "invalid YAML" in err
    assert "Traceback" not in err


def test_missing_docs_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A docs_dir that does not exist is a configuration error."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ndocs_dir: pages\n", encoding="utf-8")
    assert main(["--config", str(config)]) == 2
    assert capsys.readouterr().err == (
        f"sitecheck: error: {config}:2:1: Config value 'docs_dir': The path '{tmp_path / 'pages'}' isn't an existing directory.\n"
    )


def test_python_dash_m_runs_the_same_command() -> None:
    """`python -m mkdocs_sitecheck` is the console script."""
    result = subprocess.run([sys.executable, "-m", "mkdocs_sitecheck", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout == f"sitecheck {__version__}\n"
