"""Consumer profiles: which program reads the file decides what is an error, and the others' objections are warnings.

Entries marked "real" are pruned from public bibliographies (Paperpile, Google Scholar, GB/T 7714
biblatex examples); the others are the smallest text that shows the rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.refs.test_any_bibliography import POLICY, bib_lines, run_in

# Real (Paperpile export, pruned): biber says "legacy month field '1~5' ... is not an integer" and,
# with --validate-datamodel, "Invalid value of field 'month' ... ignoring field"; pandoc drops the month.
PAPERPILE = """@ARTICLE{Wilson2012-zv,
  title       = "The structure and function of the eukaryotic ribosome",
  author      = "Wilson, Daniel N and Doudna Cate, Jamie H",
  journal     = "Cold Spring Harb. Perspect. Biol.",
  volume      =  4,
  number      =  5,
  month       =  "1~" # may,
  year        =  2012
}
"""
MONTH = (
    "paper.bib:7:1: REF018 'Wilson2012-zv': month \"1~\" # may is not a month number or macro (biber ignores it and"
    " pandoc leaves it out): write month = may, and the day in day = {1} (biblatex) or date = {YYYY-05-01}"
)


def no_policy(folder: Path) -> None:
    """Turn the site's REF020 policy off, so a real entry need not carry an identifier it does not have."""
    (folder / "pyproject.toml").write_text('[tool.sitecheck.severity]\nREF020 = "off"\n', encoding="utf-8")


@pytest.mark.parametrize(
    ("consumer", "lines"),
    [
        pytest.param("biblatex", [MONTH], id="biblatex-error"),
        pytest.param("csl", [MONTH], id="csl-error"),
        pytest.param("bibtex", [MONTH + " [biblatex/biber, pandoc/citeproc (CSL) would object; BibTeX accepts it]"], id="bibtex-warning"),
        pytest.param(
            "pybtex",
            [MONTH + " [biblatex/biber, pandoc/citeproc (CSL) would object; pybtex (mkdocs-bibtex) accepts it]"],
            id="pybtex-warning",
        ),
    ],
)
def test_paperpile_month_is_judged_by_its_reader(tmp_path: Path, consumer: str, lines: list[str]) -> None:
    """The same month is an error for biber and pandoc, and a warning naming them for BibTeX and pybtex."""
    no_policy(tmp_path)
    assert bib_lines(tmp_path, PAPERPILE, "--consumer", consumer) == lines


@pytest.mark.parametrize(
    "month",
    ["jun", "{6}", "6", "{jun}", "{Jun}"],
)
def test_months_every_reader_reads(tmp_path: Path, month: str) -> None:
    """A macro, a number or a three-letter abbreviation: biber and pandoc both read it."""
    text = PAPERPILE.replace('"1~" # may', month)
    no_policy(tmp_path)
    assert bib_lines(tmp_path, text, "--consumer", "biblatex") == []
    assert bib_lines(tmp_path, text, "--consumer", "csl") == []


def test_full_month_name_is_only_a_pandoc_problem(tmp_path: Path) -> None:
    """pandoc 2.17 leaves ``{June}`` out of the date; biber warns but keeps it."""
    text = PAPERPILE.replace('"1~" # may', "{June}")
    no_policy(tmp_path)
    message = "paper.bib:7:1: REF018 'Wilson2012-zv': month June is not a month number or macro (pandoc leaves it out): write month = jun"
    assert bib_lines(tmp_path, text, "--consumer", "csl") == [message]
    assert bib_lines(tmp_path, text, "--consumer", "biblatex") == [message + " [pandoc/citeproc (CSL) would object; biblatex/biber accepts it]"]


INCOLLECTION = "@incollection{c, author={Smith, Jo}, title={Chapter}, booktitle={Book}, year=2001, isbn={0-19-853453-1}}\n"


@pytest.mark.parametrize(
    ("consumer", "lines"),
    [
        pytest.param("biblatex", [], id="biblatex-manual-needs-no-editor"),
        pytest.param("csl", ["paper.bib:1:1: REF002 'c': @incollection needs publisher [BibTeX would object; pandoc/citeproc (CSL) accepts it]"], id="csl"),
        pytest.param("bibtex", ["paper.bib:1:1: REF002 'c': @incollection needs publisher"], id="bibtex-needs-publisher"),
        pytest.param(
            "pybtex",
            ["paper.bib:1:1: REF002 'c': @incollection needs publisher [BibTeX would object; pybtex (mkdocs-bibtex) accepts it]"],
            id="pybtex-plain-style-formats-it",
        ),
    ],
)
def test_incollection_without_editor_or_publisher(tmp_path: Path, consumer: str, lines: list[str]) -> None:
    """No consumer requires an editor for @incollection (biblatex's data model does; its manual does not)."""
    assert bib_lines(tmp_path, INCOLLECTION, "--consumer", consumer) == lines


@pytest.mark.parametrize("kind", ["inreference", "periodical"])
def test_biblatex_needs_no_editor_for_inreference_or_periodical(tmp_path: Path, kind: str) -> None:
    """The 107 false alarms of issue 18: an editor is optional for these by the biblatex manual."""
    extra = ", author={Smith, Jo}, booktitle={Encyclopedia}" if kind == "inreference" else ""
    text = f"@{kind}{{e, title={{T}}, date={{2001}}, isbn={{0-19-853453-1}}{extra}}}\n"
    assert bib_lines(tmp_path, text, "--consumer", "biblatex") == []


# Real (GB/T 7714 biblatex examples, pruned): a newspaper article.
NEWSPAPER = """@newspaper{4.4.2:2,
  author       = {余建斌},
  title        = {我们的科技一直在追赶},
  journaltitle = {人民日报},
  date         = {2013-01-12},
  pages        = {2},
  url          = {http://paper.people.com.cn/rmrb/html/2013-01/12/nw.D110000renmrb_20130112_5-02.htm}
}
"""


def test_gbt7714_newspaper_is_known_to_biblatex_and_csl(tmp_path: Path) -> None:
    """``@newspaper`` (biblatex-gb7714-2015) is detected as biblatex and known; pandoc renders any type."""
    assert bib_lines(tmp_path, NEWSPAPER) == []
    assert bib_lines(tmp_path, NEWSPAPER, "--consumer", "csl") == []


def test_newspaper_fails_the_mkdocs_bibtex_build(tmp_path: Path) -> None:
    """pybtex's plain style has no template for it: the page with the citation fails to build."""
    assert bib_lines(tmp_path, NEWSPAPER, "--consumer", "pybtex")[0] == (
        "paper.bib:1:1: REF003 '4.4.2:2': unknown entry type @newspaper: pybtex's plain style (mkdocs-bibtex) has no template for it and the build fails"
    )


@pytest.mark.parametrize(
    ("files", "consumer"),
    [
        pytest.param({"_quarto.yml": "project:\n  type: website\n"}, "csl", id="quarto"),
        pytest.param({"_config.yml": "title: x\n", "_toc.yml": "format: jb-book\n"}, "pybtex", id="jupyter-book"),
        pytest.param({"conf.py": "extensions = ['sphinxcontrib.bibtex']\n"}, "pybtex", id="sphinx"),
        pytest.param({"conf.py": "extensions = []\n"}, "bibtex", id="sphinx-without-bibtex"),
        pytest.param({"mkdocs.yml": "site_name: x\nplugins:\n  - bibtex:\n      bib_file: paper.bib\n"}, "pybtex", id="mkdocs"),
        pytest.param({"pyproject.toml": '[tool.sitecheck]\nconsumer = "biblatex"\n'}, "biblatex", id="configured"),
        pytest.param({}, "bibtex", id="nothing"),
    ],
)
def test_consumer_is_detected_from_the_project(tmp_path: Path, files: dict[str, str], consumer: str) -> None:
    """The site's config, a project file beside the bibliography, or pyproject.toml names the reader."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "paper.bib").write_text("@misc{a, title={T}, year=2000, doi={10.1000/a}}\n", encoding="utf-8")
    run = run_in(tmp_path, "refs", "--bib", "paper.bib", "--format", "json")
    assert run.data["refs"]["consumer"]["name"] == consumer


def test_biblatex_fields_name_biblatex(tmp_path: Path) -> None:
    """A ``journaltitle`` says the file is written for biblatex; ``--consumer`` overrides the guess."""
    text = "@article{a, author={A, B}, title={T}, journaltitle={J}, date={2000}, doi={10.1000/a}}\n"
    (tmp_path / "paper.bib").write_text(text, encoding="utf-8")
    detected = run_in(tmp_path, "refs", "--bib", "paper.bib", "--format", "json").data["refs"]["consumer"]
    assert detected == {
        "name": "biblatex",
        "program": "biblatex/biber",
        "why": "'a' (line 1) has the biblatex field date",
    }
    named = run_in(tmp_path, "refs", "--bib", "paper.bib", "--consumer", "bibtex")
    assert named.lines()[:-1] == ["paper.bib:1:1: REF002 'a': @article needs journal", "paper.bib:1:1: REF002 'a': @article needs year"]


def test_unknown_configured_consumer_is_a_usage_error(tmp_path: Path) -> None:
    """A misspelt consumer in pyproject.toml stops the run with a one-line error naming the choices."""
    (tmp_path / "pyproject.toml").write_text('[tool.sitecheck]\nconsumer = "bibtext"\n', encoding="utf-8")
    (tmp_path / "paper.bib").write_text("@misc{a, title={T}}\n", encoding="utf-8")
    run = run_in(tmp_path, "refs", "--bib", "paper.bib")
    assert (run.code, run.err.splitlines()[-1]) == (
        2,
        f"sitecheck: error: {tmp_path / 'pyproject.toml'}: [tool.sitecheck] consumer = 'bibtext': use one of pybtex, bibtex, biblatex, csl",
    )


BIBER_IGNORES = (
    " is not a number biber can read: it ignores the year and the entry has no date; for biblatex, write the number"
    " alone, or a date biber reads (date = {1991~} is circa, {-0534} is 535 BCE)"
)


@pytest.mark.parametrize(
    ("year", "lines"),
    [
        ("535 BCE", ["paper.bib:1:1: REF011 'a': year '535 BCE'" + BIBER_IGNORES + " [biblatex/biber would object; BibTeX accepts it]"]),
        ("c. 1200", ["paper.bib:1:1: REF011 'a': year 'c. 1200'" + BIBER_IGNORES + " [biblatex/biber would object; BibTeX accepts it]"]),
        ("1 Edw. VII", ["paper.bib:1:1: REF011 'a': year '1 Edw. VII'" + BIBER_IGNORES + " [biblatex/biber would object; BibTeX accepts it]"]),
        ("[1998]", ["paper.bib:1:1: REF011 'a': year '[1998]'" + BIBER_IGNORES + " [biblatex/biber would object; BibTeX accepts it]"]),
        ("20O9", ["paper.bib:1:1: REF011 'a': year '20O9' is not a year (digits, like 2019; for 'in press' use pubstate = {inpress})"]),
    ],
)
def test_odd_valid_years_are_accepted_by_bibtex(tmp_path: Path, year: str, lines: list[str]) -> None:
    """An era, approximate, bracketed or regnal year prints as written (only biber objects); a typo is an error."""
    text = f"@book{{a, author={{A, B}}, title={{T}}, publisher={{P}}, year={{{year}}}, isbn={{0-19-853453-1}}}}\n"
    assert bib_lines(tmp_path, text, "--consumer", "bibtex") == lines


# Real (abntex2's ABNT 6023 examples, pruned): run here, BibTeX 0.99d (plain) prints "1939--" and "c1991" with
# no warning, pybtex 0.25's plain style prints them, pandoc 2.17 --citeproc renders "Doe, Jane. c1991. T1. P.";
# biber 2.18 --validate-datamodel: "Invalid value of field 'year' must be datatype 'datepart' - ignoring field".
ABNT_YEARS = """@book{brasileira1939,
 organization={Revista Brasileira de Geografia},
 address ={Rio de Janeiro},
 year    ={1939--},
 issn    ={0034-723X}}

@book{warner1991,
 title    ={Blade Runner},
 address  ={Los Angeles},
 year     ={c1991}
}
"""
ABNT_LINES = [
    "paper.bib:4:1: REF011 'brasileira1939': year '1939--'" + BIBER_IGNORES,
    "paper.bib:10:1: REF011 'warner1991': year 'c1991'" + BIBER_IGNORES,
]


@pytest.mark.parametrize(
    ("consumer", "lines"),
    [
        ("biblatex", ABNT_LINES),
        ("bibtex", [line + " [biblatex/biber would object; BibTeX accepts it]" for line in ABNT_LINES]),
        ("pybtex", [line + " [biblatex/biber would object; pybtex (mkdocs-bibtex) accepts it]" for line in ABNT_LINES]),
        ("csl", [line + " [biblatex/biber would object; pandoc/citeproc (CSL) accepts it]" for line in ABNT_LINES]),
    ],
)
def test_year_literals_are_a_biber_problem(tmp_path: Path, consumer: str, lines: list[str]) -> None:
    """A year literal is an error only for biblatex files (biber ignores it); pandoc, BibTeX and pybtex print it."""
    no_policy(tmp_path)
    found = [line for line in bib_lines(tmp_path, ABNT_YEARS, "--consumer", consumer) if " REF011 " in line]
    assert found == lines


@pytest.mark.parametrize("pages", ["12, 15-18", "e123", "S12-S15", "e123--e130", "Poster 12", "P-123"])
def test_odd_valid_pages_are_accepted(tmp_path: Path, pages: str) -> None:
    """Non-contiguous pages, letter-suffixed pages and a poster id print as written: no finding."""
    text = f"@article{{a, author={{A, B}}, title={{T}}, journal={{J}}, year=2000, pages={{{pages}}}, doi={{10.1000/a}}}}\n"
    assert bib_lines(tmp_path, text) == []


def test_escaped_braces_in_a_quoted_value_keep_the_entry(tmp_path: Path) -> None:
    """Real (Paperpile, pruned): ``\\{`` and ``\\}`` balance as BibTeX counts braces; the entry is checked, not dropped."""
    text = (
        '@ARTICLE{Haeupler2016,\n  title = "Faster leader election",\n  author = "Haeupler, Bernhard",\n'
        '  abstract = "requires O(D log n/D min \\{log log n, log n/D\\} + logO(1) n)-time",\n'
        '  journal = "J. ACM",\n  year = 2016\n}\n'
    )
    no_policy(tmp_path)
    assert bib_lines(tmp_path, text) == []
    assert bib_lines(tmp_path, text.replace("  year = 2016\n", "")) == ["paper.bib:1:1: REF002 'Haeupler2016': @article needs year"]


def test_dblp_keys_are_only_a_pybtex_problem(tmp_path: Path) -> None:
    """``DBLP:conf/x/Y20`` is a fine key for BibTeX and biber; mkdocs-bibtex cannot cite it."""
    text = "@inproceedings{DBLP:conf/acl/Li20, author={Li, A}, title={T}, booktitle={ACL}, year=2020, doi={10.18653/v1/x}}\n"
    assert bib_lines(tmp_path, text) == [
        "paper.bib:1:1: REF015 key 'DBLP:conf/acl/Li20' cannot be cited: use letters, digits, '_' and '-'"
        " [pybtex (mkdocs-bibtex) would object; BibTeX accepts it]"
    ]
    assert bib_lines(tmp_path, text, "--consumer", "pybtex") == [
        "paper.bib:1:1: REF015 key 'DBLP:conf/acl/Li20' cannot be cited: use letters, digits, '_' and '-'"
    ]


def test_policy_code_stays_a_policy_whatever_the_consumer(tmp_path: Path) -> None:
    """REF020 is the site's rule, not a consumer's verdict: the same line for every consumer."""
    text = "@misc{a, author={A, B}, title={T}, year=2000}\n"
    expected = ["paper.bib:1:1: REF020 'a' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY]
    for consumer in ("pybtex", "bibtex", "biblatex", "csl"):
        assert bib_lines(tmp_path, text, "--consumer", consumer) == expected


def test_consumer_is_in_the_json_report(tmp_path: Path) -> None:
    """The JSON report says which program the verdicts are for, and why."""
    (tmp_path / "paper.bib").write_text("@misc{a, title={T}, year=2000}\n", encoding="utf-8")
    data = json.loads(run_in(tmp_path, "refs", "--bib", "paper.bib", "--consumer", "csl", "--format", "json").out)
    assert data["refs"]["consumer"] == {"name": "csl", "program": "pandoc/citeproc (CSL)", "why": "--consumer"}


# Real (a Russian dissertation template's external.bib, pruned): six ``keywords``. Run here: pybtex 0.25
# parse_file raises "DuplicateField entry with key Gosele1999161 has a duplicate keywords field"; biber 2.18
# --tool and pandoc 2.17 keep the last value silently; BibTeX 0.99d (plain) keeps the first.
GOSELE = """@article{Gosele1999161,
  title = "Wafer bonding for microsystems technologies",
  journal = "Sensors and Actuators A: Physical",
  year = "1999",
  doi = "10.1016/S0924-4247(98)00310-0",
  author = "Gösele, U. and Tong, Q.-Y.",
  keywords = "Wafer bonding",
  keywords = "Fusion bonding",
  keywords = "Pressure sensors",
  language = {russian}
}
"""
REPEATED = (
    "paper.bib:8:1: REF001 'Gosele1999161': field 'keywords' appears 3 times: pybtex stops on it (DuplicateField),"
    " BibTeX keeps the first value, biber and pandoc the last; keep one"
)


@pytest.mark.parametrize(
    ("consumer", "lines"),
    [
        ("pybtex", [REPEATED]),
        ("bibtex", [REPEATED + " [pybtex (mkdocs-bibtex) would object; BibTeX accepts it]"]),
        ("biblatex", [REPEATED + " [pybtex (mkdocs-bibtex) would object; biblatex/biber accepts it]"]),
        ("csl", [REPEATED + " [pybtex (mkdocs-bibtex) would object; pandoc/citeproc (CSL) accepts it]"]),
    ],
)
def test_repeated_field_is_an_error_only_for_pybtex(tmp_path: Path, consumer: str, lines: list[str]) -> None:
    """A repeated field is one finding per field name, at its first repeat: an error only where pybtex reads the file."""
    assert bib_lines(tmp_path, GOSELE, "--consumer", consumer) == lines


def test_pybtex_and_bibtex_missing_the_same_field_is_one_finding(tmp_path: Path) -> None:
    """A book with neither author nor editor: BibTeX's "author or editor" and pybtex's "editor" are one finding."""
    text = "@book{a, title={T}, publisher={P}, year=2000, isbn={0-19-853453-1}}\n"
    assert bib_lines(tmp_path, text, "--consumer", "pybtex") == ["paper.bib:1:1: REF002 'a': @book needs author or editor"]


@pytest.mark.parametrize("year", ["c1991", "p1988", "1939--", "1941-", "1887（光绪十三年三月十三日）", "44 BC"])
def test_abnt_and_gbt7714_years_print_as_written(tmp_path: Path, year: str) -> None:
    """Real forms (ABNT and GB/T 7714 example files): copyright, phonogram, open and annotated years are valid for BibTeX."""
    text = f"@book{{a, author={{A, B}}, title={{T}}, publisher={{P}}, year={{{year}}}, isbn={{0-19-853453-1}}}}\n"
    lines = bib_lines(tmp_path, text, "--consumer", "bibtex")
    assert lines == [f"paper.bib:1:1: REF011 'a': year '{year}'" + BIBER_IGNORES + " [biblatex/biber would object; BibTeX accepts it]"]


def test_regnal_year_in_a_biblatex_date_is_dropped_by_biber(tmp_path: Path) -> None:
    """Real (GB/T 7714 biblatex examples): biber cannot read ``date = {1865（清同治四年）}`` and reports the date missing."""
    text = "@book{4.1.2:7, author={王夫之}, title={宋论}, publisher={湘乡曾国荃}, date={1865（清同治四年）}, isbn={0-19-853453-1}}\n"
    assert bib_lines(tmp_path, text) == [
        "paper.bib:1:1: REF011 '4.1.2:7': date '1865（清同治四年）' is not a biblatex date (YYYY, YYYY-MM-DD, a range like 1997/1998, ~1900 or 19XX)"
    ]


# Real (a Quarto book's Paperpile export, pruned): pandoc 2.17 drops the 521 entries after it.
TOURNIER = """@ARTICLE{Tournier2011-deeptrench,
  title  = "Pixel-to-Pixel isolation by Deep Trench technology",
  author = "Tournier, A and Leverd, F",
  journal = "International Image Sensor Workshop",
  year   =  2011,
  url    = "https://www.imagesensors.org/Past%20Workshops/2011%20Workshop/2011%20Papers/R05_Tournier_Isolation.pdf"
}
"""
PERCENT = (
    "paper.bib:6:1: REF035 'Tournier2011-deeptrench': url has a '%' in a quoted value: pandoc reads it as a comment,"
    " loses the closing quote and fails or drops the entries after it; write \\% (or put a URL in braces)"
)


def test_percent_in_a_quoted_value_breaks_pandoc(tmp_path: Path) -> None:
    """An error for a CSL project, a warning naming pandoc for BibTeX; braces around the URL fix it."""
    assert bib_lines(tmp_path, TOURNIER, "--consumer", "csl") == [PERCENT]
    assert bib_lines(tmp_path, TOURNIER, "--consumer", "bibtex") == [PERCENT + " [pandoc/citeproc (CSL) would object; BibTeX accepts it]"]
    braced = TOURNIER.replace('url    = "', "url    = {").replace('.pdf"', ".pdf}")
    assert bib_lines(tmp_path, braced, "--consumer", "csl") == []


def test_percent_in_braced_text_is_cut_by_pandoc(tmp_path: Path) -> None:
    """``{50% of them}`` becomes "50" in pandoc; ``\\%`` is text everywhere."""
    text = "@article{c, author={A, B}, title={Half 50% of them}, journal={J}, year=2002, doi={10.1000/c}}\n"
    assert bib_lines(tmp_path, text, "--consumer", "csl") == [
        "paper.bib:1:1: REF035 'c': title has a '%': pandoc reads it as a comment and cuts the value there; write \\%"
    ]
    assert bib_lines(tmp_path, text.replace("50%", "50\\%"), "--consumer", "csl") == []


def test_bibtex_sort_warning(tmp_path: Path) -> None:
    """BibTeX's "to sort, need author or key" (plain, alpha): a warning for BibTeX files only."""
    text = "@misc{matplotlib, title={Matplotlib}, year=2007, url={https://matplotlib.org}}\n"
    message = (
        "paper.bib:1:1: REF002 'matplotlib': @misc has no author or key: BibTeX's plain and alpha styles cannot sort it"
        ' ("to sort, need author or key"); add one, or key = {...} to sort by'
    )
    (tmp_path / "paper.bib").write_text(text, encoding="utf-8")
    run = run_in(tmp_path, "refs", "--bib", "paper.bib", "--consumer", "bibtex")
    assert (run.code, run.lines()[:-1]) == (0, [message])
    assert bib_lines(tmp_path, text, "--consumer", "pybtex") == []
    assert bib_lines(tmp_path, text.replace("title=", "key={Matplotlib}, title="), "--consumer", "bibtex") == []


@pytest.mark.parametrize(
    ("files", "consumer", "why", "lines"),
    [
        pytest.param(
            {"conf.py": "extensions = ['sphinxcontrib.bibtex']\nbibtex_bibfiles = ['paper.bib']\n"},
            "pybtex",
            "conf.py loads sphinxcontrib.bibtex: a Sphinx project (pybtex)",
            [REPEATED],
            id="sphinx",
        ),
        pytest.param(
            {"_config.yml": "bibtex_bibfiles:\n  - paper.bib\n", "_toc.yml": "format: jb-book\nroot: intro\n"},
            "pybtex",
            "_config.yml and _toc.yml: a Jupyter Book (sphinxcontrib-bibtex, pybtex)",
            [REPEATED],
            id="jupyter-book",
        ),
        pytest.param(
            {"_quarto.yml": "project:\n  type: book\n"},
            "csl",
            "_quarto.yml: a Quarto project (pandoc/citeproc)",
            [REPEATED + " [pybtex (mkdocs-bibtex) would object; pandoc/citeproc (CSL) accepts it]"],
            id="quarto",
        ),
    ],
)
def test_sphinx_and_jupyter_book_read_the_file_with_pybtex(tmp_path: Path, files: dict[str, str], consumer: str, why: str, lines: list[str]) -> None:
    """sphinxcontrib-bibtex (Sphinx, Jupyter Book) parses with pybtex, so its DuplicateField is an error there; Quarto is CSL."""
    project = tmp_path / "book"
    project.mkdir()
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
    (project / "paper.bib").write_text(GOSELE, encoding="utf-8")
    detected = run_in(tmp_path, "refs", "--bib", "book/paper.bib", "--format", "json").data["refs"]["consumer"]
    assert (detected["name"], detected["why"]) == (consumer, "book/" + why)
    assert bib_lines(project, GOSELE) == lines
