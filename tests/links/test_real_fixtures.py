"""The pruned real cases under fixtures/real: sitecheck must say what each one's built site says.

Each folder's README names the public project it was cut from, and what `mkdocs build` of the folder
gives: the expected lines below are that verdict, written out, not sitecheck's output copied back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mkdocs_sitecheck.cli import main

REAL = Path(__file__).parent / "fixtures" / "real"

# folder -> (exit status, output lines): the built site's verdict for each.
EXPECTED: dict[str, tuple[int, list[str]]] = {
    "raw-html-table": (0, ["sitecheck: no problems found (1 page, 5 links)"]),
    "monorepo-include-nav": (0, ["sitecheck: no problems found (5 pages, 0 links)"]),
    "tabbed-emoji-title": (0, ["sitecheck: no problems found (3 pages, 4 links)"]),
    "root-and-redirect-links": (0, ["sitecheck: no problems found (2 pages, 7 links)"]),
    "i18n-folder-languages": (0, ["sitecheck: no problems found (7 pages, 5 links)"]),
    "i18n-suffix-translated-anchor": (
        1,
        [
            "docs/cli/introduction.zh.md:3:6: LNK006 link 'chat_command.md#session-commands': there is no anchor "
            "'#session-commands' on 'docs/cli/chat_command.zh.md'",
            "sitecheck: 1 error, 0 warnings (6 pages, 2 links)",
        ],
    ),
    "macro-raw-html-link": (
        1,
        [
            "docs/commands.md:3:60: LNK005 absolute link '/changelog/#2.0.0' is left as is by MkDocs and breaks when the "
            "site is served from a sub-path; use a relative link to the file",
            "docs/index.md:2:1: LNK006 link '#v2.0.0': there is no anchor '#v2.0.0' on this page",
            "sitecheck: 2 errors, 0 warnings (2 pages, 2 links)",
        ],
    ),
    "i18n-suffix-default-files": (
        1,
        [
            "docs/Guides/Entities/page2.en.md:5:1: LNK001 reference definition [Custom Entities Datapack's Easy Setup]: link "
            "'../../Entities/page1/#easy-setup-': target 'docs/Entities/page1' is not found among the documentation files "
            "(it works on the site; MkDocs reports it at info)",
            "docs/Guides/Entities/page2.en.md:5:1: LNK006 link '../../Entities/page1/#easy-setup-': there is no anchor "
            "'#easy-setup-' on 'docs/Guides/Entities/page1.pt.md'",
            "docs/index.es.md:3:54: LNK001 link 'Guides/Entities/page1': target 'docs/Guides/Entities/page1' is not found "
            "among the documentation files (it works on the site; MkDocs reports it at info) (did you mean "
            "'Guides/Entities/page1.pt.md'?)",
            "sitecheck: 1 error, 0 warnings (5 pages, 3 links)",
        ],
    ),
    "blog-same-slug": (
        1,
        [
            "docs/blog/posts/2022-02-20-azure-devops.md:1:1: LNK026 this page and 'docs/blog/posts/2023-01-10-azure-devops.md' "
            "are both published at 'blog/azure-devops/'; the build keeps only one: give one of them another slug or file name",
            "sitecheck: 1 error, 0 warnings (4 pages, 0 links)",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """sitecheck on a copy of the folder, run from it as `mkdocs build` would be, agrees with the built site."""
    site = tmp_path / name
    shutil.copytree(REAL / name, site)
    monkeypatch.chdir(site)
    code = main(["links"])
    assert (code, capsys.readouterr().out.splitlines()) == EXPECTED[name]


def test_every_folder_has_an_expectation() -> None:
    """A new pruned case gets its verdict here."""
    assert sorted(p.name for p in REAL.iterdir() if p.is_dir()) == sorted(EXPECTED)
