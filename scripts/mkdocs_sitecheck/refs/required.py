"""Entry types and required fields, per consumer: which consumers reject an entry's type or lack.

BibTeX: btxdoc's "Entry Types" (the standard styles warn "empty X" and print the entry without
it; an unknown type is printed as @misc). biblatex: the biblatex manual's "Entry Types" (not
its internal data model, which biber enforces only with ``--validate-datamodel``: that model
wants an ``editor`` for @incollection, which neither the manual nor BibTeX requires). pybtex:
its plain style, asked through :func:`plain_style_verdict`. CSL (pandoc/citeproc): requires no
field and renders any type.
"""

from __future__ import annotations

from mkdocs_sitecheck.refs.pybtex_check import plain_style_verdict

Rules = list[tuple[str, ...]]
_YEAR = ("year", "date")
_J, _I = ("journaltitle", "journal"), ("institution", "school")
BIBTEX_REQUIRED: dict[str, Rules] = {
    "article": [("author",), ("title",), ("journal",), ("year",)],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year",)],
    "booklet": [("title",)],
    "inbook": [("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year",)],
    "incollection": [("author",), ("title",), ("booktitle",), ("publisher",), ("year",)],
    "inproceedings": [("author",), ("title",), ("booktitle",), ("year",)],
    "conference": [("author",), ("title",), ("booktitle",), ("year",)],
    "manual": [("title",)],
    "mastersthesis": [("author",), ("title",), ("school",), ("year",)],
    "phdthesis": [("author",), ("title",), ("school",), ("year",)],
    "misc": [],
    "proceedings": [("title",), ("year",)],
    "techreport": [("author",), ("title",), ("institution",), ("year",)],
    "unpublished": [("author",), ("title",), ("note",)],
}
BIBLATEX_REQUIRED: dict[str, Rules] = {
    "article": [("author",), ("title",), _J, _YEAR],
    "book": [("author",), ("title",), _YEAR],
    "mvbook": [("author",), ("title",), _YEAR],
    "inbook": [("author",), ("title",), ("booktitle",), _YEAR],
    "bookinbook": [("author",), ("title",), ("booktitle",), _YEAR],
    "suppbook": [("author",), ("title",), ("booktitle",), _YEAR],
    "booklet": [("author", "editor"), ("title",), _YEAR],
    "collection": [("editor",), ("title",), _YEAR],
    "mvcollection": [("editor",), ("title",), _YEAR],
    "reference": [("editor",), ("title",), _YEAR],
    "mvreference": [("editor",), ("title",), _YEAR],
    "incollection": [("author",), ("title",), ("booktitle",), _YEAR],
    "suppcollection": [("author",), ("title",), ("booktitle",), _YEAR],
    "inreference": [("author",), ("title",), ("booktitle",), _YEAR],
    "dataset": [("author", "editor"), ("title",), _YEAR],
    "manual": [("title",), _YEAR],
    "misc": [("title",), _YEAR],
    "software": [("title",)],
    "online": [("title",), ("url", "doi", "eprint"), _YEAR],
    "patent": [("author",), ("title",), ("number",), _YEAR],
    "periodical": [("title",), _YEAR],
    "suppperiodical": [("author",), ("title",), _J, _YEAR],
    "proceedings": [("title",), _YEAR],
    "mvproceedings": [("title",), _YEAR],
    "inproceedings": [("author",), ("title",), ("booktitle",), _YEAR],
    "report": [("author",), ("title",), ("type",), _I, _YEAR],
    "thesis": [("author",), ("title",), ("type",), _I, _YEAR],
    "unpublished": [("author",), ("title",), _YEAR],
    "set": [("entryset",)],
    "xdata": [],
    # biblatex-gb7714-2015 (the Chinese GB/T 7714 styles) adds @newspaper: a newspaper article.
    "newspaper": [("author",), ("title",), _J, _YEAR],
}
# BibTeX's types that biblatex reads as aliases (with ``type`` implied where it matters).
BIBLATEX_ALIASES: dict[str, Rules] = {
    "conference": BIBLATEX_REQUIRED["inproceedings"],
    "electronic": BIBLATEX_REQUIRED["online"],
    "www": BIBLATEX_REQUIRED["online"],
    "mastersthesis": [("author",), ("title",), _I, _YEAR],
    "phdthesis": [("author",), ("title",), _I, _YEAR],
    "techreport": [("author",), ("title",), _I, _YEAR],
}
# Types biblatex declares but its standard styles print as @misc: valid, nothing required.
BIBLATEX_OTHER_TYPES = {
    "artwork", "audio", "bibnote", "commentary", "image", "jurisdiction", "legal", "legislation", "letter",
    "movie", "music", "performance", "review", "standard", "video",
    "customa", "customb", "customc", "customd", "custome", "customf",
}  # fmt: skip
KNOWN_TYPES = set(BIBTEX_REQUIRED) | set(BIBLATEX_REQUIRED) | set(BIBLATEX_ALIASES) | BIBLATEX_OTHER_TYPES
# The fields pybtex's plain style reads (the others cannot change its verdict).
PLAIN_STYLE_FIELDS = frozenset({
    "address", "author", "booktitle", "chapter", "doi", "edition", "editor", "eprint", "howpublished", "institution",
    "isbn", "journal", "key", "month", "note", "number", "organization", "pages", "publisher", "school", "series",
    "title", "type", "url", "volume", "year",
})  # fmt: skip
# One name for a field whatever consumer names it (biber maps journal, school and year to these).
_SAME_FIELD = {"journaltitle": "journal", "date": "year", "institution": "school"}


def unknown_to(entry_type: str, pybtex_formats: bool) -> set[str]:
    """The consumers that do not know an entry type (print it as @misc, or fail on it)."""
    found = set()
    if entry_type not in BIBTEX_REQUIRED:
        found.add("bibtex")
    if entry_type not in BIBLATEX_REQUIRED and entry_type not in BIBLATEX_ALIASES and entry_type not in BIBLATEX_OTHER_TYPES:
        found.add("biblatex")
    if pybtex_formats and entry_type not in ("set", "xdata"):
        verdict = plain_style_verdict(entry_type, frozenset())
        if verdict is not None and verdict[0] == "type":
            found.add("pybtex")
    return found


def missing_by_consumer(entry_type: str, have: set[str], pybtex_formats: bool, biblatex: bool) -> dict[frozenset[str], tuple[list[str], set[str]]]:
    """The required fields the entry lacks: ``{field group: (names to show, consumers that require it)}``.

    Only consumers of the consumer's own dialect are asked: biblatex's required fields say nothing
    about a file written for BibTeX, pybtex or pandoc, and BibTeX's nothing about a biblatex file.
    """
    lacks: dict[frozenset[str], tuple[list[str], set[str]]] = {}

    def add(alternatives: tuple[str, ...], consumer: str) -> None:
        group = frozenset(_SAME_FIELD.get(a, a) for a in alternatives)
        names, who = lacks.setdefault(group, ([], set()))
        names += [a for a in alternatives if a not in names]
        who.add(consumer)

    for name, rules in (
        ("bibtex", None if biblatex else BIBTEX_REQUIRED.get(entry_type)),
        ("biblatex", (BIBLATEX_REQUIRED.get(entry_type) or BIBLATEX_ALIASES.get(entry_type)) if biblatex else None),
    ):
        for alternatives in rules or []:
            if not have & set(alternatives):
                add(alternatives, name)
    if pybtex_formats and not biblatex and entry_type not in ("set", "xdata"):
        verdict = plain_style_verdict(entry_type, frozenset(have) & PLAIN_STYLE_FIELDS)
        if verdict is not None and verdict[0] == "missing":
            for name in verdict[1]:  # pybtex names one field where BibTeX names alternatives: join that group
                group = next((g for g in lacks if _SAME_FIELD.get(name, name) in g), None)
                if group is not None:
                    lacks[group][1].add("pybtex")
                else:
                    add((name,), "pybtex")
    return lacks


# What BibTeX's sorting styles (plain, alpha) sort an entry by; without any of these they warn
# "to sort, need author or key" and put the entry at an arbitrary place.
_SORT_BY = {
    "book": ("author", "editor", "key"),
    "inbook": ("author", "editor", "key"),
    "proceedings": ("editor", "organization", "key"),
    "manual": ("author", "organization", "key"),
}


def bibtex_sort_fields(entry_type: str, have: set[str]) -> tuple[str, ...] | None:
    """The fields BibTeX's plain style could sort the entry by, when it has none of them; else None."""
    wanted = _SORT_BY.get(entry_type, ("author", "key"))
    return None if have & set(wanted) else wanted
