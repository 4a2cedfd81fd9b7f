"""bench/count_assertions.py counts `assert` statements and Playwright `expect(...).to_*` calls, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from count_assertions import count, main

SOURCE = """
def test_a(page):
    assert 1 == 1
    for x in range(3):
        assert x >= 0, "message"
    expect(page.locator("h1")).to_have_text("Home")
    expect(page).not_to_have_url("x")
    page.locator("h1").to_be_visible()  # not on expect(...): not counted
    other(page).to_have_text("x")  # not expect: not counted
    expect(page)  # no assertion method: not counted
"""


def test_counts_asserts_and_expect_calls_only() -> None:
    """Two asserts (a loop counts once: the count is static) and two expect assertions."""
    assert count(SOURCE) == {"assert": 2, "expect": 2}


def test_main_prints_totals_and_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Per module with --by-file (modules without assertions are left out), then the total."""
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_a.py").write_text(SOURCE, encoding="utf-8")
    (tests / "empty.py").write_text("x = 1\n", encoding="utf-8")
    assert main([str(tests), "--by-file"]) == 0
    assert capsys.readouterr().out == ("tests/test_a.py: 2 assert, 2 expect\ntotal: 4 assertions (2 assert, 2 expect) in 2 modules\n")
