"""Allow ``python -m sitecheck``."""

from sitecheck.cli import main

raise SystemExit(main())
