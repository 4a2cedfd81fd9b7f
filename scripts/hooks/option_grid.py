"""MkDocs entry point for the option_grid hook; the code is in guide_hooks.option_grid (see guide_hooks/__init__.py).

MkDocs loads this file by path (mkdocs.yml `hooks:`) and puts this folder on sys.path while it
does; other loaders (sitecheck imports the ledger hook to expand the ledger) may not, so the folder
is added here too, once. The events keep their priorities: they are set on the functions.
"""

import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))

from guide_hooks.option_grid import on_config, on_page_markdown, on_serve

__all__ = ["on_config", "on_page_markdown", "on_serve"]
