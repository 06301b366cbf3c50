"""Descriptions as speakers ("the Dravenian leader", "Aldmark's mediator", "the minister") resolved through
the role tables of the knowledge packs, for the date of the article.

Used when the article itself gave no earlier name for the description to point back to. Every word of the
description must be explained by one role of the actor (title, organisation, country or a synonym of the
title), and the answer must be unique, first among the actors the article names, then among everyone known;
otherwise the speaker stays unresolved rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from parallax.model import Actor, Role
from parallax.nlp.speakers import ROLE_SYNONYMS, same_stem

_FILLER = frozenset("the a an of 's ’s country country's nation's its their his her top".split())
_WORD = re.compile(r"[\w’']+")


def description_words(text: str) -> list[str]:
    words = [w.lower().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(text)]
    return [w for w in words if w and w not in _FILLER]


def _active(role: Role, on: date | None) -> bool:
    if on is None:
        return role.end is None
    return (role.start is None or role.start <= on) and (role.end is None or on <= role.end)


def _explains(word: str, role: Role) -> tuple[bool, bool]:
    """(the word fits the role, the word is the role's title noun or a synonym of it)."""
    title = {w.lower() for w in _WORD.findall(role.title)}
    if word in title or ROLE_SYNONYMS.get(word, set()) & title:
        return True, True
    places = [w.lower() for w in _WORD.findall(f"{role.organisation or ''} {role.country or ''}")]
    return any(same_stem(word, p) for p in places), False


def _fits(words: list[str], actor: Actor, on: date | None) -> bool:
    for role in actor.roles:
        if not _active(role, on):
            continue
        verdicts = [_explains(w, role) for w in words]
        if all(fits for fits, _ in verdicts) and any(is_title for _, is_title in verdicts):
            return True
    return False


def resolve_description(
    text: str, mentioned: Iterable[str], actors: dict[str, Actor], on: date | None
) -> str | None:
    """The actor a description refers to, or None when no single actor fits."""
    if re.match(r"(?i)(an?|one|some|several)\s", text.strip()):
        return None  # "a senior official": an unnamed source, never a guess
    words = description_words(text)
    if not words:
        return None
    for pool in (list(dict.fromkeys(mentioned)), list(actors)):
        fitting = [a for a in pool if a in actors and actors[a].roles and _fits(words, actors[a], on)]
        if len(fitting) == 1:
            return fitting[0]
        if fitting:
            return None  # several fit: a guess would put words in someone else's mouth
    return None
