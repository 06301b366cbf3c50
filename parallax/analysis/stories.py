"""Stories: articles about the same developing event, grouped incrementally.

Each article becomes a sparse term vector (content words of title and body, plus the actors it names);
a story keeps the sum of its members' vectors. A new article joins the most similar story when the
TF-IDF similarity, discounted by the time gap to the story's date span, clears a threshold; otherwise it
opens a story. Stored articles are never re-read for scoring: only the story centroids, document
frequencies and each story's "mass" (the summed norms of its members, recomputed from stored vectors).

A dated article is scored by cosine to the story centroid: a developing story drifts over weeks and its
centroid follows it. An undated article has no time gap to keep it out of unrelated stories, so it is
scored by its mean similarity to the story's members (average link): a story grown by loose, topic-level
joins has a diffuse centroid whose members each resemble the article little, and no longer attracts
every article on the same broad topic (on NeuS the centroid let one story snowball over dozens of them).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from parallax.analysis.stopwords import STOPWORDS

JOIN_THRESHOLD = 0.15  # tuned on BASIL (B-cubed F1 0.957) and the sample corpus
# An undated article has no time gap to discount unrelated stories with, so it must be more similar to join one
# (tuned on NeuS, whose snippets are undated: F1 0.34 at 0.15; see benchmarks/RESULTS.md).
# Applied to the average link of undated articles (see the module note), not to the centroid cosine.
UNDATED_JOIN_THRESHOLD = 0.2
TIME_SCALE_DAYS = 21.0  # similarity halves roughly every three weeks of gap to the story's span
CENTROID_TERMS = 400
ACTOR_WEIGHT = 2.0
TITLE_WEIGHT = 2.0

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]{2,}")
# For story vectors numbers count too: "90-day", "$200 billion", "1.2 million" are what one event's reports share.
_VECTOR_WORD = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W\d_]{2,}")


def _stem(word: str) -> str:
    # A light suffix strip: enough for "talks"/"talk" and "ceasefire's" to meet, cheap on long corpora.
    for suffix in ("'s", "’s", "ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def terms(text: str) -> list[str]:
    words = (w.lower() for w in _WORD.findall(text))
    return [_stem(w) for w in words if len(w) > 2 and w not in STOPWORDS]


def _vector_stem(word: str) -> str:
    # Also folds verb forms ("signs"/"signed"/"signing"), which reports of one event use interchangeably.
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return _stem(word)


def vector_terms(text: str) -> list[str]:
    found = []
    for word in _VECTOR_WORD.findall(text):
        word = word.lower()
        if word[0].isdigit():
            if len(word) > 1:  # a lone digit is everywhere (lists, scores, times)
                found.append(word)
        elif len(word) > 2 and word not in STOPWORDS:
            found.append(_vector_stem(word))
    return found


def article_vector(title: str, text: str, actor_ids: list[str] = ()) -> dict[str, float]:
    """Sublinear term frequencies; idf is applied at comparison time so it can grow with the corpus."""
    counts = Counter(vector_terms(text))
    for term in vector_terms(title):
        counts[term] += TITLE_WEIGHT
    vector = {term: 1.0 + math.log(n) for term, n in counts.items()}
    for actor_id in set(actor_ids):
        vector["@" + actor_id] = ACTOR_WEIGHT
    return vector


@dataclass(eq=False)  # stories are compared by identity: two stories may look alike
class StoryState:
    id: int | None
    title: str
    first_date: date | None
    last_date: date | None
    centroid: dict[str, float] = field(default_factory=dict)
    size: int = 0
    title_score: float = 0.0  # centrality of the article the title was taken from
    mass: float = 0.0  # summed TF-IDF norms of the members: the average link's denominator

    def add(self, vector: dict[str, float], published: date | None, vector_norm: float = 0.0) -> None:
        self.mass += vector_norm
        for term, weight in vector.items():
            self.centroid[term] = self.centroid.get(term, 0.0) + weight
        if len(self.centroid) > CENTROID_TERMS * 2:
            # Keep the strongest terms only: centroids must stay small however large the story grows.
            top = sorted(self.centroid.items(), key=lambda kv: -kv[1])[:CENTROID_TERMS]
            self.centroid = dict(top)
        self.size += 1
        if published:
            self.first_date = min(filter(None, (self.first_date, published)))
            self.last_date = max(filter(None, (self.last_date, published)))


@dataclass
class DocumentFrequencies:
    n_docs: int = 0
    df: dict[str, int] = field(default_factory=dict)

    def idf(self, term: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def add(self, vector: dict[str, float]) -> None:
        self.n_docs += 1
        for term in vector:
            self.df[term] = self.df.get(term, 0) + 1


def norm(vector: dict[str, float], freqs: DocumentFrequencies) -> float:
    return math.sqrt(sum((w * freqs.idf(t)) ** 2 for t, w in vector.items()))


def cosine(
    a: dict[str, float],
    b: dict[str, float],
    freqs: DocumentFrequencies,
    norm_a: float | None = None,
    norm_b: float | None = None,
) -> float:
    """TF-IDF cosine; norms may be given when known (scoring one article against many stories)."""
    if not a or not b:
        return 0.0
    dot = sum(w * b[t] * freqs.idf(t) ** 2 for t, w in a.items() if t in b)
    if dot == 0:
        return 0.0
    return dot / ((norm_a or norm(a, freqs)) * (norm_b or norm(b, freqs)))


def average_link(vector: dict[str, float], story: StoryState, freqs: DocumentFrequencies, vector_norm: float) -> float:
    """Mean cosine of the article to the story's members, each weighted by its norm (the centroid is their sum,
    so one dot product gives it). Stories without a known mass (none stored yet) fall back to the centroid."""
    if not story.mass or not vector_norm:
        return cosine(vector, story.centroid, freqs, vector_norm)
    dot = sum(w * story.centroid[t] * freqs.idf(t) ** 2 for t, w in vector.items() if t in story.centroid)
    return min(1.0, dot / (vector_norm * story.mass))


def time_factor(published: date | None, story: StoryState) -> float:
    if published is None or story.first_date is None:
        return 1.0
    if story.first_date <= published <= story.last_date:
        return 1.0
    gap = min(abs((published - story.first_date).days), abs((published - story.last_date).days))
    return 0.5 ** (gap / TIME_SCALE_DAYS)


class StoryIndex:
    """The stories known so far, with an inverted index so a new article is scored only against
    stories that share one of its most distinctive terms (linear scans do not survive 10,000 articles)."""

    PROBE_TERMS = 20
    MAX_CANDIDATES = 40

    def __init__(self, stories: list[StoryState], freqs: DocumentFrequencies):
        self.stories = list(stories)
        self.freqs = freqs
        self.postings: dict[str, set[int]] = {}
        self.position = {id(story): i for i, story in enumerate(self.stories)}
        # Centroid norms are the costly part of scoring; a norm is recomputed when its story grows or
        # when the corpus has grown by a tenth since (idf drifts slowly).
        self._norms: dict[int, tuple[float, int, int]] = {}
        for position, story in enumerate(self.stories):
            self._index(position, story)

    def _index(self, position: int, story: StoryState) -> None:
        for term in story.centroid:
            self.postings.setdefault(term, set()).add(position)

    def best(
        self,
        vector: dict[str, float],
        published: date | None,
        threshold: float | None = None,
        siblings: tuple[StoryState, ...] = (),
    ):
        """The story the article belongs to and its score, or (None, best score below threshold).

        ``siblings`` are the stories of articles split from the same input (the parts of a compilation file):
        they were published together, so an undated part is judged against them as a dated one would be."""
        if threshold is None:
            threshold = JOIN_THRESHOLD if published is not None else UNDATED_JOIN_THRESHOLD
        probe = sorted(vector, key=lambda t: -vector[t] * self.freqs.idf(t))[: self.PROBE_TERMS]
        # Only the stories sharing the most of the article's distinctive terms are scored: on a large corpus a
        # common term is in thousands of centroids, and scoring them all costs minutes per thousand articles.
        shared = Counter(p for t in probe for p in self.postings.get(t, ()))
        candidates = {p for p, _n in shared.most_common(self.MAX_CANDIDATES)}
        sibling_positions = {self.position[id(s)] for s in siblings if id(s) in self.position}
        best, best_score, best_margin = None, 0.0, -1.0
        vector_norm = norm(vector, self.freqs)
        for position in sorted(candidates | sibling_positions):
            story = self.stories[position]
            if published is None and position not in sibling_positions:
                similarity, needed = average_link(vector, story, self.freqs, vector_norm), threshold
            else:
                centroid_norm = self._centroid_norm(position, story)
                similarity = cosine(vector, story.centroid, self.freqs, vector_norm, centroid_norm)
                needed = threshold if published is not None else JOIN_THRESHOLD
            score = similarity * time_factor(published, story)
            # Scores under different thresholds are compared by how far each clears its own.
            if score - needed > best_margin:
                best, best_score, best_margin = story, score, score - needed
        return (best if best_margin >= 0 else None), best_score

    def _centroid_norm(self, position: int, story: StoryState) -> float:
        cached = self._norms.get(position)
        n_docs = self.freqs.n_docs
        if cached is None or cached[1] != story.size or n_docs > cached[2] * 1.1:
            cached = (norm(story.centroid, self.freqs), story.size, n_docs)
            self._norms[position] = cached
        return cached[0]

    def add(self, story: StoryState, vector: dict[str, float], published: date | None) -> None:
        """Put an article's vector into a story (new or known) and into the frequencies."""
        if id(story) not in self.position:
            self.position[id(story)] = len(self.stories)
            self.stories.append(story)
        story.add(vector, published, norm(vector, self.freqs))
        self.freqs.add(vector)
        self._index(self.position[id(story)], story)


def place(
    index: StoryIndex,
    title: str,
    vector: dict[str, float],
    published: date | None,
    siblings: tuple[StoryState, ...] = (),
) -> tuple[StoryState, bool]:
    """Put one article into the story it belongs to, or into a new one; returns (story, opened).

    The story is named after its most central article seen so far."""
    story, _score = index.best(vector, published, siblings=siblings)
    opened = story is None
    if opened:
        story = StoryState(None, title, None, None)
    index.add(story, vector, published)
    centrality = cosine(vector, story.centroid, index.freqs)
    if centrality > story.title_score or story.size == 1:
        story.title, story.title_score = title, centrality
    return story, opened
