"""Differential harness: `sitecheck links` on a project's Markdown against the same project's built site.

    # check out the projects of the manifest (from mirrors made with the search tool's fetch)
    .venv/bin/python bench/links_harness.py checkout --manifest bench/links_corpus.json --into /work/corpus/mkdocs
    # build each project with its plugins, run the checker under test, compare, write the table
    nice -n 10 .venv/bin/python bench/links_harness.py run /work/corpus/mkdocs --sitecheck /work/main/scripts \\
        --label main --results /work/corpus/results --table bench/links_harness.md
    # the same on another checker, then one table with both columns
    ... run /work/corpus/mkdocs --sitecheck /work/wt/links/scripts --label links ...
    .venv/bin/python bench/links_harness.py report --results /work/corpus/results --labels main links --table bench/links_harness.md

For each project folder (any folder holding a ``mkdocs.yml``; the manifest says which config when
there are several) the harness

1. makes or reuses a virtual environment per package set under ``--venvs`` (MkDocs, the theme, the
   plugins and extensions its config names, the packages its docs requirement files list; each
   install bounded by a timeout; what did not install is recorded),
2. builds the site with ``links_harness_driver.py`` in that environment (MkDocs' own loader and
   ``build``, non-strict, under ``nice`` with a timeout; plugins that need the internet dropped),
3. reads every broken internal link, anchor and image from the built pages' content
   (``links_truth.py``: the ground truth), and nav entries MkDocs logged as missing,
4. runs the checker under test on the source (``--sitecheck``: a ``scripts`` folder holding the
   ``sitecheck`` package, run with the project's environment so plugins import; or a Python
   executable with sitecheck installed),
5. maps both to (source page, target, anchor) and counts agreements, source-only errors (false
   errors unless the build confirms them another way) and built-only breaks (misses).

Results go to ``--results/<label>/<project>.json``; ``report`` turns them into the Markdown table.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from checker_module import checker_module

sys.path.insert(0, str(Path(__file__).parent))

from links_packages import NETWORK_PLUGINS, packages, read_config
from links_plant import copy_project, plant, verdict
from links_truth import Broken, broken_links, collisions, distinct_groups, leftover_text, nav_missing, overwritten, written_in

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "links_harness_driver.py"
LINK_CODES = {"LNK001", "LNK002", "LNK003", "LNK004", "LNK005", "LNK006", "LNK007", "LNK016"}
"""Codes about a link that the built site can confirm; the others (LNK014 javascript: URLs, citations, review dates) are policy."""
REF_CODES = {"LNK008", "LNK010"}
NAV_CODES = {"LNK012"}
LINK_IN_MESSAGE = re.compile(r"link '([^']*)'")
LABEL_IN_MESSAGE = re.compile(r"\[(\^?[^\]]+)\]")
QUOTED = re.compile(r"'([^']+)'")
ERROR_SIGNS = {"no files found including": "include-markdown", "macros error": "macros", "macro plugin": "macros"}
"""Words of a plugin's error message that do not name the plugin, and the plugin that says them."""
SUMMARY_LINE = re.compile(r"and \d+ more LNK\d+ findings in this file")
"""A checker's summary of repeats past its per-file cap: not a finding of its own, left out of the counts."""
MODULE_PACKAGES = {"github": "PyGithub", "yaml": "PyYAML", "git": "GitPython", "bs4": "beautifulsoup4", "PIL": "Pillow"}
"""Modules whose distribution has another name."""
MISSING_MODULE = re.compile(r"No module named '([\w.]+)'|No such file or directory: '([\w-]+)'")
PLUGIN_OUTPUTS: dict[str, tuple[str, ...]] = {
    "rss": ("feed_rss_created.xml", "feed_rss_updated.xml", "feed_json_created.json", "feed_json_updated.json"),
}
"""Files a plugin the harness drops (``NETWORK_PLUGINS``) writes at the site root: the real site has them."""
GIT_AWAY_FROM_OMITTED_BLOBS = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "diff.renameLimit", "GIT_CONFIG_VALUE_0": "1"}
"""Git settings for the build and the checker alike: `git log --follow` (git-revision-date-localized, git-committers)
reads old blobs to detect renames, and the mirror snapshots omit blobs of 4 MiB or more ("fatal: unable to read
<sha>", the plugin raises, the build stops: fpdf2, ULHPC, Textual). With inexact rename detection limited, git never
asks for those blobs; only page dates can change, never a link."""
OMITTED = "target left out of the harness's checkout (the mirror omits files of 4 MiB or more): present on the real site, not verifiable here"


@dataclass
class Project:
    """One MkDocs project to check: its folder, its config, and where it came from."""

    name: str
    root: Path
    config: Path
    repo: str = ""
    commit: str = ""
    cwd: Path | None = None
    """Where its docs are built from (the manifest's ``cwd``, relative to the checkout; default: the config's folder)."""

    @property
    def workdir(self) -> Path:
        """The folder mkdocs and the checker run in."""
        return self.cwd or self.config.parent


@dataclass
class Outcome:
    """What the harness found on one project with one checker."""

    name: str
    repo: str = ""
    commit: str = ""
    pages: int = 0
    built_pages: int = 0
    packages: list[str] = field(default_factory=list)
    not_installed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    build_error: str | None = None
    build_seconds: float = 0.0
    checker_exit: int | None = None
    checker_first_line: str = ""
    checker_seconds: float = 0.0
    errors: int = 0
    confirmed: list[dict[str, Any]] = field(default_factory=list)
    false_errors: list[dict[str, Any]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    warnings_on_built: int = 0
    built_without: str = ""
    added_modules: list[str] = field(default_factory=list)
    unverifiable: list[dict[str, Any]] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    """Pages a redirect stub replaced on the site (``page -> target``): readers of their URL are sent on, so their own
    links are not on the served site, broken or not; neither misses nor errors."""
    """Errors and built-site breaks about files the real site has but the harness's checkout or build lacks."""


def niced(argv: list[str]) -> list[str]:
    """The command under ``nice -n 10`` unless this process already runs niced (nice levels add up)."""
    return argv if os.nice(0) >= 10 else ["nice", "-n", "10", *argv]


def run(argv: list[str], *, timeout: float, cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run a command with a timeout; (exit code, stdout, stderr), exit 124 on timeout."""
    try:
        proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return 124, out, f"timed out after {timeout:.0f} s"
    return proc.returncode, proc.stdout, proc.stderr


# --- projects --------------------------------------------------------------------------------


def load_manifest(path: Path | None) -> list[dict[str, Any]]:
    """The manifest's entries (repo, commit, config, name)."""
    if path is None or not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8"))["projects"])


def entry_name(entry: dict[str, Any]) -> str:
    """A project's folder-safe name: owner+repo, plus the config's folder when a repo has several."""
    name = str(entry.get("name") or entry["repo"].replace("/", "+"))
    return name


def discover(folder: Path, manifest: list[dict[str, Any]]) -> list[Project]:
    """The projects in a folder: manifest entries first, then any subfolder with a mkdocs.yml."""
    projects: list[Project] = []
    seen: set[str] = set()
    for entry in manifest:
        checkout = folder / entry["repo"].replace("/", "+")
        if checkout.is_dir():
            name = entry_name(entry)
            cwd = checkout / entry["cwd"] if entry.get("cwd") else None
            projects.append(Project(name, checkout, checkout / entry["config"], entry["repo"], entry.get("commit", ""), cwd))
            seen.add(checkout.name)
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and p.name not in seen):
        for candidate in ("mkdocs.yml", "mkdocs.yaml", "docs/mkdocs.yml"):
            if (sub / candidate).exists():
                projects.append(Project(sub.name, sub, sub / candidate))
                break
    return projects


def checkout_present(worktree: Path, commit: str) -> tuple[int, str]:
    """Check out a worktree's files, leaving out blobs the mirror lacks (snapshots omit files of 4 MiB and more)."""
    git = ["git", "-C", str(worktree)]
    _, listing, _ = run([*git, "ls-tree", "-r", "--format=%(objectname) %(path)", commit], timeout=300)
    objects = [line.split(" ", 1) for line in listing.splitlines() if " " in line]
    check = subprocess.run([*git, "cat-file", "--batch-check"], input="\n".join(o for o, _ in objects) + "\n", capture_output=True, text=True, check=False)
    missing = [path for (_, path), answer in zip(objects, check.stdout.splitlines(), strict=False) if answer.endswith("missing")]
    if missing:
        patterns = "/*\n" + "".join("!/" + re.sub(r"([\\*?\[ !#])", r"\\\1", p) + "\n" for p in missing)
        run([*git, "sparse-checkout", "init", "--no-cone"], timeout=60)
        sparse = Path(run([*git, "rev-parse", "--git-path", "info/sparse-checkout"], timeout=60)[1].strip())
        sparse = sparse if sparse.is_absolute() else worktree / sparse
        sparse.write_text(patterns, encoding="utf-8")
    code, _, err = run([*git, "checkout", "--quiet", commit], timeout=600)
    return code, err


def checkout(manifest: list[dict[str, Any]], mirrors: Path, into: Path) -> int:
    """Check each manifest repo out at its commit (a git worktree of its mirror, so git plugins work)."""
    into.mkdir(parents=True, exist_ok=True)
    failed = 0
    for repo in sorted({e["repo"] for e in manifest}):
        commit = next(e["commit"] for e in manifest if e["repo"] == repo)
        target = into / repo.replace("/", "+")
        if target.exists():
            continue
        git_dir = mirrors / repo.replace("/", "+") / "repo"
        code, _, err = run(["git", "--git-dir", str(git_dir), "worktree", "add", "--detach", "--no-checkout", str(target), commit], timeout=600)
        if code == 0:
            code, err = checkout_present(target, commit)
        if code:
            print(f"{repo}: checkout failed: {err.strip()[:200]}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


@functools.cache
def _docs_dir(config_path: Path) -> Path:
    """The docs folder a config names (its docs_dir, relative to the config)."""
    config = read_config(config_path)
    return (config_path.parent / str(config.get("docs_dir") or "docs")).resolve()


def docs_dir(project: Project) -> Path:
    """The project's docs folder."""
    return _docs_dir(project.config)


def count_pages(project: Project) -> int:
    """Markdown pages under the docs folder."""
    folder = docs_dir(project)
    return sum(1 for _ in folder.rglob("*.md")) if folder.is_dir() else 0


# --- environments ----------------------------------------------------------------------------


def checker_requirements(sitecheck: Path) -> list[str]:
    """The runtime dependencies of the checker under test (from the pyproject.toml beside its scripts folder)."""
    pyproject = sitecheck.parent / "pyproject.toml"
    if not pyproject.exists():
        return []
    import tomllib

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return [str(d) for d in data.get("project", {}).get("dependencies", [])]


def ensure_venv(venvs: Path, wanted: list[str], extra: list[str], timeout: float) -> tuple[Path, list[str]]:
    """A venv with the packages (reused when the same set was installed before); the ones that failed."""
    key = hashlib.sha256("\n".join(sorted(wanted)).encode()).hexdigest()[:12]
    venv = venvs / key
    python = venv / "bin" / "python"
    stamp = venv / ".harness.json"
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if stamp.exists():
        failed = list(json.loads(stamp.read_text(encoding="utf-8"))["failed"])
    else:
        shutil.rmtree(venv, ignore_errors=True)
        code, _, err = run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], timeout=120)
        if code:
            raise RuntimeError(f"cannot create venv {venv}: {err.strip()[:200]}")
        failed = []
        first = [p.split("|", 1)[0] for p in wanted]
        code, _, _ = run([uv, "pip", "install", "--quiet", "--python", str(python), *first], timeout=timeout)
        if code:  # one at a time (each alternative name in turn), to know which one fails
            run([uv, "pip", "install", "--quiet", "--python", str(python), "mkdocs"], timeout=timeout)
            for package in wanted:
                if not any(run([uv, "pip", "install", "--quiet", "--python", str(python), name], timeout=timeout)[0] == 0 for name in package.split("|")):
                    failed.append(package)
        stamp.write_text(json.dumps({"packages": wanted, "failed": failed}), encoding="utf-8")
    extra_key = venv / (".extra-" + hashlib.sha256("\n".join(sorted(extra)).encode()).hexdigest()[:8])
    if extra and not extra_key.exists():
        code, _, _ = run([uv, "pip", "install", "--quiet", "--python", str(python), *extra], timeout=timeout)
        if code == 0:
            extra_key.touch()
    return python, failed


# --- the two sides ---------------------------------------------------------------------------


def culprit(record: dict[str, Any], plugins: list[str]) -> str | None:
    """The plugin a failed build's error names (to retry without it), if any."""
    errors = " ".join([str(record.get("error") or "")] + [m for level, _, m in record.get("log", []) if level == "ERROR"]).lower()
    for name in plugins:
        short = name.split("/")[-1].lower()
        if any(sign in errors and short == plugin for sign, plugin in ERROR_SIGNS.items()):
            return name
        module = f"mkdocs_{short.replace('-', '_')}_plugin"  # a plugin's log name, e.g. mkdocs_git_revision_date_localized_plugin
        needles = (f"{short} plugin", f"{short.rstrip('s')} plugin", f"'{short}'", f"plugin '{short}", f'"{short}"', f"{module}:")
        if short != "search" and any(n in errors for n in needles):
            return name
    return None


def build_without_culprit(project: Project, python: Path, site_dir: Path, timeout: float, record: dict[str, Any], plugins: list[str]) -> dict[str, Any]:
    """When a plugin made the build fail, build once more without it (and say so); else the failed record."""
    name = culprit(record, plugins)
    if name is None:
        return record
    shutil.rmtree(site_dir, ignore_errors=True)
    retry = build_once(project, python, site_dir, timeout, [name])
    if retry.get("ok"):
        retry["without"] = f"built without plugin '{name}' (the build failed with it: {str(record.get('error'))[:150]})"
        return retry
    return record


def build_env(project: Project, python: Path) -> dict[str, str]:
    """The build's environment: a developer's, without ``CI`` (``enabled: !ENV [CI, false]`` plugins stay off, as
    for the checker; ``CI=""`` would switch them on: MkDocs reads an empty variable as true)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(
        {
            "NO_MKDOCS_2_WARNING": "1",
            "PYTHONPATH": str(project.workdir),
            "PATH": f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "ENABLE_MKDOCSTRINGS": "true",
            **GIT_AWAY_FROM_OMITTED_BLOBS,
        }
    )
    return env


def build_once(project: Project, python: Path, site_dir: Path, timeout: float, drop: list[str]) -> dict[str, Any]:
    """Build the project with its plugins; the driver's record (ok, error, pages, files, log)."""
    out = site_dir.parent / "record.json"
    out.unlink(missing_ok=True)
    env = build_env(project, python)
    argv = niced([str(python), str(DRIVER), str(project.config), str(site_dir), str(out), "--drop", *NETWORK_PLUGINS, *drop])
    code, _, err = run(argv, timeout=timeout, cwd=project.workdir, env=env)
    if out.exists():
        record: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return record
    return {"ok": False, "error": err.strip().splitlines()[-1][:300] if err.strip() else f"exit {code}", "pages": [], "files": {}, "log": []}


def run_checker(project: Project, sitecheck: Path, python: Path, timeout: float) -> tuple[int, list[dict[str, Any]], str, float]:
    """Run `sitecheck links` on the source; (exit, findings, first line of stderr/stdout, seconds)."""
    path = f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}"  # the environment activated, as for the build
    if sitecheck.is_dir():
        env = {**os.environ, "PYTHONPATH": str(sitecheck), "NO_MKDOCS_2_WARNING": "1", "PATH": path, **GIT_AWAY_FROM_OMITTED_BLOBS}
        argv = [str(python), "-m", checker_module(sitecheck)]
    else:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{sitecheck.parent}{os.pathsep}{os.environ.get('PATH', '')}", **GIT_AWAY_FROM_OMITTED_BLOBS}
        argv = [str(sitecheck), "-m", checker_module()]
    argv = niced([*argv, "links", "--config", str(project.config), "--format", "json", "--jobs", "1"])
    start = time.perf_counter()
    code, out, err = run(argv, timeout=timeout, cwd=project.workdir, env=env)
    seconds = time.perf_counter() - start
    first = (err.strip() or out.strip()).splitlines()[0][:300] if (err.strip() or out.strip()) else ""
    return code, findings_of(out), first, seconds


def findings_of(out: str) -> list[dict[str, Any]]:
    """The findings of the checker's JSON report, also when a plugin printed to stdout before it (Textual's
    screenshot fence prints "screenshotting ..." lines); [] when there is no report."""
    start = 0 if out.startswith("{") else out.find("\n{\n") + 1
    try:
        return list(json.loads(out[start:])["findings"]) if out.strip() else []
    except (ValueError, KeyError, TypeError):
        return []


# --- comparison ------------------------------------------------------------------------------


def norm_target(path: str) -> str:
    """A link target reduced to what both sides can name: no index/README, no .md/.html, no slashes."""
    path = path.strip("/")
    for suffix in ("/index.md", "/README.md", "/readme.md", "/index.html"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    if path in ("index.md", "README.md", "index.html"):
        return ""
    for ext in (".md", ".html"):
        if path.endswith(ext):
            path = path[: -len(ext)]
    return path.strip("/")


def source_key(finding: dict[str, Any], docs_rel: str) -> tuple[str, str, str] | None:
    """(page, target, fragment) of a link finding of the checker; None when it names no link."""
    match = LINK_IN_MESSAGE.search(finding["message"])
    if not match:
        return None
    link = match.group(1)
    path, _, fragment = link.partition("#")
    path = path.split("?", 1)[0]
    if not path:
        target = docs_rel
    elif path.startswith("/"):
        target = path
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(docs_rel), path))
    return docs_rel, norm_target(target), fragment


def built_key(broken: Broken) -> tuple[str, str, str]:
    """(page, target, fragment) of a broken link in the built site."""
    return broken.page, norm_target(broken.target), broken.fragment


LANGUAGE_SUFFIX = re.compile(r"\.[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")
"""mkdocs-static-i18n's suffix (``page.zh`` of ``page.zh.md``, after ``norm_target``)."""


def same(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """Whether two keys name the same link: exactly, or the same page and anchor and the same target file name,
    also when one names the translation the link is served as (``chat_command.md`` → ``chat_command.zh.md``)."""
    if a == b:
        return True
    name_a, name_b = posixpath.basename(a[1]), posixpath.basename(b[1])
    return a[0] == b[0] and a[2] == b[2] and (name_a == name_b or LANGUAGE_SUFFIX.sub("", name_a) == LANGUAGE_SUFFIX.sub("", name_b))


def omitted_files(project: Project) -> frozenset[str]:
    """Docs-relative targets (``norm_target``) of the commit's files the checkout lacks (the mirror had no blob).

    ``checkout_present`` leaves them out with a sparse checkout; git shows them as skip-worktree (``S``) or,
    when the sparse patterns did not apply, as deleted.
    """
    git = ["git", "-C", str(project.root), "ls-files", "-z"]
    skipped = run([*git, "-t"], timeout=120)[1].split("\0")
    deleted = run([*git, "--deleted"], timeout=120)[1].split("\0")
    paths = [e[2:] for e in skipped if e.startswith("S ")] + [e for e in deleted if e]
    docs = docs_dir(project)
    found = set()
    for path in paths:
        try:
            found.add(norm_target((project.root / path).resolve().relative_to(docs).as_posix()))
        except ValueError:
            continue
    return frozenset(found)


def left_out(target: str, omitted: frozenset[str]) -> bool:
    """Whether a target is a file the checkout lacks: by path, or by file name (a raw HTML src resolves from the
    page's URL, which i18n and other plugins move away from the source folder)."""
    return target in omitted or posixpath.basename(target) in {posixpath.basename(o) for o in omitted}


def dropped_output(target: str, dropped: list[str]) -> str | None:
    """The dropped plugin that writes this site-root file (``target`` as ``norm_target`` gives it), if any."""
    for plugin in dropped:
        if target.strip("/") in PLUGIN_OUTPUTS.get(plugin.split("/")[-1], ()):
            return plugin
    return None


def relative_to_docs(path: str, project: Project) -> str | None:
    """A finding's path (relative to the config's folder) as a docs-relative page, or None outside docs."""
    full = (project.config.parent / path).resolve()
    try:
        return full.relative_to(docs_dir(project)).as_posix()
    except ValueError:
        return None


def reason_for_false(finding: dict[str, Any], docs_rel: str | None, record: dict[str, Any], built_srcs: set[str]) -> str:
    """A first explanation of an error the build does not confirm (the table's reason column)."""
    code = finding["code"]
    if not record.get("ok"):
        return "mkdocs build failed"
    if docs_rel is None:
        return ""  # in an included file: the build shows no broken link with that target on any page
    if docs_rel not in built_srcs:
        return "page not built (excluded, draft, or replaced by a plugin)"
    if code in ("LNK004", "LNK005"):
        return f"{code}: link to a built/absolute URL that works on the served site"
    if code in ("LNK003", "LNK007"):
        return f"{code}: case differs (works on the built site's case-insensitive match? check)"
    return ""


def make_truth(record: dict[str, Any], site_dir: Path) -> dict[str, Any]:
    """What the built site says, kept so another checker can be compared without building again."""
    return {
        "ok": bool(record.get("ok")),
        "error": record.get("error"),
        "log_errors": [m for level, _, m in record.get("log", []) if level == "ERROR"],
        "without": record.get("without", ""),
        "dropped": list(record.get("dropped", [])),
        "built_pages": len(record.get("pages", [])),
        "broken": [asdict(b) for b in broken_links(record, site_dir)] if record.get("ok") else [],
        "abs_src": {p["src"]: p.get("abs_src") for p in record.get("pages", [])},
        "texts": leftover_text(record),
        "nav_missing": nav_missing(record),
        "collisions": collisions(record),
        "overwritten": overwritten(record, site_dir) if record.get("ok") else {},
    }


def compare(project: Project, truth: dict[str, Any], findings: list[dict[str, Any]], outcome: Outcome, omitted: frozenset[str] = frozenset()) -> None:
    """Fill the outcome's confirmed, false errors, misses, and what the checkout or build cannot verify.

    ``omitted``: docs-relative targets (``norm_target``) the checkout lacks though the commit has them.
    """
    built = [Broken(**b) for b in truth["broken"]]
    built_keys = [built_key(b) for b in built]
    built_srcs = set(truth["abs_src"])
    texts = truth["texts"]
    nav_missing_entries = truth["nav_missing"]
    matched_built: set[int] = set()
    groups = distinct_groups(truth.get("collisions", []))  # truth saved before the harness dropped same-page groups
    group_of = {src: group for group in groups for src in group}
    reported: set[str] = set()  # collision groups (first page) an error names
    lost_pages: dict[str, str] = truth.get("overwritten", {})  # pages a redirect stub replaced on the site
    errors = [f for f in findings if f.get("severity") == "error"]
    outcome.errors = len(errors)
    for finding in errors:
        docs_rel = relative_to_docs(finding["path"], project)
        item = {k: finding[k] for k in ("path", "line", "column", "code", "message")}
        confirmed = False
        before = set(matched_built)
        if docs_rel in group_of and any(other in finding["message"] for other in group_of[docs_rel] if other != docs_rel):
            reported.add(group_of[docs_rel][0])  # two pages publish to one URL, and the error says so
            outcome.confirmed.append(item)
            continue
        if docs_rel in lost_pages and "redirect" in finding["message"]:
            reported.add(docs_rel)  # the error says a redirect replaces this page
            outcome.confirmed.append(item)
            continue
        if finding["code"] in LINK_CODES and (key := source_key(finding, docs_rel or "")) is not None:
            if left_out(key[1], omitted):
                outcome.unverifiable.append({**item, "reason": OMITTED})
                continue
            if plugin := dropped_output(key[1], truth.get("dropped", [])):
                item["reason"] = f"target written by the plugin '{plugin}', which the harness drops (it needs the internet): the real site has it"
                outcome.false_errors.append(item)
                continue
        if finding["code"] in LINK_CODES and docs_rel is not None and docs_rel in built_srcs:
            key = source_key(finding, docs_rel)
            if key is not None:
                for i, bkey in enumerate(built_keys):
                    if same(key, bkey):
                        matched_built.add(i)
                        confirmed = True
        elif finding["code"] in LINK_CODES:  # in an included file (snippet, include, not a page): any page with that broken target
            key = source_key(finding, "")
            if key is not None:
                for i, bkey in enumerate(built_keys):
                    if posixpath.basename(bkey[1]) == posixpath.basename(key[1]) and bkey[2] == key[2]:
                        matched_built.add(i)
                        confirmed = True
        elif finding["code"] in REF_CODES and docs_rel is not None:
            label = LABEL_IN_MESSAGE.search(finding["message"])
            text = texts.get(docs_rel, "")
            confirmed = bool(label) and f"[{label.group(1)}]".lower() in text.lower()  # type: ignore[union-attr]
        elif finding["code"] in NAV_CODES:
            names = QUOTED.findall(finding["message"])
            if any(norm_target(n) in omitted for n in names):  # adk-docs' nav names api-reference/agentconfig/index.html, a blob the mirror omits
                outcome.unverifiable.append({**item, "reason": OMITTED})
                continue
            confirmed = any(any(n.strip("/") in m for m in nav_missing_entries) for n in names)
        else:
            item["reason"] = "not compared (no built-site counterpart for this code)"
            outcome.confirmed.append(item)
            continue
        if confirmed and any(left_out(built_keys[i][1], omitted) for i in matched_built - before):  # a raw HTML src, resolved from the page's URL
            outcome.unverifiable.append({**item, "reason": OMITTED})
        elif confirmed:
            outcome.confirmed.append(item)
        else:
            item["reason"] = reason_for_false(finding, docs_rel, truth, built_srcs)
            outcome.false_errors.append(item)
    warned_keys = [
        k
        for w in findings
        if w.get("severity") != "error" and (rel := relative_to_docs(w["path"], project)) is not None and (k := source_key(w, rel)) is not None
    ]
    symptoms: dict[str, int] = {}
    for i, broken in enumerate(built):
        if i in matched_built:
            continue
        if broken.page in lost_pages:
            symptoms[broken.page] = symptoms.get(broken.page, 0) + 1  # the replaced page's permalinks and links
            continue
        if broken.page in group_of and broken.target in group_of[broken.page] and broken.target != broken.page:
            symptoms[group_of[broken.page][0]] = symptoms.get(group_of[broken.page][0], 0) + 1  # the lost page's links into its winner
            continue
        if broken.kind == "anchor" and broken.target in group_of and broken.page not in group_of[broken.target]:
            symptoms[group_of[broken.target][0]] = symptoms.get(group_of[broken.target][0], 0) + 1  # an anchor only the lost page had
            continue
        entry = asdict(broken)
        key = built_key(broken)
        if broken.kind != "anchor" and (left_out(key[1], omitted) or dropped_output(key[1], truth.get("dropped", []))):
            outcome.unverifiable.append(
                {**entry, "reason": OMITTED if left_out(key[1], omitted) else "written by a plugin the harness drops: the real site has it"}
            )
            continue
        warned = any(same(k, key) for k in warned_keys)
        abs_src = truth["abs_src"].get(broken.page)
        if abs_src and Path(abs_src).exists():  # re-read: truth saved by an older harness may have judged it differently
            broken = Broken(**{**asdict(broken), "in_source": written_in(Path(abs_src).read_text(encoding="utf-8", errors="replace"), broken.href)})
            entry = asdict(broken)
        if warned:
            entry["reason"] = "reported as a warning, not an error"
            outcome.warnings_on_built += 1
        elif "{{" in broken.href or "{%" in broken.href:
            entry["reason"] = "unrendered Jinja (the build ran without the macros plugin)"
        elif not abs_src or not Path(abs_src).exists():
            entry["reason"] = "page generated by a plugin (not a Markdown file)"
        elif not broken.in_source:
            entry["reason"] = "link not in the page's Markdown (made by a plugin, macro or include)"
        else:
            entry["reason"] = ""
        outcome.misses.append(entry)
    outcome.replaced = [f"{page} -> {to} ({symptoms.get(page, 0)} of its links and permalinks)" for page, to in lost_pages.items() if page not in reported]
    for group in groups:
        if group[0] not in reported:
            lost = f"{symptoms.get(group[0], 0)} broken links or anchors on the lost page"
            outcome.misses.append(
                {
                    "page": group[0],
                    "href": "",
                    "target": " and ".join(group),
                    "fragment": "",
                    "kind": "collision",
                    "in_source": False,
                    "reason": f"pages published at one URL, the build keeps one ({lost})",
                }
            )


def check_project(project: Project, args: argparse.Namespace) -> Outcome:
    """Build, check and compare one project."""
    outcome = Outcome(project.name, project.repo, project.commit, pages=count_pages(project))
    wanted, plugins = packages(project.root, project.config)
    outcome.packages = wanted
    extra = checker_requirements(args.sitecheck) if args.sitecheck.is_dir() else []
    python, failed = ensure_venv(args.venvs, wanted, extra, args.install_timeout)
    outcome.not_installed = failed
    truth_file = args.results / "_truth" / f"{project.name}.json"
    if args.reuse_builds and truth_file.exists():
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
    else:
        truth = build_truth(project, python, plugins, args)
        truth_file.parent.mkdir(parents=True, exist_ok=True)
        truth_file.write_text(json.dumps(truth), encoding="utf-8")
    outcome.not_installed += [m for m in truth.get("not_installed", []) if m not in outcome.not_installed]
    outcome.added_modules = list(truth.get("added_modules", []))
    outcome.built_without = truth.get("without", "")
    outcome.build_seconds = truth.get("build_seconds", 0.0)
    outcome.build_error = truth.get("error")
    if outcome.build_error and truth.get("log_errors"):
        outcome.build_error += " | " + truth["log_errors"][-1].splitlines()[0][:200]
    outcome.dropped = list(truth.get("dropped", []))
    outcome.built_pages = truth["built_pages"]
    checker_python = python if args.checker_python == "project" else Path(args.checker_python)
    code, findings, first, seconds = run_checker(project, args.sitecheck, checker_python, args.check_timeout)
    outcome.checker_exit, outcome.checker_first_line, outcome.checker_seconds = code, first, seconds
    compare(project, truth, findings, outcome, omitted_files(project))
    return outcome


def build_truth(project: Project, python: Path, plugins: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Build the project (retrying without a failing plugin, or with a missing module installed) and read the truth."""
    added: list[str] = []
    not_installed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="harness-") as tmp:
        site_dir = Path(tmp) / "site"
        start = time.perf_counter()
        record = build_once(project, python, site_dir, args.build_timeout, [])
        for _ in range(4):  # a module the site's hooks or plugins import but no requirement names
            said = " ".join([str(record.get("error") or "")] + [m for level, _, m in record.get("log", []) if level == "ERROR"])
            missing = MISSING_MODULE.search(said)
            if record.get("ok") or not missing:
                break
            module = (missing.group(1) or missing.group(2)).split(".")[0]  # a module, or a command its plugins run
            if module in added:
                break
            added.append(module)
            uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
            package = MODULE_PACKAGES.get(module, module.replace("_", "-"))
            if run([uv, "pip", "install", "--quiet", "--python", str(python), package], timeout=args.install_timeout)[0]:
                not_installed.append(module)
                break
            shutil.rmtree(site_dir, ignore_errors=True)
            record = build_once(project, python, site_dir, args.build_timeout, [])
        if not record.get("ok"):
            record = build_without_culprit(project, python, site_dir, args.build_timeout, record, plugins)
        truth = make_truth(record, site_dir)
        truth.update(build_seconds=time.perf_counter() - start, added_modules=added, not_installed=not_installed)
        return truth


def plant_project(project: Project, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Plant defects in a copy of one project, run the checker, and say how each defect was reported."""
    copy = copy_project(project.root, args.work / project.name)
    config = copy / project.config.relative_to(project.root)
    cwd = copy / project.workdir.relative_to(project.root)
    planted = plant(copy, config, cwd)
    wanted, _ = packages(copy, config)
    extra = checker_requirements(args.sitecheck) if args.sitecheck.is_dir() else []
    python, _ = ensure_venv(args.venvs, wanted, extra, args.install_timeout)
    checker_python = python if args.checker_python == "project" else Path(args.checker_python)
    code, findings, first, _ = run_checker(Project(project.name, copy, config, cwd=cwd), args.sitecheck, checker_python, args.check_timeout)
    rows = []
    for item in planted:
        said = verdict(item, findings, config.parent) if code in (0, 1) else f"checker exit {code}: {first}"
        rows.append({"project": project.name, **asdict(item), "verdict": said})
    return rows


def plant_table(rows: list[dict[str, Any]], label: str) -> str:
    """The planted defects as a Markdown table, with a tally per verdict."""
    lines = [f"| project | defect | where it must be reported | {label}: verdict |", "|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['project']} | {r['kind']} | `{r['path']}:{r['line']}` | {r['verdict'].replace('|', '/')} |")
    tally = Counter(
        "error at file:line"
        if r["verdict"] == "error at file:line"
        else "error elsewhere"
        if r["verdict"].startswith("error at")
        else r["verdict"].split(":")[0]
        if r["verdict"].startswith("checker exit")
        else r["verdict"]
        for r in rows
    )
    lines += ["", f"`{label}`: {len(rows)} planted; " + ", ".join(f"{n} {v}" for v, n in tally.most_common()) + "."]
    kinds = Counter(r["kind"] for r in rows if r["verdict"] != "error at file:line")
    if kinds:
        lines.append("Not reported as an error at file:line, by kind: " + ", ".join(f"{k} ({n})" for k, n in kinds.most_common()) + ".")
    return "\n".join(lines) + "\n"


# --- report ----------------------------------------------------------------------------------


def summarise_reasons(items: list[dict[str, Any]]) -> str:
    """The reasons of a list of differences, most common first."""
    counts = Counter(i.get("reason") or "unexplained" for i in items)
    return "; ".join(f"{n}× {r}" for r, n in counts.most_common(3))


def load_results(results: Path, label: str) -> dict[str, dict[str, Any]]:
    """One checker's outcomes by project name."""
    folder = results / label
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))} if folder.is_dir() else {}


def explained(notes: dict[str, list[dict[str, str]]], project: str, item: dict[str, Any]) -> str:
    """A hand-written explanation from the notes file that matches this difference, if any."""
    for note in notes.get(project, []) + notes.get("*", []):
        text = json.dumps(item)
        if re.search(note["match"], text):
            return note["reason"]
    return ""


def report(results: Path, labels: list[str], notes_path: Path | None) -> str:
    """The Markdown table: one row per project, a column group per checker, then totals."""
    notes: dict[str, list[dict[str, str]]] = json.loads(notes_path.read_text(encoding="utf-8")) if notes_path and notes_path.exists() else {}
    by_label = {label: load_results(results, label) for label in labels}
    names = sorted({n for r in by_label.values() for n in r})
    head = "| project | pages | built pages |"
    rule = "|---|---:|---:|"
    for label in labels:
        head += f" {label}: errors | confirmed | false | misses | unexplained | unverified |"
        rule += "---:|---:|---:|---:|---:|---:|"
    head += " reasons (per checker) |"
    rule += "---|"
    lines = [
        "# sitecheck links against the built site (`bench/links_harness.py`)",
        "",
        "Made by `bench/links_harness.py report --labels " + " ".join(labels) + "` from the results of `links_harness.py run`",
        "on the projects of `bench/links_corpus.json` (public repositories at fixed commits). Per project and checker:",
        "**errors** the checker reported; **confirmed** link/anchor/image/nav/reference errors the built site confirms",
        "(codes with no built counterpart, such as citations and review dates, are left out); **false** errors the built",
        "site does not confirm; **misses** broken internal links, anchors or images in the built pages' content that the",
        "checker did not report as an error; **unexplained** differences with no reason yet (the notes file",
        "`bench/links_harness_notes.json` and the harness's own rules give the reasons); **unverified** errors on a",
        "project whose build failed (nothing to compare with). Pages: Markdown files under docs_dir.",
        "",
        head,
        rule,
    ]
    totals: dict[str, Counter[str]] = {label: Counter() for label in labels}
    total_pages = 0
    for name in names:
        first = next(r[name] for r in by_label.values() if name in r)
        total_pages += first["pages"]
        row = f"| {first.get('repo') or name} `{name}` | {first['pages']} | {first['built_pages']} |"
        reasons_by: dict[str, str] = {}
        for label in labels:
            o = by_label[label].get(name)
            if o is None:
                row += " – | – | – | – | – | – |"
                continue
            if o.get("build_error"):  # nothing to compare with: the checker's errors are unverified, not false
                row += f" {o['errors']} | – | – | – | – | {o['errors']} |"
                totals[label].update(errors=o["errors"], unverified=o["errors"])
                missing = " (not installed: " + ", ".join(o["not_installed"]) + ")" if o.get("not_installed") else ""
                reasons_by["build"] = f"build failed: {o['build_error'][:160]}{missing}"
                continue
            summaries = [f for f in o["false_errors"] if SUMMARY_LINE.search(f["message"])]  # "and N more … in this file"
            o["false_errors"] = [f for f in o["false_errors"] if f not in summaries]
            o["errors"] -= len(summaries)
            for item in o["false_errors"] + o["misses"]:
                item["reason"] = explained(notes, name, item) or item.get("reason", "")
                if not item["reason"] and o.get("checker_exit") not in (0, 1):
                    item["reason"] = f"the checker stopped (exit {o.get('checker_exit')}) before checking links"
            unexplained = sum(1 for i in o["false_errors"] + o["misses"] if not i.get("reason"))
            compared = [c for c in o["confirmed"] if not c.get("reason")]
            row += f" {o['errors']} | {len(compared)} | {len(o['false_errors'])} | {len(o['misses'])} | {unexplained} | 0 |"
            t = totals[label]
            t.update(errors=o["errors"], confirmed=len(compared), false=len(o["false_errors"]), misses=len(o["misses"]), unexplained=unexplained)
            t.update(built_pages=o["pages"])
            notes_for_row = []
            if o.get("built_without"):
                notes_for_row.append(o["built_without"])
            if o.get("added_modules"):
                notes_for_row.append("installed modules its hooks import: " + ", ".join(o["added_modules"]))
            if o.get("not_installed"):
                notes_for_row.append("not installed: " + ", ".join(o["not_installed"]))
            if o.get("checker_exit") not in (0, 1):
                notes_for_row.append(f"checker exit {o['checker_exit']}: {o['checker_first_line'][:120]}")
            if o.get("replaced"):
                notes_for_row.append(
                    f"{len(o['replaced'])} pages replaced by a redirect stub (their own links are not on the served site): " + ", ".join(o["replaced"][:3])
                )
            if o.get("unverifiable"):
                notes_for_row.append(f"{len(o['unverifiable'])} not verifiable: " + summarise_reasons(o["unverifiable"]))
            if o["false_errors"]:
                notes_for_row.append("false: " + summarise_reasons(o["false_errors"]))
            if o["misses"]:
                notes_for_row.append("misses: " + summarise_reasons(o["misses"]))
            reasons_by[label] = "; ".join(notes_for_row)
        reasons = " — ".join(f"**{who}**: {text}" for who, text in reasons_by.items() if text).replace("|", "\\|")
        lines.append(row + f" {reasons} |")
    row = f"| **total ({len(names)} projects)** | {total_pages} | |"
    for label in labels:
        t = totals[label]
        row += f" {t['errors']} | {t['confirmed']} | {t['false']} | {t['misses']} | {t['unexplained']} | {t['unverified']} |"
    lines.append(row + " |")
    lines.append("")
    for label in labels:
        t = totals[label]
        pages = t["built_pages"]
        rate = 1000 * t["false"] / pages if pages else 0.0
        lines.append(
            f"- `{label}`: {t['false']} false errors on the {pages} pages of the projects that built = **{rate:.2f} per 1,000 pages**; "
            f"{t['misses']} built-site breaks not reported as errors; {t['confirmed']} errors confirmed by the build; "
            f"{t['unverified']} errors on projects whose build failed (unverified)."
        )
    return "\n".join(lines) + "\n"


# --- command line ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a subcommand."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    co = sub.add_parser("checkout", help="check out the manifest's projects from their mirrors")
    co.add_argument("--manifest", type=Path, default=HERE / "links_corpus.json")
    co.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    co.add_argument("--into", type=Path, default=Path("/work/corpus/mkdocs"))
    rn = sub.add_parser("run", help="build, check and compare every project in a folder")
    rn.add_argument("folder", type=Path)
    rn.add_argument("--manifest", type=Path, default=HERE / "links_corpus.json")
    rn.add_argument("--sitecheck", type=Path, required=True, help="a scripts folder holding the sitecheck package, or a Python with it installed")
    rn.add_argument("--checker-python", default="project", help="'project' (the project's venv) or a Python executable")
    rn.add_argument("--label", required=True, help="name of this checker's column, e.g. main or links")
    rn.add_argument("--results", type=Path, default=Path("/work/corpus/results"))
    rn.add_argument("--venvs", type=Path, default=Path("/work/corpus/venvs"))
    rn.add_argument("--only", nargs="*", help="project names to run (default: all)")
    rn.add_argument("--install-timeout", type=float, default=600)
    rn.add_argument("--build-timeout", type=float, default=900)
    rn.add_argument("--check-timeout", type=float, default=600)
    rn.add_argument("--table", type=Path, help="also write the table for this label")
    rn.add_argument("--skip-done", action="store_true", help="skip projects that already have a result for this label")
    rn.add_argument("--reuse-builds", action="store_true", help="compare with the built site an earlier run saved (results/_truth) instead of building again")
    pl = sub.add_parser("plant", help="plant defects in copies of projects and check where they are reported")
    pl.add_argument("folder", type=Path)
    pl.add_argument("--manifest", type=Path, default=HERE / "links_corpus.json")
    pl.add_argument("--sitecheck", type=Path, required=True)
    pl.add_argument("--checker-python", default="project")
    pl.add_argument("--label", required=True)
    pl.add_argument("--venvs", type=Path, default=Path("/work/corpus/venvs"))
    pl.add_argument("--work", type=Path, default=Path("/work/corpus/planted"))
    pl.add_argument("--only", nargs="*")
    pl.add_argument("--install-timeout", type=float, default=600)
    pl.add_argument("--check-timeout", type=float, default=600)
    pl.add_argument("--table", type=Path)
    pl.add_argument("--results", type=Path, default=Path("/work/corpus/results"))
    pt = sub.add_parser("plant-table", help="one planted-defects table from the JSON of several plant runs")
    pt.add_argument("json", type=Path, nargs="+")
    pt.add_argument("--label", required=True)
    pt.add_argument("--table", type=Path)
    rp = sub.add_parser("report", help="write the Markdown table from saved results")
    rp.add_argument("--results", type=Path, default=Path("/work/corpus/results"))
    rp.add_argument("--labels", nargs="+", required=True)
    rp.add_argument("--notes", type=Path, default=HERE / "links_harness_notes.json")
    rp.add_argument("--table", type=Path)
    args = parser.parse_args(argv)
    if args.command == "checkout":
        return checkout(load_manifest(args.manifest), args.mirrors, args.into)
    if args.command == "run":
        args.sitecheck = args.sitecheck.resolve()
        args.venvs.mkdir(parents=True, exist_ok=True)
        out_dir = args.results / args.label
        out_dir.mkdir(parents=True, exist_ok=True)
        for project in discover(args.folder, load_manifest(args.manifest)):
            if args.only and project.name not in args.only:
                continue
            if args.skip_done and (out_dir / f"{project.name}.json").exists():
                continue
            start = time.perf_counter()
            try:
                outcome = check_project(project, args)
            except (OSError, RuntimeError, ValueError) as exc:
                outcome = Outcome(project.name, project.repo, project.commit, build_error=f"harness: {exc}")
            (out_dir / f"{project.name}.json").write_text(json.dumps(asdict(outcome), indent=1), encoding="utf-8")
            print(
                f"{project.name}: pages {outcome.pages}, built {outcome.built_pages}, errors {outcome.errors}, "
                f"confirmed {len(outcome.confirmed)}, false {len(outcome.false_errors)}, misses {len(outcome.misses)}"
                f"{', build: ' + outcome.build_error if outcome.build_error else ''} ({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
        if args.table:
            args.table.write_text(report(args.results, [args.label], HERE / "links_harness_notes.json"), encoding="utf-8")
        return 0
    if args.command == "plant-table":
        merged = [row for path in args.json for row in json.loads(path.read_text(encoding="utf-8"))]
        text = plant_table(merged, args.label)
        if args.table:
            args.table.write_text(text, encoding="utf-8")
        else:
            print(text)
        return 0
    if args.command == "plant":
        args.sitecheck = args.sitecheck.resolve()
        rows: list[dict[str, Any]] = []
        for project in discover(args.folder, load_manifest(args.manifest)):
            if args.only and project.name not in args.only:
                continue
            try:
                got = plant_project(project, args)
            except (OSError, RuntimeError, ValueError) as exc:
                print(f"{project.name}: cannot plant: {exc}", file=sys.stderr)
                continue
            rows += got
            print(f"{project.name}: {sum(r['verdict'] == 'error at file:line' for r in got)}/{len(got)} at file:line", flush=True)
        (args.results / f"planted-{args.label}.json").parent.mkdir(parents=True, exist_ok=True)
        (args.results / f"planted-{args.label}.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
        text = plant_table(rows, args.label)
        if args.table:
            args.table.write_text(text, encoding="utf-8")
        else:
            print(text)
        return 0
    table = report(args.results, args.labels, args.notes)
    if args.table:
        args.table.write_text(table, encoding="utf-8")
    else:
        print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
