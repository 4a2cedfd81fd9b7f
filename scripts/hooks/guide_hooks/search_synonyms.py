"""MkDocs hook: teach the site search the other spellings and names readers type.

Material's search (lunr, in the browser) only finds the words a section contains. The guide
writes British spellings ("anaesthetic") and full names ("electroconvulsive therapy"); readers
type "anesthetic", "ECT", "TRD" or the brand name "Spravato". After Material has written
``search/search_index.json``, this hook adds to each indexed section the variants of the words
it contains, in a hidden element: lunr indexes the words, and the result preview (which Material
renders from the same HTML) does not show them. Plurals are added here too: lunr's stemmer
cannot be used, because Material searches every query word as a prefix ("infusion*"), and lunr
does not stem wildcard terms. Only real, useful words are added: a plural only of a word some
heading of the guide uses (its topics: "infusion", "trial", "side effect"), and only when the guide
itself uses that plural somewhere (so "infusions" finds a section that says "infusion", and no
made-up word such as "abouts" is ever added). Punctuation ("(Spravato)") is handled by the
``search`` plugin's ``separator`` and ``trimmer`` settings in mkdocs.yml.

To keep the index small (a phone downloads all of it before the first search; it must stay at
300 KB or less), what only repeats text found elsewhere is left out with Material's
``data-search-exclude``: each page's list of notes and the bibliography's reference lists (a reader
finds a source through the page that discusses it), citation numbers, figure data tables
(``UNINDEXED`` below), and, where they are written, figure drawings and the ledger's jump list and
filters. The printable summary, which repeats the option grid, is left out by its front matter. Crisis words rank "Get help
now" first through that page's ``tags`` (Material weighs tags far above titles and text).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.search_synonyms")

# British and US spellings: (British, US, what may follow). A word that starts with one (after an
# optional prefix such as "sub") gets the other as well. Anchored, so "restricted" never becomes
# "roestricted" and "managing" never "manageing".
SPELLINGS: tuple[tuple[str, str, str], ...] = (
    ("anaesthe", "anesthe", "[a-z]*"),
    ("haemorrh", "hemorrh", "[a-z]*"),
    ("haemo", "hemo", "[a-z]*"),
    ("oesoph", "esoph", "[a-z]*"),
    ("oestr", "estr", "(ogen|ogens|adiol)"),
    ("paediatr", "pediatr", "[a-z]*"),
    ("behaviour", "behavior", "[a-z]*"),
    ("colour", "color", "(s|ed|ful|ing)?"),
    ("tumour", "tumor", "s?"),
    ("randomis", "randomiz", "[a-z]*"),
    ("hospitalis", "hospitaliz", "[a-z]*"),
    ("recognis", "recogniz", "[a-z]*"),
    ("minimis", "minimiz", "[a-z]*"),
    ("licence", "license", "[ds]?"),
    ("centre", "center", "s?"),
    ("programme", "program", "s?"),
    ("ageing", "aging", ""),
)
PREFIX = "(?:sub|un|non|multi|post|pre|re)?"


def respellings(word: str) -> set[str]:
    """The word in the other spelling (British or US), if it has one."""
    out = set()
    for british, american, tail in SPELLINGS:
        for this, other in ((british, american), (american, british)):
            match = re.fullmatch(f"({PREFIX}){this}({tail})", word)
            if match:
                out.add(match.group(1) + other + match.group(2))
    return out


# Groups of names for one thing: a section that matches any pattern is also found by every term.
SYNONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    ((r"\bect\b", r"\belectroconvulsive\b", r"\belectroshock\b"), ("ECT", "electroconvulsive", "electroshock")),
    ((r"\btrd\b", r"\btreatment-resistant\b", r"\btreatment resistant\b"), ("TRD", "treatment-resistant")),
    ((r"\bspravato\b", r"\besketamine\b"), ("Spravato", "esketamine")),
    ((r"\biv\b", r"\bintravenous(ly)?\b"), ("IV", "intravenous")),
    ((r"\bptsd\b", r"\bpost-traumatic stress\b"), ("PTSD", "post-traumatic")),
    ((r"\bmdd\b", r"\bmajor depressive disorder\b"), ("MDD", "major depressive disorder")),
    ((r"\bnasal spray\b", r"\bintranasal\b"), ("nasal spray", "intranasal")),
    ((r"\bside effects?\b", r"\badverse (effects?|events?)\b"), ("side effects", "adverse effects")),
    ((r"\bcosts?\b", r"\bprices?\b", r"\bfees?\b"), ("cost", "price", "fee")),
)

WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
TAG = re.compile(r"<[^>]+>")
HIDDEN = '<span class="search-synonyms" hidden>{}</span>'
BIBLIOGRAPHY_PAGE = "reference/bibliography.md"
# What the index leaves out, marked with Material's data-search-exclude: (HTML as written, with the mark).
FOOTNOTES = ('<div class="footnote">', '<div class="footnote" data-search-exclude>')  # indexed on the bibliography page only
UNINDEXED: tuple[tuple[str, str], ...] = (
    # citation numbers ("<sup id="fnref:key">3</sup>") and the commas between them mean nothing in a result
    ('<sup id="fnref', '<sup data-search-exclude id="fnref'),
    ('<sup class="fn-sep">', '<sup class="fn-sep" data-search-exclude>'),
    # a figure's data table: its caption, which is indexed, gives the same numbers in words
    ('<details class="note kfig-data">', '<details class="note kfig-data" data-search-exclude>'),
)


def plural(word: str) -> str:
    """A rough English plural: Material adds a trailing wildcard to each query word, so a query for
    "infusions" matches only indexed words that start with "infusions"; a section that only says
    "infusion" must carry the plural too (the singular query already matches both)."""
    if word.endswith("s"):
        return word
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("x", "ch", "sh")):
        return word + "es"
    return word + "s"


def words_of(text: str) -> set[str]:
    """The lower-case words of a section's HTML text, hyphenated words also in their parts."""
    found = WORD.findall(TAG.sub(" ", text).lower())
    return set(found) | {part for word in found for part in word.split("-")}


def variants(text: str, vocabulary: set[str], topics: set[str] | None = None) -> list[str]:
    """The spellings, synonyms and plurals a section's text lacks but a reader may type, sorted.

    A plural is added only when it is in ``vocabulary`` (the words the whole guide uses), and, when
    ``topics`` is given, only of a word among them (the words of the guide's headings).
    """
    plain = TAG.sub(" ", text).lower()
    words = words_of(text)
    extra: set[str] = set()
    for word in words:
        extra |= respellings(word)
    nouns = words if topics is None else words & topics
    extra |= {plural(word) for word in nouns if len(word) >= 4 and word.isalpha()} & vocabulary
    for patterns, terms in SYNONYMS:
        if any(re.search(pattern, plain) for pattern in patterns):
            extra |= {term for term in terms if not re.search(rf"\b{re.escape(term.lower())}\b", plain)}
    return sorted(extra - words)


# A space Material's indexer leaves where a citation number was left out: "worldwide ." in a result.
SPACE_BEFORE_PUNCTUATION = re.compile(r" +([.,;:)])(?=\s|<|$)")


def tidy(index: dict[str, Any]) -> None:
    """Close the gaps left by unindexed citation numbers, so result previews read "worldwide."."""
    for document in index.get("docs", []):
        document["text"] = SPACE_BEFORE_PUNCTUATION.sub(r"\1", document.get("text", ""))


def add_variants(index: dict[str, Any]) -> int:
    """Append the hidden variants to every document of a Material search index; return how many changed."""
    documents = index.get("docs", [])
    vocabulary = set().union(*(words_of(f"{d.get('title', '')} {d.get('text', '')}") for d in documents))
    topics = set().union(*(words_of(d.get("title", "")) for d in documents))
    changed = 0
    for document in documents:
        extra = variants(f"{document.get('title', '')} {document.get('text', '')}", vocabulary, topics)
        if extra:
            document["text"] = f"{document.get('text', '')} {HIDDEN.format(' '.join(extra))}"
            changed += 1
    return changed


@event_priority(-50)  # after the bibliography hook has put commas between adjacent citation numbers
def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    """Leave out of the search index what only repeats text found elsewhere (see UNINDEXED), and each page's list of notes."""
    for written, unindexed in UNINDEXED:
        html_text = html_text.replace(written, unindexed)
    if page.file.src_uri == BIBLIOGRAPHY_PAGE:
        return html_text.replace("<ul>", "<ul data-search-exclude>")
    return html_text.replace(*FOOTNOTES)


@event_priority(-100)  # after Material's search plugin has written the index
def on_post_build(config: Any) -> None:
    """Rewrite search/search_index.json with the variants added."""
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():
        log.warning("no search index at %s; is the search plugin enabled?", path)
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    tidy(index)
    changed = add_variants(index)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    log.debug("search synonyms added to %d of %d sections", changed, len(index.get("docs", [])))
