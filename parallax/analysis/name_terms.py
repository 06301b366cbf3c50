"""Name terms: what lets an article in another language or script join English coverage of the same story.

Capitalised words become name keys (`parallax.knowledge.names.name_stem`: transliterated, folded, case endings
dropped), so "Волостного" and "Volostny" meet; runs of them are looked up among known actors' aliases.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from parallax.analysis.stopwords import STOPWORDS
from parallax.knowledge.names import name_stem

# A capitalised word (Latin, Latin-1/Extended-A or Cyrillic capital first); hyphens split "Brevnia-Dravenia".
_CAPITALISED = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-ÞĀ-žЀ-ЯҐЄІЇ][\w'’]*")
_SENTENCE_END = frozenset(".!?:;\n\"“”«»„()[]")  # not dashes: "СТОЛГРАД — Бревния ..."


@lru_cache(maxsize=200_000)
def _name_key(word: str) -> str | None:
    word = word.rstrip("'’")
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if not 3 <= len(word) <= 40 or word.lower() in STOPWORDS:  # a 40-letter "name" is junk, not a name
        return None
    stem = name_stem(word)
    return stem if len(stem) >= 2 else None


def name_runs(text: str) -> list[list[tuple[str, bool]]]:
    """Runs of adjacent capitalised words ("Sergei Makarin"), each word as (name key, starts a sentence)."""
    runs: list[list[tuple[str, bool]]] = []
    last_end = -2
    for match in _CAPITALISED.finditer(text):
        key = _name_key(match.group())
        if key is None:
            last_end = -2
            continue
        start = match.start()
        before = text[max(0, start - 3) : start].rstrip()
        initial = not before or before[-1] in _SENTENCE_END
        if start == last_end + 1 and text[last_end] == " " and runs:
            runs[-1].append((key, initial))
        else:
            runs.append([(key, initial)])
        last_end = match.end()
    return runs


def name_terms(title: str, text: str) -> Counter:
    """Name keys of the capitalised words of title and text. A word that opens a sentence, and any title word
    (headlines are often in title case), counts only when the text also capitalises it mid-sentence: "Civilians"
    at the start of a sentence is not a name. German capitalises every noun; those keys rarely meet anything."""
    runs = name_runs(text)
    names = {key for run in runs for key, initial in run if not initial}
    counts = Counter(key for run in runs for key, _initial in run if key in names)
    for run in name_runs(title):
        counts.update(key for key, _initial in run if key in names)
    return counts


def run_actors(runs: list[list[tuple[str, bool]]], actor_keys: dict[tuple[str, ...], str]) -> set[str]:
    """Actors named by a run of name keys, found whole or by its last word (the surname). Keys are lossy: a lone
    word is looked up only when it is capitalised mid-sentence and its key is not too short ("Глава", "the head",
    at the start of a sentence has the key of a surname in the world pack)."""
    found = set()
    for run in runs:
        keys = tuple(key for key, _initial in run)
        candidates = [keys] if len(keys) > 1 else []
        if not run[-1][1] and len(keys[-1]) >= 4:
            candidates.append(keys[-1:])
        for candidate in candidates:
            if candidate in actor_keys:
                found.add(actor_keys[candidate])
                break
    return found


def actor_name_keys(aliases: list[tuple[str, str]]) -> dict[tuple[str, ...], str]:
    """(actor id, alias) pairs to the name keys that name one actor only: each alias whole, and its last word."""
    owners: dict[tuple[str, ...], set[str]] = {}
    for actor_id, alias in aliases:
        keys = tuple(k for k in (_name_key(w) for w in re.findall(r"[^\W\d_][\w'’]*", alias)) if k)
        for candidate in {keys, keys[-1:]} if keys else ():
            owners.setdefault(candidate, set()).add(actor_id)
    return {keys: next(iter(ids)) for keys, ids in owners.items() if len(ids) == 1}
