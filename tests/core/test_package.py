"""The checker installs on its own: a wheel built from this repository, in a fresh venv, with only its declared deps."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from mkdocs_sitecheck import __version__ as VERSION  # the one place the version is written

RUNTIME = {"httpx", "markdown-it-py", "mdit-py-plugins", "mkdocs", "pymdown-extensions", "pyyaml"}


def _name(requirement: str) -> str:
    """The project name of a requirement string, normalised."""
    for stop in "<>=!~;[ ":
        requirement = requirement.split(stop)[0]
    return requirement.strip().lower().replace("_", "-")


def test_the_distribution_is_the_checker_alone(repo: Path) -> None:
    """pyproject.toml: its own name, the console script, runtime deps only; the site and test tools are extras."""
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "mkdocs-sitecheck"
    assert "version" not in project and project["dynamic"] == ["version"], "the version is written once, in sitecheck/__init__.py"
    assert project["scripts"] == {"sitecheck": "mkdocs_sitecheck.cli:main"}
    assert {_name(r) for r in project["dependencies"]} == RUNTIME
    assert {"mkdocs", "pytest", "ruff", "mypy"} <= {_name(r) for extra in project["optional-dependencies"].values() for r in extra}


def test_pre_commit_hooks(repo: Path) -> None:
    """.pre-commit-hooks.yaml offers links and refs hooks that run the console script once per commit."""
    hooks = {h["id"]: h for h in yaml.safe_load((repo / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"sitecheck-links", "sitecheck-refs"}
    for hook_id, hook in hooks.items():
        assert hook["entry"] == f"sitecheck {hook_id.split('-')[1]}"
        assert hook["language"] == "python" and hook["pass_filenames"] is False


@pytest.fixture(scope="module")
def wheel(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built offline (no build isolation) from a copy of the checker's sources."""
    src = tmp_path_factory.mktemp("src")
    shutil.copy(repo / "pyproject.toml", src)
    shutil.copy(repo / "README.md", src)
    shutil.copytree(repo / "scripts" / "mkdocs_sitecheck", src / "scripts" / "mkdocs_sitecheck", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (built,) = out.glob("mkdocs_sitecheck-*.whl")
    return built


def test_the_wheel_carries_the_code_and_the_explanation_pages(wheel: Path) -> None:
    """Every module, py.typed and every code page is in the wheel, under the one version; nothing of the site is."""
    from mkdocs_sitecheck.codes import registry

    assert wheel.name.startswith(f"mkdocs_sitecheck-{VERSION}-")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mkdocs_sitecheck/cli.py" in names and "mkdocs_sitecheck/links/review.py" in names
    assert "mkdocs_sitecheck/py.typed" in names
    metadata = zipfile.ZipFile(wheel).read(f"mkdocs_sitecheck-{VERSION}.dist-info/METADATA").decode()
    assert f"\nVersion: {VERSION}\n" in metadata
    assert {f"mkdocs_sitecheck/codes/{code}.md" for code in registry()} <= set(names)
    assert not [n for n in names if n.startswith(("docs/", "tests/", "overrides/"))]


@pytest.mark.network
def test_the_wheel_installs_and_runs_in_a_fresh_venv(wheel: Path, tmp_path: Path, repo: Path) -> None:
    """Only its declared deps come along (MkDocs, no theme or plugin); --version, links and explain work there,
    and this repository, as the pre-commit hook checks it, has no errors.

    pip fetches the runtime dependencies from the package index, so this test is marked `network`:
    `make test` runs it, `make test-fast` does not.
    """
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)  # this venv's pip installs into it (--python): no ensurepip
    pip = [sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "--disable-pip-version-check"]
    install = subprocess.run([*pip, "install", "--quiet", str(wheel)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-2000:]
    listed = subprocess.run([*pip, "list", "--format", "json"], capture_output=True, text=True, check=True)
    installed = {p["name"].lower().replace("_", "-") for p in json.loads(listed.stdout)}
    assert RUNTIME | {"mkdocs-sitecheck"} <= installed
    assert not installed & {"mkdocs-material", "mkdocs-bibtex", "pytest", "playwright", "ruff", "mypy"}

    sitecheck = env / "bin" / "sitecheck"
    version = subprocess.run([str(sitecheck), "--version"], capture_output=True, text=True, timeout=60)
    assert (version.returncode, version.stdout) == (0, f"sitecheck {VERSION}\n")

    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (site / "docs" / "index.md").write_text("# Home\n\n[Guide](guide.md)\n", encoding="utf-8")
    run = subprocess.run([str(sitecheck), "links"], cwd=site, capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stderr) == (1, "")
    assert run.stdout.splitlines() == [
        "docs/index.md:3:1: LNK001 link 'guide.md': target 'docs/guide.md' is not found among the documentation files",
        "sitecheck: 1 error, 0 warnings (1 page, 1 link)",
    ]
    explain = subprocess.run([str(sitecheck), "explain", "LNK001"], capture_output=True, text=True, timeout=60)
    assert explain.returncode == 0 and explain.stdout.startswith("# LNK001: ")

    own = subprocess.run([str(sitecheck), "links"], cwd=repo, capture_output=True, text=True, timeout=600)
    assert (own.returncode, own.stderr) == (0, ""), own.stdout
    assert [line.split(" LNK019 ")[1].split(" is ")[0] for line in own.stdout.splitlines() if " LNK019 " in line] == [
        "theme 'material'",
        "plugin 'bibtex'",
    ]
    assert own.stdout.splitlines()[-1].startswith("sitecheck: 0 errors, 2 warnings ")
