"""MkDocs events of the figures hook: validate the data when the build starts, expand markers on each page.

On a page (Markdown):

``<!-- figure: ID -->``        on its own line: the figure, its caption with citations, the
                               comparison in words and its numbers as a table
``[[per100:RESULT.ARM]]``      "55 out of 100"
``[[percent:RESULT.ARM]]``     "55.4%"
``[[count:RESULT.ARM]]``       "108 of 195" (or "55.4% of 195" when only a percentage is known)
``[[compare:RESULT]]``         every arm, comparator included, in one phrase with "out of 100"
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from .. import ledger
from ..paths import bib_keys_for
from .data import DATA_FILE, DataError, Outcomes, load_outcomes
from .render import render_figure
from .words import number_text

CSS_SOURCE = Path(__file__).with_name("figures.css")
CSS_URI = "assets/figures.css"
FIGURE_MARKER = re.compile(r"^<!--\s*figure:\s*(?P<id>[^\s>]+)\s*-->[ \t]*$", re.MULTILINE)
NUMBER_MARKER = re.compile(r"\[\[(?P<kind>[a-z0-9]+):(?P<ref>[^\]\s]*)\]\]")
LedgerCounts = tuple[dict[str, Counter[str]], tuple[str, ...]]


class _State:
    """What the hook read when the build started."""

    root: Path = Path(".")
    bib_keys: set[str] = set()  # noqa: RUF012 - replaced, never mutated
    outcomes: Outcomes | None = None


def on_config(config: Any) -> Any:
    """Validate data/outcomes.yml against refs.bib, and add the figures' stylesheet."""
    _State.root = Path(config["config_file_path"]).parent
    _State.bib_keys = bib_keys_for(config, _State.root / DATA_FILE, DataError)
    _State.outcomes = load_outcomes(_State.root / DATA_FILE, _State.bib_keys)
    if CSS_URI not in config["extra_css"]:
        config["extra_css"].append(CSS_URI)
    return config


def on_files(files: Files, config: Any) -> Files:
    """Publish the figures' stylesheet (kept beside this hook, so no docs/ file is needed)."""
    files.append(File.generated(config, CSS_URI, abs_src_path=str(CSS_SOURCE)))
    return files


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild on `mkdocs serve` when the data or the figures' stylesheet changes."""
    server.watch(str(_State.root / DATA_FILE))
    server.watch(str(CSS_SOURCE))
    return server


def _line_of(markdown: str, index: int) -> int:
    """1-based line number of a character offset."""
    return markdown.count("\n", 0, index) + 1


def expand(markdown: str, outcomes: Outcomes, page_path: str, ledger: Callable[[], LedgerCounts] | None = None) -> str:
    """Replace figure and number markers; an unknown id stops the build with page:line."""

    def figure(match: re.Match[str]) -> str:
        figure_id = match.group("id")
        if figure_id not in outcomes.figures:
            known = ", ".join(sorted(outcomes.figures)) or "none"
            raise PluginError(f"{page_path}:{_line_of(markdown, match.start())}: unknown figure '{figure_id}' (figures in {DATA_FILE.as_posix()}: {known})")
        fig = outcomes.figures[figure_id]
        return render_figure(fig, ledger() if fig.kind == "ledger" and ledger else None)

    def number(match: re.Match[str]) -> str:
        try:
            return number_text(outcomes, match.group("kind"), match.group("ref"))
        except ValueError as exc:
            raise PluginError(f"{page_path}:{_line_of(markdown, match.start())}: {match.group(0)}: {exc}") from None

    markdown = NUMBER_MARKER.sub(number, markdown)
    return FIGURE_MARKER.sub(figure, markdown)


def ledger_data() -> LedgerCounts:
    """Verdict counts per article from data/claims.yml, validated by the ledger hook's loader."""
    claims = ledger.load_ledger(_State.root / ledger.LEDGER_FILE, _State.bib_keys)
    return ledger.verdicts_by_article(claims), ledger.VERDICTS


@event_priority(100)  # before mkdocs-bibtex turns the figures' citations into footnotes
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Expand ``<!-- figure: ID -->`` and ``[[kind:RESULT.ARM]]`` markers on a page."""
    if "[[" not in markdown and "figure:" not in markdown:
        return markdown
    assert _State.outcomes is not None
    return expand(markdown, _State.outcomes, f"docs/{page.file.src_uri}", ledger_data)
