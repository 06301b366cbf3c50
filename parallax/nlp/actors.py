"""Resolution of in-article entities to canonical actors across the whole corpus.

Order of evidence: exact key (which already absorbs ordinary transliteration variants), then surname for
a person named by surname only, then fuzzy and phonetic matching for garbled spellings. A wrong link puts
words in someone else's mouth, so fuzzy links need both a close surname and a compatible first name, and a
clear margin over the next candidate; otherwise the entity becomes a corpus actor of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import jellyfish
from rapidfuzz import fuzz, process

from parallax.knowledge.names import alias_key
from parallax.knowledge.registry import Registry
from parallax.model import Actor, Analysis, Entity

SURNAME_MIN = 80  # rapidfuzz ratio: one or two letters wrong in a surname of six or more letters
SCORE_MIN = 78
MARGIN = 6


@dataclass(frozen=True)
class Resolution:
    actor_of: dict[int, str | None]  # Entity.id -> Actor.id
    new_actors: tuple[Actor, ...]
    new_aliases: tuple[tuple[str, str, str], ...]  # actor id, alias as written, its key


def resolve(analysis: Analysis, registry: Registry) -> Resolution:
    """Link every entity of one article to an actor, creating corpus actors for unknown names.

    The registry is updated in place so that the next article sees the actors and variants found here.
    """
    actor_of: dict[int, str | None] = {}
    new_actors: list[Actor] = []
    new_aliases: list[tuple[str, str, str]] = []
    for entity in analysis.entities:
        key = alias_key(entity.name)
        if not key:
            actor_of[entity.id] = None
            continue
        actor_id = _lookup(entity, key, registry)
        if actor_id is None:
            actor = Actor(
                id=registry.new_id(entity.name), name=entity.name, kind=entity.kind, gender=entity.gender
            )
            registry.add(actor)
            new_actors.append(actor)
            new_aliases.append((actor.id, entity.name, key))
            actor_id = actor.id
        elif actor_id not in registry.by_key.get(key, ()):
            registry.add_alias(actor_id, entity.name)
            new_aliases.append((actor_id, entity.name, key))
        actor_of[entity.id] = actor_id
    return Resolution(actor_of, tuple(new_actors), tuple(new_aliases))


def _lookup(entity: Entity, key: str, registry: Registry) -> str | None:
    exact = registry.by_key.get(key)
    if exact:
        return _prefer(entity, exact, registry)
    tokens = key.split()
    if len(tokens) == 1:
        if entity.kind == "person":
            owners = registry.by_surname.get(tokens[0])
            if owners and len(owners) == 1:
                return next(iter(owners))
        return _fuzzy_single(tokens[0], registry)
    return _fuzzy_full(tokens, registry)


def _prefer(entity: Entity, ids: set[str], registry: Registry) -> str | None:
    if len(ids) == 1:
        return next(iter(ids))
    same_kind = sorted(i for i in ids if registry.actors[i].kind == entity.kind)
    # Two different actors share this exact name: without more context a link would be a guess.
    return same_kind[0] if len(same_kind) == 1 else None


def _fuzzy_full(tokens: list[str], registry: Registry) -> str | None:
    key = " ".join(tokens)
    best: dict[str, float] = {}
    for candidate, _, index in process.extract(
        key, registry.keys, scorer=fuzz.ratio, score_cutoff=60, limit=8
    ):
        other = candidate.split()
        score = _name_score(tokens, other)
        owner = registry.key_owner[index]
        if score >= SCORE_MIN and score > best.get(owner, 0):
            best[owner] = score
    return _clear_winner(best)


def _name_score(a: list[str], b: list[str]) -> float:
    surname = fuzz.ratio(a[-1], b[-1])
    if jellyfish.metaphone(a[-1]) == jellyfish.metaphone(b[-1]):
        surname = max(surname, 90)
    if surname < SURNAME_MIN:
        return 0.0
    first = fuzz.ratio(a[0], b[0])
    if a[0][:1] == b[0][:1]:
        first = max(first, 70)  # a mangled first name usually keeps its initial
    return 0.65 * surname + 0.35 * first


def _fuzzy_single(token: str, registry: Registry) -> str | None:
    if len(token) < 5:
        return None  # short names are too easy to confuse
    best: dict[str, float] = {}

    def consider(choices: list[str], owners_of) -> None:
        for candidate, score, index in process.extract(
            token, choices, scorer=fuzz.ratio, score_cutoff=85, limit=5
        ):
            if candidate[:1] != token[:1]:
                continue
            for actor_id in owners_of(candidate, index):
                best[actor_id] = max(best.get(actor_id, 0), score)

    consider(registry.single_keys, lambda _c, i: [registry.single_owner[i]])
    surnames = [s for s, ids in registry.by_surname.items() if len(ids) == 1]
    consider(surnames, lambda c, _i: registry.by_surname[c])
    return _clear_winner(best)


def _clear_winner(scores: dict[str, float]) -> str | None:
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MARGIN:
        return None
    return ranked[0][0]
