"""What exporters get wrong, caught: misplaced identifiers, arXiv as a journal, one work under two keys, DOI forms.

Entries marked "real" are pruned from public bibliographies (an economics reference list, a Quarto
site, an arXiv paper's references, a GB/T 7714 example file).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.refs.test_any_bibliography import bib_lines, run_in

# Real (economics reference list, pruned): the PMID is in the note.
HURLEY = """@article{Hurley2018,
author = {Hurley, Susan and Goldberg, Debbie and Wang, Miaomiao},
title = {Time Trends in Per- and Polyfluoroalkyl Substances (PFASs) in California Women},
journal = {Environmental Science \\& Technology},
volume = {52},
pages = {277-287},
year = {2018},
    note ={PMID: 29198103},
}
"""
# Real (Quarto's own bibliography, pruned): the ISBN is in the note.
XIE = """@Book{xie2015,
  title = {Dynamic Documents with {R} and knitr},
  author = {Yihui Xie},
  publisher = {Chapman and Hall/CRC},
  year = {2015},
  note = {ISBN 978-1498716963},
}
"""
# Real (an arXiv paper's references, as Google Scholar exports them).
GU = """@article{gu2021efficiently,
  title={Efficiently Modeling Long Sequences with Structured State Spaces},
  author={Gu, Albert and Goel, Karan and R{\\'e}, Christopher},
  journal={arXiv preprint arXiv:2111.00396},
  year={2021}
}
"""


@pytest.mark.parametrize(
    ("text", "lines", "identifiers"),
    [
        pytest.param(
            HURLEY,
            ["paper.bib:8:1: REF019 'Hurley2018': note holds the PMID 29198103: move it to pmid = {29198103}"],
            {"pmid": "29198103"},
            id="pmid-in-note",
        ),
        pytest.param(
            XIE,
            ["paper.bib:6:1: REF019 'xie2015': note holds the ISBN 978-1498716963: move it to isbn = {978-1498716963}"],
            {"isbn": ["978-1498716963"]},
            id="isbn-in-note",
        ),
        pytest.param(
            GU,
            [
                "paper.bib:4:1: REF034 'gu2021efficiently': journal 'arXiv preprint arXiv:2111.00396' is an arXiv preprint,"
                " not a journal (Google Scholar writes it so): write eprint = {2111.00396}, archiveprefix = {arXiv} and make"
                " it @misc (or @online)"
            ],
            {"eprint": ["arxiv:2111.00396"]},
            id="google-scholar-arxiv-journal",
        ),
        pytest.param(
            "@article{lee2019, author={Lee, A.}, title={T}, journal={J}, year=2019,\n  volume={10.1000/xyz123}}\n",
            ["paper.bib:2:1: REF019 'lee2019': volume holds the DOI 10.1000/xyz123: move it to doi = {10.1000/xyz123}"],
            {"doi": "10.1000/xyz123"},
            id="doi-in-volume",
        ),
        pytest.param(
            "@article{lee2019, author={Lee, A.}, title={T}, journal={J}, year=2019,\n  pages={https://doi.org/10.1000/xyz}}\n",
            ["paper.bib:2:1: REF019 'lee2019': pages holds the DOI 10.1000/xyz: move it to doi = {10.1000/xyz}"],
            {"doi": "10.1000/xyz"},
            id="doi-url-in-pages",
        ),
    ],
)
def test_misplaced_identifiers_are_reported_and_used(tmp_path: Path, text: str, lines: list[str], identifiers: dict[str, object]) -> None:
    """The identifier is reported with the move to make, and counts as the entry's identifier (not unverifiable)."""
    assert bib_lines(tmp_path, text) == lines
    data = run_in(tmp_path, "refs", "--bib", "paper.bib", "--format", "json").data
    (entry,) = data["entries"]
    assert (entry["identifiers"], entry["status"]) == (identifiers, "unchecked")


def test_identifier_in_its_own_field_is_not_misplaced(tmp_path: Path) -> None:
    """A note that repeats the entry's PMID, and a DOI inside a publisher URL, are left alone."""
    text = (
        "@article{a, author={A, B}, title={T}, journal={J}, year=2018, pmid={29198103}, note={PMID: 29198103}}\n"
        "@inproceedings{b, author={A, B}, title={U}, booktitle={B}, year=2012, isbn={978-3-642-33026-1},\n"
        "  note = {\\url{http://link.springer.com/10.1007/978-3-642-33027-8_31}}}\n"
    )
    assert bib_lines(tmp_path, text) == []


@pytest.mark.parametrize(
    "doi",
    ["10/ggb347", "https://doi.org/10/ggb347", "https://doi.org/10.1000/xyz(99)00230-9", "doi:10.1000/xyz"],
)
def test_short_dois_and_doi_urls_are_accepted_and_normalised(tmp_path: Path, doi: str) -> None:
    """shortDOIs and doi.org URLs in ``doi`` are DOIs: no finding, and the JSON gives the bare form."""
    text = f"@article{{a, author={{A, B}}, title={{T}}, journal={{J}}, year=2019, doi={{{doi}}}}}\n"
    assert bib_lines(tmp_path, text) == []
    data = run_in(tmp_path, "refs", "--bib", "paper.bib", "--format", "json").data
    assert data["entries"][0]["identifiers"]["doi"] == doi.removeprefix("https://doi.org/").removeprefix("doi:")


CJK_TITLE = "我们的科技一直在追赶"  # real: a People's Daily article title from a GB/T 7714 example file
JA_TITLE = "日本語の文献目録における重複の検出"


@pytest.mark.parametrize(
    ("first", "second", "lines"),
    [
        pytest.param(
            f"@article{{a, author={{余建斌}}, title={{{CJK_TITLE}}}, journal={{人民日报}}, year=2013}}",
            f"@article{{b, author={{余建斌 and 王伟}}, title={{{CJK_TITLE}}}, journal={{人民日报}}, year=2013}}",
            [
                "paper.bib:2:1: REF033 'b' looks like the same work as 'a' (line 1): same title, first author and year;"
                " keep one key (biblatex: ids = {b} on 'a' keeps both citable)"
            ],
            id="chinese",
        ),
        pytest.param(
            f"@article{{a, author={{山田, 太郎}}, title={{{JA_TITLE}}}, journal={{J}}, year=2020}}",
            f"@article{{b, author={{山田, 太郎}}, title={{{JA_TITLE}.}}, journal={{J}}, year=2020}}",
            [
                "paper.bib:2:1: REF033 'b' looks like the same work as 'a' (line 1): same title, first author and year;"
                " keep one key (biblatex: ids = {b} on 'a' keeps both citable)"
            ],
            id="japanese-trailing-punctuation",
        ),
        pytest.param(
            "@article{a, author={Gu, Albert}, title={Efficiently Modeling Long Sequences}, journal={ICLR}, year=2022}",
            "@misc{b, author={Gu, A.}, title={Efficiently modeling long {S}equences}, howpublished={arXiv}, year=2022}",
            [
                "paper.bib:2:1: REF033 'b' looks like the same work as 'a' (line 1): same title, first author and year;"
                " keep one key (biblatex: ids = {b} on 'a' keeps both citable)"
            ],
            id="latin-case-and-braces",
        ),
        pytest.param(
            f"@article{{a, author={{余建斌}}, title={{{CJK_TITLE}}}, journal={{人民日报}}, year=2013}}",
            f"@article{{b, author={{李华}}, title={{{CJK_TITLE}}}, journal={{人民日报}}, year=2013}}",
            [],
            id="other-first-author",
        ),
        pytest.param(
            f"@article{{a, author={{余建斌}}, title={{{CJK_TITLE}}}, journal={{人民日报}}, year=2013}}",
            f"@article{{b, author={{余建斌}}, title={{{CJK_TITLE}}}, journal={{人民日报}}, year=2014}}",
            [],
            id="other-year",
        ),
        pytest.param(
            "@incollection{a, author={Li, A}, title={Introduction}, booktitle={B1}, publisher={P}, year=2010}",
            "@incollection{b, author={Li, A}, title={Introduction}, booktitle={B2}, publisher={P}, year=2010}",
            [],
            id="short-generic-title",
        ),
        pytest.param(
            "@article{a, author={Gu, Albert}, title={Efficiently Modeling Long Sequences}, journal={J}, year=2022, doi={10.1000/a}}",
            "@article{b, author={Gu, Albert}, title={Efficiently Modeling Long Sequences}, journal={J}, year=2022, doi={10.1000/b}}",
            [],
            id="different-dois",
        ),
    ],
)
def test_same_work_under_two_keys(tmp_path: Path, first: str, second: str, lines: list[str]) -> None:
    """Normalised title + first author + year, in any script; different DOIs or authors keep works apart."""
    assert [line for line in bib_lines(tmp_path, f"{first}\n{second}\n") if "REF033" in line] == lines


def test_same_doi_with_other_titles_is_a_warning(tmp_path: Path) -> None:
    """Two papers of one congress volume under the volume's DOI: a warning with the reason, not an error."""
    text = (
        "@inproceedings{a, author={A, B}, title={Ketamine and sleep}, booktitle={Congress}, year=2019, doi={10.1000/vol}}\n"
        "@inproceedings{b, author={C, D}, title={Esketamine in adolescents}, booktitle={Congress}, year=2019,\n"
        "  doi={10.1000/vol}}\n"
    )
    (tmp_path / "paper.bib").write_text(text, encoding="utf-8")
    run = run_in(tmp_path, "refs", "--bib", "paper.bib")
    assert (run.code, run.lines()) == (
        0,
        [
            "paper.bib:3:1: REF014 'b' has the same DOI 10.1000/vol as 'a' (line 1) but another title: parts of one"
            " report or congress volume may share a DOI; if this is not such a part, one of the two is wrong",
            "sitecheck: 0 errors, 1 warning (paper.bib, 2 entries offline: 2 unchecked)",
        ],
    )


def test_same_work_scales_linearly(tmp_path: Path) -> None:
    """20,000 distinct entries and one duplicate: found once, by dictionary lookups (no pairwise comparison)."""
    entries = [f"@article{{k{i}, author={{Author{i}, A}}, title={{A distinct title number {i}}}, journal={{J}}, year=2000}}" for i in range(20_000)]
    entries.append("@article{dup, author={Author7, A}, title={A distinct title number 7}, journal={J}, year=2000}")
    lines = [line for line in bib_lines(tmp_path, "\n".join(entries) + "\n", "--consumer", "bibtex") if "REF033" in line]
    assert lines == [
        "paper.bib:20001:1: REF033 'dup' looks like the same work as 'k7' (line 8): same title, first author and year;"
        " keep one key (biblatex: ids = {dup} on 'k7' keeps both citable)"
    ]
