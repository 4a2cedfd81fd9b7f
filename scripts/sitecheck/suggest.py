"""'Did you mean …?' suggestions shared by every check."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate most like ``word`` (a case-only difference wins outright), or None."""
    pool = list(dict.fromkeys(candidates))
    for candidate in pool:
        if candidate.lower() == word.lower() and candidate != word:
            return candidate
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    return matches[0] if matches else None
