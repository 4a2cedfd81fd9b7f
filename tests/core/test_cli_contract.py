"""The command line's contract: options anywhere, one meaning per exit status, checked codes, SARIF, explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mkdocs_sitecheck.cli import main
from mkdocs_sitecheck.codes import PAGE_SECTIONS, code_table, problems, registry

PAGE = "# Home\n\nSee [setup](setup.md).\n"
CONFIG = "site_name: t\n"


def _site(root: Path, page: str = PAGE, config: str = CONFIG) -> Path:
    """A minimal site without a bibliography; returns mkdocs.yml."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root / "mkdocs.yml"


LNK001 = "docs/index.md:3:5: LNK001 link 'setup.md': target 'docs/setup.md' is not found among the documentation files"


@pytest.mark.parametrize("before", [True, False])
def test_options_work_before_and_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, before: bool
) -> None:
    """``sitecheck --config X --format json links`` is ``sitecheck links --config X --format json``."""
    other = _site(tmp_path / "other")
    monkeypatch.chdir(tmp_path)  # no ./mkdocs.yml: the default config would be a usage error
    options = ["--config", str(other), "--format", "json"]
    argv = [*options, "links"] if before else ["links", *options]
    assert main(argv) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in data["findings"]] == ["LNK001"]


def test_an_option_after_the_subcommand_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given twice, the later (subcommand) value is used."""
    config = _site(tmp_path)
    assert main(["--format", "json", "links", "--config", str(config), "--format", "text"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == LNK001


def test_no_subcommand_without_a_bibliography_runs_links_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A site with no bibliography has nothing for refs to do: the link results stand, exit 1 (not 2)."""
    config = _site(tmp_path)
    assert main(["--config", str(config)]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [LNK001, "sitecheck: 1 error, 0 warnings (1 page, 1 link)"]
    assert out.err == ""


def test_refs_alone_without_a_bibliography_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Asking for refs explicitly on a site without one is still a usage error."""
    config = _site(tmp_path)
    assert main(["refs", "--config", str(config)]) == 2
    assert capsys.readouterr().err.startswith("sitecheck: error: no bibliography")


def test_an_internal_error_has_its_own_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug is exit 4 with one line naming the exception, never exit 1 ('errors found') or a traceback."""
    import mkdocs_sitecheck.links as links

    def broken(*args: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(links, "run", broken)
    config = _site(tmp_path)
    assert main(["links", "--config", str(config)]) == 4
    err = capsys.readouterr().err
    assert err.startswith("sitecheck: internal error: KeyError: 'boom' (at test_cli_contract.py:")
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_help_documents_every_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    """The help lists 0-4 with one meaning each."""
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for line in ("0  no errors", "1  errors found", "2  usage or configuration error", "3  run incomplete", "4  internal error"):
        assert line in out


def test_unknown_severity_code_is_an_error_with_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped code in [tool.sitecheck.severity] is a usage error at pyproject.toml:line:col."""
    config = _site(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.sitecheck.severity]\nLNK001 = "warning"\n  LNK01 = "off"\n', encoding="utf-8")
    assert main(["links", "--config", str(config)]) == 2
    assert capsys.readouterr().err == (
        f"sitecheck: error: {tmp_path / 'pyproject.toml'}:6:3: [tool.sitecheck.severity] LNK01: unknown code (did you mean 'LNK001'?)\n"
    )


def test_ignore_comments_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown codes (or none) in ignore comments are SCK001 errors; comments that suppress nothing are SCK002."""
    page = (
        "[a](gone.md) <!-- sitecheck: ignore LNK001 -->\n"
        "[b](gone.md) <!-- sitecheck: ignore lnk001 -->\n"
        "[c](index.md) <!-- sitecheck: ignore LNK001 because it moved -->\n"
        "Text <!-- sitecheck: ignore -->\n"
        "Text <!-- sitecheck: ignore REF005 -->\n"
    )
    config = _site(tmp_path, page)
    assert main(["links", "--config", str(config)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "docs/index.md:2:1: LNK001 link 'gone.md': target 'docs/gone.md' is not found among the documentation files",
        "docs/index.md:2:37: SCK001 ignore comment names 'lnk001', which is not a sitecheck code (see `sitecheck explain --list`) (did you mean 'LNK001'?)",
        "docs/index.md:3:38: SCK002 ignore comment for LNK001 suppresses nothing on this line",
        "docs/index.md:4:11: SCK001 ignore comment names no code: write 'sitecheck: ignore CODE[, CODE…]'",
        "sitecheck: 3 errors, 1 warning (1 page, 3 links)",
    ]


def test_output_file_and_sarif(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--format sarif --output FILE``: a SARIF 2.1.0 log with the registry's rules, nothing on stdout."""
    config = _site(tmp_path)
    report = tmp_path / "report.sarif"
    assert main(["--format", "sarif", "--output", str(report), "links", "--config", str(config)]) == 1
    assert capsys.readouterr().out == ""
    log = json.loads(report.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(registry())
    lnk001 = rules[[r["id"] for r in rules].index("LNK001")]
    assert lnk001["helpUri"].endswith("/scripts/mkdocs_sitecheck/codes/LNK001.md")
    assert lnk001["help"]["text"].startswith("# LNK001")
    assert lnk001["defaultConfiguration"] == {"level": "error"}
    assert run["results"] == [
        {
            "ruleId": "LNK001",
            "level": "error",
            "message": {"text": "link 'setup.md': target 'docs/setup.md' is not found among the documentation files"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "docs/index.md", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 3, "startColumn": 5},
                    }
                }
            ],
            "ruleIndex": lnk001_index(rules),
        }
    ]


def lnk001_index(rules: list[dict[str, object]]) -> int:
    """Where LNK001 is in the rules array."""
    return [r["id"] for r in rules].index("LNK001")


def test_sarif_levels_follow_severity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings are SARIF warnings, notes are notes."""
    config = _site(tmp_path, "Text[^a].\n\n[^a]: A.\n[^b]: B.\n", "site_name: t\nmarkdown_extensions:\n  - footnotes\n")
    assert main(["links", "--config", str(config), "--format", "sarif"]) == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("LNK011", "warning")]


def test_unwritable_output_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--output`` into a missing folder: exit 2, one line."""
    config = _site(tmp_path)
    assert main(["links", "--config", str(config), "--output", str(tmp_path / "no" / "file.json")]) == 2
    assert capsys.readouterr().err.startswith(f"sitecheck: error: --output {tmp_path / 'no' / 'file.json'}: cannot write")


def test_explain_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    """``sitecheck explain lnk006`` prints the page with its summary and default severity."""
    assert main(["explain", "lnk006"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# LNK006: anchor (#id) does not exist on the target page\n\nDefault severity: error; reported by `sitecheck links`.\n")
    assert all(section in out for section in PAGE_SECTIONS)


def test_explain_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown code is a usage error with a suggestion."""
    assert main(["explain", "REV01"]) == 2
    assert capsys.readouterr().err == "sitecheck: error: explain REV01: no such code (did you mean 'REV001'?)\n"


def test_explain_list(capsys: pytest.CaptureFixture[str]) -> None:
    """``sitecheck explain --list`` lists every code of every check."""
    assert main(["explain", "--list"]) == 0
    assert capsys.readouterr().out == code_table()


def test_the_registry_is_valid() -> None:
    """Codes are unique and well formed, each with a page holding every section, and no page is orphaned."""
    assert problems() == []
    codes = registry()
    assert {c.check for c in codes.values()} == {"links", "refs", "policy"}
    assert {"LNK001", "CIT001", "REF001", "REV001", "REV002", "SCK001", "SCK002"} <= set(codes)


def test_the_registry_rejects_duplicates(monkeypatch: pytest.MonkeyPatch) -> None:
    """A code defined twice in the table is caught (the registry can fail)."""
    import mkdocs_sitecheck.codes as codes

    monkeypatch.setattr(codes, "TABLE", (*codes.TABLE, ("LNK001", codes.E, "again", "links", False)))
    codes.registry.cache_clear()
    try:
        assert problems() == ["code LNK001 is defined twice"]
    finally:
        monkeypatch.undo()
        codes.registry.cache_clear()


def test_a_malformed_code_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A code that is not three capitals and three digits is caught."""
    import mkdocs_sitecheck.codes as codes

    monkeypatch.setattr(codes, "TABLE", (("LNK1", codes.E, "short", "links", False),))
    codes.registry.cache_clear()
    try:
        assert problems() == ["code 'LNK1' is not three capitals and three digits"]
    finally:
        monkeypatch.undo()
        codes.registry.cache_clear()


def test_a_missing_page_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A code without its explanation page is reported."""
    import mkdocs_sitecheck.codes as codes

    monkeypatch.setattr(codes, "PAGES", tmp_path)
    found = problems()
    assert "LNK001: no explanation page LNK001.md" in found
