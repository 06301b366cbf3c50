"""Events within a story: its articles split where the coverage pauses, so a long story reads as the steps it
went through (talks proposed, first round, a deal, talks stall). Undated articles join the event whose words
they share most."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from parallax.analysis.stories import DocumentFrequencies, article_vector

PAUSE_DAYS = 4  # a gap in coverage longer than this starts a new event


@dataclass(frozen=True)
class Event:
    first_date: date | None
    last_date: date | None
    title: str  # the title of its most central article
    article_ids: tuple[int, ...]


# An article's words do not change once stored, and the briefing of a story is rebuilt after every ingest that
# touches it: its older articles' vectors are worth keeping (10-30 KB each for a news article). Callers must not
# change the dict they get.
@lru_cache(maxsize=512)
def _vector(title: str, text: str) -> dict[str, float]:
    return article_vector(title, text)


class _Weights:
    """TF-IDF cosines within one story, with each term's squared idf and each vector's norm computed once
    (the same arithmetic as parallax.analysis.stories.cosine)."""

    def __init__(self, freqs: DocumentFrequencies):
        self.freqs = freqs
        self.idf2: dict[str, float] = {}

    def squared_idf(self, term: str) -> float:
        found = self.idf2.get(term)
        if found is None:
            found = self.idf2[term] = self.freqs.idf(term) ** 2
        return found

    def norm(self, vector: dict[str, float]) -> float:
        # sqrt(sum((w * idf) ** 2)), as stories.norm computes it, so ties fall the same way.
        idf = self.freqs.idf
        return math.sqrt(sum((w * idf(t)) ** 2 for t, w in vector.items()))

    def cosine(self, a: dict[str, float], b: dict[str, float], norm_a: float, norm_b: float) -> float:
        if not a or not b:
            return 0.0
        idf2 = self.squared_idf
        dot = sum(w * b[t] * idf2(t) for t, w in a.items() if t in b)
        if dot == 0:
            return 0.0
        return dot / (norm_a * norm_b)


def story_events(articles: list[dict]) -> list[Event]:
    """Events of a story's articles (dicts with id, title, text, published), in date order."""
    vectors = {a["id"]: _vector(a["title"], a["text"]) for a in articles}
    freqs = DocumentFrequencies()
    for v in vectors.values():
        freqs.add(v)
    weights = _Weights(freqs)
    norms = {i: weights.norm(v) for i, v in vectors.items()}
    dated = sorted((a for a in articles if a["published"]), key=lambda a: (a["published"], a["id"]))
    groups: list[list[dict]] = []
    for a in dated:
        if groups and (a["published"] - groups[-1][-1]["published"]).days <= PAUSE_DAYS:
            groups[-1].append(a)
        else:
            groups.append([a])
    undated = [a for a in articles if not a["published"]]
    if not groups and undated:
        groups.append([])

    def similarity(a: dict, m: dict) -> float:
        return weights.cosine(vectors[a["id"]], vectors[m["id"]], norms[a["id"]], norms[m["id"]])

    for a in undated:
        scores = [sum(similarity(a, m) for m in g) / max(len(g), 1) for g in groups]
        groups[max(range(len(groups)), key=lambda i: scores[i])].append(a)
    events = []
    for group in groups:
        days = [a["published"] for a in group if a["published"]]
        centre: dict[str, float] = {}
        for a in group:
            for term, weight in vectors[a["id"]].items():
                centre[term] = centre.get(term, 0.0) + weight
        centre_norm = weights.norm(centre)
        central = max(
            group, key=lambda a: (weights.cosine(vectors[a["id"]], centre, norms[a["id"]], centre_norm), -a["id"])
        )
        events.append(
            Event(min(days) if days else None, max(days) if days else None, central["title"], tuple(a["id"] for a in group))
        )
    return events
