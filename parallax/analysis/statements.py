"""Statements: one utterance of one actor, as reported by every article that carried it.

Two quotes are the same statement when the speaker is the same actor, the dates are close, and the pair
model (parallax.analysis.statement_pairs) finds the wordings likely enough to report one utterance: shared
content words and rare words, one wording holding most of the other (a short report inside a longer direct
quote), a phrase one report quotes verbatim ("freeze the occupation") in the other's words, and the
sentence embeddings of the two for a paraphrase in indirect speech. A quote joins the statement holding its
likeliest same wording, whatever story its article landed in. Words are compared after light normalisation,
because the copies that matter most are machine rewrites: suffixes stripped ("freezes"/"freeze"), hyphens
dropped ("pre-conditions"), names keyed by their transliteration key ("Kesholm"/"Kessholm").

A quote whose speaker was not resolved (a pronoun or description the resolver could not tie to anyone),
or was resolved to a place ("Brevnia said"), may still join a person's statement of the same story when
its wording is close enough to leave no doubt (the same words, or the pair model quite sure): the outlet
printed the same utterance, only its attribution is vaguer. Those quotes never open a statement of their own.

Comparisons stay cheap at scale: a quote meets only its own speaker's statements, or for the rescue above
the statements of its own story, only those within a few days of it, and of those only the ones with a wording
that shares a content word with it (the pair model cannot join two wordings that share none, whatever their
embeddings say: ``PairModel.most_without_shared``), found through an index of their words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

import numpy as np

from parallax.analysis.statement_pairs import NUMBER_WORDS, PairModel, features, model, opposite
from parallax.knowledge.names import alias_key

MAX_DAYS_APART = 3
VAGUE_SPEAKER_KINDS = frozenset({"place", "other"})  # "Brevnia said": a country stands in for its spokesman

# Another (or no) resolved speaker: the wording alone must leave no doubt.
RESCUE_SHARED = 5
RESCUE_JACCARD = 0.5
RESCUE_CONTAINMENT = 0.7

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]{3,300})[\"“”«»]|(?:^|(?<=\s))‘([^‘’]{3,300})’")

# Function words: dropped from the content terms but kept in the word sequence, so a quoted phrase
# ("freeze the occupation") is still found as a run of words. Negations and numbers are content: "will"
# and "will not" are different statements.
_FUNCTION_WORDS = """
    a an the this that these those which who whom whose what it its it's they them their we us our you your
    i me my he him his she her hers and or but nor so yet if then than as of at by for from in into on onto
    to with within without about over under up down out off be am is are was were been being have has had
    do does did will would shall should can could may might must there here also very just only such
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
# "without" counts: "with no preconditions" and "without preconditions" are one claim, not opposite ones.
_NEGATIONS = (
    "not no never nothing none nobody neither nor cannot can't don't doesn't didn't won't isn't aren't wasn't "
    "weren't hasn't haven't wouldn't shouldn't couldn't without"
)
NEGATIONS = frozenset(_NEGATIONS.split())

# Synonyms a rewriting aggregator swaps in for the function word it read.
_SAME_WORD = {"which": "that", "whom": "who", "shall": "will"}


def _stem(word: str) -> str:
    """A light suffix stripper: enough to meet "freezes"/"freeze", "opened"/"open", "signing"/"sign"."""
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                stem += "y"
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
                stem = stem[:-1]  # "stopped" -> "stop"
            return stem
    return word


@lru_cache(maxsize=65536)
def normalise(token: str) -> str:
    """The comparison form of a word. Every content word goes through the name key, not only capitalised
    ones: a sentence-initial "Buses" must meet "buses", and a garbled "Kesholm" must meet "Kessholm"."""
    bare = token.replace("-", "").replace("’", "'").lower()
    bare = bare.removesuffix("'s")
    bare = _SAME_WORD.get(bare, bare)
    if bare in FUNCTION_WORDS or bare.isdigit():
        return bare
    bare = bare.replace("'", "")  # "o'clock"
    return _stem(alias_key(bare) or bare)


_NEGATED = frozenset(normalise(w) for w in NEGATIONS)
NUMBER_TERMS = frozenset(normalise(w) for w in NUMBER_WORDS)


@dataclass(frozen=True)
class Wording:
    """One outlet's wording of a statement, normalised for comparison."""

    text: str
    words: tuple[str, ...]  # every word, normalised, in order
    terms: frozenset[str]  # the content words among them
    fragments: tuple[str, ...]  # phrases the report itself puts in quotation marks, as " word word "
    negated: bool = False
    article_id: int | None = None
    story_id: int | None = None
    kind: str | None = None  # direct, mixed or indirect
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)  # the sentence embedding

    @cached_property
    def joined(self) -> str:
        return " " + " ".join(self.words) + " "


def wording(
    text: str,
    article_id: int | None = None,
    story_id: int | None = None,
    kind: str | None = None,
    vector: np.ndarray | None = None,
) -> Wording:
    text = text or ""
    found = _split_texts.get(text) if _split_texts else None
    return Wording(text, *(found or _split(text)), article_id, story_id, kind, vector)


def _split(text: str) -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...], bool]:
    """A text's words, content terms, quoted fragments and whether it is negated (the fields of its Wording)."""
    raw = _WORD.findall(text)
    words = tuple(normalise(w) for w in raw)
    negated = not _NEGATED.isdisjoint(words)
    terms = frozenset(w for w in words if w not in FUNCTION_WORDS)
    fragments = []
    for match in _QUOTED.finditer(text):
        inner = [normalise(w) for w in _WORD.findall(match.group(1) or match.group(2))]
        # A phrase short of two words, or of any content word, says nothing about which statement it is.
        if len(inner) >= 2 and any(w not in FUNCTION_WORDS for w in inner) and len(inner) < len(words):
            fragments.append(" " + " ".join(inner) + " ")
    return words, terms, tuple(fragments), negated


_split_texts: dict[str, tuple] = {}  # while texts_split_once() is in force: its texts, split


@contextmanager
def texts_split_once(texts: Iterable[str]) -> Iterator[None]:
    """Within this block, these texts are split into words once, however many wordings are made of them (an
    update looks at each quote twice before placing it: which statements it may meet, and whether its embedding
    could decide a match)."""
    global _split_texts
    outer = _split_texts
    _split_texts = {**outer, **{text: _split(text) for text in texts}}
    try:
        yield
    finally:
        _split_texts = outer


def likeness(a: Wording, b: Wording, pair_model: PairModel | None = None) -> float:
    """How surely two wordings of one speaker report the same utterance (a probability), 0 when they share
    neither a content word nor much meaning."""
    # A negation one short wording has and the other lacks is its claim: too rare in the labels to be learned.
    if opposite(a, b) or (not (a.terms & b.terms) and (a.vector is None or b.vector is None)):
        return 0.0
    return (pair_model or model()).probability(features(a, b, NUMBER_TERMS))


def likeness_ceiling(a: Wording, b: Wording, pair_model: PairModel | None = None) -> float:
    """The highest likeness two wordings could reach whatever their embeddings say: when it is under the
    threshold their words already decide, and embedding them would change nothing."""
    if opposite(a, b):
        return 0.0
    pair_model = pair_model or model()
    # the model is linear in the cosine, so one of its two ends gives the highest probability
    return max(pair_model.probability(features(a, b, NUMBER_TERMS, cosine)) for cosine in (-1.0, 1.0))


def may_reach(a: Wording, b: Wording, threshold: float, pair_model: PairModel) -> bool:
    """Whether two wordings could be likened at ``threshold`` or above: wordings sharing no content term cannot
    when the model's best for them is lower, and one set test then spares computing their features (most of a
    speaker's wordings in a few days share no word with a given quote)."""
    return not a.terms.isdisjoint(b.terms) or not pair_model.needs_shared_term(threshold)


def unmistakable(a: Wording, b: Wording) -> float:
    """Likeness strong enough to join wordings whose speakers differ or are unknown: 0 when it is not."""
    shared = len(a.terms & b.terms)
    if shared < RESCUE_SHARED or opposite(a, b):
        return 0.0
    jaccard = shared / len(a.terms | b.terms)
    containment = shared / min(len(a.terms), len(b.terms))
    if jaccard >= RESCUE_JACCARD or containment >= RESCUE_CONTAINMENT:
        return max(jaccard, containment * 0.9)
    return 0.0


def close_in_time(a: date | None, b: date | None, days: int = MAX_DAYS_APART) -> bool:
    return a is None or b is None or abs((a - b).days) <= days


@dataclass(eq=False)
class StatementState:
    id: int | None
    actor_id: str
    said_on: date | None
    text: str
    wordings: list[Wording] = field(default_factory=list)
    # Wordings loaded from the store as (text, article_id, story_id, kind, vector), normalised only when first
    # compared: most stored statements are never candidates for the quotes of one update. (A sixth item, the
    # quote id, is not needed here; a vector may be float16 as stored, compared as float32 like the others.)
    stored: list[tuple] = field(default_factory=list)

    def all_wordings(self) -> list[Wording]:
        if self.stored:
            self.wordings[:0] = [
                wording(*raw[:4], None if raw[4] is None else np.asarray(raw[4], dtype=np.float32))
                for raw in self.stored
            ]
            self.stored = []
        return self.wordings

    @property
    def story_ids(self) -> set[int]:
        found = {w.story_id for w in self.wordings} | {raw[2] for raw in self.stored}
        return {story for story in found if story is not None}

    @property
    def article_ids(self) -> set[int | None]:
        return {w.article_id for w in self.wordings} | {raw[1] for raw in self.stored}

    @property
    def texts(self) -> list[str]:
        return [w.text for w in self.all_wordings()]


class TermPostings:
    """For a list of worded things, the positions of those with each content term: what shares a word with a
    quote, in the list's order."""

    def __init__(self) -> None:
        self._positions: dict[str, list[int]] = {}

    def add(self, position: int, terms: frozenset[str]) -> None:
        for term in terms:
            self._positions.setdefault(term, []).append(position)

    def sharing(self, terms: frozenset[str]) -> list[int]:
        found: set[int] = set()
        for term in terms:
            found.update(self._positions.get(term, ()))
        return sorted(found)


class Listing:
    """The statements filed under one speaker or one story, in the order they were filed, and which of them have
    a wording with a given content term: a quote meets only those sharing a word with it when the pair model
    cannot join wordings that share none (see ``may_reach``). A backfill's most quoted speaker has tens of
    thousands of statements, of which a quote shares a word with one in fourteen."""

    def __init__(self) -> None:
        self.statements: list[StatementState] = []
        self._position: dict[int, int] = {}  # id() of a listed statement: where it stands in the list
        self._terms: TermPostings | None = None  # made on the first question: most listings are never asked

    def add(self, statement: StatementState) -> bool:
        """List a statement; False when it already is."""
        if id(statement) in self._position:
            return False
        self._position[id(statement)] = len(self.statements)
        self.statements.append(statement)
        if self._terms is not None:
            for w in statement.all_wordings():
                self._terms.add(len(self.statements) - 1, w.terms)
        return True

    def worded(self, statement: StatementState, new: Wording) -> None:
        """A listed statement got another wording."""
        if self._terms is not None:
            self._terms.add(self._position[id(statement)], new.terms)

    def sharing(self, terms: frozenset[str]) -> list[StatementState]:
        """The listed statements with a wording that has one of these terms, in the list's order."""
        if self._terms is None:
            self._terms = TermPostings()
            for position, statement in enumerate(self.statements):
                for w in statement.all_wordings():
                    self._terms.add(position, w.terms)
        return [self.statements[position] for position in self._terms.sharing(terms)]


class StatementIndex:
    """Statements grouped by actor and by story, so a new quote meets only the statements it could be."""

    def __init__(self, statements: list[StatementState] = (), pair_model: PairModel | None = None):
        self.model = pair_model or model()
        self.by_actor: dict[str, Listing] = {}
        self.by_story: dict[int, Listing] = {}
        self._listed_in: dict[int, list[Listing]] = {}  # id() of a statement: the listings it is in
        # the articles whose wordings the statements filed under a story hold: a rescue needs another article's
        # wording, and a long transcript's thousands of unresolved quotes meet only their own article's
        self.story_articles: dict[int, set[int | None]] = {}
        for statement in statements:
            self._file(statement)

    def _file(self, statement: StatementState, story_id: int | None = None, new: Wording | None = None) -> None:
        """List a statement under its speaker and stories, ``new`` being the wording it just got."""
        listed = self._listed_in.setdefault(id(statement), [])
        if new is not None:
            for listing in listed:
                listing.worded(statement, new)
        articles = statement.article_ids
        keys = [self.by_actor.setdefault(statement.actor_id, Listing())]
        for story in statement.story_ids | ({story_id} if story_id is not None else set()):
            keys.append(self.by_story.setdefault(story, Listing()))
            self.story_articles.setdefault(story, set()).update(articles)
        listed.extend(listing for listing in keys if listing.add(statement))

    def _candidates(self, listing: Listing | None, quote: Wording, threshold: float) -> list[StatementState]:
        """The statements of a listing the quote could reach ``threshold`` with, in the listing's order."""
        if listing is None:
            return []
        if self.model.needs_shared_term(threshold):
            return listing.sharing(quote.terms)
        return listing.statements

    def _rescue(self, quote: Wording, other: Wording, threshold: float) -> float:
        """Likeness across speakers: the same words beyond doubt, or the pair model quite sure."""
        likely = likeness(quote, other, self.model)
        return max(unmistakable(quote, other), likely if likely >= threshold else 0.0)

    def place(
        self,
        actor_id: str | None,
        text: str,
        said_on: date | None,
        *,
        article_id: int | None = None,
        story_id: int | None = None,
        firm_speaker: bool = True,
        among: set[int] | None = None,
        into: frozenset[str] | set[str] | None = None,
        kind: str | None = None,
        vector: np.ndarray | None = None,
    ) -> tuple[StatementState | None, bool]:
        """The statement this quote belongs to, and whether it is new.

        ``actor_id`` None (an unresolved speaker) or ``firm_speaker`` False (a speaker resolved only to a
        place) lets an unmistakable wording of another speaker's statement in the same story take it; an
        unresolved quote that matches nothing returns (None, False). ``among`` limits that rescue to the
        given statements (by id()), for quotes retried against what changed since they were first seen;
        ``into`` limits it to statements of those actors (a speaker the engine only knows from the corpus,
        often a garbled name, may join a pack actor's statement, never another corpus actor's). ``kind`` and
        ``vector`` (the wording's sentence embedding) feed the pair model; without a vector only words count.
        """
        quote = wording(text, article_id, story_id, kind, vector)
        best, best_score = None, 0.0
        if actor_id is not None:
            threshold = self.model.threshold
            for statement in self._candidates(self.by_actor.get(actor_id), quote, threshold):
                if close_in_time(statement.said_on, said_on):
                    # Its likeliest wording decides (single link): the average over a statement's wordings
                    # measured no better on BASIL, and a short report meets only the one sentence it carries.
                    score = max(
                        (likeness(quote, w, self.model) for w in statement.all_wordings()
                         if may_reach(quote, w, threshold, self.model)),
                        default=0.0,
                    )
                    if score >= threshold and score > best_score:
                        best, best_score = statement, score
        # A vague speaker's own statements do not stop the rescue: "Trump", a name only the corpus knows, is
        # as likely the pack's Donald Trump as someone of his own.
        if (actor_id is None or not firm_speaker) and story_id is not None and (
            article_id is None or self.story_articles.get(story_id, set()) - {article_id}
        ):
            rescue = self.model.rescue_threshold
            for statement in self._candidates(self.by_story.get(story_id), quote, rescue):
                if statement.actor_id == actor_id or not close_in_time(statement.said_on, said_on):
                    continue
                if (among is not None and id(statement) not in among) or (
                    into is not None and statement.actor_id not in into
                ):
                    continue
                # Only another outlet's wording vouches for a vague speaker: two quotes of one article that
                # look alike are as likely two speakers answering each other.
                # (a pair that cannot reach the rescue threshold is no rescue: unmistakable wordings share terms)
                others = (w for w in statement.all_wordings() if (article_id is None or w.article_id != article_id)
                          and may_reach(quote, w, rescue, self.model))
                score = max((self._rescue(quote, w, rescue) for w in others), default=0.0)
                if score > best_score:
                    best, best_score = statement, score
        if best is not None:
            best.wordings.append(quote)
            self._file(best, story_id, quote)
            return best, False
        if actor_id is None:
            return None, False
        statement = StatementState(None, actor_id, said_on, text, [quote])
        self._file(statement, story_id)
        return statement, True
