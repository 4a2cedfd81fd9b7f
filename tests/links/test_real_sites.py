"""What real MkDocs sites do that our own does not: one small fixture site per cause of false errors.

Each cause was found by running `sitecheck links` on public MkDocs projects (see issue 11); each
test fails on the checker as it was before and pins the exact output now.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import markdown.util
import pytest

from .conftest import Run, SiteMaker

Check = Callable[..., Run]


def out(run: Run) -> list[str]:
    """Finding lines and the summary line of a run."""
    return run.out.splitlines()


def test_autorefs_resolve_headings_and_objects_site_wide(make_site: SiteMaker, sitecheck: Check) -> None:
    """autorefs: [text][heading-id] and [pkg.Obj][] resolve across pages; the unknown ones are said plainly."""
    root = make_site(
        {
            "index.md": (
                "# Home\n\nSee [installing][install-steps], [`pkg.api.Client`][] and [a method][pkg.api.Client.send].\n\n"
                "Also [elsewhere][other.Thing] and [a typo][no such label].\n"
            ),
            "guide.md": "# Guide\n\n## Install steps\n",
            "api.md": "# API\n\n::: pkg.api\n",
        },
        config="site_name: t\nplugins:\n  - search\n  - autorefs\n  - mkdocstrings\n",
        bib=None,
    )
    run = sitecheck(root)
    assert out(run) == [
        "docs/index.md:5:6: LNK008 reference link uses label [other.Thing], which has no definition on this page, and no "
        "heading on this site has it as its autorefs identifier; if it names another project's object, import that "
        "project's inventory under mkdocstrings' handlers (may differ with the missing plugin 'autorefs', plugin 'mkdocstrings')",
        "docs/index.md:5:35: LNK008 reference link uses label [no such label], which has no definition on this "
        "page, and no heading on this site has it as its autorefs identifier (may differ with the missing plugin "
        "'autorefs', plugin 'mkdocstrings')",
        "mkdocs.yml:4:5: LNK019 plugin 'autorefs' is not installed, so this run could not apply it; what it could "
        "change is reported as a warning: pip install mkdocs-autorefs (pre-commit: add mkdocs-autorefs to additional_dependencies)",
        "mkdocs.yml:5:5: LNK019 plugin 'mkdocstrings' is not installed, so this run could not apply it; what it could "
        "change is reported as a warning: pip install mkdocstrings[python] (pre-commit: add mkdocstrings[python] to additional_dependencies)",
        "sitecheck: 0 errors, 4 warnings (3 pages, 0 links)",
    ]
    assert run.code == 0


def test_autorefs_with_inventories_is_info(make_site: SiteMaker, sitecheck: Check) -> None:
    """With inventories imported, an identifier not on this site is probably in one: info, not an error."""
    config = "site_name: t\nplugins:\n  mkdocstrings:\n    handlers:\n      python:\n        import:\n          - https://docs.python.org/3/objects.inv\n"
    root = make_site({"index.md": "# Home\n\nUses [typing.Any][] and [type hints][type hint].\n"}, config=config, bib=None)
    run = sitecheck(root)
    assert out(run) == [
        "docs/index.md:3:6: LNK017 autorefs identifier [typing.Any] is not a heading or ::: object on this site; "
        "it may come from one of the 1 inventories mkdocstrings imports: `mkdocs build --strict` reports it if "
        "autorefs cannot resolve it",
        "docs/index.md:3:25: LNK017 autorefs identifier [type hint] is not a heading or ::: object on this site; "
        "it may come from one of the 1 inventories mkdocstrings imports: `mkdocs build --strict` reports it if "
        "autorefs cannot resolve it",
        "mkdocs.yml:3:3: LNK019 plugin 'mkdocstrings' is not installed, so this run could not apply it; what it could "
        "change is reported as a warning: pip install mkdocstrings[python] (pre-commit: add mkdocstrings[python] to additional_dependencies)",
        "sitecheck: 0 errors, 1 warning (1 page, 0 links)",
    ]
    assert run.code == 0


def test_generated_ids_of_object_blocks(make_site: SiteMaker, sitecheck: Check) -> None:
    """``::: pkg.mod`` makes ids for the object and its members; other missing ids there are warnings.

    mkdocstrings is not installed here: the missing anchor it could write (on any page) is a warning too.
    """
    root = make_site(
        {
            "index.md": "[a](api.md#pkg.mod) [b](api.md#pkg.mod.func) [c](api.md#usage) [d](guide.md#nope)\n",
            "api.md": "# API\n\n::: pkg.mod\n    options:\n      members: true\n",
            "guide.md": "# Guide\n",
        },
        config="site_name: t\nplugins:\n  - mkdocstrings\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:1:46: LNK018 link 'api.md#usage': anchor '#usage' is not among the ids written in "
        "'docs/api.md'; its generated blocks (::: pkg.mod, rendered by mkdocstrings) may add it at build time: "
        "run `mkdocs build --strict` to confirm",
        "docs/index.md:1:64: LNK006 link 'guide.md#nope': there is no anchor '#nope' on 'docs/guide.md' (may differ with the missing plugin 'mkdocstrings')",
        "mkdocs.yml:3:5: LNK019 plugin 'mkdocstrings' is not installed, so this run could not apply it; what it could "
        "change is reported as a warning: pip install mkdocstrings[python] (pre-commit: add mkdocstrings[python] to additional_dependencies)",
        "sitecheck: 0 errors, 3 warnings (3 pages, 4 links)",
    ]


SNIPPETS = """\
site_name: t
markdown_extensions:
  - abbr
  - pymdownx.snippets:
      base_path: [!relative $config_dir]
      auto_append: [includes/links.md]
"""


def test_snippets_inlined_and_auto_appended(make_site: SiteMaker, sitecheck: Check) -> None:
    """``--8<--`` text counts (its headings, its links, at its own lines); auto_append definitions apply."""
    root = make_site(
        {
            "index.md": ('# Home\n\n--8<-- "includes/part.md"\n\nSee [the part](#included-part), [MkDocs][mkdocs] and *HTML*.\n\n--8<-- "includes/prat.md"\n'),
            "other.md": '# Other\n\n--8<-- "includes/part.md"\n',
            "/includes/part.md": "## Included part\n\nA [broken link](missing.md) inside the snippet.\n",
            "/includes/links.md": "[mkdocs]: https://www.mkdocs.org\n[unused]: nowhere.md\n\n*[HTML]: Hyper Text\n",
        },
        config=SNIPPETS,
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:7:9: LNK015 snippet 'includes/prat.md' is not found in base_path '.' (did you mean 'includes/part.md'?)",
        "includes/part.md:3:3: LNK001 link 'missing.md': target 'docs/missing.md' is not found among the documentation files",
        "sitecheck: 2 errors, 0 warnings (2 pages, 4 links)",
    ]


def test_snippet_line_ranges_and_sections(make_site: SiteMaker, sitecheck: Check) -> None:
    """``file:2:3`` and ``file:name`` include only those lines, so only their links count."""
    root = make_site(
        {
            "index.md": '--8<-- "includes/a.md:2:2"\n\n--8<-- "includes/a.md:keep"\n',
            "/includes/a.md": ("[skipped](gone1.md)\n[kept](gone2.md)\n[skipped](gone3.md)\n--8<-- [start:keep]\n[in section](gone4.md)\n--8<-- [end:keep]\n"),
        },
        config="site_name: t\nmarkdown_extensions:\n  - pymdownx.snippets\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "includes/a.md:2:1: LNK001 link 'gone2.md': target 'docs/gone2.md' is not found among the documentation files",
        "includes/a.md:5:1: LNK001 link 'gone4.md': target 'docs/gone4.md' is not found among the documentation files",
        "sitecheck: 2 errors, 0 warnings (1 page, 2 links)",
    ]


def test_site_hook_writes_ids_and_definitions(make_site: SiteMaker, sitecheck: Check) -> None:
    """The site's own hook runs as in a build: the id and the definition it writes count; the rest are errors.

    (Before, hooks were guessed at from their markers and reported as LNK018 warnings.)
    """
    hook = (
        "import re\n"
        "def on_page_markdown(markdown, page, config, files):\n"
        "    markdown = re.sub(r'^## <!-- md:setting (\\S+) -->$', r'<a id=\"\\1\"></a>\\n\\n## \\1', markdown, flags=re.M)\n"
        "    return markdown + '\\n\\n[config.name]: #config.name\\n' if page.file.src_uri == 'ref.md' else markdown\n"
    )
    root = make_site(
        {
            "index.md": "[a](ref.md#config.name) [b][config.name] [c](plain.md#nope) [d](ref.md#advanced)\n",
            "ref.md": "# Reference\n\n## <!-- md:setting config.name -->\n\n[config.name][]\n",
            "plain.md": "# Plain\n",
            "/hooks/shortcodes.py": hook,
        },
        config="site_name: t\nhooks:\n  - hooks/shortcodes.py\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:1:25: LNK008 reference link uses label [config.name], which has no definition on this page",
        "docs/index.md:1:42: LNK006 link 'plain.md#nope': there is no anchor '#nope' on 'docs/plain.md'",
        "docs/index.md:1:61: LNK006 link 'ref.md#advanced': there is no anchor '#advanced' on 'docs/ref.md'",
        "sitecheck: 3 errors, 0 warnings (3 pages, 3 links)",
    ]


def test_extension_bundles_and_dict_forms(make_site: SiteMaker, sitecheck: Check) -> None:
    """``pymdownx.extra`` turns on footnotes and attr_list; plugins and extensions may be mappings."""
    config = "site_name: t\nplugins:\n  search: {}\n  exclude:\n    glob: ['drafts/*']\nmarkdown_extensions:\n  pymdownx.extra: {}\n"
    root = make_site(
        {
            "index.md": "# Home {#start}\n\nA claim[^1], [top](#start), [draft](drafts/new.md).\n\n[^1]: A note.\n",
            "drafts/new.md": "# Draft\n",
        },
        config=config,
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:3:29: LNK001 link 'drafts/new.md': 'docs/drafts/new.md' is excluded from the site "
        "(exclude_docs) (may differ with the missing plugin 'exclude')",
        "mkdocs.yml:4:3: LNK019 plugin 'exclude' is not installed, so this run could not apply it; what it could "
        "change is reported as a warning: pip install mkdocs-exclude (pre-commit: add mkdocs-exclude to additional_dependencies)",
        "sitecheck: 0 errors, 2 warnings (1 page, 2 links)",
    ]


def test_toc_slugify_under_its_full_name(make_site: SiteMaker, sitecheck: Check) -> None:
    """``markdown.extensions.toc`` with a custom slugify: ids follow it, so the ASCII slug is wrong."""
    config = (
        "site_name: t\nmarkdown_extensions:\n  - markdown.extensions.toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"
    )
    root = make_site({"index.md": "# Über uns\n\n[right](#über-uns) [wrong](#uber-uns)\n"}, config=config, bib=None)
    assert out(sitecheck(root)) == [
        "docs/index.md:3:20: LNK006 link '#uber-uns': there is no anchor '#uber-uns' on this page (did you mean '#über-uns'?)",
        "sitecheck: 1 error, 0 warnings (1 page, 2 links)",
    ]


def test_inherit_and_relative_config(make_site: SiteMaker, sitecheck: Check) -> None:
    """``INHERIT`` merges the parent config; ``!relative $config_dir/...`` is a folder, not a literal name."""
    root = make_site(
        {
            "index.md": '--8<-- "note.md"\n',
            "/snips/note.md": "A [link](gone.md).\n",
            "/base.yml": "site_name: t\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: !relative $config_dir/snips\n",
        },
        config="INHERIT: base.yml\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "snips/note.md:1:3: LNK001 link 'gone.md': target 'docs/gone.md' is not found among the documentation files",
        "sitecheck: 1 error, 0 warnings (1 page, 1 link)",
    ]


def test_jinja_placeholders_and_footnote_after_link(make_site: SiteMaker, sitecheck: Check) -> None:
    """The macros plugin renders ``{{ }}`` URLs (the site_url, an external link); ``[text][^1]`` is text plus a footnote."""
    root = make_site(
        {"index.md": '[home]({{ config.site_url }}) <a href="{{ url }}">x</a> see [schema][^1]\n\n[^1]: Note.\n'},
        config="site_name: t\nsite_url: https://example.org/\nplugins:\n  - macros\nmarkdown_extensions:\n  - footnotes\n",
        bib=None,
    )
    assert out(sitecheck(root)) == ["sitecheck: no problems found (1 page, 3 links)"]


def test_tabbed_slug_ids(make_site: SiteMaker, sitecheck: Check) -> None:
    """pymdownx.tabbed with ``slugify`` gives each tab an id (after the heading's with combine_header_slug)."""
    config = (
        "site_name: t\nmarkdown_extensions:\n  - pymdownx.superfences\n  - pymdownx.tabbed:\n"
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"
        "      combine_header_slug: true\n"
    )
    root = make_site(
        {"index.md": '## Install\n\n=== "Linux"\n\n    apt\n\n=== "macOS"\n\n    brew\n\n[a](#install-linux) [b](#install-macos) [c](#linux)\n'},
        config=config,
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:11:41: LNK006 link '#linux': there is no anchor '#linux' on this page",
        "sitecheck: 1 error, 0 warnings (1 page, 3 links)",
    ]


def test_blog_post_urls(make_site: SiteMaker, sitecheck: Check) -> None:
    """Material's blog (run for real) publishes posts at blog/YYYY/MM/DD/slug/: raw HTML in a post is relative to that."""
    post = '---\ndate: 2024-01-31\n---\n# Hello World\n\n<img src="../../../../images/a.png"> <img src="../../b.png">\n'
    root = make_site(
        {"blog/index.md": "# Blog\n", "blog/posts/hello.md": post, "blog/images/a.png": "png"},
        config="site_name: t\ntheme:\n  name: material\nplugins:\n  - blog\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/blog/posts/hello.md:6:48: LNK001 raw HTML link '../../b.png': nothing is published at "
        "'blog/2024/01/b.png' (relative to this page's URL 'blog/2024/01/31/hello-world/')",
        "sitecheck: 1 error, 0 warnings (2 pages, 2 links)",
    ]


def test_absolute_links_by_site_url_and_validation(make_site: SiteMaker, sitecheck: Check) -> None:
    """Absolute links: checked as URLs on a root site_url, as docs paths with relative_to_docs, else LNK005."""
    files = {"index.md": "[a](/guide/) [b](/img/x.png) [c](/nowhere/)\n", "guide.md": "# Guide\n", "img/x.png": "png"}
    root = make_site(files, config="site_name: t\nsite_url: https://example.org/\n", bib=None)
    assert out(sitecheck(root)) == [
        "docs/index.md:1:30: LNK001 absolute link '/nowhere/': no page or file is published at '/nowhere/' on the "
        "site (site_url /); link the source file relatively",
        "sitecheck: 1 error, 0 warnings (2 pages, 3 links)",
    ]
    root = make_site(files, config="site_name: t\nsite_url: https://example.org/docs/\n", bib=None)
    assert [line.split(" absolute")[0] for line in out(sitecheck(root))[:-1]] == [
        "docs/index.md:1:1: LNK005",
        "docs/index.md:1:14: LNK005",
        "docs/index.md:1:30: LNK005",
    ]
    root = make_site(
        {"index.md": "[a](/guide.md) [b](/gone.md)\n", "guide.md": "# Guide\n"},
        config="site_name: t\nvalidation:\n  links:\n    absolute_links: relative_to_docs\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:1:16: LNK001 link '/gone.md': target 'docs/gone.md' is not found among the documentation files (did you mean 'guide.md'?)",
        "sitecheck: 1 error, 0 warnings (2 pages, 2 links)",
    ]


def test_unused_shadowed_and_mid_paragraph_definitions(make_site: SiteMaker, sitecheck: Check) -> None:
    """Python-Markdown: unused definitions render nothing, the last one wins, one may follow a text line."""
    root = make_site(
        {"index.md": "Read [the guide][g] and [more][m].\n[m]: guide.md\n\n[g]: gone.md\n[g]: guide.md\n\n[spare]: missing.md\n", "guide.md": "# Guide\n"},
        config="site_name: t\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:7:1: LNK009 reference definition [spare] is never used",
        "sitecheck: 0 errors, 1 warning (2 pages, 2 links)",
    ]


def test_theme_files_and_gitignored_targets(make_site: SiteMaker, sitecheck: Check) -> None:
    """The theme publishes img/favicon.ico; a target listed in .gitignore is made by a build step."""
    root = make_site(
        {"index.md": "![icon](img/favicon.ico) [ref](reference/cli.md) [x](gone.md)\n", "/.gitignore": "/docs/reference/cli.md\n"},
        config="site_name: t\ntheme: mkdocs\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:1:26: LNK001 link 'reference/cli.md': target 'docs/reference/cli.md' is not found among the "
        "documentation files (it is listed in .gitignore: generate it first, then check again)",
        "docs/index.md:1:50: LNK001 link 'gone.md': target 'docs/gone.md' is not found among the documentation files",
        "sitecheck: 1 error, 1 warning (1 page, 3 links)",
    ]


EXTENSION = """\
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class Planted(Treeprocessor):
    def run(self, root):
        root.find("p").set("id", "planted")


class PlantExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(Planted(md), "plant", 30)
"""


def test_extension_loaded_by_its_entry_point_name(make_site: SiteMaker, sitecheck: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """markdown-callouts is ``- callouts`` in mkdocs.yml: Python-Markdown loads it by entry point name, not
    as a module called ``callouts``; it is installed, runs, and demotes nothing (git-changelog's 22 anchors)."""
    site_packages = tmp_path / "site-packages"
    (site_packages / "planted_ext_module").mkdir(parents=True)
    (site_packages / "planted_ext_module" / "__init__.py").write_text(EXTENSION)
    dist = site_packages / "planted_ext-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: planted-ext\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[markdown.extensions]\nplanted = planted_ext_module:PlantExtension\n")
    monkeypatch.syspath_prepend(str(site_packages))
    markdown.util.get_installed_extensions.cache_clear()
    root = make_site(
        {"index.md": "# Home\n\n[The id the extension sets](#planted) and [a missing page](gone.md).\n"},
        config="site_name: t\nmarkdown_extensions:\n  - planted\n",
        bib=None,
    )
    try:
        run = sitecheck(root)
    finally:
        markdown.util.get_installed_extensions.cache_clear()
    assert out(run) == [
        "docs/index.md:3:43: LNK001 link 'gone.md': target 'docs/gone.md' is not found among the documentation files",
        "sitecheck: 1 error, 0 warnings (1 page, 2 links)",
    ]
    assert run.code == 1


def test_paths_resolve_against_the_folder_mkdocs_runs_in(make_site: SiteMaker, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """external-secrets builds ``hack/api-docs/mkdocs.yml`` from the repository root: snippets' base_path (like
    macros' include_dir) is relative to that working folder, not to mkdocs.yml's folder."""
    from mkdocs_sitecheck.cli import main

    repo = make_site({"/snippets/part.md": "A [broken link](nowhere.md) in the snippet.\n"}, config="site_name: unused\n", bib=None)
    config = repo / "hack" / "api-docs" / "mkdocs.yml"
    config.parent.mkdir(parents=True)
    config.write_text(
        "site_name: t\ndocs_dir: ../../docs\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: [snippets]\n      check_paths: true\n"
    )
    (repo / "docs" / "index.md").write_text('# Home\n\n--8<-- "part.md"\n')
    monkeypatch.chdir(repo)
    code = main(["links", "--config", "hack/api-docs/mkdocs.yml"])
    assert capsys.readouterr().out.splitlines() == [
        "../../snippets/part.md:1:3: LNK001 link 'nowhere.md': target '../../docs/nowhere.md' is not found among the documentation files",
        "sitecheck: 1 error, 0 warnings (1 page, 1 link)",
    ]
    assert code == 1


IDS_CONFIG = """\
site_name: t
markdown_extensions:
  - attr_list
  - toc
  - pymdownx.caret
  - pymdownx.superfences
  - pymdownx.emoji
  - pymdownx.tabbed:
      alternate_style: true
      combine_header_slug: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
"""


def test_ids_are_read_from_the_final_html(make_site: SiteMaker, sitecheck: Check) -> None:
    """Ids set after the tree MkDocs reads anchors from: superfences' ``{ #example }`` on a fence (mkdocs-material),
    attr_list on a stashed inline element with an escaped ``_`` (pymdown-extensions), a tab slug made after emoji
    replaced its shortcode (mkdocs-material). The built page has all three."""
    page = (
        "# Home\n\n[a](#example) [b](#_fn_1) [c](#logo-image) [d](#logo-smile-image)\n\n"
        "``` { .sh #example }\necho hi\n```\n\nText ^†^{#\\_fn_1}\n\n### Logo\n\n"
        '=== ":smile: Image"\n\n    content\n\n=== "Other"\n\n    more\n'
    )
    root = make_site({"index.md": page}, config=IDS_CONFIG, bib=None)
    assert out(sitecheck(root)) == [
        "docs/index.md:3:44: LNK006 link '#logo-smile-image': there is no anchor '#logo-smile-image' on this page (did you mean '#logo-image'?)",
        "sitecheck: 1 error, 0 warnings (1 page, 5 links)",  # the fifth: the emoji image
    ]


def test_plugin_that_cannot_import_what_it_needs_is_set_aside(make_site: SiteMaker, sitecheck: Check) -> None:
    """OWASP Top 10: macros' ``module_name`` is a module from a git URL that is not here, so the plugin raises
    ImportError in on_config (the build fails). The run goes on without it, says so, and demotes only what
    macros could change: pages with Jinja markup, and anchors on them."""
    config = "site_name: t\nplugins:\n  - search\n  - macros:\n      module_name: osib/osib_macro\n"
    root = make_site(
        {
            "index.md": "# Home\n\nVersion {{ version }}. [a](gone.md)\n",
            "other.md": "# Other\n\n[b](gone2.md) [c](index.md#generated) [d](#nope)\n",
        },
        config=config,
        bib=None,
    )
    run = sitecheck(root)
    assert out(run) == [
        "docs/index.md:3:24: LNK001 link 'gone.md': target 'docs/gone.md' is not found among the documentation files (may differ with the missing plugin 'macros')",
        "docs/other.md:3:1: LNK001 link 'gone2.md': target 'docs/gone2.md' is not found among the documentation files",
        "docs/other.md:3:15: LNK006 link 'index.md#generated': there is no anchor '#generated' on 'docs/index.md' (may differ with the missing plugin 'macros')",
        "docs/other.md:3:39: LNK006 link '#nope': there is no anchor '#nope' on this page",
        "mkdocs.yml:4:5: LNK019 plugin 'macros' is installed but could not import what it needs (ImportError: Macro plugin could not "
        f"find custom 'osib/osib_macro' module in '{root}'.), so this run went on without it; what it could change is reported as a "
        "warning: install what it imports (pre-commit: add it to additional_dependencies)",
        "sitecheck: 2 errors, 3 warnings (2 pages, 4 links)",
    ]
    assert run.code == 1


def test_links_to_redirect_pages_work(make_site: SiteMaker, sitecheck: Check) -> None:
    """knative: ``[..](../event-mesh)`` is a built URL where mkdocs-redirects writes a redirect page (in
    on_post_build) to the page that moved; its #fragment is carried to the new page. A redirect whose target
    is no page is not written (the plugin only warns), so a link to it is broken. `mkdocs build` writes
    old/ and ext/, not lost/."""
    config = (
        "site_name: t\nplugins:\n  - redirects:\n      redirect_maps:\n        old.md: new.md\n"
        "        ext.md: https://example.org/\n        lost.md: nowhere.md\n"
    )
    root = make_site(
        {"index.md": "# Home\n\n[a](old/) [b](old/#intro) [c](old/#nope) [d](gone/) [e](ext/) [f](lost/)\n", "new.md": "# New\n\n## Intro\n"},
        config=config,
        bib=None,
    )
    run = sitecheck(root)
    works = "(it works on the site; MkDocs reports it at info)"
    assert out(run) == [
        f"docs/index.md:3:1: LNK001 link 'old/': target 'docs/old' is not found among the documentation files {works}",
        f"docs/index.md:3:11: LNK001 link 'old/#intro': target 'docs/old' is not found among the documentation files {works}",
        f"docs/index.md:3:27: LNK001 link 'old/#nope': target 'docs/old' is not found among the documentation files {works}",
        "docs/index.md:3:27: LNK006 link 'old/#nope': there is no anchor '#nope' on 'docs/new.md'",
        "docs/index.md:3:42: LNK001 link 'gone/': target 'docs/gone' is not found among the documentation files",
        f"docs/index.md:3:53: LNK001 link 'ext/': target 'docs/ext' is not found among the documentation files {works}",
        "docs/index.md:3:63: LNK001 link 'lost/': target 'docs/lost' is not found among the documentation files",
        "sitecheck: 3 errors, 0 warnings (2 pages, 6 links)",
    ]


I18N = """\
site_name: t
nav:
  - Home: index.md
  - Guide: guide.md
plugins:
  - i18n:
      docs_structure: folder
      fallback_to_default: true
      languages:
        - locale: en
          default: true
          name: English
        - locale: fr
          name: Français
"""


def test_i18n_language_folders_and_fallback(make_site: SiteMaker, sitecheck: Check) -> None:
    """OWASP Top 10 (mkdocs-static-i18n, folders, fallback_to_default): the plugin builds each language again
    from on_post_build; a French page's ``guide.md`` is the English page where no French one exists, its
    ``assets/`` are docs/assets, the nav's ``index.md`` is each language's, and the English guide's raw HTML
    ``../media/a.mp4`` is published at /media/a.mp4 (the plugin drops the ``en/`` folder from URLs). The built site
    has every one of these, and breaks at parti.md and at the anchor the English guide lacks (`mkdocs build`
    output checked)."""
    root = make_site(
        {
            "en/index.md": "# Home\n\n[Guide](guide.md#setup) ![logo](assets/logo.png) [gone](gone.md)\n",
            "en/guide.md": '# Guide\n\n## Setup\n\n<video><source src="../media/a.mp4"></video>\n',
            "en/media/a.mp4": b"MP4",
            "fr/index.md": "# Accueil\n\n[Guide](guide.md#setup) ![logo](assets/logo.png) [parti](parti.md) [ancre](guide.md#nulle-part)\n",
            "assets/logo.png": b"PNG",
        },
        config=I18N,
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/en/index.md:3:50: LNK001 link 'gone.md': target 'docs/en/gone.md' is not found among the documentation files (did you mean 'guide.md'?)",
        "docs/fr/index.md:3:50: LNK001 link 'parti.md': target 'docs/fr/parti.md' is not found among the documentation files",
        "docs/fr/index.md:3:68: LNK006 link 'guide.md#nulle-part': there is no anchor '#nulle-part' on 'docs/en/guide.md'",
        "sitecheck: 3 errors, 0 warnings (3 pages, 8 links)",
    ]


def test_absolute_links_to_the_site_root(make_site: SiteMaker, sitecheck: Check) -> None:
    """goreleaser: ``[GoReleaser]: /`` with site_url at the host's root is the home page (MkDocs gives its URL as
    ``./``); ``/nope/`` is published nowhere."""
    root = make_site(
        {"index.md": "# Home\n\n[home](/) and [GoReleaser][] and [nothing](/nope/)\n\n[GoReleaser]: /\n", "other.md": "# Other\n"},
        config="site_name: t\nsite_url: https://example.org/\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/index.md:3:34: LNK001 absolute link '/nope/': no page or file is published at '/nope/' on the site (site_url /); link the source file relatively",
        "sitecheck: 1 error, 0 warnings (2 pages, 3 links)",
    ]


def test_i18n_suffix_anchor_on_the_pages_own_language(make_site: SiteMaker, sitecheck: Check) -> None:
    """Datus (mkdocs-static-i18n, suffix): on the Chinese site ``chat.md#session-commands`` from intro.zh.md is
    chat.zh.md, whose heading is Chinese: the anchor is broken there (the built zh page has no such id)."""
    config = (
        "site_name: t\nplugins:\n  - i18n:\n      docs_structure: suffix\n      languages:\n"
        "        - locale: en\n          default: true\n          name: English\n        - locale: zh\n          name: 中文\n"
    )
    root = make_site(
        {
            "intro.md": "# Intro\n\n[chat](chat.md#session-commands)\n",
            "intro.zh.md": "# 介绍\n\n[chat](chat.md#session-commands)\n",
            "chat.md": "# Chat\n\n## Session commands\n",
            "chat.zh.md": "# 聊天\n\n## 会话命令\n",
        },
        config=config,
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/intro.zh.md:3:1: LNK006 link 'chat.md#session-commands': there is no anchor '#session-commands' on 'docs/chat.zh.md'",
        "sitecheck: 1 error, 0 warnings (4 pages, 2 links)",
    ]


BOOM = """\
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor


class Boom(Preprocessor):
    def run(self, lines):
        if "BOOM" in lines:
            raise ValueError("Could not collect 'package.generics'")
        return lines


class BoomExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Boom(md), "boom", 30)
"""


def test_page_the_build_cannot_render_and_pages_on_one_url(make_site: SiteMaker, sitecheck: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocstrings/python: an extension raises on one page, so `mkdocs build` aborts; sitecheck said 0 errors.
    goreleaser: two pages written to one URL (MkDocs says nothing; the site keeps one)."""
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "planted_boom.py").write_text(BOOM)
    monkeypatch.syspath_prepend(str(tmp_path / "modules"))
    root = make_site(
        {
            "index.md": "# Home\n\n[api](api.md) [gone](gone.md)\n",
            "api.md": "# API\n\nBOOM\n",
            "guide.md": "# Guide\n",
            "guide/index.md": "# Guide index\n",
        },
        config="site_name: t\nmarkdown_extensions:\n  - planted_boom:BoomExtension\n",
        bib=None,
    )
    run = sitecheck(root)
    assert out(run) == [
        "docs/api.md:1:1: LNK025 MkDocs cannot render this page: ValueError: Could not collect 'package.generics'; `mkdocs build` fails the same way",
        "docs/guide.md:1:1: LNK026 this page and 'docs/guide/index.md' are both published at 'guide/'; the build keeps only one: "
        "give one of them another slug or file name",
        "docs/index.md:3:15: LNK001 link 'gone.md': target 'docs/gone.md' is not found among the documentation files (did you mean 'guide.md'?)",
        "sitecheck: 3 errors, 0 warnings (4 pages, 2 links)",
    ]
    assert run.code == 1


def test_awesome_nav_entry_that_matches_nothing(make_site: SiteMaker, sitecheck: Check) -> None:
    """kubevirt, knative (mkdocs-awesome-nav): a ``.nav.yml`` item that matches no file is dropped from the nav
    with a warning (`mkdocs build` logs "The nav item 'instal.md' doesn't match any files or directories
    [guide/.nav.yml]"; --strict fails); it is reported at its line in that file."""
    root = make_site(
        {
            "index.md": "# Home\n",
            "guide/setup.md": "# Setup\n",
            ".nav.yml": "nav:\n  - index.md\n  - guide\n",
            "guide/.nav.yml": "nav:\n  - setup.md\n  - instal.md\n",
        },
        config="site_name: t\nplugins:\n  - awesome-nav\n",
        bib=None,
    )
    assert out(sitecheck(root)) == [
        "docs/guide/.nav.yml:3:5: LNK012 nav entry 'instal.md' points to a file that does not exist in 'docs/guide'",
        "sitecheck: 1 error, 0 warnings (2 pages, 0 links)",
    ]


def test_what_a_hook_prints_does_not_mix_with_the_findings(make_site: SiteMaker, sitecheck: Check) -> None:
    """Textual's hooks print "screenshotting ..." while pages render: on stdout that broke `--format json`.
    It goes to stderr, as the findings' own channel must stay parseable."""
    hook = 'def on_page_markdown(markdown, page, config, files):\n    print("screenshotting", page.file.src_uri)\n    return markdown\n'
    root = make_site({"index.md": "# Home\n\n[gone](gone.md)\n", "/hooks/shots.py": hook}, config="site_name: t\nhooks:\n  - hooks/shots.py\n", bib=None)
    run = sitecheck(root, "--format", "json")
    assert [f["message"] for f in json.loads(run.out)["findings"]] == ["link 'gone.md': target 'docs/gone.md' is not found among the documentation files"]
    assert run.err == "screenshotting index.md\n"


LOG_HOOK = """\
import logging


def on_startup(*_, **__):
    logging.getLogger("mkdocs").handlers[0].formatter.datefmt = "%H:%M:%S"
"""


def test_hook_that_retunes_the_console_log_format(make_site: SiteMaker, sitecheck: Check) -> None:
    """A hook that sets the datefmt of MkDocs' console handler (fpdf2's log_manager.py) runs as under `mkdocs
    build`, which builds the site: the run checks it instead of stopping (exit 3)."""
    files: dict[str, str | bytes] = {"index.md": "# Home\n\n[gone](nope.md)\n", "/log_manager.py": LOG_HOOK}
    root = make_site(files, config="site_name: t\nhooks:\n  - log_manager.py\n", bib=None)
    run = sitecheck(root)
    assert (run.code, out(run)) == (
        1,
        [
            "docs/index.md:3:1: LNK001 link 'nope.md': target 'docs/nope.md' is not found among the documentation files",
            "sitecheck: 1 error, 0 warnings (1 page, 1 link)",
        ],
    )


def test_two_pages_on_one_url_in_a_language_folder(make_site: SiteMaker, sitecheck: Check) -> None:
    """mkdocs-static-i18n (folder): docs/zh/sessions.md and docs/zh/sessions/index.md are both written to
    zh/sessions/ by the zh build (openai-agents-python's stale translation): LNK026, as on a site with one language."""
    files: dict[str, str | bytes] = {
        "index.md": "# Home\n",
        "sessions/index.md": "# Sessions\n",
        "zh/index.md": "# Home zh\n",
        "zh/sessions.md": "# Old translation\n",
        "zh/sessions/index.md": "# Sessions zh\n",
    }
    config = (
        "site_name: t\nplugins:\n  - i18n:\n      docs_structure: folder\n      languages:\n"
        "        - {locale: en, default: true, name: English, build: true}\n"
        "        - {locale: zh, name: Chinese, build: true}\n"
    )
    run = sitecheck(make_site(files, config=config, bib=None))
    assert out(run) == [
        "docs/zh/sessions.md:1:1: LNK026 this page and 'docs/zh/sessions/index.md' are both published at 'zh/sessions/'; "
        "the build keeps only one: give one of them another slug or file name",
        "sitecheck: 1 error, 0 warnings (5 pages, 0 links)",
    ]


FAKE_GENERATOR = '''\
"""A stand-in for mkdocs-click: each ``::: name`` block becomes a heading for ``name.run``."""
import xml.etree.ElementTree as ET

from markdown import Extension
from markdown.blockprocessors import BlockProcessor


class Blocks(BlockProcessor):
    def test(self, parent, block):
        return block.startswith(":::")

    def run(self, parent, blocks):
        name = blocks.pop(0)[3:].strip()
        heading = ET.SubElement(parent, "h2", {"id": f"{name}.run"})
        heading.text = f"{name}.run"


class Generator(Extension):
    def extendMarkdown(self, md):
        md.parser.blockprocessors.register(Blocks(md.parser), "generated", 200)


def makeExtension(**kwargs):
    return Generator(**kwargs)
'''


def test_ids_of_blocks_an_installed_generator_rendered_are_final(
    make_site: SiteMaker, sitecheck: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the generator of ``:::`` blocks is installed, the page's rendered ids are all it writes (instructor's
    ``api.md#llm_validator`` against ``id="pkg.llm_validator"``): a missing anchor there is an error, not LNK018."""
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "mkdocs_click.py").write_text(FAKE_GENERATOR, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "mods"))
    files: dict[str, str | bytes] = {
        "index.md": "[a](api.md#run) [b](api.md#pkg.nonexistent) [c](api.md#pkg.run)\n",
        "api.md": "# API\n\n::: pkg\n",
    }
    root = make_site(files, config="site_name: t\nmarkdown_extensions:\n  - mkdocs_click\n", bib=None)
    assert out(sitecheck(root)) == [
        "docs/index.md:1:1: LNK006 link 'api.md#run': there is no anchor '#run' on 'docs/api.md' (did you mean 'api.md#pkg.run'?)",
        "docs/index.md:1:17: LNK006 link 'api.md#pkg.nonexistent': there is no anchor '#pkg.nonexistent' on 'docs/api.md'",
        "sitecheck: 2 errors, 0 warnings (2 pages, 3 links)",
    ]


def test_raw_html_links_on_root_pages_without_directory_urls(make_site: SiteMaker, sitecheck: Check) -> None:
    """use_directory_urls: false serves Drawing.md as /Drawing.html, so its raw HTML ``drawing/demo.pdf`` is
    /drawing/demo.pdf, which is published (fpdf2, a hold-out project: 11 false LNK016); a wrong one still is not."""
    files: dict[str, str | bytes] = {
        "index.md": '# Home\n\n<a href="Drawing.html">drawing</a>\n',
        "Drawing.md": '# Drawing\n\n<p><a href="drawing/demo.pdf">PDF</a> <a href="drawing/nope.pdf">gone</a></p>\n',
        "drawing/demo.pdf": "%PDF-1.4\n",
    }
    root = make_site(files, config="site_name: t\nuse_directory_urls: false\nmarkdown_extensions:\n  - md_in_html\n", bib=None)
    assert out(sitecheck(root)) == [
        "docs/Drawing.md:3:48: LNK001 raw HTML link 'drawing/nope.pdf': target 'docs/drawing/nope.pdf' is not found among the documentation files",
        "sitecheck: 1 error, 0 warnings (2 pages, 3 links)",
    ]


def test_a_shared_readme_beside_each_languages_index_is_a_warning(make_site: SiteMaker, sitecheck: Check) -> None:
    """OWASP Top 10's docs/README.md ('Folder for site documents') beside en/ and zh/: mkdocs-static-i18n publishes
    it at each language's root, where the language's index.md is too. Built, the index page is what readers get;
    as MkDocs' own README-beside-index warning, LNK026 is a warning that suggests exclude_docs."""
    files: dict[str, str | bytes] = {"README.md": "Folder for site documents\n", "en/index.md": "# Home\n", "zh/index.md": "# Home zh\n"}
    config = (
        "site_name: t\nplugins:\n  - i18n:\n      docs_structure: folder\n      languages:\n"
        "        - {locale: en, default: true, name: English, build: true}\n"
        "        - {locale: zh, name: Chinese, build: true}\n"
    )
    run = sitecheck(make_site(files, config=config, bib=None))
    suffix = "the build keeps only one: give one of them another slug or file name, or leave the README out of the site with exclude_docs"
    assert (run.code, out(run)) == (
        0,
        [
            f"docs/README.md:1:1: LNK026 this page and 'docs/en/index.md' are both published at ''; {suffix}",
            f"docs/README.md:1:1: LNK026 this page and 'docs/zh/index.md' are both published at 'zh/'; {suffix}",
            "sitecheck: 0 errors, 2 warnings (3 pages, 0 links)",
        ],
    )
