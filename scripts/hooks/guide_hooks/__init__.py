"""This site's MkDocs hooks, as one package.

MkDocs loads each hook listed under ``hooks:`` in mkdocs.yml by its file path, as a module with
no package, and puts the file's folder (scripts/hooks) on ``sys.path`` while it does. So each
listed file is a small entry point that imports its events from this package by name, and the
package's modules import each other relatively, never by file path:

    scripts/hooks/figures.py          ->  guide_hooks.figures.hook
    scripts/hooks/ledger.py           ->  guide_hooks.ledger
    scripts/hooks/bibliography.py     ->  guide_hooks.bibliography
    scripts/hooks/search_synonyms.py  ->  guide_hooks.search_synonyms

Each module keeps its state once, in the package; the entry files hold none.

The hooks use only ``mkdocs_sitecheck.api`` from the checker. To add a hook NAME: write
``guide_hooks/NAME.py`` (its ``on_*`` events), add the entry file ``scripts/hooks/NAME.py``
that re-exports those events, and list ``scripts/hooks/NAME.py`` under ``hooks:``.
"""
