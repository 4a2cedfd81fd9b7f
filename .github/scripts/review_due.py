"""Turn `sitecheck links --format json` output into the body of the weekly 'review-due' issue.

Usage: python .github/scripts/review_due.py REPORT.json --body BODY.md

Selects the REV001 findings (a page past its next_review date), writes a Markdown issue body
listing them, prints how many there are, and, under GitHub Actions, sets the step outputs
``count`` and ``body``. Exit status: 0 when the report was read (whatever it found), 2 when it
could not be read, so a broken run is visible but never mistaken for "nothing is due".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

CODE = "REV001"
TITLE = "Pages past their review date"
LABEL = "review-due"


def overdue(report: Any) -> list[dict[str, Any]]:
    """The REV001 findings of a sitecheck JSON report, in page order."""
    if not isinstance(report, dict) or not isinstance(report.get("findings"), list):
        raise TypeError("not a sitecheck JSON report: expected an object with a 'findings' list")
    found = [f for f in report["findings"] if isinstance(f, dict) and f.get("code") == CODE]
    return sorted(found, key=lambda f: (str(f.get("path", "")), int(f.get("line") or 0)))


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def issue_body(findings: list[dict[str, Any]], run_url: str = "") -> str:
    """The issue body: what is due, and what a reviewer does about it."""
    lines = [
        (
            f"The weekly check found {len(findings)} page(s) past their `next_review` date. Readers of these "
            "pages now see a notice that the page is due for review."
        ),
        "",
        (
            "Re-review each page as `docs/review-protocol.md` describes, then set `last_reviewed` to the day "
            "of the review and `next_review` to the next date (usually six months later)."
        ),
        "",
        "| Page | Line | Finding |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{_cell(f.get('path', '?'))}` | {_cell(f.get('line', ''))} | {_cell(f.get('message', ''))} |" for f in findings]
    if run_url:
        lines += ["", f"Run: {run_url}"]
    return "\n".join(lines) + "\n"


def _set_output(name: str, value: str) -> None:
    """Set a GitHub Actions step output when running in a workflow."""
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{name}={value}\n")


def main(argv: list[str] | None = None) -> int:
    """Read the report, write the issue body, print the count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="sitecheck links --format json output")
    parser.add_argument("--body", type=Path, required=True, help="where to write the issue body (Markdown)")
    parser.add_argument("--run-url", default="", help="link to the workflow run, added to the body")
    args = parser.parse_args(argv)
    try:
        findings = overdue(json.loads(args.report.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as error:  # json.JSONDecodeError is a ValueError
        print(f"{args.report}: cannot read the sitecheck report: {error}", file=sys.stderr)
        return 2
    args.body.write_text(issue_body(findings, args.run_url), encoding="utf-8")
    print(f"{len(findings)} page(s) past their review date")
    _set_output("count", str(len(findings)))
    _set_output("body", str(args.body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
