"""A re-run with nothing changed prints the last run's output without loading MkDocs or the site.

What a run's output depends on, and how a re-run sees that it changed:

* the command line, the working folder, the Python, today's date and sitecheck's environment
  variables (``SITECHECK_*``, ``GITHUB_STEP_SUMMARY``, ``NCBI_API_KEY``): hashed into the *head*
  key, which names the kept run;
* the installed distributions (MkDocs, every plugin, theme and Markdown extension): the
  ``*.dist-info`` / ``*.egg-info`` folder names (which carry the version) of every ``sys.path``
  folder, also in the head key — a listing, not ``importlib.metadata``, which parses every record;
* every file under mkdocs.yml's folder (version-control, virtualenv, cache and ``site`` folders
  left out) and under sitecheck's own package, and every other file the run opened (an
  ``INHERIT``-ed config, a hook, a snippet or ``bib_file`` outside the site's folder): kept as
  (size, mtime, ctime, inode) and a SHA-256 of the content. A file whose stat is unchanged is not
  read again; one whose stat changed is hashed again and only a different content is a change. A
  file modified within two seconds before the run began is always hashed again ("racy" stat, as
  git treats its index);
* the entry names of every other folder the run listed (a ``docs_dir`` or theme ``custom_dir``
  outside the site's folder), so a page added there is seen too;
* the environment variables a YAML file names with ``!ENV``, and the commit ``.git/HEAD`` points at.

The last KEEP runs of a site are kept (one per command line), in ``.cache/sitecheck/runs/`` beside
mkdocs.yml. Network checks (``--external``, ``--online``), ``--site-dir``, ``--output`` and GitHub
step-summary runs are never kept, nor incomplete ones (exit 3); ``SITECHECK_NO_CACHE=1`` turns the
cache off.
Not seen: a change inside an installed package that keeps its version (an editable install of a
plugin), environment variables a plugin reads itself, and what a subprocess of a plugin reads.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSION = "2"  # bump when the kept shape changes
KEEP = 4  # kept runs per site: different options (links, refs, a bare `sitecheck`, --format) each have one
RACY_NS = 2_000_000_000  # a file modified this close before the run began is hashed again next time
_SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", ".cache", "node_modules", "__pycache__", ".tox", ".mypy_cache", ".ruff_cache", ".pytest_cache", "site"}
)
_ENV_PREFIX = "SITECHECK_"
_ENV_NAMES = ("GITHUB_STEP_SUMMARY", "NCBI_API_KEY")
_DIST_SUFFIXES = (".dist-info", ".egg-info", ".egg-link", ".pth")
_PACKAGE = Path(__file__).resolve().parent  # sitecheck's own code, installed or run from a checkout

# One file's record: [size, mtime_ns, ctime_ns, inode, sha256 hex]; size -1 means "hash it again".
Record = list[Any]


@dataclass
class Kept:
    """A kept run: its exit status, standard output and standard error."""

    code: int
    output: str
    errors: str


def config_of(argv: Sequence[str]) -> Path:
    """The ``--config`` an argument list names (mkdocs.yml by default).

    Only the exact spellings are read: a kept run is found by a key over the whole argument list,
    so an abbreviation this misreads finds no kept run and the run goes the full way.
    """
    config = "mkdocs.yml"
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            config = argv[i + 1]
        elif arg.startswith("--config="):
            config = arg.partition("=")[2]
    return Path(config)


def _today() -> str:
    """Today's date, as review dates are compared with it."""
    return time.strftime("%Y-%m-%d")


def distributions() -> list[tuple[str, list[str]]]:
    """Each ``sys.path`` folder holding installed distributions, with their metadata folder names.

    The names carry the versions (``mkdocs-1.6.1.dist-info``): listing the folders is enough to
    see an upgrade, and costs a fraction of ``importlib.metadata``, which parses every record.
    """
    found = []
    for folder in sys.path:
        try:
            names = sorted(n for n in os.listdir(folder or ".") if n.endswith(_DIST_SUFFIXES))
        except OSError:
            continue
        if names:
            found.append((folder, names))
    return found


def head_key(argv: Sequence[str]) -> str:
    """The key of everything but the files: arguments, folder, Python, date, environment, distributions."""
    digest = hashlib.sha256(f"sitecheck-run-{VERSION}\0".encode())
    for part in (*argv, "\0cwd", os.getcwd(), sys.version, sys.prefix, _today()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for name in sorted(os.environ):
        if name.startswith(_ENV_PREFIX) or name in _ENV_NAMES:
            digest.update(f"{name}={os.environ[name]}\0".encode("utf-8", "surrogateescape"))
    for folder, names in distributions():
        digest.update(("\0".join([folder, *names]) + "\0").encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _stat(path: str) -> os.stat_result | None:
    """The file's stat, or None when it is missing or not a regular file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st if (st.st_mode & 0o170000) == 0o100000 else None


def _sha(path: str) -> str | None:
    """The SHA-256 of a file's content, or None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _record(path: str, st: os.stat_result | None, known: dict[str, Record], since: int) -> Record | None:
    """A file's record, reusing ``known``'s hash when the stat is the same; None when it is missing."""
    if st is None:
        return None
    stat = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    old = known.get(path)
    if old is not None and old[:4] == stat:
        sha = old[4]
    else:
        sha = _sha(path)
        if sha is None:
            return None
    if max(st.st_mtime_ns, st.st_ctime_ns) >= since - RACY_NS:
        stat[0] = -1  # modified just before or during the run: its stat cannot vouch for its content
    return [*stat, sha]


def _walk(root: str, known: dict[str, Record], since: int, folders: set[str] | None = None) -> dict[str, Record]:
    """Records of every file under ``root`` outside the skipped folders, by absolute path (the folders
    walked are added to ``folders``)."""
    found: dict[str, Record] = {}
    stack = [root]
    seen: set[tuple[int, int]] = set()  # folders walked, so a symbolic link loop is walked once
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
            entries = list(os.scandir(folder))
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        if folders is not None:
            folders.add(folder)
        for entry in entries:
            try:
                is_dir = entry.is_dir()  # a link to a folder is followed, as MkDocs follows it
            except OSError:
                continue
            if is_dir:
                if entry.name not in _SKIP_DIRS:
                    stack.append(entry.path)
                continue
            try:
                st = entry.stat()
            except OSError:
                continue
            if (st.st_mode & 0o170000) != 0o100000:
                continue
            record = _record(entry.path, st, known, since)
            if record is not None:
                found[entry.path] = record
    return found


def _listing(path: str) -> str | None:
    """A hash of a folder's entry names (None when it is not a readable folder)."""
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return None
    return hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()


def _env_names(paths: Iterable[str]) -> list[str]:
    """The environment variables the YAML files among ``paths`` read with ``!ENV``."""
    import re

    tag = re.compile(rb"!ENV\s*\[?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)")
    names: set[str] = set()
    for path in paths:
        if path.endswith((".yml", ".yaml")):
            try:
                data = Path(path).read_bytes()
            except OSError:
                continue
            names.update(n.decode() for n in tag.findall(data))
    return sorted(names)


def _env_digest(names: Iterable[str]) -> str:
    """A hash of those variables' values (the values themselves are not kept)."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(f"{name}={os.environ.get(name, chr(0) + 'unset')}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _git_head(root: str) -> str:
    """The commit the site's repository has checked out ("" outside a repository)."""
    folder = Path(root)
    for parent in (folder, *folder.parents):
        dot = parent / ".git"
        if dot.is_dir():
            gitdir = dot
            break
        if dot.is_file():
            text = dot.read_text(encoding="utf-8", errors="replace").strip()
            gitdir = (parent / text.removeprefix("gitdir:").strip()).resolve()
            break
    else:
        return ""
    try:
        head = (gitdir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
        if not head.startswith("ref:"):
            return head
        ref = head[4:].strip()
        common = gitdir
        if (gitdir / "commondir").is_file():
            common = (gitdir / (gitdir / "commondir").read_text(encoding="utf-8").strip()).resolve()
        for place in (gitdir, common):
            if (place / ref).is_file():
                return ref + " " + (place / ref).read_text(encoding="utf-8", errors="replace").strip()
        packed = common / "packed-refs"
        for line in packed.read_text(encoding="utf-8", errors="replace").splitlines() if packed.is_file() else []:
            if line.endswith(" " + ref):
                return ref + " " + line.split(" ", 1)[0]
        return ref
    except OSError:
        return "unreadable"


def _runs_dir(root: str) -> Path:
    """Where a site's kept run lives."""
    return Path(root) / ".cache" / "sitecheck" / "runs"


def _load(path: Path) -> dict[str, Any] | None:
    """A kept run's record, or None when it is missing or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    shape = (("trees", dict), ("outside", dict), ("listed", dict), ("code", int), ("output", str), ("errors", str))
    if not all(isinstance(data.get(k), t) for k, t in shape):
        return None
    return data


def _newest(folder: Path) -> list[Path]:
    """A site's kept runs, the most recent first."""

    def mtime(path: Path) -> int:
        """When the run was kept (0 when it is gone already)."""
        try:
            return path.stat().st_mtime_ns
        except OSError:
            return 0

    return sorted(folder.glob("*.json"), key=mtime, reverse=True)


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write a kept run atomically, replacing the site's other kept runs; a failure is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent.parent / ".gitignore"  # .cache/sitecheck/: never committed, as pytest and ruff do
        if not ignore.exists():
            ignore.write_text("# Created by sitecheck: its cache is never committed.\n*\n", encoding="utf-8")
        for old in _newest(path.parent)[KEEP - 1 :]:  # the last KEEP runs per site (e.g. `links` and a bare `sitecheck`)
            if old != path:
                old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            json.dump(data, tmp)
        os.replace(tmp.name, path)
    except OSError:
        return


def _unchanged(data: dict[str, Any], root: str) -> bool:
    """Whether every file, !ENV variable and the checked-out commit are as the kept run saw them.

    Refreshes stale stats in ``data`` (same content, new stat) and marks it ``dirty`` then.
    """
    since = time.time_ns()
    for tree, records in data["trees"].items():
        now = _walk(tree, records, since)
        if now.keys() != records.keys() or any(now[p][4] != records[p][4] for p in now):
            return False
        if any(now[p][:4] != records[p][:4] for p in now):
            data["trees"][tree], data["dirty"] = now, True
    for path, record in data["outside"].items():
        now_record = _record(path, _stat(path), {path: record} if record else {}, since)
        if (now_record is None) != (record is None) or (now_record and record and now_record[4] != record[4]):
            return False
        if now_record != record:
            data["outside"][path], data["dirty"] = now_record, True
    if any(_listing(path) != digest for path, digest in data["listed"].items()):
        return False
    return data.get("env") == _env_digest(data.get("env_names", [])) and data.get("git") == _git_head(root)


def replay(argv: Sequence[str], head: str) -> Kept | None:
    """The kept run for these arguments (``head``: their head_key) when nothing it depended on changed."""
    if os.environ.get("SITECHECK_NO_CACHE"):
        return None
    try:
        root = str(config_of(argv).resolve().parent)
        path = _runs_dir(root) / f"{head}.json"
        data = _load(path)
        if data is None or data.get("root") != root or not _unchanged(data, root):
            return None
        if data.pop("dirty", False):
            _write(path, data)
        return Kept(data["code"], data["output"], data["errors"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


# --- recording a full run ------------------------------------------------------------------


@dataclass
class Session:
    """A full run being recorded: the files as they were before it, and the ones it opened."""

    argv: list[str]
    root: str
    head: str
    since: int
    trees: dict[str, dict[str, Record]]
    skip: tuple[str, ...]
    folders: set[str] = field(default_factory=set)  # the folders the trees' walk listed
    opened: dict[str, os.stat_result | None] = field(default_factory=dict)
    listed: set[str] = field(default_factory=set)  # other folders the run listed (a docs_dir outside the site's folder)
    errors: list[str] = field(default_factory=list)

    def saw_open(self, path: str) -> None:
        """Note a file the run opened outside the walked trees (with its stat before the open)."""
        if path in self.opened or path.startswith(self.skip) or any(path in records for records in self.trees.values()):
            return
        self.opened[path] = _stat(path)

    def saw_listing(self, path: str) -> None:
        """Note a folder the run listed outside the walked trees."""
        if path not in self.folders and path not in self.listed and not path.startswith(self.skip):
            self.listed.add(path)

    def store(self, code: int, output: str, also: Iterable[Path] = ()) -> None:
        """Keep this run's exit status and output with the records of what it depended on."""
        for extra in also:
            self.saw_open(str(extra))
        outside: dict[str, Record | None] = {}
        for path, before in self.opened.items():
            after = _stat(path)
            if (before is None) != (after is None) or (before and after and (before.st_mtime_ns, before.st_size) != (after.st_mtime_ns, after.st_size)):
                return  # changed while the run read it: keep nothing
            outside[path] = _record(path, after, {}, self.since)
        yml = [p for records in self.trees.values() for p in records] + [p for p, r in outside.items() if r]
        names = _env_names(yml)
        data = {
            "version": VERSION,
            "root": self.root,
            "trees": self.trees,
            "outside": outside,
            "listed": {path: _listing(path) for path in sorted(self.listed)},
            "env_names": names,
            "env": _env_digest(names),
            "git": _git_head(self.root),
            "code": code,
            "output": output,
            "errors": "".join(self.errors),
        }
        _write(_runs_dir(self.root) / f"{self.head}.json", data)


_EVENTS = frozenset({"open", "os.listdir", "os.scandir"})
_ACTIVE: list[Session] = []  # the session the audit hook reports to (at most one)
_HOOKED = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """``sys.addaudithook`` callback: pass the files the run opens to the active session."""
    if event not in _EVENTS or not _ACTIVE or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    try:
        path = os.path.abspath(os.fsdecode(args[0]))
        if event != "open":
            _ACTIVE[0].saw_listing(path)
            return
        if path.endswith(".pyc") and os.sep + "__pycache__" + os.sep in path:  # a module from its bytecode: its source
            folder, _, name = path.rpartition(os.sep)
            path = os.path.join(os.path.dirname(folder), name.split(".", 1)[0] + ".py")
        _ACTIVE[0].saw_open(path)
    except Exception:  # noqa: BLE001 - an audit hook that raises would fail the open it watches
        return


def begin(argv: Sequence[str], config: Path, head: str) -> Session | None:
    """Start recording a full run of a site (None when its config is not a file)."""
    global _HOOKED
    if os.environ.get("SITECHECK_NO_CACHE") or not config.is_file():
        return None
    root = str(config.resolve().parent)
    since = time.time_ns()
    kept = next((d for p in _newest(_runs_dir(root)) if (d := _load(p))), None)  # the last run's hashes
    known = {p: r for records in (kept or {}).get("trees", {}).values() for p, r in records.items()}
    folders: set[str] = set()
    trees = {tree: _walk(tree, known, since, folders) for tree in dict.fromkeys((root, str(_PACKAGE)))}
    prefixes = {os.path.join(p, "") for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    skip = (*prefixes, "/dev/", "/proc/", "/sys/", os.path.join(root, ".cache", "sitecheck", ""))
    session = Session(list(argv), root, head, since, trees, skip, folders)
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED = True
    _ACTIVE[:] = [session]
    return session


def end() -> None:
    """Stop recording."""
    _ACTIVE.clear()


class Tee:
    """Standard error that also keeps what was written to it, for a kept run to print again."""

    def __init__(self, stream: Any, keep: list[str]) -> None:
        self._stream = stream
        self._keep = keep

    def write(self, text: str) -> int:
        """Write and keep."""
        self._keep.append(text)
        return int(self._stream.write(text))

    def __getattr__(self, name: str) -> Any:
        """Everything else is the real stream's."""
        return getattr(self._stream, name)
