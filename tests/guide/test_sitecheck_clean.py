"""sitecheck finds nothing on this repository: the one test of the guide's links, nav, citation keys and review dates.

The rules themselves (LNK013 orphan pages, CIT001 unknown keys, REV002 missing review dates, …) are
sitecheck's and are tested in tests/links and tests/refs; this test runs the real command on the real
repository instead of keeping copies of those rules. The built HTML (LNK020-LNK023) is checked by
tests/links/test_built.py::test_real_built_site.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .conftest import DOCS, front_matter

SUMMARY = re.compile(
    r"sitecheck: no problems found \((?P<pages>\d+) pages, (?P<links>\d+) links; "
    r"refs\.bib, (?P<entries>\d+) entries offline: (?P<unverifiable>\d+) unverifiable \((?P=unverifiable) acknowledged\), \d+ unchecked\)"
)
ACKNOWLEDGED = re.compile(r"refs\.bib:\d+:1: REF030 '[\w-]+' is unverifiable \(.*\); acknowledged: .+")


def _review_day() -> str:
    """The day of the latest review in the pages' front matter: the run's 'today', so no wall clock decides."""
    dates = [front_matter(page.read_text(encoding="utf-8")).get("last_reviewed") for page in DOCS.rglob("*.md")]
    return str(max(date for date in dates if date))


def test_sitecheck_finds_nothing_on_this_repository(repo: Path) -> None:
    """`sitecheck` (links, and refs offline) exits 0 with no error or warning; its only notes are acknowledged entries."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_sitecheck", "--config", str(repo / "mkdocs.yml"), "--today", _review_day()],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    *notes, summary = result.stdout.splitlines()
    match = SUMMARY.fullmatch(summary)
    assert match, summary
    assert int(match["pages"]) == len(list(DOCS.rglob("*.md")))
    entries = re.findall(r"^@\w+\{", (repo / "refs.bib").read_text(encoding="utf-8"), re.MULTILINE)
    assert int(match["entries"]) == len(entries)
    assert [line for line in notes if not ACKNOWLEDGED.fullmatch(line)] == []
    assert len(notes) == int(match["unverifiable"])
