"""One fixture site per code: the exact lines `sitecheck links` prints, and its exit status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import BASE_CONFIG, Run, SiteMaker

Check = Callable[..., Run]

CITED = "Cites [@berman2000] and [@zarate2006].\n"  # keeps CIT003 (uncited entry) out of unrelated tests


def lines(run: Run) -> list[str]:
    """The finding lines of a run (without the summary)."""
    return run.out.splitlines()[:-1]


def test_missing_page_with_suggestion(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK001: a missing target names the docs path and suggests the closest file in its folder."""
    root = make_site(
        {
            "index.md": f"# Home\n\nRead the [setup guide](guide/setup.md) first.\n\n{CITED}",
            "guide/setup-steps.md": "# Setup\n",
        }
    )
    run = sitecheck(root)
    assert lines(run) == [
        "docs/index.md:3:10: LNK001 link 'guide/setup.md': target 'docs/guide/setup.md' is not found among "
        "the documentation files (did you mean 'guide/setup-steps.md'?)",
    ]
    assert run.out.splitlines()[-1] == "sitecheck: 1 error, 0 warnings (2 pages, 1 link)"
    assert run.code == 1


def test_missing_image_and_file(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK001 also covers images and downloads; an existing image is fine."""
    root = make_site(
        {
            "index.md": f"![logo](img/logo.png) ![chart](img/chart.svg) [data](files/data.csv)\n\n{CITED}",
            "img/logo.png": "png",
        }
    )
    assert lines(sitecheck(root)) == [
        "docs/index.md:1:23: LNK001 link 'img/chart.svg': target 'docs/img/chart.svg' is not found among the documentation files",
        "docs/index.md:1:47: LNK001 link 'files/data.csv': target 'docs/files/data.csv' is not found among the documentation files",
    ]


def test_outside_docs_dir(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK002: a link that climbs out of docs_dir is not published, even if the file exists."""
    root = make_site({"index.md": f"See [the readme](../README.md).\n\n{CITED}", "/README.md": "# Readme\n"})
    assert lines(sitecheck(root)) == [
        "docs/index.md:1:5: LNK002 link '../README.md' points outside docs_dir 'docs' ('../README.md'); only files under 'docs/' are published",
    ]


def test_case_mismatch(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK003: right name, wrong case: found on a laptop, 404 on a case-sensitive server."""
    root = make_site({"index.md": f"[Intro](guide/Intro.md)\n\n{CITED}", "guide/intro.md": "# Intro\n"})
    assert lines(sitecheck(root)) == [
        "docs/index.md:1:1: LNK003 link 'guide/Intro.md': 'docs/guide/Intro.md' does not exist; "
        "'docs/guide/intro.md' differs only in case (works on case-insensitive disks, 404 on the server) "
        "(did you mean 'guide/intro.md'?)",
    ]


def test_links_to_built_urls(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK004: ``page.html``, ``folder/`` and ``page/`` name built URLs; the .md file is suggested. Where the
    URL works on the built site it is at MkDocs' own level for such links (validation.links.unrecognized_links: info)."""
    root = make_site(
        {
            "index.md": f"[a](guide/intro.html) [b](guide/) [c](guide/intro/#install)\n\n{CITED}",
            "guide/index.md": "# Guide\n",
            "guide/intro.md": "# Intro\n\n## Install\n",
        }
    )
    run = sitecheck(root)
    assert lines(run) == [
        "docs/index.md:1:1: LNK004 link 'guide/intro.html' points at the built page URL, not the source "
        "file: link 'docs/guide/intro.md' so MkDocs checks and rewrites it (did you mean 'guide/intro.md'?)",
        "docs/index.md:1:23: LNK004 link 'guide/' points at the built page URL, not the source file: link "
        "'docs/guide/index.md' so MkDocs checks and rewrites it (it works on the site; MkDocs reports it at info) "
        "(did you mean 'guide/index.md'?)",
        "docs/index.md:1:35: LNK004 link 'guide/intro/#install' points at the built page URL, not the source "
        "file: link 'docs/guide/intro.md' so MkDocs checks and rewrites it (it works on the site; MkDocs reports it "
        "at info) (did you mean 'guide/intro.md#install'?)",
    ]
    assert run.out.splitlines()[-1] == "sitecheck: 1 error, 0 warnings (3 pages, 3 links)"


def test_absolute_link(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK005: an absolute path is left as is by MkDocs; the relative link is suggested."""
    root = make_site(
        {
            "guide/intro.md": f"Back to the [home page](/index.md).\n\n{CITED}",
            "index.md": "# Home\n",
        }
    )
    assert lines(sitecheck(root)) == [
        "docs/guide/intro.md:1:13: LNK005 absolute link '/index.md' is left as is by MkDocs and breaks when the "
        "site is served from a sub-path; use a relative link to the file (did you mean '../index.md'?)",
    ]


def test_missing_anchor_same_and_other_page(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK006: a missing #anchor on this page or another, with the closest id suggested."""
    root = make_site(
        {
            "index.md": f"# Home\n\n## Getting started\n\n[a](#getting-startd) [b](guide.md#instal) [c](guide.md#zzz)\n\n{CITED}",
            "guide.md": "# Guide\n\n## Install\n",
        }
    )
    assert lines(sitecheck(root)) == [
        "docs/index.md:5:1: LNK006 link '#getting-startd': there is no anchor '#getting-startd' on this page (did you mean '#getting-started'?)",
        "docs/index.md:5:22: LNK006 link 'guide.md#instal': there is no anchor '#instal' on 'docs/guide.md' (did you mean 'guide.md#install'?)",
        "docs/index.md:5:43: LNK006 link 'guide.md#zzz': there is no anchor '#zzz' on 'docs/guide.md'",
    ]


def test_anchor_case_mismatch(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK007: ids are case-sensitive; ``#Install`` does not find ``install``."""
    root = make_site({"index.md": f"[a](guide.md#Install)\n\n{CITED}", "guide.md": "# Guide\n\n## Install\n"})
    assert lines(sitecheck(root)) == [
        "docs/index.md:1:1: LNK007 link 'guide.md#Install': anchor '#Install' differs in case from the id "
        "'#install' on 'docs/guide.md' (did you mean 'guide.md#install'?)",
    ]


def test_reference_links(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK008 undefined label, LNK009 unused definition, LNK001 at a definition whose target is missing."""
    root = make_site(
        {
            "index.md": f"""\
            See the [user guide][guid] and the [setup][].

            [guide]: guide.md
            [setup]: setup.md
            [spare]: guide.md

            {CITED}""",
            "guide.md": "# Guide\n",
        }
    )
    assert lines(sitecheck(root)) == [
        "docs/index.md:1:9: LNK008 reference link uses label [guid], which has no definition on this page (did you mean '[guide]'?)",
        "docs/index.md:3:1: LNK009 reference definition [guide] is never used",
        "docs/index.md:4:1: LNK001 reference definition [setup]: link 'setup.md': target 'docs/setup.md' is not found among the documentation files",
        "docs/index.md:5:1: LNK009 reference definition [spare] is never used",
    ]


def test_footnotes(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK010 reference without definition (closest label suggested), LNK011 definition never used; on this
    repository's site, whose hook turns unreferenced definitions into a reference list, there is no LNK011."""
    page = "Ketamine acts fast[^fast] and briefly[^brief].\n\n[^fast]: Within hours.\n[^brif]: Days.\n"
    root = make_site({"index.md": page}, config="site_name: t\nmarkdown_extensions:\n  - footnotes\n", bib=None)
    run = sitecheck(root)
    assert lines(run) == [
        "docs/index.md:1:38: LNK010 footnote [^brief] has no definition on this page (did you mean '[^brif]'?)",
        "docs/index.md:4:1: LNK011 footnote definition [^brif] is never referenced",
    ]
    assert run.code == 1

    root = make_site({"index.md": f"{page}\n{CITED}"})
    assert lines(sitecheck(root)) == ["docs/index.md:1:38: LNK010 footnote [^brief] has no definition on this page (did you mean '[^brif]'?)"]


def test_nav_and_orphans(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK012 at the nav line in mkdocs.yml; LNK013 for pages in no nav entry (not_in_nav respected)."""
    root = make_site(
        {"index.md": f"# Home\n\n{CITED}", "a.md": "# A\n", "orphan.md": "# O\n", "drafts/b.md": "# B\n"},
        extra_config="""\
            nav:
              - Home: index.md
              - Section:
                  - A: a.md
                  - Missing: b.md
              - External: https://example.org/
            not_in_nav: |
              /drafts/
            """,
    )
    run = sitecheck(root)
    assert lines(run) == [
        "docs/orphan.md:1:1: LNK013 page is not in the nav; add it to nav in mkdocs.yml or to not_in_nav",
        "mkdocs.yml:29:18: LNK012 nav entry 'Missing' points to 'b.md', which does not exist in docs_dir 'docs' (did you mean 'a.md'?)",
    ]
    assert run.out.splitlines()[-1] == "sitecheck: 1 error, 1 warning (4 pages, 0 links)"


def test_orphan_is_an_error_when_the_strict_build_fails_on_it(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK013 is an error when mkdocs.yml has strict: true and validation.nav.omitted_files: warn."""
    root = make_site(
        {"index.md": f"# Home\n\n{CITED}", "orphan.md": "# O\n"},
        extra_config="nav:\n  - index.md\nstrict: true\nvalidation:\n  nav:\n    omitted_files: warn\n",
    )
    run = sitecheck(root, "--format", "json")
    assert '"code": "LNK013",\n      "severity": "error"' in run.out
    assert run.code == 1


def test_script_urls(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK014: javascript:, vbscript: and data: URLs, in Markdown and raw HTML."""
    root = make_site(
        {
            "index.md": f'[run](javascript:alert(1)) <a href="JavaScript:void(0)">x</a> ![i](data:image/png;base64,AAAA)\n\n{CITED}',
        }
    )
    assert lines(sitecheck(root)) == [
        "docs/index.md:1:1: LNK014 link uses a 'javascript:' URL ('javascript:alert(1)'); link to a page or file",
        "docs/index.md:1:37: LNK014 link uses a 'javascript:' URL ('JavaScript:void(0)'); link to a page or file",
        "docs/index.md:1:63: LNK014 link uses a 'data:' URL ('data:image/png;base64,AAAA'); link to a page or file",
    ]


def test_snippets(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK015: inline and block snippets and auto_append files that are not in base_path."""
    config = BASE_CONFIG.replace("check_paths: true", "check_paths: true\n      auto_append: [abbreviations.md]")
    root = make_site(
        {
            "index.md": f"""\
                --8<-- "notes.md"
                --8<-- "note.md"

                --8<--
                notes.md
                missing.md
                --8<--

                ;--8<-- "escaped.md"

                {CITED}""",
            "/includes/notes.md": "Notes.\n",
        },
        config=config,
    )
    assert lines(sitecheck(root)) == [
        "docs/index.md:2:9: LNK015 snippet 'note.md' is not found in base_path 'includes' (did you mean 'notes.md'?)",
        "docs/index.md:6:1: LNK015 snippet 'missing.md' is not found in base_path 'includes'",
        "mkdocs.yml:19:21: LNK015 pymdownx.snippets auto_append file 'abbreviations.md' is not found in base_path",
    ]


def test_raw_html_links_are_not_rewritten(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK016: raw HTML names a .md file, which 404s; with directory URLs, images need ../ too."""
    root = make_site(
        {
            "guide/intro.md": f"""\
            <a href="setup.md">Setup</a> <a href="../setup/">ok</a>
            <img src="logo.png"> <img src="../logo.png">

            {CITED}""",
            "guide/setup.md": "# Setup\n",
            "guide/logo.png": "png",
        }
    )
    assert lines(sitecheck(root)) == [
        "docs/guide/intro.md:1:10: LNK016 raw HTML link 'setup.md' names a source file; MkDocs rewrites only "
        "Markdown links, so it 404s on the site: use the page's URL (did you mean '../setup/'?)",
        "docs/guide/intro.md:2:11: LNK016 raw HTML link 'logo.png' names a source file; MkDocs rewrites only "
        "Markdown links, so it 404s on the site: use the page's URL (did you mean '../logo.png'?)",
    ]


def test_citations(make_site: SiteMaker, sitecheck: Check) -> None:
    """CIT001 unknown key, CIT002 unparsable key, CIT004 case, CIT005 in code, CIT003 uncited entry."""
    root = make_site(
        {
            "index.md": """\
            Early trials [@berman2000; @zarat2006] and [@Berman2000], [@berman:2000].

            Write citations as `[@key]`.
            """,
        }
    )
    run = sitecheck(root)
    assert lines(run) == [
        "docs/index.md:1:28: CIT001 citation key '@zarat2006' is not in the bibliography; mkdocs-bibtex drops it from the page (did you mean '@zarate2006'?)",
        "docs/index.md:1:45: CIT004 citation key '@Berman2000' differs in case from the refs.bib entry 'berman2000' (did you mean '@berman2000'?)",
        "docs/index.md:1:60: CIT002 citation key '@berman:2000' contains ':', which mkdocs-bibtex cannot parse: "
        "it reads '@berman' (keys may hold only letters, digits, '_' and '-') (did you mean '@berman2000'?)",
        "docs/index.md:3:22: CIT005 '@key' in code looks like a citation: mkdocs-bibtex rewrites it there too (write it without the '@' or outside brackets)",
        "refs.bib:9:1: CIT003 bibliography entry 'zarate2006' is never cited ([@zarate2006]) nor linked (#ref-zarate2006)",
    ]
    assert run.code == 1


def test_bibliography_marker_ids_and_unknown_keyword(make_site: SiteMaker, sitecheck: Check) -> None:
    """The hook's ``ref-KEY`` ids exist where a marker lists the key; CIT006 for a keyword with no entry."""
    root = make_site(
        {
            "index.md": "[a](refs.md#ref-berman2000) [b](refs.md#ref-zarate2006) [c](refs.md#ref-nobody)\n",
            "refs.md": "# References\n\n<!-- bibliography: guide -->\n\n<!-- bibliography: guides -->\n",
        }
    )
    assert lines(sitecheck(root)) == [
        "docs/index.md:1:57: LNK006 link 'refs.md#ref-nobody': there is no anchor '#ref-nobody' on 'docs/refs.md'",
        "docs/refs.md:5:20: CIT006 bibliography marker keyword 'guides' matches no entry's keywords in refs.bib (did you mean 'guide'?)",
    ]


def test_every_code_is_documented(capsys: object) -> None:
    """``--list-codes`` prints each code once, with its default severity and a description."""
    from mkdocs_sitecheck.cli import main

    assert main(["links", "--list-codes"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert out.splitlines()[0] == "LNK001  error    link target (page, image or file) does not exist"
    assert [line.split()[0] for line in out.splitlines()] == [
        "LNK001",
        "LNK002",
        "LNK003",
        "LNK004",
        "LNK005",
        "LNK006",
        "LNK007",
        "LNK008",
        "LNK009",
        "LNK010",
        "LNK011",
        "LNK012",
        "LNK013",
        "LNK014",
        "LNK015",
        "LNK016",
        "LNK017",
        "LNK018",
        "LNK019",
        "LNK020",
        "LNK021",
        "LNK022",
        "LNK023",
        "LNK024",
        "LNK025",
        "LNK026",
        "LNK030",
        "CIT001",
        "CIT002",
        "CIT003",
        "CIT004",
        "CIT005",
        "CIT006",
        "REV001",
        "REV002",
    ]
    assert all(len(line.split(None, 2)) == 3 for line in out.splitlines())


def test_clean_site_exits_zero(make_site: SiteMaker, sitecheck: Check, tmp_path: Path) -> None:
    """No finding: the one-line summary, exit 0."""
    root = make_site({"index.md": f"# Home\n\n[Guide](guide.md#install)\n\n{CITED}", "guide.md": "## Install\n"})
    run = sitecheck(root)
    assert run.out == "sitecheck: no problems found (2 pages, 1 link)\n"
    assert run.code == 0
