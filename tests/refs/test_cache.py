"""The shared JSON file cache: expiry by outcome, atomic writes, corrupt files ignored, offline mode."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from mkdocs_sitecheck.cache import FOUND_TTL, NOT_FOUND_TTL, Cache, Hit

DAY = 24 * 3600.0


class Clock:
    """A settable clock."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("found", "age", "alive"),
    [
        (True, 29 * DAY, True),
        (True, 30 * DAY + 1, False),
        (False, DAY - 1, True),
        (False, DAY + 1, False),
    ],
)
def test_found_records_last_30_days_and_not_found_1_day(tmp_path: Path, found: bool, age: float, alive: bool) -> None:
    """A found record is served for 30 days, a not-found answer for 1 day."""
    clock = Clock()
    cache = Cache(tmp_path, clock=clock)
    cache.put("crossref-work-v1", "api|10.1/x", {"title": ["T"]}, found=found)
    clock.now += age
    expected = Hit({"title": ["T"]}, found, 1_000_000.0) if alive else None
    assert cache.get("crossref-work-v1", "api|10.1/x") == expected
    assert (FOUND_TTL, NOT_FOUND_TTL) == (30 * DAY, DAY)


def test_round_trip_keeps_unicode_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    """A record comes back as stored, and only the final file is left in the folder."""
    cache = Cache(tmp_path)
    cache.put("ns", "key/with:odd chars", {"title": "Ketamine – Ærø"}, found=True)
    assert cache.get("ns", "key/with:odd chars").value == {"title": "Ketamine – Ærø"}  # type: ignore[union-attr]
    assert [p.suffix for p in (tmp_path / "ns").iterdir()] == [".json"]
    assert cache.get("ns", "another key") is None


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        pytest.param(b'{"key": "k", "found": tr', "ignoring unreadable cache file", id="truncated"),
        pytest.param(b"\xff\xfe\x00garbage", "ignoring unreadable cache file", id="binary"),
        pytest.param(b'["a list"]', "ignoring malformed cache file", id="wrong-shape"),
        pytest.param(b'{"key": "k", "found": "yes", "stored": 1, "expires": 9e99, "value": 1}', "ignoring malformed", id="types"),
        pytest.param(b"", "ignoring unreadable cache file", id="empty"),
    ],
)
def test_corrupt_files_are_ignored_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes, warning: str) -> None:
    """A damaged file is a miss with one warning, never an exception; a new put repairs it."""
    cache = Cache(tmp_path)
    path = cache.path_for("ns", "k")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="mkdocs_sitecheck.cache"):
        assert cache.get("ns", "k") is None
        assert cache.get("ns", "k") is None
    assert len(cache.warnings) == 1 and cache.warnings[0].startswith(warning)
    assert [r.getMessage() for r in caplog.records] == [f"sitecheck: warning: {cache.warnings[0]}"]
    cache.put("ns", "k", 1, found=True)
    hit = cache.get("ns", "k")
    assert hit is not None and (hit.value, hit.found) == (1, True)  # the corrupt file was replaced by a good one


def test_a_file_holding_another_key_is_a_miss(tmp_path: Path) -> None:
    """The key is stored in the file and checked, so a collision or a moved file is never served."""
    cache = Cache(tmp_path)
    cache.put("ns", "a", "A", found=True)
    os.replace(cache.path_for("ns", "a"), cache.path_for("ns", "b"))
    assert cache.get("ns", "b") is None


def test_offline_cache_only_reads(tmp_path: Path) -> None:
    """In offline mode put does nothing and get still serves what is there."""
    Cache(tmp_path).put("ns", "old", "kept", found=True)
    offline = Cache(tmp_path, offline=True)
    offline.put("ns", "new", "dropped", found=True)
    assert (offline.get("ns", "old").value, offline.get("ns", "new")) == ("kept", None)  # type: ignore[union-attr]
    assert sorted(p.name for p in (tmp_path / "ns").iterdir()) == [Cache(tmp_path).path_for("ns", "old").name]


def test_unwritable_cache_warns_and_carries_on(tmp_path: Path) -> None:
    """When the cache folder cannot be created the run continues with a warning."""
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    cache = Cache(blocker)
    for key in "abc":
        cache.put("ns", key, 1, found=True)
        assert cache.get("ns", key) is None
    assert cache.warnings == [f"cannot write to the cache in {blocker} ([Errno 20] Not a directory: '{blocker / 'ns'}'); continuing without saving"]


def test_interrupted_write_leaves_the_old_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the rename never happens (the run is killed), the previous record is still intact."""
    cache = Cache(tmp_path)
    cache.put("ns", "k", "old", found=True)

    def killed(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        cache.put("ns", "k", "new", found=True)
    monkeypatch.undo()
    assert cache.get("ns", "k").value == "old"  # type: ignore[union-attr]
    assert [p.suffix for p in (tmp_path / "ns").iterdir()] == [".json"]
    assert json.loads(cache.path_for("ns", "k").read_text())["value"] == "old"
