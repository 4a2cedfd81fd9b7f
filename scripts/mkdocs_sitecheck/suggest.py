"""'Did you mean …?' suggestions shared by every check, from an index so that many misses stay cheap.

A small pool is compared whole with :mod:`difflib`. A large one (a folder of thousands of pages,
every page of a site) is indexed once by character trigrams: a lookup counts shared trigrams over
the rarer grams of the word (a bounded amount of work), and only the best few candidates are
compared with difflib. A site with N pages and B broken links thus costs O(N + B), not O(N × B).
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from collections.abc import Iterable

SMALL = 64  # pools up to this size are compared whole
SHORTLIST = 8  # candidates compared with difflib after the trigram count
BUDGET = 4096  # posting entries counted per lookup, at most


def _grams(word: str) -> set[str]:
    """The padded, case-folded character trigrams of a word."""
    padded = f"\x02{word.lower()}\x03"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Suggester:
    """The closest-spelling lookup over one pool of candidates, indexed once."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self.pool = list(dict.fromkeys(candidates))
        self.folded: dict[str, str] = {}
        for candidate in self.pool:
            self.folded.setdefault(candidate.lower(), candidate)
        self.postings: dict[str, list[int]] = {}
        if len(self.pool) > SMALL:
            for number, candidate in enumerate(self.pool):
                for gram in _grams(candidate):
                    self.postings.setdefault(gram, []).append(number)

    def closest(self, word: str, *, cutoff: float = 0.6) -> str | None:
        """The candidate most like ``word`` (a case-only difference wins outright), or None."""
        same = self.folded.get(word.lower())
        if same is not None and same != word:
            return same
        pool = self.pool if len(self.pool) <= SMALL else self._shortlist(word)
        matches = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
        return matches[0] if matches else None

    def _shortlist(self, word: str) -> list[str]:
        """The candidates sharing the most trigrams with ``word``, counting the rarest grams first."""
        lists = sorted((self.postings[g] for g in _grams(word) if g in self.postings), key=len)
        counts: Counter[int] = Counter()
        spent = 0
        for postings in lists:
            if spent + len(postings) > BUDGET and counts:
                break
            counts.update(postings[: BUDGET - spent] if spent + len(postings) > BUDGET else postings)
            spent += len(postings)
        best = heapq.nlargest(SHORTLIST, counts.items(), key=lambda item: (item[1], -item[0]))
        return [self.pool[number] for number, _ in best]


def closest(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate most like ``word`` (a case-only difference wins outright), or None.

    For repeated lookups in one large pool, build a :class:`Suggester` once instead.
    """
    return Suggester(candidates).closest(word, cutoff=cutoff)
