"""The links harness's ground truth: broken links read from a built site, and how findings are matched to them."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from links_harness import Outcome, Project, build_env, compare, culprit, findings_of, norm_target, omitted_files, same, source_key
from links_harness_driver import offline_inventories
from links_truth import Broken, broken_links, collisions, leftover_text, nav_missing, overwritten


def write_site(site: Path) -> None:
    """A built site: a home page and a guide page with two ids, as MkDocs writes them (folder URLs)."""
    (site / "guide").mkdir(parents=True)
    (site / "img").mkdir()
    (site / "index.html").write_text("<html><body><h1 id='home'>Home</h1></body></html>", encoding="utf-8")
    (site / "guide" / "index.html").write_text('<h1 id="guide">Guide</h1><h2 id="install">Install</h2><a name="old"></a>', encoding="utf-8")
    (site / "img" / "logo.png").write_bytes(b"png")


def record(tmp_path: Path, content: str, site_url: str = "") -> dict[str, object]:
    """What the driver records for one page (index.md) whose content HTML is given."""
    source = tmp_path / "docs" / "index.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("# Home\n\n[a](missing.md) [b](guide.md#nope) ![c](img/nope.png) [d](#gone) [e](/elsewhere/)\n", encoding="utf-8")
    return {
        "ok": True,
        "site_url": site_url,
        "files": {"index.md": "index.html", "guide.md": "guide/index.html", "img/logo.png": "img/logo.png"},
        "pages": [{"src": "index.md", "abs_src": str(source), "url": "", "dest": "index.html", "content": content}],
        "log": [
            ["WARNING", "mkdocs.structure.nav", "A reference to 'gone.md' is included in the 'nav' configuration, which is not found in the documentation set."]
        ],
    }


def test_broken_links_of_a_built_page(tmp_path: Path) -> None:
    """Missing file, missing anchor, missing image and same-page anchor are broken; working and external links are not."""
    site = tmp_path / "site"
    write_site(site)
    content = (
        '<a href="guide/">ok</a> <a href="guide/#install">ok</a> <a href="guide/#old">ok</a> <img src="img/logo.png">'
        '<a href="https://example.org/x">external</a> <a href="mailto:a@b.c">mail</a> <a href="#home">ok</a>'
        '<a href="missing.md">a</a> <a href="guide/#nope">b</a> <img src="img/nope.png"> <a href="#gone">d</a>'
    )
    assert broken_links(record(tmp_path, content), site) == [
        Broken("index.md", "missing.md", "missing.md", "", "file", True),
        Broken("index.md", "guide/#nope", "guide.md", "nope", "anchor", True),
        Broken("index.md", "img/nope.png", "img/nope.png", "", "image", True),
        Broken("index.md", "#gone", "index.md", "gone", "anchor", True),
    ]


def test_absolute_links_follow_site_url_path(tmp_path: Path) -> None:
    """Under site_url's path an absolute link works; outside it, it leaves the served site."""
    site = tmp_path / "site"
    write_site(site)
    content = '<a href="/docs/guide/">ok</a> <a href="/elsewhere/">e</a>'
    assert broken_links(record(tmp_path, content, "https://example.org/docs/"), site) == [
        Broken("index.md", "/elsewhere/", "/elsewhere/", "", "file", True),
    ]


def test_nav_log_and_leftover_text(tmp_path: Path) -> None:
    """Nav entries MkDocs could not find come from its log; reference text left in a page is read outside code."""
    rec = record(tmp_path, "<p>See [x][label].</p><pre><code>[y][code-label]</code></pre>")
    assert nav_missing(rec) == ["gone.md"]
    text = leftover_text(rec)["index.md"]
    assert "[x][label]" in text
    assert "code-label" not in text


def test_findings_match_built_links_by_page_target_and_anchor() -> None:
    """A checker's link finding and a built break name the same (page, target, anchor) whatever the URL style."""
    finding = {"message": "link '../guide.md#install': there is no anchor", "path": "docs/a/b.md"}
    key = source_key(finding, "a/b.md")
    assert key == ("a/b.md", "guide", "install")
    assert same(key, ("a/b.md", norm_target("guide/index.md"), "install"))
    assert not same(key, ("a/c.md", "guide", "install"))
    assert norm_target("docs/index.md") == "docs"
    assert norm_target("README.md") == ""


def small_project(tmp_path: Path) -> Project:
    """A one-page project: mkdocs.yml and docs/index.md."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    return Project("t", tmp_path, tmp_path / "mkdocs.yml")


def truth_with(broken: list[Broken], dropped: list[str]) -> dict[str, object]:
    """What the harness saved of a build of that project: the broken links, the dropped plugins."""
    return {"broken": [asdict(b) for b in broken], "abs_src": {"index.md": None}, "texts": {}, "nav_missing": [], "dropped": dropped}


def error(message: str) -> dict[str, object]:
    """A checker's LNK001 error on docs/index.md."""
    return {"severity": "error", "path": "docs/index.md", "line": 3, "column": 1, "code": "LNK001", "message": message}


def test_a_dropped_plugins_file_exists_on_the_real_site(tmp_path: Path) -> None:
    """rss is dropped (no internet), so its feed is missing from the harness's build: an error about it is false, the break no miss."""
    project = small_project(tmp_path)
    feed = Broken("index.md", "/feed_rss_created.xml", "/feed_rss_created.xml", "", "file", True)
    outcome = Outcome("t")
    compare(project, truth_with([feed], ["rss"]), [error("absolute link '/feed_rss_created.xml': no page or file is published")], outcome)
    assert [(f["code"], f["line"]) for f in outcome.false_errors] == [("LNK001", 3)]
    assert "plugin 'rss'" in outcome.false_errors[0]["reason"]
    assert outcome.confirmed == []
    assert outcome.misses == []
    assert [u["href"] for u in outcome.unverifiable] == ["/feed_rss_created.xml"]


def test_files_the_checkout_lacks_are_neither_confirmed_nor_missed(tmp_path: Path) -> None:
    """A file of the commit that the mirror left out is broken in the build and missing for the checker alike: not verifiable."""
    project = small_project(tmp_path)
    gif = Broken("index.md", "img/big.gif", "img/big.gif", "", "image", True)
    other = Broken("index.md", "img/gone.png", "img/gone.png", "", "image", True)
    outcome = Outcome("t")
    findings = [error("link 'img/big.gif': target 'docs/img/big.gif' is not found")]
    compare(project, truth_with([gif, other], []), findings, outcome, frozenset({"img/big.gif"}))
    assert outcome.confirmed == [] and outcome.false_errors == []
    assert [u.get("message", u.get("href")) for u in outcome.unverifiable] == ["link 'img/big.gif': target 'docs/img/big.gif' is not found", "img/big.gif"]
    assert [m["href"] for m in outcome.misses] == ["img/gone.png"]


def test_a_left_out_file_is_known_by_its_name_wherever_a_link_resolves(tmp_path: Path) -> None:
    """A raw HTML src resolves from the page's URL, which i18n moves away from the source folder: the left-out file is known by its name."""
    project = small_project(tmp_path)
    video = Broken("index.md", "../assets/clip.mp4", "assets/clip.mp4", "", "image", True)
    zh_video = Broken("zh/index.md", "../assets/clip.mp4", "zh/assets/clip.mp4", "", "image", True)
    outcome = Outcome("t")
    findings = [error("raw HTML link '../assets/clip.mp4': target 'docs/assets/clip.mp4' is not found")]
    compare(project, truth_with([video, zh_video], []), findings, outcome, frozenset({"en/ui/assets/clip.mp4"}))
    assert outcome.confirmed == [] and outcome.false_errors == [] and outcome.misses == []
    assert [u.get("code", u.get("page")) for u in outcome.unverifiable] == ["LNK001", "index.md", "zh/index.md"]


def test_omitted_files_are_the_skip_worktree_entries_under_docs(tmp_path: Path) -> None:
    """Files of the commit the checkout left out (skip-worktree, or deleted when the sparse patterns did not apply) count, under docs only."""
    project = small_project(tmp_path)
    for name in ("docs/big.gif", "docs/img/huge.mp4", "top.gif"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"GIF89a")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"], ["update-index", "--skip-worktree", "docs/big.gif", "top.gif"]):
        subprocess.run([*git, *args], check=True)
    for name in ("docs/big.gif", "docs/img/huge.mp4", "top.gif"):
        (tmp_path / name).unlink()
    assert omitted_files(project) == frozenset({"big.gif", "img/huge.mp4"})


def test_a_failed_build_names_its_plugin_by_its_log_name() -> None:
    """git-revision-date-localized signs its errors with its module name (Textual's build failed on git): the harness retries without it."""
    said = "mkdocs_git_revision_date_localized_plugin: Could not read the git history in parallel: GitCommandError: exit code(128)"
    record = {"error": "GitCommandError: Cmd('git') failed", "log": [["ERROR", "mkdocs.plugins", said]]}
    assert culprit(record, ["search", "blog", "git-revision-date-localized", "mkdocstrings"]) == "git-revision-date-localized"
    assert culprit({"error": "KeyError: 'x'", "log": []}, ["search", "git-revision-date-localized"]) is None


def test_mkdocstrings_inventories_are_emptied_offline() -> None:
    """Textual's mkdocstrings 0.20 fails the build when its `import:` inventories cannot be fetched: the driver empties them (links to other sites only)."""
    handlers = {"python": {"import": ["https://docs.python.org/3/objects.inv"], "options": {"show_source": False}}}
    config = SimpleNamespace(plugins={"search": SimpleNamespace(config={}), "mkdocstrings": SimpleNamespace(config={"handlers": handlers})})
    assert offline_inventories(config) == ["python.import"]
    assert handlers == {"python": {"import": [], "options": {"show_source": False}}}


def test_the_json_report_is_found_after_what_plugins_print() -> None:
    """Textual's screenshot fence prints to stdout while the checker builds: the report after it is still read; no report is no findings."""
    report = '{\n  "findings": [\n    {"code": "LNK001"}\n  ]\n}\n'
    assert findings_of(report) == [{"code": "LNK001"}]
    assert findings_of("screenshotting 'examples/pride.py'\nscreenshotting 'x.py'\n" + report) == [{"code": "LNK001"}]
    assert findings_of("Traceback (most recent call last):\n  ...\n") == []
    assert findings_of("") == []


def test_a_link_served_as_its_translation_is_the_same_link() -> None:
    """On a .zh.md page, static-i18n serves chat_command.md as chat_command.zh.md: the checker may name either; another page is not the same."""
    finding = {"message": "link 'chat_command.md#session-commands': there is no anchor", "path": "docs/cli/introduction.zh.md"}
    key = source_key(finding, "cli/introduction.zh.md")
    assert key == ("cli/introduction.zh.md", "cli/chat_command", "session-commands")
    assert same(key, ("cli/introduction.zh.md", norm_target("cli/chat_command.zh.md"), "session-commands"))
    assert not same(key, ("cli/introduction.zh.md", norm_target("cli/chat_commands.zh.md"), "session-commands"))
    assert not same(key, ("cli/introduction.md", norm_target("cli/chat_command.zh.md"), "session-commands"))


def collided(tmp_path: Path) -> tuple[Project, dict[str, object]]:
    """goreleaser's two blog posts with `slug: azure-devops` written to one file: the 2022 post's permalinks break."""
    project = small_project(tmp_path)
    pages = [
        {"src": "blog/posts/2022.md", "dest": "blog/azure-devops/index.html"},
        {"src": "blog/posts/2023.md", "dest": "blog/azure-devops/index.html"},
        {"src": "index.md", "dest": "index.html"},
    ]
    lost = [Broken("blog/posts/2022.md", f"#{a}", "blog/posts/2023.md", a, "anchor", False) for a in ("caveat", "service")]
    truth = {**truth_with(lost, []), "collisions": collisions({"pages": pages})}
    return project, truth


def test_pages_published_at_one_url_are_one_defect(tmp_path: Path) -> None:
    """The build keeps one of two pages written to one file: one miss, not one per permalink of the lost page."""
    project, truth = collided(tmp_path)
    assert truth["collisions"] == [["blog/posts/2022.md", "blog/posts/2023.md"]]
    outcome = Outcome("t")
    compare(project, truth, [], outcome)
    assert [(m["kind"], m["target"]) for m in outcome.misses] == [("collision", "blog/posts/2022.md and blog/posts/2023.md")]
    assert "2 broken links or anchors" in outcome.misses[0]["reason"]


def test_an_error_naming_the_other_page_confirms_the_collision(tmp_path: Path) -> None:
    """An error at one of the pages that names the other is the collision reported: confirmed, and nothing missed."""
    project, truth = collided(tmp_path)
    said = {"severity": "error", "path": "docs/blog/posts/2022.md", "line": 1, "column": 1, "code": "LNK026"}
    said["message"] = "this page and 'docs/blog/posts/2023.md' are both published at 'blog/azure-devops/'"
    outcome = Outcome("t")
    compare(project, truth, [said], outcome)
    assert [c["code"] for c in outcome.confirmed] == ["LNK026"]
    assert outcome.misses == [] and outcome.false_errors == []


def test_the_build_runs_without_ci_as_a_developer_runs_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Allay's git plugins are `enabled: !ENV [CI, false]`: no CI variable at all in the build (an empty one switches them on)."""
    monkeypatch.setenv("CI", "true")
    env = build_env(small_project(tmp_path), Path("/venv/bin/python"))
    assert "CI" not in env
    assert env["PATH"].startswith("/venv/bin" + os.pathsep)
    assert env["PYTHONPATH"] == str(tmp_path)


def test_git_stays_away_from_blobs_the_mirror_omits_in_the_build(tmp_path: Path) -> None:
    """fpdf2's git-revision-date-localized ran `git log --follow`, which read an omitted blob: the build and the checker get the same rename limit."""
    env = build_env(small_project(tmp_path), Path("/venv/bin/python"))
    assert (env["GIT_CONFIG_COUNT"], env["GIT_CONFIG_KEY_0"], env["GIT_CONFIG_VALUE_0"]) == ("1", "diff.renameLimit", "1")


STUB = '<!doctype html><html><head><title>Redirecting...</title><meta http-equiv="refresh" content="0; url=../../deprecated_images/docker-monica/"></head><body>Redirecting...</body></html>'


def test_a_page_a_redirect_stub_replaced_is_not_on_the_served_site(tmp_path: Path) -> None:
    """linuxserver: `images/docker-monica.md` (a copy of `deprecated_images/docker-monica.md`) is also a redirect
    source; mkdocs-redirects writes its stub over the page after the build. Readers of its URL are sent on: its own
    permalinks are not on the site, so they are not misses; the page is listed as replaced."""
    project = small_project(tmp_path)
    site = tmp_path / "site"
    (site / "images" / "docker-monica").mkdir(parents=True)
    (site / "images" / "docker-monica" / "index.html").write_text(STUB, encoding="utf-8")
    (site / "index.html").write_text('<h1 id="home">Home</h1>', encoding="utf-8")
    pages = [
        {"src": "images/docker-monica.md", "dest": "images/docker-monica/index.html", "content": '<h2 id="usage">Usage</h2>'},
        {"src": "index.md", "dest": "index.html", "content": '<h1 id="home">Home</h1>'},
    ]
    lost = overwritten({"pages": pages}, site)
    assert lost == {"images/docker-monica.md": "../../deprecated_images/docker-monica/"}
    broken = [Broken("images/docker-monica.md", f"#{a}", "images/docker-monica.md", a, "anchor", False) for a in ("usage", "umask")]
    outcome = Outcome("t")
    compare(project, {**truth_with(broken, []), "overwritten": lost}, [], outcome)
    assert outcome.misses == []
    assert outcome.replaced == ["images/docker-monica.md -> ../../deprecated_images/docker-monica/ (2 of its links and permalinks)"]


def test_one_page_written_twice_to_its_file_is_no_collision() -> None:
    """Zabbix-Book (mkdocs-static-i18n, no default language) renders index.md into index.html twice: nothing is lost."""
    pages = [{"src": "index.md", "dest": "index.html"}, {"src": "index.md", "dest": "index.html"}, {"src": "a.md", "dest": "a/index.html"}]
    assert collisions({"pages": pages}) == []


def test_an_anchor_only_the_lost_page_had_is_a_symptom_of_the_collision(tmp_path: Path) -> None:
    """openai-agents zh: `sessions.md` (a stale translation) wins over `sessions/index.md`; links from other pages to the
    lost page's anchors break. One collision miss, the anchors counted in it."""
    project, truth = collided(tmp_path)
    other = Broken("index.md", "blog/azure-devops/#caveat", "blog/posts/2023.md", "caveat", "anchor", True)
    broken = truth["broken"]
    assert isinstance(broken, list)
    truth["broken"] = [*broken, asdict(other)]
    outcome = Outcome("t")
    compare(project, truth, [], outcome)
    assert [m["kind"] for m in outcome.misses] == ["collision"]
    assert "3 broken links or anchors" in outcome.misses[0]["reason"]


def test_a_nav_entry_to_a_file_the_mirror_omits_is_not_verifiable(tmp_path: Path) -> None:
    """adk-docs' nav names api-reference/agentconfig/index.html, a blob the mirror snapshot omits: the build logs it
    missing as the checker does, yet the real site has it."""
    project = small_project(tmp_path)
    said = {"severity": "error", "path": "mkdocs.yml", "line": 455, "column": 9, "code": "LNK012"}
    said["message"] = "nav entry 'Agent Config Reference' points to 'api-reference/agentconfig/index.html', which does not exist in docs_dir 'docs'"
    truth = {**truth_with([], []), "nav_missing": ["api-reference/agentconfig/index.html"]}
    outcome = Outcome("t")
    compare(project, truth, [said], outcome, omitted=frozenset({"api-reference/agentconfig"}))
    assert outcome.confirmed == [] and outcome.false_errors == []
    assert [u["code"] for u in outcome.unverifiable] == ["LNK012"]
