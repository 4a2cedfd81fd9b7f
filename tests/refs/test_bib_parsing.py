"""bib.py keeps every field when a .bib file carries ``%`` comments, and keeps dropped duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_sitecheck.bib import parse_bibliography


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
    """A second ``@article{k`` is not an entry BibTeX uses; it stays reachable (for REF013), unwrapped."""
    bib = parse_bibliography("@article{k, title={A}}\n\n@article{k,\n  title = {{B} c}\n}\n", Path("refs.bib"))
    assert [e.key for e in bib.entries] == ["k"]
    assert bib.failures == []
    assert [(d.key, d.line, d.fields) for d in bib.duplicates] == [("k", 3, {"title": "{B} c"})]


@pytest.mark.parametrize(
    ("text", "failures"),
    [
        ("@article{\n  title = {X},\n}\n", [(2, "expected ',' after the entry key 'title', but found =")]),
        ("@article{k,\n  title = {X\n}\n", [(1, "the entry's closing '}' is missing")]),
        ("@article{k,\n  title = {X\n\n@book{b, title={T}}\n", [(1, "a field value's closing '}' is missing (the next entry starts inside it)")]),
        ('@article{k,\n  title = "X {\n}\n', [(1, "a field value's closing '\"' is missing")]),
        ("@article{k,\n  title = {X}\n  year = 2000 x\n}\n", [(3, "a ',' between fields or the entry's closing '}' is missing after field 'year'")]),
    ],
)
def test_failure_reasons_are_readable(text: str, failures: list[tuple[int, str]]) -> None:
    """A failed block's reason is a sentence, never an exception class name or an API hint."""
    assert parse_bibliography(text, Path("refs.bib")).failures == failures


def test_repeated_field_keeps_the_entry_and_its_first_value() -> None:
    """BibTeX keeps the first of a repeated field and warns; the entry is still checked."""
    bib = parse_bibliography("@article{j,\n  title = {X},\n  title = {Y},\n}\n", Path("refs.bib"))
    assert [(e.key, e.fields) for e in bib.entries] == [("j", {"title": "X"})]
    assert bib.warnings == [
        (
            3,
            "REF001",
            "'j': field 'title' appears twice: pybtex stops on it (DuplicateField), BibTeX keeps the first value, biber and pandoc the last; keep one",
        )
    ]


@pytest.mark.parametrize(
    ("text", "fields", "raw"),
    [
        pytest.param('@article{k, title = "x \\{log n\\} y"}', {"title": "x \\{log n\\} y"}, None, id="escaped-braces-in-quotes"),
        pytest.param("@article{k, title = {a \\} b {c}}}", {}, None, id="backslash-does-not-escape-a-brace"),
        pytest.param(
            '@string{j = "J. ACM"}\n@article{k, journal = j # " 2", month = "1~" # jun}',
            {"journal": "J. ACM 2", "month": "1~June"},
            {"journal": 'j # " 2"', "month": '"1~" # jun'},
            id="macros-and-concatenation",
        ),
        pytest.param("@article(k, title = {T (x)}, year = 2000)", {"title": "T (x)", "year": "2000"}, None, id="parenthesised-entry"),
    ],
)
def test_values_read_as_bibtex_reads_them(text: str, fields: dict[str, str], raw: dict[str, str] | None) -> None:
    """Braces count whatever precedes them, ``#`` joins parts, @string and month macros expand."""
    bib = parse_bibliography(text, Path("refs.bib"))
    assert [(e.fields, e.raw) for e in bib.entries] == ([(fields, raw)] if fields else [])


def test_lines_stay_exact_after_long_cjk_values_ending_in_backslashes() -> None:
    """Real shape (a Zotero export of Chinese theses): a note whose lines end in ``\\\\`` does not shift later lines."""
    note = "  annotation = {major: 电子信息（专业学位）\\\\\ndownload: 102\\\\\nCLC: TN911.7;R743.3\\\\\nfilename: 1025375229.nh},\n"
    text = (
        "@thesis{a,\n  title = {基于脑肌电融合的单侧肢体运动想象解码方法研究},\n" + note + "}\n\n"
        "@article{zhou2024,\n  title = {T},\n  year = {2024}\n}\n\n@article{zhou2024,\n  title = {T}\n}\n"
    )
    bib = parse_bibliography(text, Path("refs.bib"))
    assert [(e.key, e.line, e.field_lines) for e in [*bib.entries, *bib.duplicates]] == [
        ("a", 1, {"title": 2, "annotation": 3}),
        ("zhou2024", 9, {"title": 10, "year": 11}),
        ("zhou2024", 14, {"title": 15}),
    ]
