"""Resolution of in-article entities to canonical actors across the whole corpus.

Order of evidence: exact key (which already absorbs ordinary transliteration and given-name variants), then
surname for a name written alone, then fuzzy and phonetic matching for garbled spellings. Every candidate
gets a confidence, raised or lowered by the context the article gives the name (title and nationality
words next to it, checked against the actor's roles on the article's date). A wrong link puts words in
someone else's mouth, so a link needs a confidence over THRESHOLD and a clear margin over the next
candidate; otherwise the entity becomes a corpus actor of its own. The spaCy label is only a hint: a
surname tagged ORG still finds its person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import jellyfish
from rapidfuzz import fuzz, process

from parallax.knowledge.names import GIVEN_NAMES, alias_key, fold
from parallax.knowledge.registry import Registry
from parallax.model import Actor, Analysis, Entity
from parallax.nlp import name_noise, name_pools, noisy_names, roles
from parallax.nlp.noisy_names import NoisyLink, rescue
from parallax.nlp.roles import context_fit
from parallax.nlp.titles import same_stem

THRESHOLD = 0.80  # below this a mention becomes its own corpus actor (calibrated on benchmarks/names.py)
MARGIN = 0.06


@dataclass(frozen=True)
class Resolution:
    actor_of: dict[int, str | None]  # Entity.id -> Actor.id
    new_actors: tuple[Actor, ...]
    new_aliases: tuple[tuple[str, str, str], ...]  # actor id, alias as written, its key
    confidence: dict[int, float] = field(default_factory=dict)  # Entity.id -> confidence of its link
    evidence: dict[int, NoisyLink] = field(default_factory=dict)  # Entity.id -> a weak link or candidate to review


def forget_matches() -> None:
    """Empty the memo tables that name matching fills (spellings, sounds and title words per name written and per
    actor). After a long ingest they hold hundreds of thousands of entries and, through the ones kept per actor,
    the registry's actors: memory the analysis that follows an ingest has no use for."""
    for module in (name_noise, name_pools, noisy_names, roles):
        for function in vars(module).values():
            if hasattr(function, "cache_clear"):
                function.cache_clear()


def resolve(analysis: Analysis, registry: Registry, on: date | None = None, home: str | None = None) -> Resolution:
    """Link every entity of one article to an actor, creating corpus actors for unknown names.

    ``on`` is the article's date, against which roles are checked; ``home`` the country of its outlet, which
    says whose "Foreign Ministry" an unqualified body is. The registry is updated in place so that the next
    article sees the actors and variants found here.
    """
    actor_of: dict[int, str | None] = {}
    confidence: dict[int, float] = {}
    new_actors: list[Actor] = []
    new_aliases: list[tuple[str, str, str]] = []
    evidence: dict[int, NoisyLink] = {}
    for entity in analysis.entities:
        key = alias_key(entity.name)
        if not key:
            actor_of[entity.id] = None
            continue
        actor_id, score = _qualified_body(entity, key, registry, home)
        if actor_id is None:
            actor_id, score = link(entity, registry, on, key)
        noisy = rescue(entity, analysis, registry, on, THRESHOLD) if actor_id is None else None
        if noisy is not None:
            evidence[entity.id] = noisy
            actor_id, score = (noisy.actor_id, noisy.confidence) if noisy.actor_id else (None, score)
        if actor_id is None:
            actor = Actor(
                id=registry.new_id(entity.name), name=entity.name, kind=entity.kind, gender=entity.gender
            )
            registry.add(actor)
            new_actors.append(actor)
            new_aliases.append((actor.id, entity.name, key))
            actor_id, score = actor.id, 1.0
        elif noisy is None and actor_id not in registry.by_key.get(key, ()) and actor_id not in registry.by_surname.get(key, ()):
            # (a weak link rests on this article's context: its spelling must not become an alias for all)
            # (a surname is found through the surname index; as an exact alias it would silence context)
            registry.add_alias(actor_id, entity.name)
            new_aliases.append((actor_id, entity.name, key))
        actor_of[entity.id] = actor_id
        confidence[entity.id] = round(score, 3)
    return Resolution(actor_of, tuple(new_actors), tuple(new_aliases), confidence, evidence)


def link(entity: Entity, registry: Registry, on: date | None = None, key: str | None = None) -> tuple[str | None, float]:
    """The known actor an entity refers to and the confidence of that link, or (None, best score)."""
    key = alias_key(entity.name) if key is None else key
    if not key:
        return None, 0.0
    scores = _candidates(entity, key, registry)
    scores = registry.corrections.filter(key, scores)
    if not scores:
        return None, 0.0
    for actor_id in list(scores):
        actor = registry.actors.get(actor_id)
        if actor is not None:
            scores[actor_id] += _context(entity, actor, on)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    best, score = ranked[0]
    if score < THRESHOLD or (len(ranked) > 1 and score - ranked[1][1] < MARGIN):
        return None, score
    return registry.corrections.target(best), min(score, 1.0)


def _qualified_body(entity: Entity, key: str, registry: Registry, home: str | None) -> tuple[str | None, float]:
    """An unqualified body ("Foreign Ministry", "Defence Ministry") is the one of the country the article
    names beside it ("Brevnia's Foreign Ministry"), else of the outlet's own country; never a guess between
    several countries' ministries."""
    if entity.kind != "organization" or " " not in key:
        return None, 0.0
    qualified = [a for a in registry.bodies_ending_with(key) if registry.actors[a].country]
    if not qualified and _ministry_short_form(entity.name):
        qualified = [a for a in registry.bodies_ending_with(alias_key(_ministry_short_form(entity.name)))
                     if registry.actors[a].country]
    if not qualified:
        return None, 0.0
    for countries in ([w for w in entity.descriptors if w.isalpha()], [home] if home else []):
        fitting = {
            a for a in qualified
            if any(same_stem(alias_key(c), alias_key(registry.actors[a].country)) for c in countries)
        }
        if len(fitting) == 1:
            return registry.corrections.target(fitting.pop()), 0.9
    return None, 0.0


# "Ministry of Foreign Affairs" is the "Foreign Ministry" packs name by country; machine translation also
# writes "Outside Affairs" for it.
_MINISTRY_OF = re.compile(r"^(?:the )?ministry of (?:the )?(foreign|outside|defen[cs]e|interior|internal)(?: affairs)?$")
_MINISTRY_WORD = {"outside": "foreign", "defense": "defence", "internal": "interior"}


def _ministry_short_form(name: str) -> str | None:
    m = _MINISTRY_OF.match(fold(name))
    return f"{_MINISTRY_WORD.get(m.group(1), m.group(1))} ministry" if m else None


def _candidates(entity: Entity, key: str, registry: Registry) -> dict[str, float]:
    exact = registry.by_key.get(key)
    if exact:
        # Two actors may share a spelling (a country and its capital's club, two people): the kind the
        # article suggests breaks the tie, context may break it further.
        return {a: (1.0 if registry.actors[a].kind == entity.kind else 0.93) for a in exact}
    tokens = key.split()
    if len(tokens) == 1:
        return _single(tokens[0], entity, registry)
    return _fuzzy_full(tokens, registry)


def _single(token: str, entity: Entity, registry: Registry) -> dict[str, float]:
    owners = registry.by_surname.get(token)
    if owners and entity.name.isupper() and len(entity.name) > 3 and entity.kind == "person":
        # "WALLACE:" is a transcript's label for one of its own speakers, whose full name the show gave
        # elsewhere or not at all: not whichever pack actor happens to share the surname
        return {}
    if owners:
        # A surname alone: sure when one person carries it, a tie for context to break when several do.
        base = 0.95 if entity.kind == "person" else 0.88
        if token in GIVEN_NAMES:
            base -= 0.2  # "Pavel" alone is far likelier someone's first name than Petr Pavel: context decides
        return {a: base - (0.0 if len(owners) == 1 else 0.1) for a in owners}
    return _fuzzy_single(token, registry)


def _fuzzy_full(tokens: list[str], registry: Registry) -> dict[str, float]:
    key = " ".join(tokens)
    best: dict[str, float] = {}
    for candidate, ratio, index in process.extract(key, registry.keys, scorer=fuzz.ratio, score_cutoff=60, limit=10):
        owner = registry.key_owner[index]
        if registry.actors[owner].kind == "person":
            score = _name_score(tokens, candidate.split())
        else:
            # "Foreign Ministry" is not "French Foreign Ministry": names of bodies and places only match whole
            score = ratio / 100 if ratio >= 92 else 0.0
        if score > best.get(owner, 0):
            best[owner] = score
    return {a: s for a, s in best.items() if s >= 0.70}


def _gendered_pair(a: str, b: str) -> bool:
    """Zelensky / Zelenska, Zakharov / Zakharova: a relative, not a spelling variant."""
    short, long_ = sorted((a, b), key=len)
    return long_ == short + "a" or (len(a) == len(b) and a[:-1] == b[:-1] and "a" in (a[-1], b[-1]))


def _edits_allowed(a: str, b: str) -> int:
    """Letters a garbled surname may have wrong: none in a short name, where one letter makes another name
    (Li Qiang / Li Keqiang), one in a medium name, two in a long one."""
    n = min(len(a), len(b))
    return 0 if n < 5 else 1 if n < 8 else 2


def surname_score(a: str, b: str) -> float:
    """0..100: how surely two surname keys are one name garbled, 0 when they are two names."""
    if a == b:
        return 100.0
    if _gendered_pair(a, b):
        return 0.0
    if jellyfish.damerau_levenshtein_distance(a, b) <= _edits_allowed(a, b):
        return max(fuzz.ratio(a, b), 85.0)
    if min(len(a), len(b)) >= 6 and jellyfish.metaphone(a) == jellyfish.metaphone(b):
        return 85.0
    return 0.0


def first_name_score(a: str, b: str) -> float:
    """0..100 for two given-name keys; 0 when they are plainly two names (Jill / Joe, Maher / Bashar)."""
    if a == b:
        return 100.0
    if (len(a) == 1 or len(b) == 1) and a[:1] == b[:1]:
        return 75.0  # an initial
    if len(a) >= 3 and len(b) >= 3 and (a.startswith(b) or b.startswith(a)):
        return 80.0  # Alex / Alexander
    score = fuzz.ratio(a, b)
    return score if score > 60 else 0.0


def _name_score(a: list[str], b: list[str]) -> float:
    surname = surname_score(a[-1], b[-1])
    first = first_name_score(a[0], b[0])
    if not surname or not first:
        return 0.0
    return (0.6 * surname + 0.4 * first) / 100


def _fuzzy_single(token: str, registry: Registry) -> dict[str, float]:
    if len(token) < 5:
        return {}  # short names are too easy to confuse
    best: dict[str, float] = {}

    def consider(choices: list[str], owners_of) -> None:
        for candidate, _, index in process.extract(token, choices, scorer=fuzz.ratio, score_cutoff=80, limit=5):
            if candidate[:1] != token[:1] or token == candidate + "s":
                continue  # (a plural surname is a family: "the Trumps" is not Donald Trump)
            score = surname_score(token, candidate)
            if not score:
                continue
            for actor_id in owners_of(candidate, index):
                best[actor_id] = max(best.get(actor_id, 0), score / 100 - 0.05)

    consider(registry.single_keys, lambda _c, i: [registry.single_owner[i]])
    consider(list(registry.by_surname), lambda c, _i: registry.by_surname[c])
    return best


def _context(entity: Entity, actor: Actor, on: date | None) -> float:
    """Title and nationality words beside the name, weighed against the actor's roles on the date."""
    if not entity.descriptors or not actor.roles:
        return 0.0
    return context_fit(entity.descriptors, actor, on)
