"""scripts/compare_engines.py: the page list and the ids of two builds, compared; exact output on tiny sites."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import compare_engines
from compare_engines import Build, differences, main, site_pages


def _write(site: Path, pages: dict[str, str]) -> Path:
    """Write a fake built site: {relative path: HTML}."""
    for name, html in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(html, encoding="utf-8")
    return site


def test_site_pages_lists_every_html_page_and_its_ids(tmp_path: Path) -> None:
    """Every .html file under the site, with the ids of its elements (not other attributes, not empty ids)."""
    site = _write(
        tmp_path,
        {
            "index.html": '<h1 id="home">Home</h1><a href="#x" name="x">x</a><p id="">empty</p>',
            "a/index.html": '<div id="one"><span id="two"></span></div>',
            "a/data.json": "{}",
        },
    )
    assert site_pages(site) == {"a/index.html": {"one", "two"}, "index.html": {"home"}}


def test_differences_name_the_page_the_id_and_the_build() -> None:
    """Pages only one build wrote, then ids only one build has, sorted by page."""
    mkdocs = Build("mkdocs", {"index.html": {"a", "b"}, "old/index.html": set(), "x/index.html": {"k"}})
    properdocs = Build("properdocs", {"index.html": {"a", "c"}, "new/index.html": {"n"}, "x/index.html": {"k"}})
    assert differences(mkdocs, properdocs) == [
        "old/index.html: page only in the mkdocs build",
        "new/index.html: page only in the properdocs build",
        "index.html: id 'b' only in the mkdocs build",
        "index.html: id 'c' only in the properdocs build",
    ]
    assert differences(mkdocs, mkdocs) == []


def _tiny_site(root: Path, body: str = "# Home\n\n## Part one\n") -> Path:
    """A two-page site with MkDocs' built-in theme; its mkdocs.yml."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(body, encoding="utf-8")
    (root / "docs" / "more.md").write_text("# More\n\nSee [home](index.md#part-one).\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: tiny\ntheme: mkdocs\nnav:\n  - index.md\n  - more.md\n", encoding="utf-8")
    return root / "mkdocs.yml"


def test_one_engine_against_itself_is_the_same(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two real MkDocs builds of a tiny site: same pages, same ids, exit 0 and one summary line."""
    config = _tiny_site(tmp_path / "site")
    assert main(["--config", str(config), "--engine", "mkdocs", "--other", "mkdocs", "--keep", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    pages = site_pages(tmp_path / "out" / "one")
    ids = sum(len(found) for found in pages.values())
    assert {"index.html", "more/index.html", "404.html"} <= set(pages) and ids > 0
    assert out == f"compare_engines: the mkdocs and mkdocs builds have the same {len(pages)} pages and the same {ids} ids\n"


def test_a_failed_build_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A strict build that fails (a broken link) stops the comparison with the engine's last error line."""
    config = _tiny_site(tmp_path, body="# Home\n\n[gone](missing.md)\n")
    assert main(["--config", str(config), "--engine", "mkdocs", "--other", "mkdocs"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"compare_engines: mkdocs build of {config} failed (exit 1): ")
    assert captured.err.count("\n") == 1


def test_a_missing_engine_or_config_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An engine that is not installed, or a missing mkdocs.yml, is a one-line error naming the fix."""
    config = _tiny_site(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(compare_engines.sys, "executable", str(tmp_path / "python"))
    assert main(["--config", str(config), "--engine", "no-such-engine"]) == 2
    assert capsys.readouterr().err == (
        f"compare_engines: no-such-engine: not found beside {tmp_path / 'python'} or on PATH; install it (see CONTRIBUTING.md, 'Engines')\n"
    )
    assert main(["--config", str(tmp_path / "nope.yml")]) == 2
    assert capsys.readouterr().err == f"compare_engines: {tmp_path / 'nope.yml'}: no such file; pass the site's mkdocs.yml with --config\n"


def test_the_script_runs_as_a_command(tmp_path: Path) -> None:
    """`python scripts/compare_engines.py --help` works from any folder (it imports nothing of the repository)."""
    script = Path(compare_engines.__file__)
    result = subprocess.run([sys.executable, str(script), "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("usage: compare_engines.py")


def test_differences_are_printed_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """When the builds differ, each difference is a line, then the count; exit 1."""
    config = _tiny_site(tmp_path)
    builds = iter([Build("mkdocs", {"index.html": {"a", "b"}}), Build("properdocs", {"index.html": {"a"}, "extra.html": set()})])
    monkeypatch.setattr(compare_engines, "build", lambda engine, config, site_dir: next(builds))
    assert main(["--config", str(config)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "extra.html: page only in the properdocs build",
        "index.html: id 'b' only in the mkdocs build",
        "compare_engines: 2 differences between the mkdocs build (1 pages) and the properdocs build (2 pages)",
    ]
