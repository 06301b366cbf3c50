"""Framing: how each camp words a story.

* Loaded terms from the lexicon ("special military operation", "occupied territories"), counted per camp in
  the outlet's own voice and inside quotes separately: an outlet quoting a minister's "regime" is not an outlet
  calling it a regime.
* Wording only one camp uses: two- and three-word phrases found in two or more articles of one camp and in no
  article of another; this finds a corpus's own loaded terms without a lexicon.
* Spelling choices per outlet: the lexicon's competing spellings (Kyiv/Kiev), and the spellings of each
  resolved name that outlets write differently (Zarechensk/Zarichensk).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from parallax.analysis.stopwords import STOPWORDS
from parallax.knowledge.framing import Lexicon
from parallax.knowledge.names import fold

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_QUOTED = re.compile(r"\"[^\"\n]{1,600}\"|“[^”\n]{1,600}”|‘[^’\n]{1,300}’")
MAX_DISTINCT = 6


@dataclass(frozen=True)
class TermUse:
    term: str
    camp: str
    own_voice: int  # occurrences outside any quote
    in_quotes: int
    article_ids: tuple[int, ...]


@dataclass(frozen=True)
class Spelling:
    name: str  # the canonical name, or the lexicon's first spelling
    outlet: str
    camp: str
    forms: tuple[tuple[str, int], ...]  # spelling, occurrences
    article_ids: tuple[int, ...]


def quoted_spans(text: str, quote_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stored quote spans plus anything between quote marks (a phrase quoted but not attributed)."""
    return sorted([*quote_spans, *((m.start(), m.end()) for m in _QUOTED.finditer(text))])


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


@lru_cache(maxsize=1024)
def _pattern(term: str) -> re.Pattern:
    words = [re.escape(w) for w in re.split(r"[\s-]+", term.strip()) if w]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?![\w-])", re.IGNORECASE)


# The characters that re.IGNORECASE matches to an ASCII letter but str.lower() does not lower to that one letter.
_IGNORECASE_EXTRAS = str.maketrans({"ı": "i", "ſ": "s", "İ": "i"})


def _lowered(text: str) -> str:
    return text.translate(_IGNORECASE_EXTRAS).lower()


@lru_cache(maxsize=1024)
def _needles(term: str) -> tuple[str, ...]:
    """Words that must each appear in a text (lowered by _lowered) for _pattern(term) to match it; none when the
    term is not ASCII, whose case-insensitive matches this check could miss."""
    words = [w for w in re.split(r"[\s-]+", term.strip()) if w]
    return tuple(w.lower() for w in words) if all(w.isascii() for w in words) else ()


def _findall(term: str, text: str, lowered: str) -> list[str]:
    # Most terms of a lexicon are absent from most articles: a substring test rules them out far faster than the
    # regex, whose look-behind makes it try every position of the text.
    if any(word not in lowered for word in _needles(term)):
        return []
    return _pattern(term).findall(text)


def term_uses(articles: list[dict], camp_of: dict[int, str], quotes: dict[int, list[tuple[int, int]]], lexicon: Lexicon):
    """Lexicon terms by camp (articles are dicts with id and text; camp_of maps article id to its camp)."""
    counts: dict[tuple[str, str], list] = {}
    lowered = {a["id"]: _lowered(a["text"]) for a in articles}
    spans_of: dict[int, list[tuple[int, int]]] = {}
    for term in lexicon.terms:
        pattern = _pattern(term.term)
        needles = _needles(term.term)
        for a in articles:
            if any(word not in lowered[a["id"]] for word in needles):
                continue
            for match in pattern.finditer(a["text"]):
                spans = spans_of.get(a["id"])
                if spans is None:
                    spans = spans_of[a["id"]] = quoted_spans(a["text"], quotes.get(a["id"], []))
                entry = counts.setdefault((term.term, camp_of[a["id"]]), [0, 0, set()])
                entry[1 if _inside(match.start(), spans) else 0] += 1
                entry[2].add(a["id"])
    uses = [TermUse(term, camp, own, quoted, tuple(sorted(ids))) for (term, camp), (own, quoted, ids) in counts.items()]
    return sorted(uses, key=lambda u: (u.camp, -(u.own_voice + u.in_quotes), u.term))


def _phrases(text: str) -> Counter:
    found: Counter = Counter()
    for line in text.split("\n"):
        words = _WORD.findall(line)
        if len(words) < 2:
            continue
        lower = [w.lower() for w in words]
        # A phrase starts and ends with a word that is neither a stop word nor short, and has no short word.
        short = [len(w) < 3 for w in lower]
        edge = [s or w in STOPWORDS for w, s in zip(lower, short)]
        capital = [w[:1].isupper() for w in words]
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                last = i + n - 1
                if edge[i] or edge[last] or (n == 3 and short[i + 1]):
                    continue
                if capital[i] and capital[last] and (n == 2 or capital[i + 1]):
                    continue  # a name, not a way of putting things
                found[" ".join(lower[i : i + n])] += 1
    return found


# Pure, and asked again for every article of a story each time its briefing is rebuilt (after each ingest).
# Callers must not change the Counter they get.
@lru_cache(maxsize=512)
def _article_phrases(text: str, mentions: tuple[tuple[int, int, str], ...]) -> Counter:
    return _phrases(_without_names(text, mentions))


def _without_names(text: str, mentions) -> str:
    # A phrase running into a name ("spokesman Dmitri") is about who, not how: names break phrases.
    chars = list(text)
    for start, end, _actor in mentions:
        chars[start:end] = "\n" * (end - start)
    return "".join(chars)


def distinctive_wording(
    articles: list[dict], camp_of: dict[int, str], mentions: dict[int, list[tuple[int, int, str]]] | None = None
) -> dict[str, list[tuple[str, int, tuple[int, ...]]]]:
    """Per camp: (phrase, occurrences, article ids) for phrases only that camp's articles use, in two or more."""
    mentions = mentions or {}
    per_article = {
        a["id"]: _article_phrases(a["text"], tuple(tuple(m) for m in mentions.get(a["id"], ()))) for a in articles
    }
    camps_using: dict[str, set[str]] = defaultdict(set)
    articles_using: dict[str, list[int]] = defaultdict(list)
    for article_id, phrases in per_article.items():
        for phrase in phrases:
            camps_using[phrase].add(camp_of[article_id])
            articles_using[phrase].append(article_id)
    result: dict[str, list] = defaultdict(list)
    for phrase, camps in camps_using.items():
        ids = articles_using[phrase]
        if len(camps) == 1 and len(ids) >= 2:
            total = sum(per_article[i][phrase] for i in ids)
            result[next(iter(camps))].append((phrase, total, tuple(sorted(ids))))
    for camp, found in result.items():
        found.sort(key=lambda p: (-len(p[2]), -p[1], p[0]))
        # A longer phrase makes its own parts redundant ("special security operation" over "security operation").
        kept: list = []
        for phrase in found:
            if len(kept) == MAX_DISTINCT:
                break
            if not any(phrase[0] in other[0] or other[0] in phrase[0] for other in kept):
                kept.append(phrase)
        result[camp] = kept[:MAX_DISTINCT]
    return dict(result)


def spelling_choices(
    articles: list[dict],
    camp_of: dict[int, str],
    mentions: dict[int, list[tuple[int, int, str]]],
    actor_names: dict[str, str],
    lexicon: Lexicon,
) -> list[Spelling]:
    """Per outlet, the spellings it uses of names that outlets write differently (articles carry an outlet)."""
    forms: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (name, outlet) -> spelling counts
    ids: dict[tuple[str, str], set[int]] = defaultdict(set)
    outlet_of = {a["id"]: a["outlet"] or "unknown outlet" for a in articles}
    for a in articles:
        text = a["text"]
        lowered = _lowered(text)
        for start, end, actor_id in mentions.get(a["id"], []):
            written = text[start:end].split()
            if not written or not written[-1][:1].isupper():
                continue  # pronouns and descriptions are not spellings
            key = (actor_names.get(actor_id, actor_id), outlet_of[a["id"]])
            forms[key][written[-1].strip(".,;:'’\"").removesuffix("'s").removesuffix("’s")] += 1
            ids[key].add(a["id"])
        for group in lexicon.spellings:
            for spelling in group:
                n = len(_findall(spelling, text, lowered))
                if n:
                    key = (group[0], outlet_of[a["id"]])
                    forms[key][spelling] += n
                    ids[key].add(a["id"])
    # Only names written in more than one way across the story are a choice; a derived form ("Brevnian" from
    # "Brevnia") is the same spelling.
    by_name: dict[str, set[str]] = defaultdict(set)
    for (name, outlet), counter in forms.items():
        forms[(name, outlet)] = counter = _base_forms(counter)
        by_name[name] |= {_fold(s) for s in counter}
    camp_by_outlet = {outlet_of[i]: camp_of[i] for i in outlet_of}
    choices = [
        Spelling(name, outlet, camp_by_outlet.get(outlet, ""), tuple(counter.most_common()), tuple(sorted(ids[(name, outlet)])))
        for (name, outlet), counter in forms.items()
        if len(_base_forms(Counter(by_name[name]))) > 1
    ]
    return sorted(choices, key=lambda s: (s.name, s.camp, s.outlet))


def _base_forms(counter: Counter) -> Counter:
    merged: Counter = Counter()
    for form in sorted(counter, key=len):
        folded = _fold(form)
        base = next((b for b in merged if folded.startswith(_fold(b))), None)
        merged[base or form] += counter[form]
    return merged


@lru_cache(maxsize=8192)
def _fold(name: str) -> str:
    return fold(name)  # the same few spellings are compared with each other over and over
