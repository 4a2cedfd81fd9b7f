"""MkDocs hook: teach the site search the other spellings and names readers type.

Material's search (lunr, in the browser) only finds the words a section contains. The guide
writes British spellings ("anaesthetic") and full names ("electroconvulsive therapy"); readers
type "anesthetic", "ECT", "TRD" or the brand name "Spravato". After Material has written
``search/search_index.json``, this hook adds to each indexed section the variants of the words
it contains, in a hidden element: lunr indexes the words, and the result preview (which Material
renders from the same HTML) does not show them. Stemming ("infusion" = "infusions") and
plurals are added here too: lunr's stemmer cannot be used, because Material searches every query
word as a prefix ("infusion*"), and lunr does not stem wildcard terms. Punctuation
("(Spravato)") is handled by the ``search`` plugin's ``separator`` and ``trimmer`` settings
in mkdocs.yml.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.search_synonyms")

# British -> US spelling fragments; a word containing the first gets the second as well, and back.
SPELLINGS: tuple[tuple[str, str], ...] = (
    ("anaesthe", "anesthe"),
    ("anaesthet", "anesthet"),
    ("haemorrh", "hemorrh"),
    ("haemo", "hemo"),
    ("oesoph", "esoph"),
    ("oestr", "estr"),
    ("paediatr", "pediatr"),
    ("behaviour", "behavior"),
    ("colour", "color"),
    ("tumour", "tumor"),
    ("randomis", "randomiz"),
    ("hospitalis", "hospitaliz"),
    ("recognis", "recogniz"),
    ("minimis", "minimiz"),
    ("licence", "license"),
    ("centre", "center"),
    ("programme", "program"),
    ("ageing", "aging"),
)

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


def variants(text: str) -> list[str]:
    """The spellings and synonyms a section's text lacks but a reader may type, sorted."""
    plain = TAG.sub(" ", text).lower()
    words = set(WORD.findall(plain)) | {part for word in WORD.findall(plain) for part in word.split("-")}
    extra: set[str] = set()
    for word in words:
        for british, american in SPELLINGS:
            if british in word:
                extra.add(word.replace(british, american))
            elif american in word:
                extra.add(word.replace(american, british))
    extra |= {plural(word) for word in words if len(word) >= 4 and word.isalpha()}
    for patterns, terms in SYNONYMS:
        if any(re.search(pattern, plain) for pattern in patterns):
            extra |= {term for term in terms if not re.search(rf"\b{re.escape(term.lower())}\b", plain)}
    return sorted(extra - words)


def add_variants(index: dict[str, Any]) -> int:
    """Append the hidden variants to every document of a Material search index; return how many changed."""
    changed = 0
    for document in index.get("docs", []):
        extra = variants(f"{document.get('title', '')} {document.get('text', '')}")
        if extra:
            document["text"] = f"{document.get('text', '')} {HIDDEN.format(' '.join(extra))}"
            changed += 1
    return changed


@event_priority(-100)  # after Material's search plugin has written the index
def on_post_build(config: Any) -> None:
    """Rewrite search/search_index.json with the variants added."""
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():
        log.warning("no search index at %s; is the search plugin enabled?", path)
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    changed = add_variants(index)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    log.debug("search synonyms added to %d of %d sections", changed, len(index.get("docs", [])))
