"""Allow ``python -m mkdocs_sitecheck``."""

from mkdocs_sitecheck.cli import main

raise SystemExit(main())
