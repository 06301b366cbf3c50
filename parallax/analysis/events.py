"""Events within a story: its articles split where the coverage pauses, so a long story reads as the steps it
went through (talks proposed, first round, a deal, talks stall). Undated articles join the event whose words
they share most."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from parallax.analysis.stories import DocumentFrequencies, article_vector, cosine, norm

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


def story_events(articles: list[dict]) -> list[Event]:
    """Events of a story's articles (dicts with id, title, text, published), in date order."""
    vectors = {a["id"]: _vector(a["title"], a["text"]) for a in articles}
    freqs = DocumentFrequencies()
    for v in vectors.values():
        freqs.add(v)
    norms = {i: norm(v, freqs) for i, v in vectors.items()}
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
        return cosine(vectors[a["id"]], vectors[m["id"]], freqs, norms[a["id"]], norms[m["id"]])

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
        centre_norm = norm(centre, freqs)
        central = max(
            group, key=lambda a: (cosine(vectors[a["id"]], centre, freqs, norms[a["id"]], centre_norm), -a["id"])
        )
        events.append(
            Event(min(days) if days else None, max(days) if days else None, central["title"], tuple(a["id"] for a in group))
        )
    return events
