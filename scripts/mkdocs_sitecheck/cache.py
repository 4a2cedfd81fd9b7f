"""A JSON file cache for answers from the network, safe to interrupt and to share between runs.

Usage::

    cache = Cache(Path(".cache/sitecheck"))
    hit = cache.get("crossref-work", "https://api.crossref.org|10.1000/x")
    if hit is None:
        ...fetch...
        cache.put("crossref-work", key, record, found=True)   # or found=False for "does not exist"

* One file per key: ``DIR/NAMESPACE/SHA256(key).json`` holding ``{"key", "found", "stored",
  "expires", "value"}``. A found record is kept 30 days, a not-found answer 1 day. Errors are
  never cached: simply do not ``put`` them.
* Writes go to a temporary file in the same folder, then ``os.replace``: a reader sees the old
  file or the new one, never half of one, even if the run is killed.
* A corrupt, unreadable or unwritable file is skipped with one warning (logged to
  ``mkdocs_sitecheck.cache`` and kept in ``warnings``); the cache never raises.
* ``offline=True`` only reads: ``put`` does nothing.
* Put a version in the namespace (``crossref-work-v1``) when the stored shape changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path(".cache/sitecheck")
FOUND_TTL = 30 * 24 * 3600.0
NOT_FOUND_TTL = 24 * 3600.0

log = logging.getLogger("mkdocs_sitecheck.cache")


@dataclass(frozen=True)
class Hit:
    """A cached answer: the value, whether it was found, and when it was stored (epoch seconds)."""

    value: Any
    found: bool
    stored: float


class Cache:
    """Key → record files under one directory, with expiry; read-only when ``offline``."""

    def __init__(self, directory: Path, *, offline: bool = False, clock: Callable[[], float] = time.time) -> None:
        self.directory = Path(directory)
        self.offline = offline
        self.clock = clock
        self.warnings: list[str] = []
        self.hits = 0
        self.misses = 0
        self.unwritable = False  # set after the first failed write: one warning, then no more tries

    def path_for(self, namespace: str, key: str) -> Path:
        """The file that holds ``key`` in ``namespace``."""
        folder = re.sub(r"[^A-Za-z0-9_.-]", "_", namespace) or "_"
        return self.directory / folder / (hashlib.sha256(key.encode("utf-8")).hexdigest() + ".json")

    def get(self, namespace: str, key: str) -> Hit | None:
        """The unexpired record for ``key``, or None (missing, expired, corrupt or another key's)."""
        path = self.path_for(namespace, key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            self.misses += 1
            return None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self._warn(f"ignoring unreadable cache file {path}: {exc}")
            self.misses += 1
            return None
        if not _well_formed(data):
            self._warn(f"ignoring malformed cache file {path}")
            self.misses += 1
            return None
        if data["key"] != key or data["expires"] <= self.clock():
            self.misses += 1
            return None
        self.hits += 1
        return Hit(data["value"], data["found"], data["stored"])

    def put(self, namespace: str, key: str, value: Any, *, found: bool) -> None:
        """Store a found (30 days) or not-found (1 day) answer atomically; do nothing when offline."""
        if self.offline or self.unwritable:
            return
        now = self.clock()
        record = {
            "key": key,
            "found": found,
            "stored": now,
            "expires": now + (FOUND_TTL if found else NOT_FOUND_TTL),
            "value": value,
        }
        path = self.path_for(namespace, key)
        try:
            text = json.dumps(record, ensure_ascii=False, sort_keys=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, text)
        except (TypeError, ValueError) as exc:
            self._warn(f"cannot store {key!r} in the cache: {exc}")
        except OSError as exc:
            self.unwritable = True
            self._warn(f"cannot write to the cache in {self.directory} ({exc}); continuing without saving")

    def _warn(self, message: str) -> None:
        """Record and log a warning once."""
        if message not in self.warnings:
            self.warnings.append(message)
            log.warning("sitecheck: warning: %s", message)


def _well_formed(data: Any) -> bool:
    """Whether a parsed cache file has the fields and types ``put`` writes."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("key"), str)
        and isinstance(data.get("found"), bool)
        and isinstance(data.get("stored"), (int, float))
        and isinstance(data.get("expires"), (int, float))
        and "value" in data
    )


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``.

    No fsync: a killed run leaves the old file or the new one; only a power cut could leave an
    empty file, and ``get`` ignores that with a warning.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
