"""MkDocs hook that renders the claims ledger (data/claims.yml) into docs/sources/claims.md.

The ledger is a YAML list of claims taken from the five source articles. Each claim has:

``id``        ``C01``, ``C02``, ... (unique)
``claim``     the claim, paraphrased in the guide's own words
``articles``  the source articles that make it (``source-a`` ... ``source-e``)
``topic``     a short label, used as the claim's heading
``verdict``   one of ``VERDICTS``
``evidence``  what the evidence says, in plain language (Markdown allowed)
``cites``     refs.bib keys that support ``evidence``

``<!-- claims-ledger -->`` on a page is replaced by a table of verdict counts, a table of
verdicts by article, and one section per claim whose citations become mkdocs-bibtex footnotes.
Any problem in the file stops the build with a message that names data/claims.yml, the claim
and the field: it runs before mkdocs-bibtex, so a bad key never reaches the citation step.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from mkdocs_sitecheck.api import UsageError, load_yaml

from .paths import bib_keys_for, shown

LEDGER_FILE = Path("data") / "claims.yml"
MARKER = re.compile(r"^<!--\s*claims-ledger\s*-->\s*$", re.MULTILINE)
VERDICTS: tuple[str, ...] = (
    "supported",
    "partly supported",
    "unsupported",
    "contradicted",
    "outdated",
    "misattributed",
)
ARTICLES: tuple[str, ...] = ("source-a", "source-b", "source-c", "source-d", "source-e")
FIELDS: tuple[str, ...] = ("id", "claim", "articles", "topic", "verdict", "evidence", "cites")
CLAIM_ID = re.compile(r"^C\d{2,3}$")
CITABLE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# The filter form's id: the page's "Skip to the claim filters" link (overrides/partials/skip-links.html) leads there.
FILTER_ID = "claim-filters"
# Where each article is described; the ledger links every article key there.
ARTICLES_PAGE = "articles.md"


@dataclass(frozen=True)
class Claim:
    """One checked claim from the source articles."""

    id: str
    claim: str
    articles: tuple[str, ...]
    topic: str
    verdict: str
    evidence: str
    cites: tuple[str, ...]


def _fail(path: Path, where: str, problem: str) -> PluginError:
    """A build-stopping error that names the ledger file and the place in it."""
    return PluginError(f"{shown(path)}: {where}: {problem}")


def _text(path: Path, where: str, entry: dict[str, Any], name: str) -> str:
    """A required, non-empty string field."""
    value = entry[name]
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, where, f"field '{name}' must be a non-empty string, got {value!r}")
    return value.strip()


def _keys(path: Path, where: str, entry: dict[str, Any], name: str) -> tuple[str, ...]:
    """A required, non-empty list of strings without repeats."""
    value = entry[name]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, where, f"field '{name}' must be a non-empty list of strings, got {value!r}")
    items = tuple(v.strip() for v in value)
    repeated = sorted({v for v in items if items.count(v) > 1})
    if repeated:
        raise _fail(path, where, f"field '{name}' lists {', '.join(repeated)} more than once")
    return items


def _claim(path: Path, index: int, entry: Any, bib_keys: set[str]) -> Claim:
    """Validate one ledger entry and turn it into a Claim."""
    if not isinstance(entry, dict):
        raise _fail(path, f"entry {index}", f"each claim must be a mapping of fields, got {type(entry).__name__}")
    raw_id = entry.get("id")
    where = f"claim {raw_id}" if isinstance(raw_id, str) and raw_id.strip() else f"entry {index}"
    missing = [name for name in FIELDS if name not in entry]
    if missing:
        raise _fail(path, where, f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        raise _fail(path, where, f"unknown field(s): {', '.join(unknown)} (allowed: {', '.join(FIELDS)})")
    claim_id = _text(path, where, entry, "id")
    if not CLAIM_ID.match(claim_id):
        raise _fail(path, where, f"field 'id' must look like C01, got {claim_id!r}")
    verdict = _text(path, where, entry, "verdict")
    if verdict not in VERDICTS:
        raise _fail(path, where, f"field 'verdict' is {verdict!r}; it must be one of: {', '.join(VERDICTS)}")
    articles = _keys(path, where, entry, "articles")
    strange = [a for a in articles if a not in ARTICLES]
    if strange:
        raise _fail(path, where, f"field 'articles' names unknown article(s) {', '.join(strange)} (allowed: {', '.join(ARTICLES)})")
    cites = _keys(path, where, entry, "cites")
    malformed = [k for k in cites if not CITABLE_KEY.match(k)]
    if malformed:
        raise _fail(path, where, f"field 'cites' has key(s) that cannot be cited: {', '.join(malformed)}")
    absent = [k for k in cites if k not in bib_keys]
    if absent:
        raise _fail(path, where, f"field 'cites' has key(s) missing from refs.bib: {', '.join(absent)}")
    for name in ("claim", "topic", "evidence"):
        _check_literal_asterisks(path, where, name, entry[name])
    return Claim(
        id=claim_id,
        claim=_text(path, where, entry, "claim"),
        articles=articles,
        topic=_text(path, where, entry, "topic"),
        verdict=verdict,
        evidence=_text(path, where, entry, "evidence"),
        cites=cites,
    )


# --- Markdown safety (issue 15): a name such as STAR*D must not start an italic run -------------
# A lone asterisk between two word characters opens emphasis in Python-Markdown and italicises the
# rest of the paragraph, so the ledger refuses it and says how to write it instead.
BARE_ASTERISK = re.compile(r"\S*?\w\*\w\S*")


def _check_literal_asterisks(path: Path, where: str, name: str, value: Any) -> None:
    """Refuse an unescaped ``*`` inside a word (``STAR*D``), which Markdown would turn into italics."""
    if not isinstance(value, str):
        return
    match = BARE_ASTERISK.search(value)
    if match:
        word = match.group(0)
        escaped = word.replace("*", "\\*")
        raise _fail(path, where, f"field '{name}' has a bare '*' in {word!r}, which Markdown reads as italics; write it as {escaped!r}")


def load_ledger(path: Path, bib_keys: set[str]) -> list[Claim]:
    """Read and validate the ledger; any problem raises PluginError naming the file, claim and field."""
    try:
        data = load_yaml(path, missing="the claims ledger is missing")
    except UsageError as exc:
        raise PluginError(str(exc).replace(str(path), shown(path), 1)) from None
    if not isinstance(data, list) or not data:
        raise PluginError(f"{shown(path)}: the ledger must be a non-empty YAML list of claims")
    claims = [_claim(path, index, entry, bib_keys) for index, entry in enumerate(data, start=1)]
    seen: set[str] = set()
    for claim in claims:
        if claim.id in seen:
            raise _fail(path, f"claim {claim.id}", "field 'id' is used by more than one claim")
        seen.add(claim.id)
    return claims


def _article_links(articles: tuple[str, ...]) -> str:
    """The article keys as links to their descriptions."""
    return ", ".join(f"[Article {a.removeprefix('source-').upper()}]({ARTICLES_PAGE}#{a})" for a in articles)


def _citations(keys: tuple[str, ...]) -> str:
    """mkdocs-bibtex citation syntax for the keys, one bracket per key."""
    return "".join(f"[@{key}]" for key in keys)


# A symbol per verdict, so a verdict never relies on colour alone (the word is always shown too).
VERDICT_SYMBOLS: dict[str, str] = {
    "supported": "\u2714",  # heavy check mark
    "partly supported": "\u25d0",  # circle with left half black
    "unsupported": "?",
    "contradicted": "\u2716",  # heavy multiplication x
    "outdated": "\u21ba",  # anticlockwise arrow: superseded
    "misattributed": "\u21c4",  # arrows, one pointing the wrong way
}


def _slug(verdict: str) -> str:
    """A verdict as a CSS class and filter value: 'partly supported' -> 'partly-supported'."""
    return verdict.replace(" ", "-")


def _article_label(article: str) -> str:
    """'source-c' -> 'Article C', as readers know the articles."""
    return f"Article {article.removeprefix('source-').upper()}"


def _badge(verdict: str) -> str:
    """A verdict badge: a symbol (hidden from screen readers) and the verdict in words."""
    return (
        f'<span class="verdict-badge verdict-badge--{_slug(verdict)}">'
        f'<span class="verdict-badge__symbol" aria-hidden="true">{VERDICT_SYMBOLS[verdict]}</span> '
        f"{verdict.capitalize()}</span>"
    )


def _filter_form(claims: list[Claim], counts: Counter[str]) -> list[str]:
    """The filter controls; hidden until reader.js runs, so without JavaScript every claim shows."""
    verdicts = "".join(f'<option value="{_slug(v)}">{v.capitalize()} ({counts.get(v, 0)})</option>' for v in VERDICTS if counts.get(v))
    articles = "".join(f'<option value="{a}">{_article_label(a)} ({sum(a in c.articles for c in claims)})</option>' for a in ARTICLES)
    return [
        f'<form class="ledger-filter" id="{FILTER_ID}" data-ledger-filter data-search-exclude hidden aria-label="Filter the claims">',
        (f'<label>Verdict <select name="verdict"><option value="">All verdicts ({len(claims)})</option>{verdicts}</select></label>'),
        (f'<label>Article <select name="article"><option value="">All articles</option>{articles}</select></label>'),
        '<button type="reset">Show all</button>',
        f'<p class="ledger-filter__status" role="status" aria-live="polite">Showing all {len(claims)} claims.</p>',
        "</form>",
        "",
    ]


def _jump_list(claims: list[Claim]) -> list[str]:
    """A collapsed list of links to every claim: works on touch and without JavaScript."""
    links = "".join(f'<li><a href="#{c.id.lower()}">{c.id}: {c.topic}</a> {_badge(c.verdict)}</li>' for c in claims)
    return [
        '<details class="ledger-jump" data-search-exclude>',
        f"<summary>Jump to a claim ({len(claims)} claims)</summary>",
        f'<ol class="ledger-jump__list">{links}</ol>',
        "</details>",
        "",
    ]


def verdicts_by_article(claims: list[Claim]) -> dict[str, Counter[str]]:
    """Verdict counts per article (a claim made by several articles counts for each)."""
    return {a: Counter(c.verdict for c in claims if a in c.articles) for a in ARTICLES}


def render_ledger(claims: list[Claim]) -> str:
    """The ledger as Markdown: verdict counts, verdicts by article, filters, then one section per claim."""
    counts = Counter(c.verdict for c in claims)
    per_article = verdicts_by_article(claims)
    lines = [
        ("Claims by verdict, for all articles and for each one (a claim made by several articles counts once in each article's column):"),
        "",
        '<div class="ledger-counts" markdown>',
        "",
        "| Verdict | All claims | " + " | ".join(_article_links((a,)) for a in ARTICLES) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in ARTICLES) + " |",
    ]
    for v in VERDICTS:
        cells = " | ".join(str(per_article[a].get(v, 0)) for a in ARTICLES)
        lines.append(f"| {_badge(v)} | {counts.get(v, 0)} | {cells} |")
    totals = " | ".join(str(sum(per_article[a].values())) for a in ARTICLES)
    lines += [f"| **All claims** | **{len(claims)}** | {totals} |", "", "</div>", ""]
    lines += ["", "## The claims", ""]
    lines += _filter_form(claims, counts)
    lines += _jump_list(claims)
    for claim in claims:
        anchor = claim.id.lower()
        lines += [
            (f'<div class="ledger-claim" data-verdict="{_slug(claim.verdict)}" data-articles="{" ".join(claim.articles)}" markdown>'),
            "",
            f"### {claim.id}: {claim.topic} {{#{anchor}}}",
            "",
            f"Verdict: {_badge(claim.verdict)}  ",
            f"Made by: {_article_links(claim.articles)}",
            "",
            f"**What the article says.** {claim.claim}",
            "",
            f"**What the evidence says.** {claim.evidence} {_citations(claim.cites)}",
            "",
            "</div>",
            "",
        ]
    return "\n".join(lines)


_bib_keys: set[str] = set()
_ledger_path: Path = LEDGER_FILE


def on_config(config: Any) -> Any:
    """Remember where the ledger is and which keys refs.bib defines."""
    global _bib_keys, _ledger_path
    _ledger_path = Path(config["config_file_path"]).parent / LEDGER_FILE
    _bib_keys = bib_keys_for(config, _ledger_path)
    return config


@event_priority(100)  # before mkdocs-bibtex turns citations into footnotes
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace the ``<!-- claims-ledger -->`` marker with the rendered ledger."""
    if "claims-ledger" not in markdown or not MARKER.search(markdown):
        return markdown
    rendered = render_ledger(load_ledger(_ledger_path, _bib_keys))
    return MARKER.sub(lambda _: rendered, markdown, count=1)
