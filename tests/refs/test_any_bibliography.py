"""`sitecheck refs --bib` on any real bibliography, anywhere: no false alarms on valid BibTeX/biblatex,
errors where mkdocs-bibtex's parser (pybtex) fails, and a clear error for what is not a bibliography."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from mkdocs_sitecheck.cli import main
from tests.refs.conftest import Run

PYBTEX_ONLY = " [pybtex (mkdocs-bibtex) would object; BibTeX accepts it]"
POLICY = ' [site policy, not a BibTeX error; to turn it off: [tool.sitecheck.severity] REF020 = "off"]'


def run_in(folder: Path, *args: str) -> Run:
    """Run ``sitecheck ARGS`` in-process with ``folder`` as the current directory (restored after)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        patch.chdir(folder)
        code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


def bib_lines(tmp_path: Path, text: str, *extra: str) -> list[str]:
    """The finding lines of ``sitecheck refs --bib paper.bib [EXTRA]`` run in an empty folder."""
    (tmp_path / "paper.bib").write_text(text, encoding="utf-8")
    run = run_in(tmp_path, "refs", "--bib", "paper.bib", *extra)
    assert run.err == ""
    return run.lines()[:-1]


# --- 1. Any folder ------------------------------------------------------------------------------


def test_runs_in_an_empty_folder(tmp_path: Path) -> None:
    """No mkdocs.yml, no docs/: the bibliography is all it needs."""
    (tmp_path / "paper.bib").write_text("@misc{a,\n  author = {A, B},\n  title = {T}\n}\n", encoding="utf-8")
    run = run_in(tmp_path, "refs", "--bib", "paper.bib")
    assert run.lines() == [
        "paper.bib:1:1: REF020 'a' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
        "sitecheck: 1 error, 0 warnings (paper.bib, 1 entry offline: 1 unverifiable)",
    ]
    assert run.code == 1


def test_runs_beside_a_stub_mkdocs_yml_without_docs(tmp_path: Path) -> None:
    """A mkdocs.yml without a docs/ folder does not stop a bibliography check."""
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "paper.bib").write_text("@misc{a,\n  author = {A, B},\n  title = {T},\n  doi = {10.1000/xyz}\n}\n", encoding="utf-8")
    run = run_in(tmp_path, "refs", "--bib", "paper.bib")
    assert (run.code, run.lines()) == (0, ["sitecheck: no problems found (paper.bib, 1 entry offline: 1 unchecked)"])


def test_without_bib_or_mkdocs_yml_says_to_pass_bib(tmp_path: Path) -> None:
    """Nothing to check: a one-line usage error that names --bib."""
    run = run_in(tmp_path, "refs")
    assert run.code == 2
    assert run.err == ("sitecheck: error: no bibliography: pass --bib PATH (there is no mkdocs.yml here to read the bibtex plugin's bib_file from)\n")


# --- 2. Valid entries from real bibliographies give no finding ------------------------------------

VALID = {
    "isbns-separated-by-spaces": "@book{a, author={A, B}, title={T}, publisher={P}, year={2008}, isbn={9780521880688 0521880688}}",
    "arxiv-eprint": "@article{a, author={A, B}, title={T}, journal={arXiv}, year={2020}, eprint={2003.05580}, archiveprefix={arXiv}}",
    "pubmed-eprint": "@article{a, author={A, B}, title={T}, journaltitle={J}, date={2000}, eprint={10686270}, eprinttype={pubmed}}",
    "jstor-eprint": "@article{a, author={A, B}, title={T}, journal={J}, year={1990}, eprint={2289999}, eprinttype={jstor}}",
    "url-in-howpublished": "@misc{a, author={{World Health Organization}}, title={T}, howpublished={\\url{https://www.who.int/publications/x}}}",
    "short-doi": "@article{a, author={A, B}, title={T}, journal={J}, year={2019}, doi={10/ggb347}}",
    "www-doi-org": "@article{a, author={A, B}, title={T}, journal={J}, year={2019}, doi={https://www.doi.org/10.1000/xyz}}",
    "pmcid-prefix": "@article{a, author={A, B}, title={T}, journal={J}, year={2019}, pmcid={PMCID: PMC3000001}}",
    "collection": "@collection{a, editor={A, B}, title={T}, date={2001}, isbn={0-19-853453-1}}",
    "mvbook": "@mvbook{a, author={A, B}, title={T}, date={1998}, isbn={0-19-853453-1}}",
    "patent": "@patent{a, author={A, B}, title={T}, number={EP0123456}, date={1995-05-23}, url={https://worldwide.espacenet.com/x}}",
    "set": "@set{a, entryset={b,c}}\n@misc{b, title={B}, date={2001}, doi={10.1000/b}}\n@misc{c, title={C}, date={2001}, doi={10.1000/c}}",
    "date-range": "@book{a, author={A, B}, title={T}, date={1997/1998}, isbn={0-19-853453-1}}",
    "date-open-range": "@book{a, author={A, B}, title={T}, date={1997/}, isbn={0-19-853453-1}}",
    "date-approximate": "@book{a, author={A, B}, title={T}, date={~1850}, isbn={0-19-853453-1}}",
    "date-bce": "@book{a, author={A, B}, title={T}, date={-0044-03-15}, isbn={0-19-853453-1}}",
    "year-noopsort": "@book{a, author={A, B}, title={T}, publisher={P}, year={{\\noopsort{a}}1973}, isbn={0-19-853453-1}}",
    "old-year": "@book{a, author={Copernicus, Nicolaus}, title={De revolutionibus}, publisher={Petreius}, year={1543}, url={https://www.loc.gov/item/x}}",
    "crossref-inherits": "@inproceedings{a, author={A, B}, title={T}, crossref={p}, doi={10.1000/a}}\n"
    "@proceedings{p, editor={E, F}, title={Proc}, year={2001}, doi={10.1000/p}}",
    "crossref-title-to-booktitle": "@incollection{a, author={A, B}, title={T}, crossref={c}, doi={10.1000/a}}\n"
    "@collection{c, editor={E, F}, title={Coll}, publisher={P}, date={2001}, doi={10.1000/c}}",
    "online-with-doi-only": "@online{a, author={A, B}, title={T}, date={2020}, doi={10.1000/xyz}}",
    "acm-article-page": "@article{a, author={A, B}, title={T}, journal={J}, year={2019}, pages={155:1--155:13}, doi={10.1145/1}}",
    "article-number-letters": "@article{a, author={A, B}, title={T}, journal={J}, year={2019}, pages={04DH06}, doi={10.7567/1}}",
    "spie-article-number": "@article{a, author={A, B}, title={T}, journal={J}, year={2009}, pages={72310W}, doi={10.1117/1}}",
    "section-pages": "@article{a, author={A, B}, title={T}, journal={J}, year={1988}, pages={C3-27--C3-32}, doi={10.1051/1}}",
    "and-following": "@article{a, author={A, B}, title={T}, journal={J}, year={1970}, pages={73+}, doi={10.1000/1}}",
    "pages-protected-hyphens": "@article{a, author={A, B}, title={T}, journal={J}, year={1970}, pages={{I-II}---{III-IV}}, doi={10.1000/1}}",
    "pages-and-following-psqq": "@article{a, author={A, B}, title={T}, journal={J}, year={1970}, pages={579\\psqq}, doi={10.1000/1}}",
    "pages-tied-dash": "@article{a, author={A, B}, title={T}, journal={J}, year={1970}, pages={3~--~11}, doi={10.1000/1}}",
    "pages-open-range": "@article{a, author={A, B}, title={T}, journal={J}, year={1970}, pages={123--}, doi={10.1000/1}}",
    "issn-with-qualifier": "@article{a, author={A, B}, title={T}, journal={J}, year={1970}, issn={2689-6575 (Electronic)}, doi={10.1000/1}}",
    "edtf-older-draft": "@book{a, author={A, B}, title={T}, date={1999-uu/unknown}, isbn={0-19-853453-1}}",
    "edtf-long-year-and-time": "@book{a, author={A, B}, title={T}, date={Y-17000002}, isbn={0-19-853453-1}}\n"
    "@online{b, author={A, B}, title={T}, date={2016-01-19T14:20:00.000Z}, url={https://www.who.int/b}}",
    "xampl-whole-set-year": "@book{a, editor={A, B}, title={T}, publisher={P}, isbn={0-19-853453-1}, year={{\\noopsort{1973a}}{\\switchargs{--90}{1968}}}}",
    "crossref-through-ids-alias": "@inbook{a, author={A, B}, title={T}, crossref={bookalias}, doi={10.1000/a}}\n"
    "@book{b, ids={bookalias}, author={A, B}, title={Book}, date={2001}, doi={10.1000/b}}",
    "non-ascii-key": "@article{Müller2000, author={Müller, A}, title={T}, journal={J}, year={2000}, doi={10.1000/1}}",
    "wrapped-abstract": "@article{a, author={A, B}, title={T}, journal={J}, year={2000}, doi={10.1000/1},\n"
    "  abstract={We randomised patients and\n n = 120 completed the trial.}}",
}


@pytest.mark.parametrize("text", list(VALID.values()), ids=list(VALID))
def test_valid_entries_have_no_finding(tmp_path: Path, text: str) -> None:
    """Each form here is valid by BibTeX's or biblatex's documentation and came up in real files."""
    assert bib_lines(tmp_path, text + "\n") == []


def test_malformed_entries_are_still_found(tmp_path: Path) -> None:
    """The relaxed rules still catch real defects of the same kinds."""
    text = (
        "@book{a, author={A, B}, title={T}, year={2008}, isbn={9780521880689 0521880688}}\n"
        "@article{b, author={A, B}, title={T}, journal={J}, year={2019}, pages={155:13--155:1}, doi={10/g}}\n"
        "@online{c, title={T}, date={2020-13-01}}\n"
        "@inproceedings{d, author={A, B}, title={T}, crossref={nowhere}, doi={10.1000/d}}\n"
    )
    assert bib_lines(tmp_path, text) == [
        "paper.bib:1:1: REF008 'a': ISBN '9780521880689' has a wrong check digit",
        "paper.bib:2:1: REF012 'b': pages '155:13--155:1' ends before it starts",
        "paper.bib:3:1: REF002 'c': @online needs url or doi or eprint",
        ("paper.bib:3:1: REF011 'c': date '2020-13-01' is not a biblatex date (YYYY, YYYY-MM-DD, a range like 1997/1998, ~1900 or 19XX)"),
        "paper.bib:3:1: REF020 'c' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
        "paper.bib:4:1: REF002 'd': @inproceedings needs booktitle",
        "paper.bib:4:1: REF002 'd': @inproceedings needs year or date",
    ]


def test_site_policy_is_marked_and_can_be_turned_off(tmp_path: Path) -> None:
    """REF020 says it is the site's rule; ``REF020 = "off"`` in pyproject.toml turns it off."""
    assert bib_lines(tmp_path, "@misc{a, author={A, B}, title={T}}\n")[0].endswith(POLICY)
    (tmp_path / "pyproject.toml").write_text('[tool.sitecheck.severity]\nREF020 = "off"\n', encoding="utf-8")
    assert bib_lines(tmp_path, "@misc{a, author={A, B}, title={T}}\n") == []


# --- 3. What makes pybtex (strict, as mkdocs-bibtex uses it) fail is an error at its line ---------

PYBTEX_FAILS = {
    "undefined-macro": (
        "@article{a, author={A, B}, title={T},\n  journal = jbiol,\n  year={2000}, doi={10.1000/a}}\n",
        ("paper.bib:2:1: REF017 undefined @string macro 'jbiol': define it with @string{jbiol = {...}} before its first use, or put the value in braces"),
    ),
    "deep-braces": (
        "@misc{a, doi={10.1000/a},\n  title = {" + "{" * 120 + "x" + "}" * 120 + "}}\n",
        "paper.bib:2:1: REF017 braces nested more than 100 deep (pybtex's limit); remove the extra braces",
    ),
    "stray-brace-in-quotes": (
        '@misc{a, doi={10.1000/a},\n  title = "T}x"}\n',
        "paper.bib:2:1: REF017 unbalanced braces in a quoted value (a stray '{' or '}'); balance them or use a braced value",
    ),
}


@pytest.mark.parametrize(("text", "line"), list(PYBTEX_FAILS.values()), ids=list(PYBTEX_FAILS))
def test_what_pybtex_rejects_is_an_error_at_its_line(tmp_path: Path, text: str, line: str) -> None:
    """pybtex in strict mode really fails on the text, and sitecheck reports it where pybtex does."""
    from pybtex.database import parse_string
    from pybtex.scanner import PybtexSyntaxError

    with pytest.raises(PybtexSyntaxError) as failure:
        parse_string(text, "bibtex")
    assert f":{failure.value.lineno}:1: " in line
    assert line in bib_lines(tmp_path, text, "--consumer", "pybtex")


def test_stray_closing_brace_that_ends_an_entry_early(tmp_path: Path) -> None:
    """A stray '}' makes pybtex end the entry and silently drop the fields after it: an error at the '}'."""
    from pybtex.database import parse_string

    text = "@article{a, author={A, B}, title={T},\n  journal={J}},\n  year={2000},\n  doi={10.1000/a}\n}\n"
    assert "year" not in parse_string(text, "bibtex").entries["a"].fields  # what the site would show
    assert (
        "paper.bib:2:1: REF017 a '}' here closes entry 'a' early: BibTeX, biber, pybtex and pandoc all silently drop"
        " everything after it, starting with field 'year'; remove the extra '}'"
    ) in bib_lines(tmp_path, text)


# --- 4. Hostile input -------------------------------------------------------------------------------


def sitecheck(*args: str, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess (for pipes, devices and FIFOs)."""
    return subprocess.run([sys.executable, "-m", "mkdocs_sitecheck", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def test_dev_zero_is_refused(tmp_path: Path) -> None:
    """A device never ends: refused at once, not read into memory."""
    run = run_in(tmp_path, "refs", "--bib", "/dev/zero")
    assert (run.code, run.err) == (
        2,
        "sitecheck: error: /dev/zero: not a regular file (a device, pipe or socket); save the bibliography to a file\n",
    )


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over the size cap is refused with the sizes."""
    monkeypatch.setattr("mkdocs_sitecheck.bib.MAX_BIB_BYTES", 100)
    (tmp_path / "big.bib").write_text("@misc{a, title={T}}\n" * 10, encoding="utf-8")
    run = run_in(tmp_path, "refs", "--bib", "big.bib")
    assert (run.code, run.err) == (2, "sitecheck: error: big.bib: 200 bytes is more than the 100-byte limit for a bibliography\n")


def test_named_pipe_without_writer_does_not_hang(tmp_path: Path) -> None:
    """Opening a FIFO with no writer would block for ever: it is refused before it is opened."""
    os.mkfifo(tmp_path / "pipe.bib")
    run = sitecheck("refs", "--bib", "pipe.bib", cwd=tmp_path, timeout=30)
    assert run.returncode == 2
    assert run.stderr == "sitecheck: error: pipe.bib: not a regular file (a device, pipe or socket); save the bibliography to a file\n"


def test_output_into_a_closed_pipe_has_no_traceback(tmp_path: Path) -> None:
    """``sitecheck refs | head -n 1`` ends quietly when head stops reading."""
    (tmp_path / "many.bib").write_text("".join(f"@misc{{k{i}, author={{A, B}}, title={{T}}}}\n" for i in range(3000)), encoding="utf-8")
    command = f"{sys.executable} -m mkdocs_sitecheck refs --bib many.bib | head -n 1"
    run = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert run.stdout.startswith("many.bib:1:1: REF020 'k0' is unverifiable")
    assert run.stdout.count("\n") == 1
    assert run.stderr == ""


def test_control_characters_are_escaped(tmp_path: Path) -> None:
    """NUL, BEL and an escape sequence in a key or DOI reach the output escaped, never raw."""
    text = "@misc{a\x1b[31mb, author={A, B}, title={T},\n  doi = {10.1000/x\x00y\x07}}\n"
    lines = bib_lines(tmp_path, text)
    assert lines == [
        "paper.bib:1:1: REF015 key 'a\\x1b[31mb' cannot be cited: use letters, digits, '_' and '-'" + PYBTEX_ONLY,
        "paper.bib:2:1: REF005 'a\\x1b[31mb': '10.1000/x\\x00y\\x07' contains a control character (a DOI is printable text)",
        "paper.bib:1:1: REF020 'a\\x1b[31mb' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
    ] or sorted(lines) == sorted(
        [
            "paper.bib:1:1: REF015 key 'a\\x1b[31mb' cannot be cited: use letters, digits, '_' and '-'" + PYBTEX_ONLY,
            "paper.bib:1:1: REF020 'a\\x1b[31mb' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
            ("paper.bib:2:1: REF005 'a\\x1b[31mb': '10.1000/x\\x00y\\x07' contains a control character (a DOI is printable text)"),
        ]
    )
    assert not any(ch in "\n".join(lines) for ch in "\x00\x07\x1b")


def test_a_value_with_a_newline_stays_one_finding_per_line(tmp_path: Path) -> None:
    """A URL broken over two lines is one finding on one output line."""
    lines = bib_lines(tmp_path, "@misc{a, title={T},\n  url = {https://www.who.int/a\n  b}}\n")
    assert "paper.bib:2:1: REF010 'a': 'https://www.who.int/a\\nb' is not a URL (it is empty or contains spaces)" in lines
    assert all(line.startswith("paper.bib:") for line in lines)


def test_a_file_that_is_not_bibtex_is_an_error(tmp_path: Path) -> None:
    """/etc/passwd-like text has no entries: an error, not 'no problems (0 entries)'."""
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n")
    run = run_in(tmp_path, "refs", "--bib", "passwd")
    assert run.code == 2
    assert run.err == (
        "sitecheck: error: passwd:1:1: no BibTeX entries found: this does not look like a .bib file (entries look like @article{key, title = {...}})\n"
    )


def test_a_bib_of_only_comments_is_empty_not_an_error(tmp_path: Path) -> None:
    """A new project's empty bibliography (comments only) is fine: nothing to check."""
    (tmp_path / "paper.bib").write_text("% references go here\n\n", encoding="utf-8")
    run = run_in(tmp_path, "refs", "--bib", "paper.bib")
    assert run.code == 0


def test_mkdocs_yml_when_present_says_which_entries_the_site_cites(tmp_path: Path) -> None:
    """Beside a site, the JSON report marks each entry cited or not; without one it says nothing about it."""
    (tmp_path / "paper.bib").write_text("@misc{a, title={T}, doi={10.1000/a}}\n@misc{b, title={U}, doi={10.1000/b}}\n")
    alone = json.loads(run_in(tmp_path, "refs", "--bib", "paper.bib", "--format", "json").out)
    assert "cited" not in alone["refs"] and "cited" not in alone["entries"][0]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("Ketamine works fast [@A, p. 3].\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - bibtex:\n      bib_file: paper.bib\n")
    data = json.loads(run_in(tmp_path, "refs", "--format", "json").out)
    assert [(e["key"], e["cited"]) for e in data["entries"]] == [("a", True), ("b", False)]
    assert data["refs"]["cited"] == 1
