"""bib.py keeps every field when a .bib file carries ``%`` comments, and keeps dropped duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitecheck.bib import parse_bibliography


@pytest.mark.parametrize(
    ("text", "fields", "lines"),
    [
        pytest.param(
            "@article{k, % sitecheck: ignore REF020\n  title = {X},\n  year = {2000}\n}\n",
            {"title": "X", "year": "2000"},
            {"title": 2, "year": 3},
            id="comment-on-entry-line",
        ),
        pytest.param(
            "@article{k,\n  title = {X},\n  % why the year\n  % is odd\n  year = {2000}\n}\n",
            {"title": "X", "year": "2000"},
            {"title": 2, "year": 5},
            id="comment-lines-between-fields",
        ),
        pytest.param(
            "@article{k,\n  pages = {1--2},  % sitecheck: ignore REF012\n  year = {2000}\n}\n",
            {"pages": "1--2", "year": "2000"},
            {"pages": 2, "year": 3},
            id="trailing-comment-after-comma",
        ),
        pytest.param(
            "@article{k,\n  pages = {1--2}  % no comma\n}\n",
            {"pages": "1--2"},
            {"pages": 2},
            id="trailing-comment-last-field",
        ),
        pytest.param(
            "@article{k,\n  title = {100% {sure}}\n}\n",
            {"title": "100% {sure}"},
            {"title": 2},
            id="percent-inside-braces-is-text",
        ),
    ],
)
def test_comments_do_not_eat_fields(text: str, fields: dict[str, str], lines: dict[str, int]) -> None:
    """A ``%`` comment never renames, hides or pollutes a field."""
    (entry,) = parse_bibliography(text, Path("refs.bib")).entries
    assert (entry.fields, entry.field_lines) == (fields, lines)


def test_exact_duplicate_key_is_kept_for_the_checks() -> None:
    """bibtexparser drops a second ``@article{k`` as a failure; it stays reachable, unwrapped."""
    bib = parse_bibliography("@article{k, title={A}}\n\n@article{k,\n  title = {{B} c}\n}\n", Path("refs.bib"))
    assert [e.key for e in bib.entries] == ["k"]
    assert bib.failures == [(3, "Duplicate entry key 'k'")]
    assert [(d.key, d.line, d.fields) for d in bib.duplicates] == [("k", 3, {"title": "{B} c"})]


@pytest.mark.parametrize(
    ("text", "failures"),
    [
        ("@article{j,\n  title = {X},\n  title = {Y},\n}\n", [(1, "Duplicate field keys on entry: 'title'")]),
        ("@article{\n  title = {X},\n}\n", [(1, "Expected comma after entry key, but found =")]),
    ],
)
def test_failure_reasons_are_readable(text: str, failures: list[tuple[int, str]]) -> None:
    """A failed block's reason is a sentence, never an exception class name or an API hint."""
    assert parse_bibliography(text, Path("refs.bib")).failures == failures
