"""Review dates in page front matter: REV001 (past next_review) and REV002 (missing or invalid)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run, SiteMaker

Check = Callable[..., Run]
CONFIG = "site_name: t\n"


def page(last: str | None, due: str | None) -> str:
    """A page with the given front matter dates (None: the key is left out)."""
    lines = ["---", "title: Safety"]
    if last is not None:
        lines.append(f"last_reviewed: {last}")
    if due is not None:
        lines.append(f"next_review: {due}")
    return "\n".join([*lines, "---", "", "# Safety", ""])


def test_past_due_page_is_a_warning(make_site: SiteMaker, sitecheck: Check) -> None:
    """next_review before --today: REV001 at the date, a warning (exit 0); on the due day itself, nothing."""
    root = make_site({"index.md": page("2026-05-30", "2026-11-30")}, config=CONFIG, bib=None)
    run = sitecheck(root, "--today", "2026-12-01")
    assert run.out.splitlines() == [
        "docs/index.md:4:14: REV001 page was due for review on 2026-11-30 (today is 2026-12-01): review it, then update last_reviewed and next_review",
        "sitecheck: 0 errors, 1 warning (1 page, 0 links)",
    ]
    assert run.code == 0
    assert sitecheck(root, "--today", "2026-11-30").out == "sitecheck: no problems found (1 page, 0 links)\n"


def test_today_from_the_environment(make_site: SiteMaker, sitecheck: Check, monkeypatch: pytest.MonkeyPatch) -> None:
    """$SITECHECK_TODAY stands in for the system date; --today wins over it; a bad value is a usage error."""
    root = make_site({"index.md": page("2026-05-30", "2026-11-30")}, config=CONFIG, bib=None)
    monkeypatch.setenv("SITECHECK_TODAY", "2027-01-01")
    assert "REV001 page was due for review on 2026-11-30 (today is 2027-01-01)" in sitecheck(root).out
    assert "REV001" not in sitecheck(root, "--today", "2026-06-01").out
    monkeypatch.setenv("SITECHECK_TODAY", "tomorrow")
    run = sitecheck(root)
    assert (run.code, run.err) == (2, "sitecheck: error: SITECHECK_TODAY 'tomorrow': expected a date as YYYY-MM-DD\n")


def test_bad_today_option(make_site: SiteMaker, sitecheck: Check) -> None:
    """--today must be a date."""
    root = make_site({"index.md": page(None, None)}, config=CONFIG, bib=None)
    run = sitecheck(root, "--today", "2026-02-30")
    assert run.code == 2
    assert "argument --today: expected a date as YYYY-MM-DD, got '2026-02-30'" in run.err


def test_invalid_dates_are_errors(make_site: SiteMaker, sitecheck: Check) -> None:
    """An impossible or malformed date, and a next review before the last one, are REV002 errors."""
    root = make_site(
        {
            "a.md": page("2026-11-31", "2027-05-30"),
            "b.md": page("30/11/2026", "soon"),
            "c.md": page("2026-11-30", "2026-05-30"),
            "d.md": page('"2026-11-30"', "'2027-05-30'"),
        },
        config=CONFIG,
        bib=None,
    )
    run = sitecheck(root, "--today", "2026-12-01")
    assert run.out.splitlines() == [
        "docs/a.md:3:16: REV002 last_reviewed '2026-11-31' is not a date: write it as YYYY-MM-DD, e.g. last_reviewed: 2026-11-30",
        "docs/b.md:3:16: REV002 last_reviewed '30/11/2026' is not a date: write it as YYYY-MM-DD, e.g. last_reviewed: 2026-11-30",
        "docs/b.md:4:14: REV002 next_review 'soon' is not a date: write it as YYYY-MM-DD, e.g. next_review: 2026-11-30",
        "docs/c.md:4:14: REV002 next_review 2026-05-30 is before last_reviewed 2026-11-30",
        "sitecheck: 4 errors, 0 warnings (4 pages, 0 links)",
    ]
    assert run.code == 1


def test_missing_dates_only_when_required(make_site: SiteMaker, sitecheck: Check) -> None:
    """Without the setting a page may have no dates; with require_review_dates = true it is REV002."""
    root = make_site({"index.md": page("2026-11-30", None), "about.md": "# About\n"}, config=CONFIG, bib=None)
    assert sitecheck(root, "--today", "2026-12-01").out == "sitecheck: no problems found (2 pages, 0 links)\n"
    (root / "pyproject.toml").write_text("[tool.sitecheck]\nrequire_review_dates = true\n", encoding="utf-8")
    run = sitecheck(root, "--today", "2026-12-01")
    assert run.out.splitlines() == [
        "docs/about.md:1:1: REV002 page has no last_reviewed or next_review in its front matter "
        "([tool.sitecheck] require_review_dates = true): add e.g. 'last_reviewed: YYYY-MM-DD', "
        "'next_review: YYYY-MM-DD'",
        "docs/index.md:1:1: REV002 page has no next_review in its front matter "
        "([tool.sitecheck] require_review_dates = true): add e.g. 'next_review: YYYY-MM-DD'",
        "sitecheck: 2 errors, 0 warnings (2 pages, 0 links)",
    ]
    (root / "pyproject.toml").write_text('[tool.sitecheck]\nrequire_review_dates = "yes"\n', encoding="utf-8")
    run = sitecheck(root)
    assert run.code == 2
    assert run.err.endswith("pyproject.toml: [tool.sitecheck] require_review_dates must be true or false\n")


def test_broken_front_matter_with_dates(make_site: SiteMaker, sitecheck: Check) -> None:
    """Front matter MkDocs cannot read loses its dates: REV002."""
    root = make_site({"index.md": "---\nlast_reviewed: 2026-11-30\nnext_review: [2027\n---\n\n# Home\n"}, config=CONFIG, bib=None)
    run = sitecheck(root, "--today", "2026-12-01")
    assert run.out.splitlines()[0].startswith("docs/index.md:1:1: REV002 front matter is not valid YAML (")
    assert run.code == 1


def test_the_repository_requires_review_dates(repo: Path) -> None:
    """This project turns the requirement on (so every page says when it is next due)."""
    import tomllib

    settings = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["sitecheck"]
    assert settings["require_review_dates"] is True
