"""Pages as MkDocs renders them: Markdown in HTML blocks, plugins' text and includes, code-like brackets.

Each test is a small site in tmp_path and the exact lines `sitecheck links` prints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .conftest import Run, SiteMaker

Check = Callable[..., Run]
EXTENSIONS = "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - footnotes\n  - toc\n"


def out(run: Run) -> list[str]:
    """Every line of a run's output."""
    return run.out.splitlines()


def test_markdown_in_html_blocks_is_checked(make_site: SiteMaker, sitecheck: Check) -> None:
    """md_in_html: an image in ``<figure markdown>`` and a link in ``<div markdown>`` are checked at their lines."""
    root = make_site(
        {
            "index.md": (
                "# Home\n\n<figure markdown>\n![chart](img/missing.png)\n<figcaption>A chart</figcaption>\n</figure>\n\n"
                "<div markdown>\nSee [the guide](guide.md) and [gone](gone.md).\n</div>\n"
            ),
            "guide.md": "# Guide\n",
        },
        config="site_name: t\n" + EXTENSIONS,
        bib=None,
    )
    run = sitecheck(root)
    assert out(run) == [
        "docs/index.md:4:1: LNK001 link 'img/missing.png': target 'docs/img/missing.png' is not found among the documentation files",
        "docs/index.md:9:31: LNK001 link 'gone.md': target 'docs/gone.md' is not found among the documentation files (did you mean 'guide.md'?)",
        "sitecheck: 2 errors, 0 warnings (2 pages, 3 links)",
    ]
    assert run.code == 1


def test_code_like_brackets_are_not_references(make_site: SiteMaker, sitecheck: Check) -> None:
    """``[][Label](#x)`` (Go slices), ``[0-9][a-z]``, ``[^0-9]`` and ``["a"]["b"]`` are not references or footnotes."""
    root = make_site(
        {
            "index.md": (
                "# Home\n\nGo: [][Label](#home) and `x[0-9][a-z]`.\n\nRegex [0-9][a-z] and [^0-9] and "
                'index ["a"]["b"] in text.\n\nBut [a real][missing] reference and a note[^gone].\n'
            ),
        },
        config="site_name: t\n" + EXTENSIONS,
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:7:5: LNK008 reference link uses label [missing], which has no definition on this page",
        "docs/index.md:7:43: LNK010 footnote [^gone] has no definition on this page",
        "sitecheck: 2 errors, 0 warnings (1 page, 0 links)",
    ]


def test_built_url_that_works_is_info_like_mkdocs(make_site: SiteMaker, sitecheck: Check) -> None:
    """A link to a page's built URL that works on the site is at MkDocs' level (info), its #fragment still checked
    (encode/httpx: ../advanced/transports#asgitransport); one that 404s is an error."""
    root = make_site(
        {"index.md": "# Home\n\n[guide](guide/) [gone](guide/#nope)\n", "sub/page.md": "# Page\n\n[guide](guide/)\n", "guide.md": "# Guide\n"},
        config="site_name: t\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:3:1: LNK004 link 'guide/' points at the built page URL, not the source file: link 'docs/guide.md' "
        "so MkDocs checks and rewrites it (it works on the site; MkDocs reports it at info) (did you mean 'guide.md'?)",
        "docs/index.md:3:17: LNK004 link 'guide/#nope' points at the built page URL, not the source file: link "
        "'docs/guide.md' so MkDocs checks and rewrites it (it works on the site; MkDocs reports it at info) (did you "
        "mean 'guide.md#nope'?)",
        "docs/index.md:3:17: LNK006 link 'guide/#nope': there is no anchor '#nope' on 'docs/guide.md'",
        "docs/sub/page.md:3:1: LNK001 link 'guide/': target 'docs/sub/guide' is not found among the documentation files",
        "sitecheck: 2 errors, 0 warnings (3 pages, 3 links)",
    ]


def test_macros_headings_and_generated_links(make_site: SiteMaker, sitecheck: Check) -> None:
    """Headings a macros loop writes are real anchors; a broken link in generated text is at the macro call's line."""
    root = make_site(
        {
            "index.md": "# Home\n\n[first](tools.md#tool-a) [gone](tools.md#tool-z)\n",
            "tools.md": ("# Tools\n\n{% for name in ['A', 'B'] %}\n## Tool {{ name }}\n\nSee [setup](setup-{{ name }}.md).\n{% endfor %}\n"),
            "setup-A.md": "# Setup A\n",
        },
        config="site_name: t\nplugins:\n  - macros\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:3:26: LNK006 link 'tools.md#tool-z': there is no anchor '#tool-z' on 'docs/tools.md' (did you mean 'tools.md#tool-b'?)",
        "docs/tools.md:3:1: LNK001 link 'setup-B.md': target 'docs/setup-B.md' is not found among the documentation files (did you mean 'setup-A.md'?)",
        "sitecheck: 2 errors, 0 warnings (3 pages, 5 links)",
    ]


def test_include_markdown_link_at_the_included_files_line(make_site: SiteMaker, sitecheck: Check) -> None:
    """A broken link in a file include-markdown pulls in is reported in that file, at its line, as the build has it
    (include-markdown rewrites it relative to the page: it points outside docs_dir)."""
    root = make_site(
        {
            "index.md": '# Home\n\n{% include-markdown "../parts/intro.md" %}\n',
            "/parts/intro.md": "Intro text.\n\nSee [gone](gone.md).\n",
        },
        config="site_name: t\nplugins:\n  - include-markdown\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "parts/intro.md:3:5: LNK002 link '../parts/gone.md' points outside docs_dir 'docs' ('../parts/gone.md'); only files under 'docs/' are published",
        "sitecheck: 1 error, 0 warnings (1 page, 1 link)",
    ]


def test_literate_nav_summary_entry_at_its_line(make_site: SiteMaker, sitecheck: Check) -> None:
    """literate-nav builds the nav from SUMMARY.md: a bad entry is reported there, at its line."""
    root = make_site(
        {"index.md": "# Home\n", "a.md": "# A\n", "SUMMARY.md": "* [Home](index.md)\n* [A](a.md)\n* [Gone](gone.md)\n"},
        config="site_name: t\nplugins:\n  - literate-nav\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/SUMMARY.md:3:3: LNK001 link 'gone.md': target 'docs/gone.md' is not found among the documentation files",
        "sitecheck: 1 error, 0 warnings (3 pages, 3 links)",
    ]


def test_awesome_pages_entry_at_its_line(make_site: SiteMaker, sitecheck: Check) -> None:
    """awesome-pages builds the nav from .pages files: a bad entry is LNK012 in that file, at its line. (A page its
    nav leaves out is not reported: MkDocs reports omitted pages only against a nav written in mkdocs.yml.)"""
    root = make_site(
        {
            "index.md": "# Home\n",
            "sub/a.md": "# A\n",
            "sub/b.md": "# B\n",
            ".pages": "nav:\n  - index.md\n  - sub\n",
            "sub/.pages": "title: Sub\nnav:\n  - a.md\n  - gone.md\n",
        },
        config="site_name: t\nplugins:\n  - awesome-pages\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/sub/.pages:4:5: LNK012 nav entry 'gone.md' points to a file that does not exist in 'docs/sub'",
        "sitecheck: 1 error, 0 warnings (3 pages, 0 links)",
    ]


def test_url_links_that_work_and_link_syntax_in_raw_html(make_site: SiteMaker, sitecheck: Check) -> None:
    """From argo-rollouts and mkdocs-literate-nav: ``../best-practices`` from FAQ.md (served at FAQ/) works on the
    site (info, as MkDocs); ``[Frob](#index.md)`` inside a raw HTML table without ``markdown`` is text, not a link."""
    root = make_site(
        {
            "FAQ.md": "# FAQ\n\n[bp](../best-practices) [self](./#faq)\n\n<table><tr><td>\n* [Frob](#index.md)\n</td></tr></table>\n",
            "best-practices.md": "# BP\n",
        },
        config="site_name: t\n",
        bib=None,
    )
    run = sitecheck(root)
    assert out(run) == [
        "docs/FAQ.md:3:1: LNK002 link '../best-practices' points outside docs_dir 'docs' ('../best-practices'); only "
        "files under 'docs/' are published (it works on the site; MkDocs reports it at info)",
        "docs/FAQ.md:3:25: LNK004 link './#faq' points at the built page URL, not the source file: link 'docs/FAQ.md' "
        "so MkDocs checks and rewrites it (it works on the site; MkDocs reports it at info) (did you mean '#faq'?)",
        "sitecheck: no problems found (2 pages, 2 links)",
    ]
    assert run.code == 0


def test_symbolic_link_loops_are_one_line(make_site: SiteMaker, sitecheck: Check) -> None:
    """A link to itself, or to a folder above it, under docs/: one line naming it, exit 2 (not an internal error)."""
    root = make_site({"index.md": "# Home\n", "sub/page.md": "# Page\n"}, config="site_name: t\n", bib=None)
    (root / "docs" / "self").symlink_to("self")
    run = sitecheck(root)
    assert (run.code, run.out, run.err) == (
        2,
        "",
        "sitecheck: error: docs/self: symbolic link loop (-> self); remove the link or point it at a file or folder that is not above it\n",
    )
    (root / "docs" / "self").unlink()
    (root / "docs" / "sub" / "up").symlink_to("..")
    run = sitecheck(root)
    assert (run.code, run.err) == (
        2,
        "sitecheck: error: docs/sub/up: symbolic link to a folder above it (-> ..) makes an endless tree under "
        "docs_dir; remove the link or point it elsewhere\n",
    )


def test_repeats_are_summarised_per_file_and_huge_pages_are_one_line(make_site: SiteMaker, sitecheck: Check) -> None:
    """150 broken links in one page: 100 lines, then one that counts the rest; an 11 MB page is one LNK024 line."""
    root = make_site(
        {"index.md": "# Home\n\n" + "".join(f"[x{i}](gone{i}.md)\n" for i in range(150))},
        config="site_name: t\n",
        bib=None,
    )
    lines = out(sitecheck(root))
    assert len(lines) == 102
    assert lines[99] == "docs/index.md:102:1: LNK001 link 'gone99.md': target 'docs/gone99.md' is not found among the documentation files"
    assert lines[100] == ("docs/index.md:103:1: LNK001 and 50 more LNK001 findings in this file from here on, not shown one by one")
    assert lines[101] == "sitecheck: 101 errors, 0 warnings (1 page, 150 links)"

    (root / "docs" / "dump.md").write_text("[x](gone.md)\n" * 850_000, encoding="utf-8")
    lines = out(sitecheck(root))
    assert lines[0] == ("docs/dump.md:1:1: LNK024 page is 11 MB; sitecheck (like a build) renders pages up to 10 MB: split it into smaller pages")
    assert lines[-1] == "sitecheck: 102 errors, 0 warnings (2 pages, 150 links)"


def test_unchanged_rerun_comes_from_the_content_hash_cache(make_site: SiteMaker, sitecheck: Check, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing changed: the second run prints the same output without loading the site; any edit loads it again."""
    from mkdocs_sitecheck import project

    loads: list[object] = []
    real_load = project.load_project

    def counting_load(*args: Any, **kwargs: Any) -> Any:
        """Note each load, then load as usual."""
        loads.append(args)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(project, "load_project", counting_load)  # cli imports it when a run is not kept
    root = make_site({"index.md": "# Home\n\n[gone](gone.md)\n"}, config="site_name: t\n", bib=None)
    first = sitecheck(root)
    again = sitecheck(root)
    assert (again.code, again.out, len(loads)) == (first.code, first.out, 1)
    assert first.code == 1

    (root / "docs" / "gone.md").write_text("# Here now\n", encoding="utf-8")
    assert (sitecheck(root).out, len(loads)) == ("sitecheck: no problems found (2 pages, 1 link)\n", 2)
    (root / "mkdocs.yml").write_text("site_name: t\nuse_directory_urls: false\n", encoding="utf-8")
    assert (sitecheck(root).code, len(loads)) == (0, 3)


class _Recorder:
    """A visitor that notes what it is given, and what the site's hook had rendered at that moment."""

    def __init__(self, config: Any, fail_on: str = "") -> None:
        self.config = config
        self.fail_on = fail_on
        self.events: list[str] = []

    def begin(self, built: Any) -> None:
        """Note the build's files."""
        self.events.append(f"begin {sorted(f for f in built.files if f.endswith('.md'))}")

    def page(self, src: str, rendered: Any) -> None:
        """Note the page and the pages the hook saw rendered so far."""
        if src == self.fail_on:
            raise ValueError(f"visitor cannot take {src}")
        self.events.append(f"{src} after {self.config.extra['seen']}")


STREAM_HOOK = "def on_page_markdown(markdown, page, config, files):\n    config.extra.setdefault('seen', []).append(page.file.src_uri)\n    return markdown\n"


def test_each_page_is_handed_over_as_soon_as_it_renders(make_site: SiteMaker) -> None:
    """A site built once: the visitor learns the files first, then gets each page before the next one renders
    (so nothing of a page is kept after its check); its own exception is its own, not a plugin's."""
    from mkdocs_sitecheck.links.engine import build_pages
    from mkdocs_sitecheck.project import load_project

    files: dict[str, str | bytes] = {"a.md": "# A\n", "b.md": "# B\n", "/hooks/seen.py": STREAM_HOOK}
    root = make_site(files, config="site_name: t\nhooks:\n  - hooks/seen.py\n", bib=None)
    project = load_project(root / "mkdocs.yml")
    recorder = _Recorder(project.config)
    build_pages(project, recorder)
    assert recorder.events == ["begin ['a.md', 'b.md']", "a.md after ['a.md']", "b.md after ['a.md', 'b.md']"]

    project = load_project(root / "mkdocs.yml")
    with pytest.raises(ValueError, match=r"^visitor cannot take a\.md$"):
        build_pages(project, _Recorder(project.config, fail_on="a.md"))


USES_HOOK = "def on_page_markdown(markdown, page, config, files):\n    return markdown + '\\nSee [the docs][docs] and a note[^later].\\n'\n"


def test_unused_definitions_are_what_python_markdown_never_used(make_site: SiteMaker, sitecheck: Check) -> None:
    """LNK009 and LNK011 are decided by the render: a definition used only by text a hook adds is used; one
    nothing uses is reported at its line."""
    page = "# Home\n\n[docs]: https://example.org/\n[spare]: https://example.org/spare\n\n[^later]: Later.\n[^idle]: Idle.\n"
    files: dict[str, str | bytes] = {"index.md": page, "/hooks/uses.py": USES_HOOK}
    root = make_site(files, config="site_name: t\nhooks:\n  - hooks/uses.py\n" + EXTENSIONS, bib=None)
    assert out(sitecheck(root)) == [
        "docs/index.md:4:1: LNK009 reference definition [spare] is never used",
        "docs/index.md:7:1: LNK011 footnote definition [^idle] is never referenced",
        "sitecheck: 0 errors, 2 warnings (1 page, 1 link)",
    ]


def test_pages_merged_from_other_folders_are_checked_at_their_files(make_site: SiteMaker, sitecheck: Check) -> None:
    """mkdocs-monorepo merges v1/docs into the site as versions/v1/: its pages are checked, at their own files."""
    files: dict[str, str | bytes] = {
        "index.md": "# Home\n\n[API](versions/v1/reference.md)\n",
        "/v1/mkdocs.yml": "site_name: versions/v1\nnav:\n  - Reference: reference.md\n  - Changes: changelog.md\n",
        "/v1/docs/reference.md": "# Reference\n\nSee [the changes](changelog.md#v10) and [gone](gone.md).\n",
        "/v1/docs/changelog.md": "# Changes\n\n## v1.1\n",
    }
    config = "site_name: t\nnav:\n  - Home: index.md\n  - API: '!include ./v1/mkdocs.yml'\nplugins:\n  - monorepo\n" + EXTENSIONS
    root = make_site(files, config=config, bib=None)
    assert out(sitecheck(root)) == [
        "v1/docs/reference.md:3:5: LNK006 link 'changelog.md#v10': there is no anchor '#v10' on 'v1/docs/changelog.md' (did you mean 'changelog.md#v11'?)",
        "v1/docs/reference.md:3:41: LNK001 link 'gone.md': target 'v1/docs/gone.md' is not found among the documentation files",
        "sitecheck: 2 errors, 0 warnings (3 pages, 3 links)",
    ]


def test_literate_nav_folder_entries_are_sections(make_site: SiteMaker, sitecheck: Check) -> None:
    """In a literate-nav SUMMARY.md, ``[About](about/)`` names a folder: literate-nav makes it a section from that
    folder's own SUMMARY.md (C2SM's site), so it is no page link to rewrite; a folder that does not exist still is."""
    files: dict[str, str | bytes] = {
        "index.md": "# Home\n",
        "SUMMARY.md": "- [Home](index.md)\n- [About](about/)\n- [Gone](gone/)\n",
        "about/index.md": "# About\n",
        "about/team.md": "# Team\n",
        "about/SUMMARY.md": "- [Overview](index.md)\n- [Team](team.md)\n",
    }
    root = make_site(files, config="site_name: t\nplugins:\n  - literate-nav\n", bib=None)
    assert out(sitecheck(root)) == [
        "docs/SUMMARY.md:3:3: LNK001 link 'gone/': target 'docs/gone' is not found among the documentation files",
        "sitecheck: 1 error, 0 warnings (5 pages, 5 links)",
    ]
