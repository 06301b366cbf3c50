"""Stories: articles about the same developing event, grouped incrementally.

Each article becomes a sparse term vector (content words of title and body, the actors it names, and name
terms for other languages, see parallax.analysis.name_terms);
a story keeps the sum of its members' vectors. A new article joins the most similar story when the
TF-IDF similarity, discounted by the time gap to the story's date span, clears a threshold; otherwise it
opens a story. Stored articles are never re-read for scoring: only the story centroids, document
frequencies and each story's "mass" (the summed norms of its members, recomputed from stored vectors).

Where the NLP stage gave an article a sentence embedding (title and lead, ``parallax.nlp.embeddings``), it is
mixed into every score: the TF-IDF words tell topics apart, the embedding tells apart what was said about them
(two reports of one press conference in different words are near, a report of another meeting of the same
parties is not). A story keeps the sum of its members' embeddings (a dated article is scored against their
centroid) and each member's (an undated one against the few members nearest to it).

A dated article is scored by cosine to the story centroid: a developing story drifts over weeks and its
centroid follows it. An undated article has no time gap to keep it out of unrelated stories, so it is
scored by its mean similarity to the story's members (average link): a story grown by loose, topic-level
joins has a diffuse centroid whose members each resemble the article little, and no longer attracts
every article on the same broad topic (on NeuS the centroid let one story snowball over dozens of them).
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

import numpy as np

from parallax.analysis.name_terms import name_runs, name_terms, run_actors
from parallax.analysis.packed_terms import PackedWeights, Vocabulary
from parallax.analysis.stopwords import STOPWORDS

JOIN_THRESHOLD = 0.15  # tuned on BASIL (B-cubed F1 0.957) and the sample corpus
# An undated article has no time gap to discount unrelated stories with, so it must be more similar to join one
# (tuned on NeuS, whose snippets are undated: F1 0.34 at 0.15; see benchmarks/RESULTS.md).
# Applied to the average link of undated articles (see the module note), not to the centroid cosine.
UNDATED_JOIN_THRESHOLD = 0.2
# A story is one developing event, and a dated article joins it in one of two ways. As a report of the same event,
# whose reports come out within days: the (mixed) similarity halves every EVENT_SCALE_DAYS of gap to the story's
# span. Or as the story's continuation weeks later (the next round of the same talks names the same parties, places
# and process): the TF-IDF cosine alone, halving every TIME_SCALE_DAYS, must clear CONTINUATION_THRESHOLD. Without
# embeddings the second way is the rule from before them (so a database without the model clusters as it did).
# The continuation cost the NeuS raw roundups most of their precision until it asked for the story's names too
# (see ``continues`` and benchmarks/RESULTS.md, issue 12).
EVENT_SCALE_DAYS = 3.0
TIME_SCALE_DAYS = 21.0
PLAIN_CONTINUATION_THRESHOLD = 0.15  # without embeddings: the rule from before them
# With embeddings (and the names a continuation must carry): tuned on the roundups of April to mid-July 2021, 0.15 ->
# 0.17 (84.5 -> 85.9); the sample corpus's weakest continuation (the prisoner swap, 11 days on) scores 0.195.
CONTINUATION_THRESHOLD = 0.17
# A continuation needs more than topic words (see ``continues``), except the next day: a report a day after the
# story's last one is still in the same news cycle (the sample corpus's mayor on the drought declared the day before).
CONTINUATION_FREE_DAYS = 1
CONTINUATION_NAMES = 0.7
CONTINUATION_DEFINING = 0.5
DEFINING_SHARE = 0.67
CENTROID_TERMS = 400
CENTROID_NAMES = 100
ACTOR_WEIGHT = 2.0
TITLE_WEIGHT = 2.0
# Name terms ("#" + name_stem) let an article in another language meet the coverage through the names it shares
# with it. Only the cross-language score reads them (see ``cosine``): counted in the ordinary cosine as well they
# cost NeuS F1 0.632 -> 0.627 at weight 0.5, 0.592 at 1.0.
NAME_WEIGHT = 0.5
# Across languages only names, actors and numbers can be shared, so a foreign article is also scored by the cosine
# of those terms alone; that cosine runs higher than the full one between unrelated articles, hence its own bar.
NAME_JOIN_THRESHOLD = 0.3
NAME = "#"  # the prefix of name terms

# Mixing the embedding in (tuned on the NeuS train and val stories, and BASIL; see benchmarks/RESULTS.md): the
# score is (1 - EMBEDDING_WEIGHT) * TF-IDF + EMBEDDING_WEIGHT * the embedding cosine rescaled so that
# EMBEDDING_FLOOR (about what two unrelated news snippets score) is 0. Mixed scores have thresholds of their own.
EMBEDDING_WEIGHT = 0.5
EMBEDDING_FLOOR = 0.2
MIXED_JOIN_THRESHOLD = 0.3
MIXED_UNDATED_JOIN_THRESHOLD = 0.36


def reach_days(threshold: float | None = None) -> int:
    """The farthest (in days from its span) a story can be joined by a dated article: every score is at most 1,
    the slowest decay halves it every TIME_SCALE_DAYS, and it must still clear the lowest bar of any way to join
    (58 days with the constants above). A dated article does not score a story farther away than that.
    ``threshold``: a bar given for one placement instead of those above."""
    bars = [JOIN_THRESHOLD, PLAIN_CONTINUATION_THRESHOLD, CONTINUATION_THRESHOLD, MIXED_JOIN_THRESHOLD,
            NAME_JOIN_THRESHOLD] + ([threshold] if threshold is not None else [])
    return math.ceil(max(EVENT_SCALE_DAYS, TIME_SCALE_DAYS) * math.log2(1 / min(bars)))


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


def article_vector(
    title: str,
    text: str,
    actor_ids: list[str] = (),
    *,
    actor_keys: dict[tuple[str, ...], str] | None = None,
) -> dict[str, float]:
    """Sublinear term frequencies; idf is applied at comparison time so it can grow with the corpus.

    ``actor_keys`` (name keys of known actors' aliases, see ``actor_name_keys``) finds actors by name where the
    NLP stage did not run (text not in English), so a foreign article shares their "@" terms with the coverage."""
    counts = Counter(vector_terms(text))
    for term in vector_terms(title):
        counts[term] += TITLE_WEIGHT
    vector = {term: 1.0 + math.log(n) for term, n in counts.items()}
    for key, n in name_terms(title, text).items():
        vector[NAME + key] = NAME_WEIGHT * (1.0 + math.log(n))
    actors = set(actor_ids)
    if actor_keys:
        actors |= run_actors(name_runs(title) + name_runs(text), actor_keys)
    # Sorted: a set's order follows the hash seed, and the vector's order decides ties wherever terms are ranked
    # by weight (probe terms, centroid trimming) and the order floating-point sums are added in.
    for actor_id in sorted(actors):
        vector["@" + actor_id] = ACTOR_WEIGHT
    # One copy of each term's string however many articles and stories hold it (a story index of tens of
    # thousands of stories otherwise holds each common word thousands of times).
    return {sys.intern(term): weight for term, weight in vector.items()}


def is_comparable_term(term: str) -> bool:
    """Terms an article can share with coverage in another language: names, actors, numbers."""
    return term[0] in "#@" or term[0].isdigit()


@dataclass(eq=False)  # stories are compared by identity: two stories may look alike
class StoryState:
    id: int | None
    title: str
    first_date: date | None
    last_date: date | None
    centroid: dict[str, float] | PackedWeights = field(default_factory=dict)  # packed while it does not grow
    size: int = 0
    title_score: float = 0.0  # centrality of the article the title was taken from
    mass: float = 0.0  # summed TF-IDF norms of the members: the average link's denominator
    foreign: int = 0  # members not in English: a story of foreign articles only is scored by names too
    embedding: np.ndarray | None = None  # the sum of its members' embeddings
    embedded: int = 0  # members with an embedding
    member_embeddings: list = field(default_factory=list)  # each member's, for the nearest-members link
    # name term: how many members name it (see ``continues``); packed with the centroid
    named: Counter | PackedWeights = field(default_factory=Counter)
    _defining: tuple = (-1, ())  # (size, the names most members name), kept until the story grows
    trimmed: set = field(default_factory=set)  # terms trimmed from the centroid this run, still listed (see add)

    def count_names(self, vector: dict[str, float]) -> None:
        self.named.update(t for t in vector if t[0] == NAME)

    @property
    def packed(self) -> bool:
        return isinstance(self.centroid, PackedWeights)

    def pack(self, vocabulary: Vocabulary) -> None:
        """Hold the centroid and the name counts in arrays (see parallax.analysis.packed_terms): they read the same,
        in a sixth of the memory, but cannot grow. Either may be packed already."""
        if not isinstance(self.centroid, PackedWeights):
            self.centroid = PackedWeights(self.centroid, vocabulary)
        if not isinstance(self.named, PackedWeights):
            self.named = PackedWeights(self.named, vocabulary)

    def unpack(self) -> None:
        if isinstance(self.centroid, PackedWeights):
            self.centroid = dict(self.centroid.items())
        if isinstance(self.named, PackedWeights):
            self.named = Counter({term: int(n) for term, n in self.named.items()})

    def add(
        self,
        vector: dict[str, float],
        published: date | None,
        vector_norm: float = 0.0,
        foreign: bool = False,
        embedding: np.ndarray | None = None,
    ) -> list[str]:
        """Add a member; returns the terms the story is to be listed under from now on, for the index that finds
        stories by their terms: those its centroid gained, less those it had before and lost to trimming (see
        CENTROID_TERMS), under which it stays listed: it once was their story, and may be again."""
        self.unpack()
        self.mass += vector_norm
        self.foreign += foreign
        if embedding is not None:
            self.embedding = embedding.astype(np.float64) if self.embedding is None else self.embedding + embedding
            self.embedded += 1
            self.member_embeddings.append(embedding)
        self.count_names(vector)
        gained = [term for term in vector if term not in self.centroid and term not in self.trimmed]
        for term, weight in vector.items():
            self.centroid[term] = self.centroid.get(term, 0.0) + weight
        if len(self.centroid) > (CENTROID_TERMS + CENTROID_NAMES) * 2:
            # Keep the strongest terms only: centroids must stay small however large the story grows. Name terms
            # have their own budget, so that they never push out the words English articles are scored by.
            ranked = sorted(self.centroid.items(), key=lambda kv: (-kv[1], kv[0]))
            words = [kv for kv in ranked if kv[0][0] != NAME][:CENTROID_TERMS]
            names = [kv for kv in ranked if kv[0][0] == NAME][:CENTROID_NAMES]
            kept = dict(words + names)
            fresh = set(gained)
            self.trimmed.update(term for term in self.centroid if term not in kept and term not in fresh)
            gained = [term for term in gained if term in kept]
            self.centroid = kept
        self.size += 1
        if published:
            self.first_date = min(filter(None, (self.first_date, published)))
            self.last_date = max(filter(None, (self.last_date, published)))
        return gained


@dataclass
class DocumentFrequencies:
    n_docs: int = 0
    df: dict[str, int] = field(default_factory=dict)

    def idf(self, term: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def add(self, vector: dict[str, float]) -> None:
        self.n_docs += 1
        for term in vector:
            known = self.df.get(term)
            if known is None:
                self.df[sys.intern(term)] = 1  # (vectors read back from the database come with their own strings)
            else:
                self.df[term] = known + 1


def norm(vector: dict[str, float], freqs: DocumentFrequencies, names: bool = False) -> float:
    """The TF-IDF norm; name terms ("#") count only with ``names`` (see ``cosine``)."""
    return math.sqrt(sum((w * freqs.idf(t)) ** 2 for t, w in vector.items() if names or t[0] != NAME))


def cosine(
    a: dict[str, float],
    b: dict[str, float],
    freqs: DocumentFrequencies,
    norm_a: float | None = None,
    norm_b: float | None = None,
    names: bool = False,
    weighted: dict[str, float] | None = None,
    article: tuple | None = None,
) -> float:
    """TF-IDF cosine; norms may be given when known (scoring one article against many stories), and so may
    ``a``'s weights times idf squared (``weighted``, see ``idf_weighted``), which the dot product then only multiplies,
    and ``weighted`` by vocabulary ids (``article``, for a packed ``b``: see ``weighted_dot``).

    Name terms repeat in another form the names an English article's words already hold: they are left out
    (so English articles cluster as they did without them) unless ``names`` asks for them (across languages)."""
    if not a or not b:
        return 0.0
    if weighted is not None and not names:
        dot = weighted_dot(weighted, b, article)
    else:
        dot = sum(w * b[t] * freqs.idf(t) ** 2 for t, w in a.items() if t in b and (names or t[0] != NAME))
    if dot == 0:
        return 0.0
    return dot / ((norm_a or norm(a, freqs, names)) * (norm_b or norm(b, freqs, names)))


def average_link(
    vector: dict[str, float],
    story: StoryState,
    freqs: DocumentFrequencies,
    vector_norm: float,
    weighted: dict[str, float] | None = None,
    article: tuple | None = None,
) -> float:
    """Mean cosine of the article to the story's members, each weighted by its norm (the centroid is their sum,
    so one dot product gives it). Stories without a known mass (none stored yet) fall back to the centroid.
    ``weighted``, ``article``: as for ``cosine``."""
    if not story.mass or not vector_norm:
        return cosine(vector, story.centroid, freqs, vector_norm, weighted=weighted, article=article)
    if weighted is None:
        weighted = idf_weighted(vector, freqs)
    dot = weighted_dot(weighted, story.centroid, article)
    return min(1.0, dot / (vector_norm * story.mass))


def weighted_dot(weighted: dict[str, float], centroid, article: tuple | None = None) -> float:
    """An article's idf-weighted terms times a centroid's weights, summed in the article's order. A packed
    centroid is looked up by vocabulary ids (``article``: ``Vocabulary.article(weighted)``, made once per article
    and passed along when the same article meets many packed stories)."""
    if isinstance(centroid, PackedWeights):
        return centroid.dot(article if article is not None else centroid.vocabulary.article(weighted))
    return sum(w * centroid[t] for t, w in weighted.items() if t in centroid)


def idf_weighted(vector: dict[str, float], freqs: DocumentFrequencies) -> dict[str, float]:
    """An article's weights times idf squared, name terms left out: computed once, it is all a dot product with a
    centroid needs (idf lookups were most of the clustering time)."""
    return {t: w * freqs.idf(t) ** 2 for t, w in vector.items() if t[0] != NAME}


def name_vector(vector: dict[str, float]) -> dict[str, float]:
    """The terms of a vector that cross languages. All of them, even those no other article has: without its
    own names a report of another event in the same country would look like a report of this one."""
    return {t: w for t, w in vector.items() if is_comparable_term(t)}


def member_norm(vector: dict[str, float], freqs: DocumentFrequencies, foreign: bool = False) -> float:
    """What a member adds to its story's mass (the average link's denominator, names left out). A foreign member
    adds nothing: an undated English article cannot share its words, and averaging over it would push the article
    out of every story a foreign report has joined (its few shared actor terms stay in the numerator)."""
    return 0.0 if foreign else norm(vector, freqs)


def _foreign_only(story: StoryState) -> bool:
    return 0 < story.foreign == story.size


def mix(tfidf: float, embedding: float | None) -> float:
    """The score of a TF-IDF similarity and an embedding cosine (None: no embedding on one side)."""
    if embedding is None:
        return tfidf
    rescaled = max(0.0, (embedding - EMBEDDING_FLOOR) / (1.0 - EMBEDDING_FLOOR))
    return (1.0 - EMBEDDING_WEIGHT) * tfidf + EMBEDDING_WEIGHT * rescaled


NEAREST_MEMBERS = 3


def embedding_similarity(embedding: np.ndarray | None, story: StoryState, average: bool) -> float | None:
    """Mean cosine to the story's NEAREST_MEMBERS members nearest in meaning (``average``: an undated article is
    compared with the reports of the event it tells of, not with every event of a story of many weeks), or
    cosine to the members' centroid; None when either side has no embedding."""
    if embedding is None or story.embedded == 0:
        return None
    if average and len(story.member_embeddings) == story.embedded:
        cosines = np.asarray(story.member_embeddings) @ embedding
        if len(cosines) > NEAREST_MEMBERS:
            cosines = np.sort(cosines)[-NEAREST_MEMBERS:]
        return float(cosines.mean())
    dot = float(np.dot(embedding, story.embedding))
    if average:
        return dot / story.embedded
    length = float(np.linalg.norm(story.embedding))
    return dot / length if length else None


def names_carried(vector: dict[str, float], story: StoryState) -> float:
    """The share of an article's names (weighted by how often it uses them) that its story already names."""
    total = shared = 0.0
    for term, weight in vector.items():
        if term[0] == NAME:
            total += weight
            if term in story.centroid:
                shared += weight
    return shared / total if total else 0.0


def defining_names_carried(vector: dict[str, float], story: StoryState) -> float:
    """The share of the story's defining names (those DEFINING_SHARE of its members name) the article names too."""
    if story._defining[0] != story.size:
        story._defining = (story.size, tuple(t for t, n in story.named.items() if n >= DEFINING_SHARE * story.size))
    defining = story._defining[1]
    return sum(1 for t in defining if t in vector) / len(defining) if defining else 0.0


def continues(vector: dict[str, float], story: StoryState) -> bool:
    """Whether a dated article days or weeks after a story may be its next event rather than another event of the
    same topic. Topic words do not tell them apart (the next vaccine approval after a vaccine pause shares them all);
    the parties do: the next round of talks names the same countries, envoys and venue, and most of what it names
    the story has named (CONTINUATION_NAMES of its name weight), including most of the names nearly every report of
    the story carries (CONTINUATION_DEFINING of them). Another event of the topic brings its own agency, company or
    place. Tuned on the raw roundups of April to mid-July 2021 and the sample corpus (see benchmarks/RESULTS.md)."""
    return (names_carried(vector, story) >= CONTINUATION_NAMES
            and defining_names_carried(vector, story) >= CONTINUATION_DEFINING)


def gap_days(published: date | None, story: StoryState) -> int:
    """Days between an article's date and the days its story spans (0 inside the span or when either is undated)."""
    if published is None or story.first_date is None or story.first_date <= published <= story.last_date:
        return 0
    return min(abs((published - story.first_date).days), abs((published - story.last_date).days))


def _threshold(given: float | None, undated: bool, mixed: bool) -> float:
    """The bar a score must clear: an undated article's average link has its own, as has a mixed score."""
    if given is not None:
        return given
    if mixed:
        return MIXED_UNDATED_JOIN_THRESHOLD if undated else MIXED_JOIN_THRESHOLD
    return UNDATED_JOIN_THRESHOLD if undated else JOIN_THRESHOLD


class StoryIndex:
    """The stories known so far, with an inverted index so a new article is scored only against
    stories that share one of its most distinctive terms (linear scans do not survive 10,000 articles).

    Memory grows with the stories, not with their articles: a story that has not grown while PACK_AFTER articles
    were placed is packed (see parallax.analysis.packed_terms), and the inverted index holds each story once per
    term in a flat array. Packing changes no score and no choice of candidates, only what they cost to hold."""

    PROBE_TERMS = 20
    MAX_CANDIDATES = 40
    EMBEDDING_CANDIDATES = 10
    PACK_AFTER = 1000

    def __init__(self, stories: list[StoryState], freqs: DocumentFrequencies, vocabulary: Vocabulary | None = None):
        self.stories = list(stories)
        self.freqs = freqs
        self.vocabulary = vocabulary or Vocabulary()  # that of the stories given packed, if any
        self.postings: dict[str, array] = {}  # term: positions of the stories whose centroid holds it
        # Name terms of stories of foreign articles only, the stories an English article is scored against by
        # names (English stories are not: in them the names are already words).
        self.foreign_postings: dict[str, set[int]] = {}
        self.position = {id(story): i for i, story in enumerate(self.stories)}
        # Centroid norms are the costly part of scoring; a norm is recomputed when its story grows or
        # when the corpus has grown by a tenth since (idf drifts slowly).
        self._norms: dict[int, tuple[float, int, int]] = {}
        self._name_norms: dict[int, tuple[dict[str, float], int, float]] = {}
        # The stories' embedding centroids (unit length), one row per story position: the stories nearest an
        # article's embedding are candidates too, since two reports of one event may share few distinctive words.
        self._embeddings = np.zeros((max(64, len(self.stories) * 2), 0), dtype=np.float32)
        self._retired: set[int] = set()  # stories set aside while their only article looks again (see recheck)
        self._reach = reach_days()
        # Each story's first and last day (proleptic ordinals, 0 when undated) by position: which stories a dated
        # article can reach, for all of them at once.
        self._first = np.zeros(max(64, len(self.stories) * 2), dtype=np.int64)
        self._last = np.zeros_like(self._first)
        self._placed = 0  # articles added so far
        self._growing: dict[int, int] = {}  # unpacked stories by position: when each last grew, oldest first
        for position, story in enumerate(self.stories):
            self._index(position, story, story.centroid)
            if not story.packed:
                self._growing[position] = 0

    def _index(self, position: int, story: StoryState, listed) -> None:
        """List a story under its new terms and take its new days and embedding."""
        if position >= len(self._first):
            self._first = np.concatenate([self._first, np.zeros_like(self._first)])
            self._last = np.concatenate([self._last, np.zeros_like(self._last)])
        if story.first_date is not None:
            self._first[position], self._last[position] = story.first_date.toordinal(), story.last_date.toordinal()
        for term in listed:
            self.postings.setdefault(term, array("i")).append(position)
        if story.embedding is not None:
            if self._embeddings.shape[1] == 0:
                self._embeddings = np.zeros((self._embeddings.shape[0], len(story.embedding)), dtype=np.float32)
            if position >= self._embeddings.shape[0]:
                grown = np.zeros((position * 2 + 1, self._embeddings.shape[1]), dtype=np.float32)
                grown[: self._embeddings.shape[0]] = self._embeddings
                self._embeddings = grown
            length = float(np.linalg.norm(story.embedding))
            self._embeddings[position] = story.embedding / length if length else 0.0
        if _foreign_only(story):
            for term in story.centroid:
                if is_comparable_term(term):
                    self.foreign_postings.setdefault(term, set()).add(position)

    def _grow(self, story: StoryState, vector: dict[str, float], published: date | None, vector_norm: float,
              foreign: bool, embedding: np.ndarray | None) -> None:
        """Add an article to a story, list the story under its new terms, and pack the stories that have not grown
        while PACK_AFTER articles were placed."""
        position = self.position[id(story)]
        self._index(position, story, story.add(vector, published, vector_norm, foreign, embedding))
        self._placed += 1
        self._growing.pop(position, None)
        self._growing[position] = self._placed
        while self._growing:
            idle = next(iter(self._growing))
            if self._growing[idle] > self._placed - self.PACK_AFTER:
                break
            del self._growing[idle]
            self.stories[idle].pack(self.vocabulary)

    def best(
        self,
        vector: dict[str, float],
        published: date | None,
        threshold: float | None = None,
        siblings: tuple[StoryState, ...] = (),
        foreign: bool = False,
        embedding: np.ndarray | None = None,
    ):
        """The story the article belongs to and its score, or (None, best score below threshold).

        ``siblings`` are the stories of articles split from the same input (the parts of a compilation file):
        they were published together, so an undated part is judged against them as a dated one would be.
        A ``foreign`` article (not in English) shares no words with English coverage: it is also scored by its
        names, actors and numbers alone, as is any article against a story of foreign articles only."""
        probe = sorted((t for t in vector if t[0] != NAME), key=lambda t: -vector[t] * self.freqs.idf(t))
        probe = probe[: self.PROBE_TERMS]
        reach = self._reach if threshold is None else reach_days(threshold)
        names: dict[str, float] | None = None
        by_names: list[int] = []
        if foreign or self.foreign_postings:
            names = name_vector(vector)
            name_probe = sorted(names, key=lambda t: -names[t] * self.freqs.idf(t))[: self.PROBE_TERMS]
            if foreign:
                probe += name_probe
            else:
                found = Counter(p for t in name_probe for p in self.foreign_postings.get(t, ()))
                foreign_only = (p for p, _n in found.most_common() if _foreign_only(self.stories[p])
                                and (published is None or gap_days(published, self.stories[p]) <= reach))
                by_names = list(islice(foreign_only, self.MAX_CANDIDATES))
        # Only the stories sharing the most of the article's distinctive terms are scored: on a large corpus a
        # common term is in thousands of centroids, and scoring them all costs minutes per thousand articles.
        candidates = set(self._most_shared(probe, published, reach)).union(by_names)
        # An undated article may be a rewrite sharing few distinctive words with its event's reports: the stories
        # nearest in meaning are candidates too. (A dated article's words and the time decay are enough, and the
        # product with every story's embedding would double the time of clustering a large dated corpus.)
        if embedding is not None and published is None and self._embeddings.shape[1]:
            near = self._embeddings[: len(self.stories)] @ embedding
            if len(near) > self.EMBEDDING_CANDIDATES:
                # argpartition's order among equals is not specified: the set is sorted before scoring anyway.
                near = np.argpartition(-near, self.EMBEDDING_CANDIDATES)[: self.EMBEDDING_CANDIDATES]
                candidates.update(int(p) for p in near)
            else:
                candidates.update(range(len(near)))
        sibling_positions = {self.position[id(s)] for s in siblings if id(s) in self.position}
        best, best_score, best_margin = None, 0.0, -1.0
        vector_norm = norm(vector, self.freqs)
        weighted = idf_weighted(vector, self.freqs)
        article = None  # the weighted terms by vocabulary ids, made for the first packed story met
        for position in sorted((candidates | sibling_positions) - self._retired):
            story = self.stories[position]
            if published is not None and gap_days(published, story) > reach:
                continue  # (no score can clear its bar: see reach_days)
            if story.packed and article is None:
                article = self.vocabulary.article(weighted)
            average = published is None and position not in sibling_positions
            if average:
                similarity = average_link(vector, story, self.freqs, vector_norm, weighted, article)
            else:
                centroid_norm = self._centroid_norm(position, story)
                similarity = cosine(vector, story.centroid, self.freqs, vector_norm, centroid_norm, weighted=weighted,
                                    article=article)
            words = similarity
            meaning = embedding_similarity(embedding, story, average)
            similarity = mix(similarity, meaning)
            needed = _threshold(threshold, average, meaning is not None)
            gap = gap_days(published, story)
            decay = 0.5 ** (gap / EVENT_SCALE_DAYS)
            score, margin = similarity * decay, similarity * decay - needed
            if gap:
                later = words * 0.5 ** (gap / TIME_SCALE_DAYS)
                # Only a report of the next day, or an article that carries the story's names, continues it (with
                # embeddings; without them the rule stays the one from before them, see above).
                bar = PLAIN_CONTINUATION_THRESHOLD if meaning is None else CONTINUATION_THRESHOLD
                if later - bar > margin and (
                    meaning is None or gap <= CONTINUATION_FREE_DAYS or continues(vector, story)
                ):
                    decay, score, margin = 0.5 ** (gap / TIME_SCALE_DAYS), later, later - bar
            if foreign or _foreign_only(story):
                if names is None:
                    names = name_vector(vector)
                by_name = self._name_similarity(names, position, story) * decay
                if by_name - NAME_JOIN_THRESHOLD > margin:
                    score, margin = by_name, by_name - NAME_JOIN_THRESHOLD
            # Scores under different thresholds are compared by how far each clears its own.
            if margin > best_margin:
                best, best_score, best_margin = story, score, margin
        return (best if best_margin >= 0 else None), best_score

    def _most_shared(self, probe: list[str], published: date | None, reach: int) -> list[int]:
        """The positions of the MAX_CANDIDATES stories sharing the most probe terms, of those a dated article can
        reach (``reach`` days from their span, see reach_days), the earliest opened first among equals. Stories
        out of reach compete for no place: at scale, years of stories share an article's common terms and would
        fill the places of its own event's. Which stories are loaded beyond those in reach then changes nothing,
        so an update of dated articles may load only the stories near their days (update._story_index)."""
        found = [np.frombuffer(self.postings[t], dtype=np.intc) for t in probe if t in self.postings]
        if not found:
            return []
        positions, counts = np.unique(np.concatenate(found), return_counts=True)
        if published is not None:
            first, last, day = self._first[positions], self._last[positions], published.toordinal()
            # (gap_days, for all of them at once)
            gap = np.where((first <= day) & (day <= last), 0, np.minimum(np.abs(day - first), np.abs(day - last)))
            kept = (first == 0) | (gap <= reach)
            positions, counts = positions[kept], counts[kept]
        if len(positions) > self.MAX_CANDIDATES:
            positions = positions[np.lexsort((positions, -counts))[: self.MAX_CANDIDATES]]
        return positions.tolist()

    def _name_similarity(self, names: dict[str, float], position: int, story: StoryState) -> float:
        if not names:
            return 0.0
        cached = self._name_norms.get(position)
        if cached is None or cached[1] != story.size:
            story_names = name_vector(story.centroid)
            cached = (story_names, story.size, norm(story_names, self.freqs, names=True))
            self._name_norms[position] = cached
        return cosine(names, cached[0], self.freqs, norm_b=cached[2], names=True)

    def _centroid_norm(self, position: int, story: StoryState) -> float:
        cached = self._norms.get(position)
        n_docs = self.freqs.n_docs
        if cached is None or cached[1] != story.size or n_docs > cached[2] * 1.1:
            cached = (norm(story.centroid, self.freqs), story.size, n_docs)
            self._norms[position] = cached
        return cached[0]

    def add(
        self,
        story: StoryState,
        vector: dict[str, float],
        published: date | None,
        foreign: bool = False,
        embedding: np.ndarray | None = None,
    ) -> None:
        """Put an article's vector into a story (new or known) and into the frequencies."""
        if id(story) not in self.position:
            self.position[id(story)] = len(self.stories)
            self.stories.append(story)
        self._grow(story, vector, published, member_norm(vector, self.freqs, foreign), foreign, embedding)
        self.freqs.add(vector)

    def recheck(self, placed: list[tuple[StoryState, dict[str, float], np.ndarray | None]]) -> list[StoryState]:
        """A second look, once every article of an update is placed, at each undated article still alone in the
        story it opened (given as (story, vector, embedding) in the order they were placed): the reports of its
        event may have arrived after it. It moves to the story it now clears the bar of, if any; its own story is
        then empty and set aside for good. Returns each article's story."""
        stories = []
        for story, vector, embedding in placed:
            position = self.position[id(story)]
            if story.size == 1 and story.first_date is None and position not in self._retired:
                self._retired.add(position)
                found, _score = self.best(vector, None, embedding=embedding)
                if found is not None:
                    story.size = 0
                    # Already in the frequencies: only the story it joins changes.
                    self._grow(found, vector, None, member_norm(vector, self.freqs), False, embedding)
                    stories.append(found)
                    continue
                self._retired.discard(position)
            stories.append(story)
        return stories


def place(
    index: StoryIndex,
    title: str,
    vector: dict[str, float],
    published: date | None,
    siblings: tuple[StoryState, ...] = (),
    foreign: bool = False,
    probe: dict[str, float] | None = None,
    embedding: np.ndarray | None = None,
) -> tuple[StoryState, bool]:
    """Put one article into the story it belongs to, or into a new one; returns (story, opened).

    ``probe``, when given, is what the story is chosen by instead of the article's own vector (the parts of an
    undated compilation together). The story is named after its most central article seen so far."""
    story, _score = index.best(probe or vector, published, siblings=siblings, foreign=foreign, embedding=embedding)
    opened = story is None
    if opened:
        story = StoryState(None, title, None, None)
    index.add(story, vector, published, foreign, embedding)
    centrality = cosine(vector, story.centroid, index.freqs)
    if centrality > story.title_score or story.size == 1:
        story.title, story.title_score = title, centrality
    return story, opened
