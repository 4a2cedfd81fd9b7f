"""MkDocs hook: counts of checked claims, taken from data/claims.yml, printed where a page asks.

The claims ledger (data/claims.yml) is the one place where the claims and their verdicts live, so
every count a page states about them comes from it. On a page (Markdown):

``[[tally:claims]]``                 how many claims the ledger holds ("57")
``[[tally:claims.VERDICT]]``         how many have that verdict, with ``-`` for spaces:
                                     ``[[tally:claims.supported]]``, ``[[tally:claims.partly-supported]]``
``[[tally:claims.article.KEY]]``     how many one article makes: ``[[tally:claims.article.source-c]]``
``[[tally:articles]]``               how many source articles the ledger's claims come from ("5")
``[[tally:articles.words]]``         the same in words ("five"), for running text
``[[tally:refs.GROUP]]``             how many refs.bib entries carry that ``keywords`` group:
                                     ``[[tally:refs.deepdive-cited]]`` (the references Article C lists)
``[[tally:refs.GROUP.not-found]]``   how many of them have a ``verification`` field saying no record
                                     was found (``[[tally:refs.deepdive-cited.not-found]]``)

Any count may end in ``.words`` to be spelt out ("three") when it is from zero to twenty.

The ledger hook (ledger.py) validates every field of the file; this hook only counts, so it reads
the file on its own and stays independent of how the other hooks are arranged. A marker that
names an unknown verdict or article, or a verdict no claim has (a page should not say "0 were
contradicted"; reword it), stops the build with ``docs/PAGE:LINE: what is wrong; how to fix it``.
It runs before figures.py, whose ``[[kind:...]]`` markers share the double-bracket form.
refs.bib is read through sitecheck's public API (its BibTeX scanner), so the hook needs nothing the
checker does not already install.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from mkdocs_sitecheck.api import UsageError, bibliography_entries, load_yaml

LEDGER_FILE = Path("data") / "claims.yml"
BIB_FILE = Path("refs.bib")
NOT_FOUND = "no record"  # the wording refs.bib's `verification` fields use for a reference nobody could find
WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
MARKER = re.compile(r"\[\[tally:(?P<ref>[^\]\s]*)\]\]")


@dataclass(frozen=True)
class Tally:
    """How many claims the ledger holds, by verdict and by article."""

    total: int
    verdicts: Counter[str]
    articles: Counter[str]
    groups: Counter[str] = field(default_factory=Counter)
    not_found: Counter[str] = field(default_factory=Counter)


def count_claims(data: Any, where: str) -> Tally:
    """Count a parsed ledger; anything that is not a list of mappings is a PluginError."""
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise PluginError(f"{where}: the ledger must be a YAML list of claims (mappings); see scripts/hooks/ledger.py")
    verdicts: Counter[str] = Counter(str(entry.get("verdict", "")).strip() for entry in data)
    articles: Counter[str] = Counter()
    for entry in data:
        named = entry.get("articles", [])
        articles.update([named] if isinstance(named, str) else [str(a) for a in named or []])
    return Tally(total=len(data), verdicts=verdicts, articles=articles)


def load_tally(path: Path) -> Tally:
    """Read and count the ledger file."""
    try:
        data = load_yaml(path, missing="the claims ledger is missing")
    except UsageError as exc:
        raise PluginError(str(exc)) from None
    return count_claims(data, str(path))


def count_references(path: Path) -> tuple[Counter[str], Counter[str]]:
    """Entries per ``keywords`` group in a .bib file, and how many of each were never found."""
    try:
        entries = bibliography_entries(path)
    except UsageError as exc:
        raise PluginError(f"{path}: cannot be read for counting ({exc}); fix the file or the path") from None
    groups: Counter[str] = Counter()
    not_found: Counter[str] = Counter()
    for entry in entries:
        for group in (g.strip() for g in entry.get("keywords").split(",") if g.strip()):
            groups[group] += 1
            if NOT_FOUND in entry.get("verification").lower():
                not_found[group] += 1
    return groups, not_found


def in_words(number: int) -> str:
    """A small count spelt out for running text; larger ones stay as digits."""
    return WORDS[number] if 0 <= number < len(WORDS) else str(number)


def tally_text(tally: Tally, ref: str) -> str:
    """The text a marker stands for; ValueError says what is wrong with the reference."""
    if ref.endswith(".words"):
        return in_words(int(tally_text(tally, ref.removesuffix(".words"))))
    head, _, rest = ref.partition(".")
    if head == "articles" and not rest:
        return str(len([a for a, n in tally.articles.items() if n]))
    if head == "refs":
        group, _, part = rest.partition(".")
        if tally.groups.get(group, 0) == 0:
            known = ", ".join(sorted(tally.groups))
            raise ValueError(f"no entry in {BIB_FILE.as_posix()} has the keywords group '{group}' (groups: {known})")
        if part == "":
            return str(tally.groups[group])
        if part == "not-found":
            return str(tally.not_found[group])
        raise ValueError(f"unknown part '{part}' (use [[tally:refs.GROUP]] or [[tally:refs.GROUP.not-found]])")
    if head != "claims":
        raise ValueError(
            f"unknown count '{head}' (use [[tally:claims]], [[tally:claims.VERDICT]], [[tally:claims.article.KEY]], [[tally:articles]] or [[tally:refs.GROUP]])"
        )
    if not rest:
        return str(tally.total)
    if rest.startswith("article."):
        article = rest.removeprefix("article.")
        if tally.articles.get(article, 0) == 0:
            known = ", ".join(sorted(tally.articles))
            raise ValueError(f"no claim is made by article '{article}' (articles in {LEDGER_FILE.as_posix()}: {known})")
        return str(tally.articles[article])
    verdict = rest.replace("-", " ")
    if tally.verdicts.get(verdict, 0) == 0:
        known = ", ".join(v.replace(" ", "-") for v in sorted(tally.verdicts))
        raise ValueError(f"no claim has the verdict '{verdict}' (verdicts in {LEDGER_FILE.as_posix()}: {known}); reword the sentence")
    return str(tally.verdicts[verdict])


def expand(markdown: str, tally: Tally, page_path: str) -> str:
    """Replace every ``[[tally:...]]`` marker; a bad one stops the build with page:line."""

    def number(match: re.Match[str]) -> str:
        try:
            return tally_text(tally, match.group("ref"))
        except ValueError as exc:
            line = markdown.count("\n", 0, match.start()) + 1
            raise PluginError(f"{page_path}:{line}: {match.group(0)}: {exc}") from None

    return MARKER.sub(number, markdown)


_ledger_path: Path = LEDGER_FILE
_bib_path: Path = BIB_FILE


def load_all(ledger: Path, bib: Path) -> Tally:
    """The ledger's counts together with refs.bib's groups."""
    groups, not_found = count_references(bib)
    return replace(load_tally(ledger), groups=groups, not_found=not_found)


def on_config(config: Any) -> Any:
    """Remember where the ledger and the bibliography are."""
    global _ledger_path, _bib_path
    root = Path(config["config_file_path"]).parent
    _ledger_path = root / LEDGER_FILE
    _bib_path = root / BIB_FILE
    return config


@event_priority(110)  # before figures.py (100), which rejects double-bracket kinds it does not know
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Expand ``[[tally:...]]`` markers with counts from the ledger."""
    if "[[tally:" not in markdown:
        return markdown
    return expand(markdown, load_all(_ledger_path, _bib_path), f"docs/{page.file.src_uri}")
