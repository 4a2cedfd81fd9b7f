"""A re-run with nothing changed prints the last output without loading the site.

The key is a SHA-256 over everything that can change a run's output: the command line, every
file under mkdocs.yml's folder (content, not times; version-control, virtualenv and cache folders
left out), the name and version of every installed distribution (MkDocs, each plugin and
extension), sitecheck's own code, and the environment variables mkdocs.yml reads with ``!ENV``.
Network checks (``--external``, ``--online``), ``--site-dir`` and ``--output`` runs are never
cached; ``SITECHECK_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import re
import tempfile
from pathlib import Path

_SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", ".cache", "node_modules", "__pycache__", ".tox", ".mypy_cache", ".ruff_cache", ".pytest_cache", "site"}
)
_ENV_TAG = re.compile(rb"!ENV\s*\[?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)")
VERSION = "1"  # bump when the cached shape changes


def run_key(args: argparse.Namespace, config: Path) -> str | None:
    """The cache key of this run, or None when it must not be cached."""
    if os.environ.get("SITECHECK_NO_CACHE") or getattr(args, "output", None) or getattr(args, "site_dir", None):
        return None
    if any(getattr(args, name, False) for name in ("external", "strict_external", "online")):
        return None
    root = config.resolve().parent
    if not config.is_file():
        return None
    digest = hashlib.sha256(VERSION.encode())
    digest.update(repr(sorted((k, str(v)) for k, v in vars(args).items())).encode())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()):
        digest.update(dist.encode())
    package = Path(__file__).resolve().parent  # sitecheck's own code, installed or run from a checkout
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".md") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + hashlib.sha256(path.read_bytes()).digest())
    names: set[bytes] = set()
    for folder, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            path = Path(folder) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
            if name.endswith((".yml", ".yaml")) and b"!ENV" in data:
                names.update(_ENV_TAG.findall(data))
    for var in sorted(names):
        digest.update(var + b"=" + os.environ.get(var.decode(), "\0unset").encode())
    return digest.hexdigest()


def _path(config: Path, key: str) -> Path:
    """Where the run with this key is kept."""
    return config.resolve().parent / ".cache" / "sitecheck" / "runs" / f"{key}.json"


def load(config: Path, key: str) -> tuple[int, str] | None:
    """The exit status and output of the run with this key, if it was kept."""
    try:
        data = json.loads(_path(config, key).read_text(encoding="utf-8"))
        return int(data["code"]), str(data["output"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(config: Path, key: str, code: int, output: str) -> None:
    """Keep a run's exit status and output (atomically; a failure to write is ignored)."""
    path = _path(config, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("*.json"):  # one kept run per site: the last one
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            json.dump({"code": code, "output": output}, tmp)
        os.replace(tmp.name, path)
    except OSError:
        return
