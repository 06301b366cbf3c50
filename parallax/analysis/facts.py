"""Facts of a story: sentences grouped across articles when they report the same thing, so a briefing can tell
what two or more camps report from what one camp alone says.

A sentence is compared through its content words, with every resolved name replaced by its actor: "Zarichensk"
and "Zarechensk", or a machine-garbled "Holtwik", then count as the same word. Extractive: a fact is shown by the
wording of one of its sentences and cites every article that carried one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from parallax.analysis.stories import terms

MIN_TERMS = 5  # shorter sentences ("He declined to comment.") say too little to be a fact
MAX_SENTENCE = 600  # characters; longer "sentences" are unsplit junk
JACCARD_MIN = 0.34
CONTAINMENT_MIN = 0.6

_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class Sentence:
    article_id: int
    start: int
    end: int
    text: str
    keys: frozenset[str]


@dataclass(frozen=True)
class Fact:
    text: str  # the wording shown: the sentence of the earliest article that carried it
    article_ids: tuple[int, ...]
    camps: tuple[str, ...]
    wordings: tuple[tuple[int, str], ...]  # (article id, sentence) for every article that carried it


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed; paragraphs never run into each other."""
    spans, start = [], 0
    for match in _END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    found = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b - a > 0:
            found.append((a, b))
    return found


def article_sentences(article_id: int, text: str, mentions: list[tuple[int, int, str]]) -> list[Sentence]:
    """Sentences of one article with their comparison keys; ``mentions`` are (start, end, actor_id)."""
    return list(_article_sentences(article_id, text, tuple(sorted(tuple(m) for m in mentions))))


# A stored article's sentences do not change, and a story's briefing is rebuilt after every ingest that touches
# it: its older articles need not be split and keyed again.
@lru_cache(maxsize=512)
def _article_sentences(article_id: int, text: str, ordered: tuple[tuple[int, int, str], ...]) -> tuple[Sentence, ...]:
    found = []
    starts = [a for a, _b, _actor in ordered]
    for start, end in split_sentences(text):
        if end - start > MAX_SENTENCE:
            continue
        inside = []
        for i in range(bisect_left(starts, start), len(ordered)):
            a, b, actor = ordered[i]
            if a > end:
                break
            if b <= end:
                inside.append((a, b, actor))
        pieces, cursor = [], start
        for a, b, _actor in inside:
            pieces.append(text[cursor:a])
            cursor = max(cursor, b)
        pieces.append(text[cursor:end])
        keys = set(terms(" ".join(pieces))) | {"@" + actor for _a, _b, actor in inside}
        if len(keys) >= MIN_TERMS:
            found.append(Sentence(article_id, start, end, text[start:end], frozenset(keys)))
    return tuple(found)


def same_fact(a: frozenset[str], b: frozenset[str]) -> bool:
    return _same(len(a & b), len(a), len(b))


def _same(shared: int, size_a: int, size_b: int) -> bool:
    # The sizes of the union and the smaller set follow from the counts: grouping compares every sentence with
    # many groups, and building the union each time cost more than the comparison.
    if not shared:
        return False
    smaller = min(size_a, size_b)
    return shared / (size_a + size_b - shared) >= JACCARD_MIN or (
        smaller >= MIN_TERMS and shared / smaller >= CONTAINMENT_MIN
    )


def group_facts(sentences: list[Sentence]) -> list[list[Sentence]]:
    """Groups of sentences reporting the same thing, sentences of one article never grouped twice."""
    groups: list[list[Sentence]] = []
    group_articles: list[set[int]] = []
    # Each sentence is compared with a group's first sentence only: chaining through members would let a story's
    # facts run together into one. So only first sentences are indexed, and the keys a sentence shares with
    # each of them are counted in one pass instead of intersecting sets group by group.
    heads: dict[str, list[int]] = defaultdict(list)
    for sentence in sentences:
        shared = Counter(chain.from_iterable(heads[key] for key in sentence.keys if key in heads))
        home = None
        size = len(sentence.keys)
        for g in sorted(shared):
            if sentence.article_id in group_articles[g]:
                continue
            if _same(shared[g], size, len(groups[g][0].keys)):
                home = g
                break
        if home is None:
            home = len(groups)
            groups.append([])
            group_articles.append(set())
            for key in sentence.keys:
                heads[key].append(home)
        groups[home].append(sentence)
        group_articles[home].add(sentence.article_id)
    return groups


def story_facts(
    articles: list[dict], mentions: dict[int, list[tuple[int, int, str]]], camps_of: dict[int, tuple[str, ...]]
) -> list[Fact]:
    """Facts of a story's articles (dicts with id and text, oldest first); ``camps_of`` gives the camps that
    carried each article (a copy carried by another outlet adds that outlet's camp)."""
    sentences = [s for a in articles for s in article_sentences(a["id"], a["text"], mentions.get(a["id"], []))]
    facts = []
    for group in group_facts(sentences):
        ids = tuple(dict.fromkeys(s.article_id for s in group))
        camps = tuple(sorted({c for i in ids for c in camps_of.get(i, ())}))
        facts.append(Fact(group[0].text, ids, camps, tuple((s.article_id, s.text) for s in group)))
    return facts


def salience(facts: list[Fact], articles: list[dict]) -> dict[int, float]:
    """How central each fact is to the story: the mean share of the story's articles using its words."""
    df: Counter = Counter()
    for a in articles:
        df.update(_term_set(a["text"]))
    n = max(len(articles), 1)
    scores = {}
    for i, fact in enumerate(facts):
        words = _term_set(fact.text)
        scores[i] = sum(df[w] for w in words) / (n * len(words)) if words else 0.0
    return scores


@lru_cache(maxsize=4096)
def _term_set(text: str) -> frozenset[str]:
    # Pure, and asked again for the same articles and sentences on every rebuild of a story's briefing.
    return frozenset(terms(text))


def shared_and_single(
    facts: list[Fact], articles: list[dict], limit_shared: int = 12, limit_single: int = 6
) -> tuple[list[Fact], dict[str, list[Fact]]]:
    """Facts reported by two or more camps (most camps and articles first), and per camp the facts only it
    reports (those repeated by several of its articles, then the most central to the story)."""
    score = salience(facts, articles)
    order = sorted(range(len(facts)), key=lambda i: (-len(facts[i].camps), -len(facts[i].article_ids), -score[i]))
    shared = [facts[i] for i in order if len(facts[i].camps) >= 2][:limit_shared]
    single: dict[str, list[Fact]] = defaultdict(list)
    for i in sorted(range(len(facts)), key=lambda i: (-len(facts[i].article_ids), -score[i])):
        fact = facts[i]
        if len(fact.camps) == 1 and len(single[fact.camps[0]]) < limit_single:
            single[fact.camps[0]].append(fact)
    return shared, dict(single)
