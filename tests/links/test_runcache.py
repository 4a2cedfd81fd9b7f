"""The kept run: a re-run with nothing changed prints the same output, and every input change is seen.

Each test runs sitecheck once for real, checks that the run was kept (a re-run would replay it),
changes one input and checks that the re-run would no longer replay it. No test measures time.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from mkdocs_sitecheck import cli, runcache
from mkdocs_sitecheck.cli import main

BASE = """\
markdown_extensions:
  - pymdownx.snippets:
      base_path: [{shared}]
      check_paths: true
"""
CONFIG = """\
INHERIT: ../base.yml
site_name: t
site_url: !ENV [T_SITE_URL, "https://example.org/"]
plugins:
  - bibtex:
      bib_file: ../refs.bib
hooks:
  - ../hooks/h.py
"""
HOOK = 'import sys\n\n\ndef on_config(config):\n    print("hook ran", file=sys.stderr)\n    return config\n'
BIB = "@article{doe2000,\n  author = {Doe, Jane},\n  journal = {J},\n  title = {T},\n  year = {2000}\n}\n"
INDEX = '# Home\n\n--8<-- "part.md"\n\n[missing](nope.md)\n'


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site whose config INHERITs a file, whose hook, snippet and bib_file all lie outside its folder."""
    monkeypatch.delenv("SITECHECK_NO_CACHE", raising=False)
    monkeypatch.delenv("T_SITE_URL", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)  # set on GitHub's runners: a github-format run is then not kept
    (tmp_path / "site" / "docs").mkdir(parents=True)
    (tmp_path / "hooks").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "base.yml").write_text(BASE.format(shared=tmp_path / "shared"), encoding="utf-8")
    (tmp_path / "hooks" / "h.py").write_text(HOOK, encoding="utf-8")
    (tmp_path / "shared" / "part.md").write_text("Shared [other page](other.md) text.\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "site" / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "site" / "docs" / "index.md").write_text(INDEX, encoding="utf-8")
    (tmp_path / "site" / "docs" / "other.md").write_text("# Other\n", encoding="utf-8")
    return tmp_path / "site"


def _argv(root: Path) -> list[str]:
    """The command line of every run here."""
    return ["links", "--config", str(root / "mkdocs.yml")]


def _kept(root: Path) -> runcache.Kept | None:
    """What a re-run would replay now (None: it would run the full way)."""
    argv = _argv(root)
    return runcache.replay(argv, runcache.head_key(argv))


def _cold(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run sitecheck the full way; check that the run was kept; its status, output and errors."""
    assert _kept(root) is None
    code = main(_argv(root))
    out, err = capsys.readouterr()
    assert _kept(root) is not None
    return code, out, err


def test_a_rerun_prints_exactly_what_the_full_run_printed(site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _cold(site, capsys)
    assert code == 1
    assert "docs/index.md:5:1: LNK001 link 'nope.md'" in out
    assert err == "hook ran\n"  # the site's hook wrote to standard error during the full run

    def no_full_run() -> None:
        raise AssertionError("the re-run parsed arguments and ran the checks")

    monkeypatch.setattr(cli, "build_parser", no_full_run)
    assert main(_argv(site)) == code
    assert capsys.readouterr() == (out, err)


def test_a_file_whose_stat_changed_but_not_its_content_is_still_a_hit(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _cold(site, capsys)
    page = site / "docs" / "other.md"
    page.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    assert _kept(site) is not None


def _write(path: Path, text: str) -> Callable[[Path], None]:
    """A change: write ``text`` to ``path`` (relative to the site's parent folder)."""

    def change(site: Path) -> None:
        """Write the file."""
        (site.parent / path).write_text(text, encoding="utf-8")

    return change


CHANGES: dict[str, Callable[[Path], object]] = {
    "page edited": _write(Path("site/docs/other.md"), "# Other page\n"),
    "page added": _write(Path("site/docs/new.md"), "# New\n"),
    "page removed": lambda site: (site / "docs" / "other.md").unlink(),
    "mkdocs.yml edited": lambda site: (site / "mkdocs.yml").write_text(CONFIG + "use_directory_urls: false\n", encoding="utf-8"),
    "INHERIT-ed config outside the site edited": lambda site: (site.parent / "base.yml").write_text(
        (site.parent / "base.yml").read_text(encoding="utf-8") + "  - abbr\n", encoding="utf-8"
    ),
    "hook outside the site edited": _write(Path("hooks/h.py"), HOOK.replace("hook ran", "hook ran!")),
    "snippet outside the site edited": _write(Path("shared/part.md"), "Shared [other](nope2.md) text.\n"),
    "bib_file outside the site edited": _write(Path("refs.bib"), BIB.replace("2000}", "2001}")),
    "pyproject.toml added beside mkdocs.yml": _write(Path("site/pyproject.toml"), "[tool.sitecheck]\n"),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_changed_input_is_a_miss(site: Path, capsys: pytest.CaptureFixture[str], change: str) -> None:
    _cold(site, capsys)
    CHANGES[change](site)
    assert _kept(site) is None


def test_same_size_same_mtime_edit_is_a_miss(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _cold(site, capsys)  # the pages were written just now: their stats cannot vouch for their content
    page = site / "docs" / "other.md"
    before = page.stat()
    page.write_text("# Rehto\n", encoding="utf-8")  # same length as "# Other\n"
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _kept(site) is None


def test_an_env_variable_the_config_reads_is_part_of_the_key(site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _cold(site, capsys)
    monkeypatch.setenv("T_SITE_URL", "https://example.net/")
    assert _kept(site) is None


def test_a_new_distribution_version_is_a_miss(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    packages = tmp_path / "packages"
    (packages / "mkdocs_fake_plugin-1.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(packages))
    _cold(site, capsys)
    (packages / "mkdocs_fake_plugin-1.0.dist-info").rename(packages / "mkdocs_fake_plugin-1.1.dist-info")
    assert _kept(site) is None


@pytest.mark.parametrize("name", ["mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "mkdocs-bibtex"])
def test_the_installed_engines_versions_are_in_the_key(name: str) -> None:
    dist = importlib.metadata.distribution(name)
    folder = Path(str(dist.locate_file(""))).resolve()
    listed = {(Path(f).resolve(), n) for f, names in runcache.distributions() for n in names}
    assert any(where == folder and n.endswith(".dist-info") and f"-{dist.version}." in n for where, n in listed), name


def test_another_day_is_a_miss(site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _cold(site, capsys)  # review dates are compared with today
    monkeypatch.setattr(runcache, "_today", lambda: "2099-01-01")
    assert _kept(site) is None


def test_sitecheck_environment_is_part_of_the_key(site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _cold(site, capsys)
    monkeypatch.setenv("SITECHECK_TODAY", "2099-01-01")
    assert _kept(site) is None


def test_a_new_commit_is_a_miss(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git = site.parent / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (git / "refs" / "heads" / "main").write_text("1" * 40 + "\n", encoding="utf-8")
    _cold(site, capsys)
    (git / "refs" / "heads" / "main").write_text("2" * 40 + "\n", encoding="utf-8")
    assert _kept(site) is None


def test_a_change_to_sitechecks_own_code_is_a_miss(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "check.py").write_text("RULE = 1\n", encoding="utf-8")
    monkeypatch.setattr(runcache, "_PACKAGE", package)
    _cold(site, capsys)
    (package / "check.py").write_text("RULE = 2\n", encoding="utf-8")
    assert _kept(site) is None


def test_output_to_a_file_is_not_kept(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*_argv(site), "--output", str(tmp_path / "report.txt")]
    assert main(argv) == 1
    assert runcache.replay(argv, runcache.head_key(argv)) is None
    assert not (site / ".cache" / "sitecheck" / "runs").exists()


def test_no_cache_variable_turns_it_off(site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITECHECK_NO_CACHE", "1")
    assert main(_argv(site)) == 1
    assert not (site / ".cache" / "sitecheck" / "runs").exists()


def test_a_page_added_to_a_docs_dir_outside_the_site_folder_is_a_miss(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "pages").mkdir()
    (root / "mkdocs.yml").write_text("site_name: t\ndocs_dir: ../pages\n", encoding="utf-8")
    (tmp_path / "pages" / "index.md").write_text("# Home\n\n[next](next.md)\n", encoding="utf-8")
    code, out, _ = _cold(root, capsys)
    assert (code, out.count("LNK001")) == (1, 1)
    (tmp_path / "pages" / "next.md").write_text("# Next\n", encoding="utf-8")  # the broken link now works
    assert _kept(root) is None


def test_a_cache_that_cannot_be_written_does_not_change_the_run(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / ".cache").write_text("a file where the cache folder would go\n", encoding="utf-8")
    assert main(_argv(site)) == 1
    out = capsys.readouterr().out
    assert "docs/index.md:5:1: LNK001 link 'nope.md'" in out
    assert _kept(site) is None


def test_runs_with_other_options_are_kept_side_by_side(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _cold(site, capsys)
    as_json = [*_argv(site), "--format", "json"]
    assert main(as_json) == 1
    assert capsys.readouterr().out.startswith("{")
    assert runcache.replay(as_json, runcache.head_key(as_json)) is not None
    assert _kept(site) is not None  # the text run is still kept beside the JSON one
    for fmt in ("sarif", "github", "text"):
        main([*_argv(site), "--format", fmt])
    assert len(list((site / ".cache" / "sitecheck" / "runs").glob("*.json"))) == runcache.KEEP


def test_a_github_run_that_appends_a_step_summary_is_not_kept(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    argv = [*_argv(site), "--format", "github"]
    assert main(argv) == 1
    assert summary.read_text(encoding="utf-8")  # the summary is a side effect a replay would not repeat
    assert runcache.replay(argv, runcache.head_key(argv)) is None


def test_the_cache_folder_keeps_itself_out_of_git(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A kept run lives in .cache/sitecheck/ of the checked project, with a .gitignore that ignores all of it."""
    _cold(site, capsys)
    assert (site / ".cache" / "sitecheck" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
