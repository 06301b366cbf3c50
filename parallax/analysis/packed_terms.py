"""Term weights packed into arrays, for the stories the story index keeps but that have stopped growing.

A story's centroid as a dict costs about 100 bytes a term (the dict slot, a float object, the term's string); a
corpus of long articles gives stories of 400 to 1,000 terms, and tens of thousands of stories. Packed, a term costs
16 bytes: its id in a shared vocabulary, its weight, and the place it had. The packed form reads like the dict it
came from (same terms, same weights, same order) and its dot product adds the same products in the same order, so
every score computed from it is the one the dict gives, to the last bit. It is never written to: a story that
grows again is unpacked first.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping

import numpy as np


class Vocabulary:
    """Each term packed so far, numbered in the order first seen."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []

    def id(self, term: str) -> int:
        found = self.ids.get(term)
        if found is None:
            term = sys.intern(term)  # (one string shared with the document frequencies and unpacked stories)
            found = self.ids[term] = len(self.terms)
            self.terms.append(term)
        return found

    def article(self, weighted: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """An article's terms as (ids, weights) in its own order, -1 for a term no packed mapping has."""
        ids = np.fromiter((self.ids.get(term, -1) for term in weighted), dtype=np.int64, count=len(weighted))
        return ids, np.fromiter(weighted.values(), dtype=np.float64, count=len(weighted))


class PackedWeights(Mapping):
    """A read-only term -> weight mapping over three arrays: term ids ascending (looked up by bisection), their
    weights, and the order the terms had in the mapping packed (positions in the first two)."""

    __slots__ = ("vocabulary", "_ids", "_weights", "_order")

    def __init__(self, weights: Mapping[str, float], vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        ids = np.fromiter((vocabulary.id(term) for term in weights), dtype=np.int32, count=len(weights))
        sort = np.argsort(ids, kind="stable")
        self._ids = ids[sort]
        self._weights = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))[sort]
        self._order = np.argsort(sort).astype(np.int32)  # where each term, in the original order, now stands

    def _place(self, term: object) -> int:
        term_id = self.vocabulary.ids.get(term) if isinstance(term, str) else None
        if term_id is None:
            return -1
        k = int(np.searchsorted(self._ids, term_id))
        return k if k < len(self._ids) and self._ids[k] == term_id else -1

    def __getitem__(self, term: str) -> float:
        place = self._place(term)
        if place < 0:
            raise KeyError(term)
        return float(self._weights[place])

    def __contains__(self, term: object) -> bool:
        return self._place(term) >= 0

    def __iter__(self) -> Iterator[str]:
        terms = self.vocabulary.terms
        return (terms[i] for i in self._ids[self._order].tolist())

    def __len__(self) -> int:
        return len(self._ids)

    def items(self) -> list[tuple[str, float]]:
        terms = self.vocabulary.terms
        return [(terms[i], w) for i, w in zip(self._ids[self._order].tolist(), self._weights[self._order].tolist())]

    def dot(self, article: tuple[np.ndarray, np.ndarray]) -> float:
        """sum(w * self[t] for t, w in weighted.items() if t in self), for ``article`` = vocabulary.article(weighted):
        the same products (float64 multiplication either way), added up by ``sum`` in the same order."""
        ids, weights = article
        if not len(self._ids) or not len(ids):
            return 0
        places = np.searchsorted(self._ids, ids)
        places[places == len(self._ids)] = 0
        hit = self._ids[places] == ids
        return sum((weights[hit] * self._weights[places[hit]]).tolist())
