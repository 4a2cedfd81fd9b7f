"""Heading ids exactly as the site's toc extension makes them: slugify, then ``_1``, ``_2`` for repeats."""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Callable, MutableSet
from typing import Any
from urllib.parse import quote

from mkdocs_sitecheck.findings import UsageError

Slugify = Callable[[str, str], str]

_NON_WORD = re.compile(r"[^\w\s-]")
_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")
_TAGS = re.compile(r"</?[^>]*>")
_INVALID_SLUG_CHAR = re.compile(r"[^\w\- ]")
_ASCII_UPPER = re.compile(r"[A-Z]")


def toc_slugify(value: str, separator: str, unicode: bool = False) -> str:
    """Python-Markdown's ``markdown.extensions.toc.slugify``: NFKD to ASCII, drop non-word, lower-case."""
    if not unicode:
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = _NON_WORD.sub("", value).strip().lower()
    return re.sub(rf"[{re.escape(separator)}\s]+", separator, value)


def toc_slugify_unicode(value: str, separator: str) -> str:
    """Python-Markdown's ``slugify_unicode``: like ``slugify`` but keeps non-ASCII letters."""
    return toc_slugify(value, separator, unicode=True)


def pymdownx_slugify(text: str, sep: str, case: str = "none", percent_encode: bool = False, normalize: str = "NFC") -> str:
    """pymdownx.slugs' configurable Unicode slugify (``pymdownx.slugs.slugify(case=...)``)."""
    slug = _TAGS.sub("", unicodedata.normalize(normalize, text)).strip()  # type: ignore[arg-type]
    if case == "lower":
        slug = slug.lower()
    elif case == "lower-ascii":
        slug = _ASCII_UPPER.sub(lambda m: m.group(0).lower(), slug)
    elif case == "fold":
        slug = slug.casefold()
    slug = _INVALID_SLUG_CHAR.sub("", slug).replace(" ", sep)
    return quote(slug.encode("utf-8")) if percent_encode else slug


def _pymdownx_factory(**kwds: Any) -> Slugify:
    """The pure twin of ``pymdownx.slugs.slugify(**kwds)``."""
    return functools.partial(
        pymdownx_slugify,
        case=kwds.get("case", "none"),
        percent_encode=kwds.get("percent_encode", False),
        normalize=kwds.get("normalize", "NFC"),
    )


# Known functions by dotted name; ``object/apply`` names are factories called with the YAML kwds.
_NAMED: dict[str, Slugify] = {
    "markdown.extensions.toc.slugify": toc_slugify,
    "markdown.extensions.toc.slugify_unicode": toc_slugify_unicode,
    "pymdownx.slugs.uslugify": functools.partial(pymdownx_slugify),
    "pymdownx.slugs.uslugify_encoded": functools.partial(pymdownx_slugify, percent_encode=True),
}
_FACTORIES: dict[str, Callable[..., Slugify]] = {"pymdownx.slugs.slugify": _pymdownx_factory}


def resolve_slugify(spec: Any) -> Slugify:
    """The slug function mkdocs.yml names (``!!python/name:`` or ``!!python/object/apply:``)."""
    if spec is None or callable(spec):
        return spec or toc_slugify
    text = str(spec)
    kind, _, dotted = text.partition(":")
    if not dotted:
        kind, dotted = "name", text
    kwds = dict(getattr(spec, "kwds", None) or {})
    if kind == "name" and dotted in _NAMED:
        return _NAMED[dotted]
    if kind == "object/apply" and dotted in _FACTORIES:
        return _FACTORIES[dotted](**kwds)
    func = _import(dotted)
    if kind == "object/apply":
        func = func(*list(getattr(spec, "args", None) or []), **kwds)
    if not callable(func):
        raise UsageError(f"toc slugify '{dotted}' is not a function")
    return func


def _import(dotted: str) -> Any:
    """Import ``package.module.attr``; a failure is a one-line UsageError."""
    module, _, attr = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        raise UsageError(f"mkdocs.yml: cannot import the toc slugify function '{dotted}'") from None


def unique(id_: str, ids: MutableSet[str]) -> str:
    """Python-Markdown's toc ``unique``: append ``_1``, ``_2``… until the id is unused (and add it)."""
    if id_ in ids or not id_:
        m = _IDCOUNT.match(id_)
        base, count = (m.group(1), int(m.group(2))) if m else (id_, 0)
        count += 1
        while f"{base}_{count}" in ids:
            count += 1
        id_ = f"{base}_{count}"
    ids.add(id_)
    return id_
