"""`sitecheck refs` offline: exact output for each check, acknowledgements, formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.refs.conftest import Project

# How a site-policy finding (REF020) ends: it is the site's rule, not a defect of the file.
POLICY = ' [site policy, not a BibTeX error; to turn it off: [tool.sitecheck.severity] REF020 = "off"]'

GOOD = """@article{good,
  author  = {Berman, Robert M.},
  title   = {Antidepressant Effects of Ketamine in Depressed Patients},
  journal = {Biological Psychiatry},
  year    = {2000},
  pages   = {351--354},
  doi     = {10.1016/S0006-3223(99)00230-9}
}
"""


@pytest.mark.parametrize(
    ("bib", "lines"),
    [
        pytest.param(GOOD, [], id="clean"),
        pytest.param(
            "@article{a,\n  title = {T},\n  year = {2000}\n}\n",
            [
                "refs.bib:1:1: REF002 'a': @article needs author",
                "refs.bib:1:1: REF002 'a': @article needs journal",
                "refs.bib:1:1: REF020 'a' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
            ],
            id="required-fields",
        ),
        pytest.param(
            "@article{a,\n  author = {A, B},\n  title = {},\n  journal = {J},\n  date = {2001-02-03},\n  doi = {10.1/x}\n}\n",
            [
                "refs.bib:1:1: REF002 'a': @article needs title",
                "refs.bib:1:1: REF002 'a': @article needs year",
                "refs.bib:6:1: REF005 'a': '10.1/x' is not of the form 10.NNNN/suffix (no spaces)",
                "refs.bib:1:1: REF020 'a' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
            ],
            id="empty-title-and-bad-doi",
        ),
        pytest.param(
            "@webpage{a,\n  title = {T},\n  url = {https://www.fda.gov/x}\n}\n",
            ["refs.bib:1:1: REF003 'a': unknown entry type @webpage: pybtex's plain style (mkdocs-bibtex) has no template for it and the build fails"],
            id="unknown-type",
        ),
        pytest.param(
            "@misc{a,\n  title = {T}\n  year = {2000},\n  url = {https://www.fda.gov/x}\n}\n",
            ["refs.bib:2:1: REF004 'a': title is followed by another field without a comma; add the missing comma"],
            id="missing-comma",
        ),
        pytest.param(
            "@misc{a,\n  title = {T},\n  pmid = {PMC123},\n  pmcid = {123},\n  isbn = {978-0-19-953556-8},\n  issn = {0006-3224},\n  url = {www.fda.gov}\n}\n",
            [
                "refs.bib:3:1: REF006 'a': 'PMC123' is not a PMID (a number of up to 9 digits) (that is a PMCID: put it in the pmcid field)",
                "refs.bib:4:1: REF007 'a': '123' is not a PMCID: write 'PMC123'",
                "refs.bib:5:1: REF008 'a': ISBN '978-0-19-953556-8' has a wrong check digit",
                "refs.bib:6:1: REF009 'a': ISSN '0006-3224' has a wrong check digit",
                "refs.bib:7:1: REF010 'a': 'www.fda.gov' is not an http(s) URL",
                "refs.bib:1:1: REF020 'a' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and its URL is not valid" + POLICY,
            ],
            id="identifier-check-digits",
        ),
        pytest.param(
            "@misc{a,\n  title = {T},\n  year = {20O9},\n  url = {https://www.fda.gov/x}\n}\n"
            "@misc{b,\n  title = {T},\n  year = {3019},\n  url = {https://www.fda.gov/y}\n}\n"
            "@misc{c,\n  title = {T},\n  year = {1543},\n  url = {https://www.fda.gov/z}\n}\n",
            [
                "refs.bib:3:1: REF011 'a': year '20O9' is not a year (digits, like 2019; for 'in press' use pubstate = {inpress})",
                "refs.bib:8:1: REF011 'b': year 3019 is in the future (expected {next} at the latest)",
            ],
            id="years",
        ),
        pytest.param(
            "@misc{a,\n  title = {T},\n  pages = {351--34},\n  url = {https://www.fda.gov/x}\n}\n",
            ["refs.bib:3:1: REF012 'a': pages '351--34' ends before it starts"],
            id="page-range",
        ),
        pytest.param(
            "@misc{Smith2020,\n  title = {T},\n  url = {https://www.fda.gov/x}\n}\n\n@misc{smith2020,\n  title = {U},\n  url = {https://www.fda.gov/y}\n}\n"
            "\n@misc{Smith2020,\n  title = {V},\n  url = {https://www.fda.gov/z}\n}\n",
            [
                "refs.bib:6:1: REF013 duplicate key 'smith2020': the same key as 'Smith2020' is at line 1",
                "refs.bib:11:1: REF013 duplicate key 'Smith2020': the same key is at line 1",
            ],
            id="duplicate-keys-any-case",
        ),
        pytest.param(
            GOOD + GOOD.replace("{good,", "{other,").replace("  doi ", "  pmid    = {10686270},\n  doi "),
            ["refs.bib:16:1: REF014 'other' has the same DOI 10.1016/S0006-3223(99)00230-9 as 'good' (line 1): the same work twice; keep one"],
            id="same-doi-twice",
        ),
        pytest.param(
            "@misc{a,\n  title = {T},\n  doi = {https://doi.org/10.1000/X}\n}\n@misc{b,\n  title = {U},\n  doi = {doi:10.1000/x}\n}\n",
            [
                "refs.bib:7:1: REF014 'b' has the same DOI 10.1000/x as 'a' (line 1) but another title: parts of one report or"
                " congress volume may share a DOI; if this is not such a part, one of the two is wrong"
            ],
            id="same-doi-other-form",
        ),
        pytest.param(
            "@misc{who:2017,\n  title = {T},\n  url = {https://www.who.int/x}\n}\n",
            ["refs.bib:1:1: REF015 key 'who:2017' cannot be cited: use letters, digits, '_' and '-'"],
            id="uncitable-key",
        ),
        pytest.param(
            "@misc{a,\n  title = {T},\n  url = {https://en.wikipedia.org/wiki/Ketamine}\n}\n",
            ["refs.bib:1:1: REF020 'a' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and its URL is not an official page (en.wikipedia.org)" + POLICY],
            id="unofficial-url",
        ),
        pytest.param(
            "@article{a,\n  title = {T\n}\n\n" + GOOD,
            ["refs.bib:1:1: REF001 malformed BibTeX entry: the entry's closing '}' is missing"],
            id="malformed-entry-rest-checked",
        ),
    ],
)
def test_offline_checks(project: Project, bib: str, lines: list[str]) -> None:
    """Each offline check reports at the right line with the right message; the rest is still checked."""
    import datetime

    project.bib(bib)
    run = project.run()
    expected = [line.replace("{next}", str(datetime.date.today().year + 1)) for line in lines]
    assert run.lines()[:-1] == sorted(expected, key=_place)
    assert run.code == (1 if any(_is_error(line) for line in lines) else 0)


# The refs codes whose default severity is "error", as the README's codes table documents them.
ERRORS = frozenset(
    {
        "REF001",
        "REF002",
        "REF004",
        "REF005",
        "REF006",
        "REF007",
        "REF008",
        "REF009",
        "REF010",
        "REF011",
        "REF012",
        "REF013",
        "REF014",
        "REF015",
        "REF016",
        "REF017",
        "REF018",
        "REF020",
        "REF021",
        "REF022",
        "REF024",
        "REF033",
        "REF035",
    }
)


def _is_error(line: str) -> bool:
    """Whether the README documents this finding as an error.

    By its code's default, except another consumer's objection and a DOI shared by different titles
    (warnings), and an entry type that stops the mkdocs-bibtex build (an error).
    """
    if "the build fails" in line:
        return True
    return line.split()[1] in ERRORS and "would object;" not in line and "but another title" not in line


def _place(line: str) -> tuple[int, str]:
    """Sort key of a text line: line number, then code and message."""
    where, _, rest = line.partition(": ")
    return int(where.split(":")[1]), rest


ACKS = """@misc{source-a,
  title        = {Source article A},
  verification = {unverifiable: source article of this guide; no URL known},
}

@misc{as-cited,
  title        = {As cited},
  verification = {as cited: matches a published record},
}

@misc{no-colon,
  title        = {No colon},
  verification = {unverifiable},
}

@misc{no-reason,
  title        = {No reason},
  verification = {Not Found:  },
}

@misc{with-url,
  title        = {With URL},
  url          = {https://experts.mcmaster.ca/display/publication1914851},
  verification = {not found: the DOI given by the source does not exist},
}
"""


def test_acknowledgements_offline(project: Project) -> None:
    """Acknowledged flags are listed (info) and pass; malformed acknowledgements fail; nothing is hidden."""
    project.bib(ACKS)
    run = project.run()
    assert run.lines() == [
        "refs.bib:1:1: REF030 'source-a' is unverifiable (no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page); "
        "acknowledged: source article of this guide; no URL known",
        "refs.bib:6:1: REF020 'as-cited' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
        "refs.bib:8:1: REF016 'as-cited': verification status 'as cited' is not one of unverifiable, not_found, mismatch, retracted",
        "refs.bib:11:1: REF020 'no-colon' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
        "refs.bib:13:1: REF016 'no-colon': write verification = {STATUS: reason} with STATUS one of unverifiable, not_found, mismatch, retracted",
        "refs.bib:16:1: REF020 'no-reason' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
        "refs.bib:18:1: REF016 'no-reason': verification gives no reason after 'Not Found:'",
        "refs.bib:21:1: REF030 'with-url' is acknowledged as not_found (not checked offline): the DOI given by the source does not exist",
        "sitecheck: 6 errors, 0 warnings (refs.bib, 5 entries offline: 4 unverifiable (1 acknowledged), 1 unchecked)",
    ]
    assert run.code == 1
    project.bib(ACKS.split("@misc{as-cited")[0] + ACKS.split("}\n\n")[-1])
    run = project.run()
    assert (run.code, run.lines()[-1]) == (0, "sitecheck: no problems found (refs.bib, 2 entries offline: 1 unverifiable (1 acknowledged), 1 unchecked)")


def test_ignore_comment_on_the_entry_line(project: Project) -> None:
    """``% sitecheck: ignore REF020`` on an entry's line silences that code there.

    Inside an entry a ``%`` comment breaks pybtex (BibTeX has no comments there), so that is reported too.
    """
    project.bib("@misc{a, % sitecheck: ignore REF020\n  title = {T}\n}\n")
    assert project.run().lines()[0] == (
        "refs.bib:1:1: REF017 pybtex (mkdocs-bibtex) stops here: '}' expected (look for a missing ',' between fields,"
        " a '%' comment inside the entry, or a stray character)"
    )
    project.bib("@misc{a, title = {T}} % sitecheck: ignore REF020\n@misc{b,\n  title = {U}\n}\n")
    run = project.run()
    assert run.lines() == [
        "refs.bib:2:1: REF020 'b' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY,
        "sitecheck: 1 error, 0 warnings (refs.bib, 2 entries offline: 2 unverifiable)",
    ]


def test_severity_override_from_pyproject(project: Project) -> None:
    """``[tool.sitecheck.severity]`` can turn a code into a warning."""
    (project.root / "pyproject.toml").write_text('[tool.sitecheck.severity]\nREF020 = "warning"\n')
    project.bib("@misc{a,\n  title = {T}\n}\n")
    run = project.run()
    assert (run.code, run.lines()[-1]) == (0, "sitecheck: 0 errors, 1 warning (refs.bib, 1 entry offline: 1 unverifiable)")


def test_json_report_is_self_explanatory(project: Project) -> None:
    """JSON has findings, summary, a 'refs' block (modes, meanings, codes) and one item per entry."""
    project.bib(GOOD + ACKS.split("@misc{as-cited")[0])
    run = project.run("--format", "json")
    data = run.data
    assert set(data) == {"findings", "summary", "refs", "entries"}
    assert data["entries"] == [
        {
            "key": "good", "line": 1, "status": "unchecked", "acknowledged": False, "acknowledgement": None,
            "reason": "not checked offline; run with --online to check its identifiers", "fields": [], "record": None,
            "source": None, "suggestion": None, "identifiers": {"doi": "10.1016/S0006-3223(99)00230-9"}, "type": "article",
            "cited": False,
        },
        {
            "key": "source-a", "line": 9, "status": "unverifiable", "acknowledged": True,
            "acknowledgement": {"status": "unverifiable", "reason": "source article of this guide; no URL known", "line": 11},
            "reason": "no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page", "fields": [], "record": None,
            "source": None, "suggestion": None, "identifiers": {}, "type": "misc", "cited": False,
        },
    ]  # fmt: skip
    refs = data["refs"]
    assert refs["mode"] == "offline"
    assert refs["statuses"] == {"unverifiable": 1, "unchecked": 1}
    assert refs["acknowledged"] == ["source-a"] and refs["unacknowledged_flags"] == [] and refs["incomplete"] == []
    assert set(refs["status_meanings"]) == {"verified", "mismatch", "not_found", "unverifiable", "retracted", "incomplete", "unchecked"}
    assert refs["codes"] == {"REF030": "acknowledged flag: kept on purpose, shown as not verified on the site"}
    assert data["findings"][0]["severity"] == "info"


def test_github_annotations_point_at_the_entry(project: Project) -> None:
    """``--format github`` annotates refs.bib at the entry's line."""
    project.bib("\n\n@misc{a,\n  title = {T}\n}\n")
    run = project.run("--format", "github")
    assert run.lines()[0] == (
        "::error file=refs.bib,line=3,col=1,title=REF020::'a' is unverifiable: no DOI, PMID, PMCID, ISBN or eprint, and no URL to an official page" + POLICY
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--bib", "missing.bib"],
            "missing.bib: bibliography not found (set the bibtex plugin's bib_file in mkdocs.yml, or pass --bib PATH to sitecheck refs)",
        ),
        (["--key", "god"], "--key god: no such entry (did you mean 'good'?)"),
    ],
)
def test_usage_errors_exit_2(project: Project, args: list[str], message: str) -> None:
    """Bad arguments are one line on stderr and exit 2."""
    project.bib(GOOD)
    run = project.run(*args)
    assert (run.code, run.err, run.out) == (2, f"sitecheck: error: {message}\n", "")


def test_no_bib_file_configured(project: Project) -> None:
    """Without bib_file in mkdocs.yml and without --bib, say how to fix it."""
    (project.root / "mkdocs.yml").write_text("site_name: t\n")
    run = project.run()
    assert (run.code, run.err) == (
        2,
        "sitecheck: error: no bibliography: set the bibtex plugin's bib_file in mkdocs.yml or pass --bib PATH\n",
    )


def test_bad_environment_is_a_usage_error(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A malformed base URL or timeout is a usage error, before any request."""
    project.bib(GOOD)
    monkeypatch.setenv("SITECHECK_CROSSREF_URL", "api.crossref.org")
    assert project.run("--online").err == "sitecheck: error: SITECHECK_CROSSREF_URL: 'api.crossref.org' is not an http(s) URL\n"
    monkeypatch.setenv("SITECHECK_CROSSREF_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SITECHECK_HTTP_TIMEOUT", "soon")
    assert project.run("--online").err == "sitecheck: error: SITECHECK_HTTP_TIMEOUT='soon': expected a number of seconds\n"


def test_key_limits_the_entries(project: Project) -> None:
    """``--key`` checks only the named entries."""
    project.bib(GOOD + "@misc{bad,\n  title = {T}\n}\n")
    assert project.run("--key", "good").lines() == ["sitecheck: no problems found (refs.bib, 1 entry offline: 1 unchecked)"]


def test_list_codes(project: Project) -> None:
    """``--list-codes`` prints every code once, sorted, and exits 0."""
    run = project.run("--list-codes")
    assert run.code == 0
    assert [line.split()[0] for line in run.lines()] == [
        "REF001",
        "REF002",
        "REF003",
        "REF004",
        "REF005",
        "REF006",
        "REF007",
        "REF008",
        "REF009",
        "REF010",
        "REF011",
        "REF012",
        "REF013",
        "REF014",
        "REF015",
        "REF016",
        "REF017",
        "REF018",
        "REF019",
        "REF020",
        "REF021",
        "REF022",
        "REF023",
        "REF024",
        "REF025",
        "REF026",
        "REF027",
        "REF028",
        "REF029",
        "REF030",
        "REF031",
        "REF032",
        "REF033",
        "REF034",
        "REF035",
        "REF040",
        "REF041",
    ]
    assert run.lines()[0] == "REF001  error    malformed BibTeX entry (the rest of the file is still checked)"


def test_unreadable_bib_is_a_usage_error(project: Project) -> None:
    """A .bib that is not UTF-8 is reported in one line."""
    (project.root / "refs.bib").write_bytes(b"@misc{a, title = {\xff\xfe}}\n")
    run = project.run()
    assert run.code == 2 and run.err.startswith("sitecheck: error: ") and run.err.count("\n") == 1


def test_project_bibliography_flags_exactly_the_entries_without_identifier_or_url(repo: Path) -> None:
    """On the real refs.bib: every entry is unchecked or unverifiable, and unverifiable means no identifier/URL."""
    import io
    from contextlib import redirect_stdout

    from mkdocs_sitecheck.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["refs", "--config", str(repo / "mkdocs.yml"), "--format", "json"])
    data = json.loads(out.getvalue())
    for entry in data["entries"]:
        has_id = bool(set(entry["identifiers"]) & {"doi", "pmid", "pmcid", "isbn", "url"})
        assert entry["status"] == ("unchecked" if has_id else "unverifiable"), entry["key"]
    failing = [f for f in data["findings"] if f["severity"] == "error"]
    assert (code, failing) == (0, [])  # the guide's bibliography is kept clean: every flag is acknowledged
    assert not [e for e in data["entries"] if e["status"] == "unverifiable" and not e["acknowledged"]]
