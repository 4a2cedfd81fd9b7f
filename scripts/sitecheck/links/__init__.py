"""sitecheck links: not implemented yet (see the project's issue tracker)."""

from __future__ import annotations

import argparse

from sitecheck.findings import CheckResult, UsageError
from sitecheck.project import Project


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `sitecheck links`."""


def run(args: argparse.Namespace, project: Project) -> CheckResult:
    """Run the links check."""
    raise UsageError("'sitecheck links' is not implemented yet")
