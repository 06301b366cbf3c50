"""Descriptions as speakers ("the Dravenian leader", "Aldmark's mediator", "NATO's secretary general",
"Russia's top diplomat") resolved through the role tables of the knowledge packs, for the date of the article.

Used when the article itself gave no earlier name for the description to point back to. Every word of the
description must be explained by one role of the actor (title, organisation, country or a synonym of the
title), and the answer must be unique, first among the actors the article names, then among everyone known;
otherwise the speaker stays unresolved rather than guessed. A deputy is not the minister: a role whose title
is qualified (deputy, vice, acting, under-secretary) fits only a description that says so.

The same role tables weigh the context of a name (``context_fit``): "Governor Kim" is not North Korea's leader.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Iterable

from parallax.knowledge.countries import place_words
from parallax.model import Actor, Role
from parallax.nlp.entities import PERSON_TITLES
from parallax.nlp.titles import ROLE_SYNONYMS, same_stem

_FILLER = frozenset("the a an of 's ’s country country's nation's its their his her top for and".split())
_WORD = re.compile(r"[\w’']+")
_QUALIFIERS = frozenset("deputy vice acting under assistant opposition former".split())
_HEAD_TITLES = {"president", "premier", "prime", "chancellor", "leader", "head", "chief", "director",
                "secretary", "commander", "king", "emir", "sultan", "taoiseach"}
# Words a description uses for a role that the role's own title does not contain.
_SYNONYMS = {
    **{k: set(v) for k, v in ROLE_SYNONYMS.items()},
    "chief": _HEAD_TITLES | {"commissioner"},
    "boss": _HEAD_TITLES,
    "head": _HEAD_TITLES,
    "leader": {"president", "premier", "prime", "chancellor", "leader", "king", "emir", "sultan", "taoiseach",
               "supreme", "chairman"},
    "pm": {"prime"},
    "spokesman": {"spokeswoman", "spokesperson", "spokesman", "press"},
    "spokeswoman": {"spokeswoman", "spokesperson", "spokesman", "press"},
    "spokesperson": {"spokeswoman", "spokesperson", "spokesman", "press"},
    "diplomat": {"foreign", "diplomat", "ambassador", "envoy", "representative"},
    "envoy": {"envoy", "ambassador", "negotiator", "mediator", "representative"},
    "negotiator": {"negotiator", "envoy", "mediator"},
    "defense": {"defence"},
    "military": {"armed", "army", "defence", "staff"},
    "army": {"armed", "army", "staff"},
    "spy": {"intelligence", "mossad", "fsb", "svr", "cia", "mit", "hur"},
    "intelligence": {"intelligence", "mossad", "fsb", "svr", "cia", "mit", "hur"},
    "general": {"general", "staff"},
    "foreign": {"foreign", "external", "state"},
    "secretary-general": {"secretary", "general"},
    "nuclear": {"atomic"},
}
# Every word that can name a role's title: the rest of a sentence cannot make anyone a role holder.
TITLE_WORDS = frozenset(PERSON_TITLES) | frozenset(_SYNONYMS) | {"diplomat", "topdiplomat"}
# The words that can be the title of a description (the second verdict of word_fits_role): nothing fits without one.
_TITLE_CAPABLE = TITLE_WORDS | {"secretaryofstate"}
# Words that ask for a role by its substance: "Russia's top diplomat" is its foreign minister.
_DIPLOMAT_TITLES = ("foreign minister", "secretary of state", "foreign secretary", "high representative",
                    "external affairs minister", "prime minister and foreign minister")


def description_words(text: str) -> list[str]:
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(text)]
    return [w for w in words if w and w not in _FILLER]


def role_active(role: Role, on: date | None) -> bool:
    """Whether the role is held on the date (with no date: whether it is held still)."""
    if on is None:
        return role.end is None
    return (role.start is None or role.start <= on) and (role.end is None or on <= role.end)


# Roles are few and fixed while descriptions are many: the word sets and verdicts are computed once per role
# (without the caches, matching one description against a thousand pack actors cost ~15 ms).
@lru_cache(maxsize=None)
def _title_words(role: Role) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(role.title.replace("-", " ")))


@lru_cache(maxsize=None)
def role_place_words(role: Role) -> frozenset[str]:
    """The words that name where or in which body the role is held: its country and organisation."""
    words = set(place_words(role.country)) | set(place_words(role.organisation))
    words |= {w.lower() for w in _WORD.findall(f"{role.organisation or ''}".replace("-", " "))}
    return frozenset(words)


def word_fits_role(word: str, role: Role) -> tuple[bool, bool]:
    """(the word fits the role, the word is the role's title noun or a synonym of it)."""
    # The verdict does not depend on the role's dates: keyed without them, the thousand roles of the packs share
    # a few hundred verdicts per word (matching every role against each new description word was 15% of ingest).
    return _word_fits(word, role.title, role.organisation, role.country)


@lru_cache(maxsize=200_000)
def _word_fits(word: str, title_text: str, organisation: str | None, country: str | None) -> tuple[bool, bool]:
    role = Role(title_text, organisation, country)
    title = _title_words(role)
    if word in ("diplomat", "topdiplomat"):
        fits = any(t in role.title.lower() for t in _DIPLOMAT_TITLES)
        if word == "diplomat":
            fits = fits or bool({"ambassador", "envoy"} & title)
        return fits, fits
    if word == "secretaryofstate":
        fits = "secretary of state" in role.title.lower() or role.title.lower() == "secretary"  # its head
        return fits, fits
    if word in title or _SYNONYMS.get(word, set()) & title:
        return True, word in PERSON_TITLES or word in _SYNONYMS
    places = role_place_words(role)
    if word in places or any(same_stem(word, p) for p in places):
        return True, False
    return False, False


def _title_head(role: Role) -> Role:
    """The role named by its head noun only: "Spokesman for the Secretary General" is a spokesman."""
    head = re.split(r"(?i)\s(?:for|to|of|in)\s", role.title, maxsplit=1)[0]
    return Role(head, role.organisation, role.country, role.start, role.end)


def _role_fits(words: list[str], role: Role) -> bool:
    verdicts = [word_fits_role(w, role) for w in words]
    if not all(fits for fits, _ in verdicts) or not any(is_title for _, is_title in verdicts):
        return False
    head = _title_head(role)
    if head.title != role.title and not any(word_fits_role(w, head)[1] for w in words):
        return False
    qualifiers = _title_words(role) & _QUALIFIERS
    return qualifiers <= set(words)


def _fits(words: list[str], actor: Actor, on: date | None) -> bool:
    return any(role_active(role, on) and _role_fits(words, role) for role in actor.roles)


# "The Russian leader" is its president, not its prime minister or the speaker of its parliament; where the
# presidency is ceremonial the head of government leads. Used only to break a tie on a generic noun.
_GENERIC = frozenset({"leader", "chief", "head", "boss"})
_SENIORITY = ("supreme leader", "secretary general", "president", "prime minister", "chancellor", "premier",
              "taoiseach", "emir", "sultan", "king", "general secretary")
_CEREMONIAL_PRESIDENCY = frozenset({
    "Israel", "Germany", "Italy", "India", "Austria", "Greece", "Ireland", "Hungary", "Czech Republic", "Poland",
    "Estonia", "Latvia", "Iraq", "Lebanon", "Pakistan", "Armenia", "Georgia", "Slovakia", "Portugal",
})


def _seniority(words: list[str], actor: Actor, on: date | None) -> int:
    ranks = []
    for role in actor.roles:
        if not (role_active(role, on) and _role_fits(words, role)):
            continue
        title = role.title.lower().replace("-", " ")
        rank = next((i for i, t in enumerate(_SENIORITY) if title == t or title.startswith(t + " and")),
                    len(_SENIORITY))
        if title == "president" and role.country in _CEREMONIAL_PRESIDENCY:
            rank = _SENIORITY.index("chancellor") + 1
        ranks.append(rank)
    return min(ranks, default=len(_SENIORITY))


def _most_senior(words: list[str], fitting: list[str], actors: dict[str, Actor], on: date | None) -> str | None:
    if not _GENERIC & set(words) and not ({"president"} & set(words) and len(fitting) > 1):
        return None
    ranked = sorted((_seniority(words, actors[a], on), a) for a in fitting)
    if ranked[0][0] < len(_SENIORITY) and (len(ranked) == 1 or ranked[0][0] < ranked[1][0]):
        return ranked[0][1]
    return None


# The last registry's actors and, per description (its words), the (actor, role) pairs whose role fits it
# whatever the date: a run asks the same few descriptions ("the president", "the spokesman") again and again of
# the same thousand actors. A role fits only if it explains every word, so the roles explaining each word are
# kept too, and only the roles that explain them all are tried. Actors added during a run are names found in
# the text, with no roles, so they never fit and never make an entry stale.
_FITTING: tuple[dict | None, dict[tuple[str, ...], list[tuple[str, Role]]], dict[str, set[tuple[str, int]]]] = \
    (None, {}, {})


def _fitting_any(words: tuple[str, ...], actors: dict[str, Actor], on: date | None) -> list[str]:
    """The actors with a role held on ``on`` that fits ``words``, in registry order (as ``_fits`` finds them)."""
    global _FITTING
    if _FITTING[0] is not actors:
        _FITTING = (actors, {}, {})
    _, cache, explaining = _FITTING
    if words not in cache:
        # A role fits only through a title word (see _role_fits), and few roles explain one: those are found by
        # a scan of the registry, kept per word; the other words only narrow them down. A transcript's
        # unresolved speakers bring thousands of distinct words, and a scan for each was most of its crediting.
        titles = [w for w in words if w in _TITLE_CAPABLE]
        candidates: set[tuple[str, int]] = set()
        if titles:
            for word in titles:
                if word not in explaining:
                    explaining[word] = {(a, i) for a, actor in actors.items() for i, role in enumerate(actor.roles)
                                        if word_fits_role(word, role)[0]}
            candidates = set.intersection(*(explaining[w] for w in titles))
        cache[words] = [(a, actor.roles[i]) for a, actor in actors.items() for i in range(len(actor.roles))
                        if (a, i) in candidates and _role_fits(list(words), actor.roles[i])] if candidates else []
    return list(dict.fromkeys(a for a, role in cache[words] if role_active(role, on)))


def resolve_description(
    text: str, mentioned: Iterable[str], actors: dict[str, Actor], on: date | None
) -> str | None:
    """The actor a description refers to, or None when no single actor fits."""
    if re.match(r"(?i)(an?|one|some|several|former|ex)\s", text.strip()):
        return None  # "a senior official": an unnamed source, never a guess
    text = re.sub(r"(?i)\b(?:(?:top|chief)\s+diplomat|foreign\s+policy\s+(?:chief|head))\b", "topdiplomat", text)
    text = re.sub(r"(?i)\bsecretary\s+of\s+state\b", "secretaryofstate", text)
    words = description_words(text.replace("-", " "))
    if not words or _TITLE_CAPABLE.isdisjoint(words):
        return None  # no role fits a description without a title word ("the man in the hat")
    pools = (lambda: [a for a in dict.fromkeys(mentioned) if a in actors and actors[a].roles
                      and _fits(words, actors[a], on)],
             lambda: _fitting_any(tuple(words), actors, on))
    for pool in pools:
        fitting = pool()
        if len(fitting) == 1:
            return fitting[0]
        if fitting:
            # several fit: only a clearly senior office ("the leader") decides, else no guess
            return _most_senior(words, fitting, actors, on)
    return None


def context_fit(descriptors: Iterable[str], actor: Actor, on: date | None) -> float:
    """How the words beside a name agree with the actor's roles: a bonus when a role held on the date
    explains them all, a penalty when a title word fits none of the actor's roles."""
    words = [w for w in descriptors if w not in _FILLER and w.isalpha()]
    if not words:
        return 0.0
    best = 0.0
    for role in actor.roles:
        verdicts = [word_fits_role(w, role) for w in words]
        if all(fits for fits, _ in verdicts):
            best = max(best, 0.08 if role_active(role, on) else 0.04)
    if best:
        return best
    titles = [w for w in words if w in PERSON_TITLES or w in _SYNONYMS]
    if titles and not any(word_fits_role(w, role)[0] for w in titles for role in actor.roles):
        return -0.2  # "Governor Kim" beside a man who was never a governor
    return 0.0  # other words beside a name (a nationality, a party) are too loose to count against it
