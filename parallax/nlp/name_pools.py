"""The candidates a garbled name's context allows, drawn from the pack knowledge of a registry.

``noisy_names`` accepts a weak likeness only within a small set of candidates that the words around the name
give; this module finds those sets:

- holders, on the date, of a role the words name ("NATO chief", "Russia's Defence Minister");
- people holding a role in a country the words name ("Russian official ...");
- places of a named country, places whose name is anywhere near the written one ("the town of ..."), regions;
- people whose given name the written one is ("Dmitry Medved": the Dmitrys of the packs);
- names near the written one over the whole pack (the pool when there is no context at all).

Everything is read from an ``Index`` built once per registry and extended only by the pack actors added to it
since (a registry only grows; the corpus actors that resolution adds carry no roles nor country and are
skipped in O(1) each), so a rescue costs lookups, not a pass over the packs.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice

from rapidfuzz import fuzz, process

from parallax.knowledge.countries import place_words
from parallax.knowledge.names import alias_key, fold, name_stem
from parallax.knowledge.registry import Registry
from parallax.model import Actor, Role
from parallax.nlp.name_noise import skeleton, translit
from parallax.nlp.places import REGION_WORDS
from parallax.nlp.roles import TITLE_WORDS, role_active, role_place_words, word_fits_role
from parallax.nlp.titles import same_stem


@lru_cache(maxsize=20_000)
def name_keys(actor: Actor) -> frozenset[str]:
    """The keys a garbled name is compared with: a person's surnames, a place's or body's whole names. An
    acronym ("znpp") is left out: a word garbled into the letters of an acronym is a coincidence."""
    keys = set()
    for name in (actor.name, *actor.aliases):
        tokens = alias_key(name).split()
        if not tokens:
            continue
        key = tokens[-1] if actor.kind == "person" else " ".join(tokens)
        if any(c in "aeiouy" for c in key):
            keys.add(key)
    return frozenset(keys)


@lru_cache(maxsize=20_000)
def given_names(actor: Actor) -> frozenset[str]:
    """The given-name keys of a person's names ("dmitri" for Dmitry Peskov)."""
    return frozenset(k.split()[0] for k in (alias_key(n) for n in (actor.name, *actor.aliases)) if len(k.split()) > 1)


def region_base(key: str) -> str | None:
    """"kharkiv" for "kharkiv oblast"; None when the key carries no region designator."""
    tokens = key.split()
    return " ".join(tokens[:-1]) if len(tokens) > 1 and tokens[-1] in REGION_WORDS else None


# Words of a role's organisation that name no one in particular: "Foreign Ministry" is every country's.
_GENERIC_BODY = frozenset("""
    ministry government office presidency presidential council foreign defence defense affairs state national
    security interior finance justice economy armed forces staff general administration cabinet parliament
    mission embassy department the of for and
""".split())


# Words of a body that the tagger glues to the name after it ("the Security Council Shoigu", "State Duma
# Volodin"): peeled off a garbled name before it is compared.
BODY_WORDS = (_GENERIC_BODY - {"the", "of", "for", "and"}) | frozenset(
    "duma rada kremlin commission committee assembly senate congress council bureau agency service".split())


@lru_cache(maxsize=None)
def _naming_words(role: Role) -> frozenset[str]:
    """The words that say whose role it is: its country and the distinctive words of its organisation."""
    return frozenset(w for w in role_place_words(role) if w not in _GENERIC_BODY)


@dataclass
class Index:
    """The pack knowledge of one registry, in the shapes the pools need."""

    seen: int = 0  # actors of the registry looked at so far (a registry only grows)
    keys_of: dict[str, frozenset[str]] = field(default_factory=dict)  # actor id -> its name_keys
    # every key, for fuzzy lookup, with its owner, by initial: a likeness with nothing else to back it must keep
    # the first letter, and a context draws its own candidates, so one initial's keys are all a lookup needs
    choices: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    stems: dict[str, set[str]] = field(default_factory=dict)  # consonant skeleton -> actor ids
    regions: dict[str, str] = field(default_factory=dict)  # region base key ("kharkiv") -> region actor id
    region_ids: set[str] = field(default_factory=set)
    place_choices: list[str] = field(default_factory=list)  # keys of places that are not regions
    place_owners: list[str] = field(default_factory=list)
    town_ids: set[str] = field(default_factory=set)  # their owners
    places_by_country: dict[str, list[str]] = field(default_factory=dict)  # folded country -> place ids
    # word that names whose a role is ("nato", "kremlin", "russia") -> (actor id, role) holding it
    roles_named: dict[str, list] = field(default_factory=dict)
    # word that names a country ("russian", "ukraine") -> countries (as folded keys)
    countries_named: dict[str, set[str]] = field(default_factory=dict)
    people_of: dict[str, list] = field(default_factory=dict)  # folded country -> (actor id, role) held there
    people_by_given: dict[str, set[str]] = field(default_factory=dict)  # given-name key -> person ids
    # the two word tables by their first four letters, for nationality adjectives ("russian" ~ "russia")
    prefixes: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    def add(self, actor: Actor) -> None:
        if actor.kind == "person" and actor.roles:
            for role in actor.roles:
                for word in _naming_words(role):
                    self.roles_named.setdefault(word, []).append((actor.id, role))
                if role.country:
                    self._name_country(role.country)
                    self.people_of.setdefault(fold(role.country), []).append((actor.id, role))
            for given in given_names(actor):
                self.people_by_given.setdefault(given, set()).add(actor.id)
        elif actor.kind == "place" and actor.country:
            self.places_by_country.setdefault(fold(actor.country), []).append(actor.id)
            self._name_country(actor.country)
        else:
            return  # not pack knowledge: corpus actors are matched through the article, not from here
        self.keys_of[actor.id] = name_keys(actor)
        for key in self.keys_of[actor.id]:
            keys, owners = self.choices.setdefault(key[:1], ([], []))
            keys.append(key)
            owners.append(actor.id)
            self.stems.setdefault(name_stem(key), set()).add(actor.id)
            base = region_base(key)
            if actor.kind == "place" and base:
                self.regions.setdefault(base, actor.id)
                self.region_ids.add(actor.id)
            elif actor.kind == "place":
                self.place_choices.append(key)
                self.place_owners.append(actor.id)
                self.town_ids.add(actor.id)
        self.prefixes.clear()

    def _name_country(self, country: str) -> None:
        key = fold(country)
        for word in place_words(country) | {key}:
            self.countries_named.setdefault(word, set()).add(key)

    def named(self, words: frozenset[str], table: dict[str, object]) -> list[str]:
        """The entries of ``table`` the words name, exactly or as a nationality adjective."""
        by_prefix = self.prefixes.get(id(table))
        if by_prefix is None:
            by_prefix = self.prefixes[id(table)] = {}
            for k in table:
                by_prefix.setdefault(k[:4], []).append(k)
        hits = []
        for w in words:
            if w in table:
                hits.append(w)
            elif len(w) >= 4:
                hits.extend(k for k in by_prefix.get(w[:4], ()) if same_stem(w, k))
        return hits


_INDEX: list = [None, None]  # (weak reference to the registry, its Index): one registry at a time in practice


def index_of(registry: Registry) -> Index:
    """The registry's Index, built on first use and extended by the actors added to the registry since."""
    ref, index = _INDEX
    if ref is None or ref() is not registry:
        index = Index()
        _INDEX[:] = [weakref.ref(registry), index]
    new = len(registry.actors) - index.seen
    if new > 0:
        # the newest actors sit at the end of the dict: walk back over just those, then index them in order
        for actor in reversed(list(islice(reversed(registry.actors.values()), new))):
            index.add(actor)
        index.seen = len(registry.actors)
    return index


# -- the pools ---------------------------------------------------------------------------------------------


def role_holders(words: frozenset[str], index: Index, on: date | None, strict: bool) -> set[str]:
    """Holders, on the date, of a role whose title noun and whose organisation or country the words give.
    ``strict`` (the title words right before the name): every word must fit the role, as in "Russia's Defence
    Minister"; otherwise (the words of the sentence around it) a title and a place or body must be among them."""
    found: set[str] = set()
    titles = [w for w in words if w in TITLE_WORDS]
    if not titles:
        return found
    for named in index.named(words, index.roles_named):
        for actor_id, role in index.roles_named[named]:
            if actor_id in found or not role_active(role, on):
                continue
            if not any(fits and title for fits, title in (word_fits_role(w, role) for w in titles)):
                continue
            if strict and not all(word_fits_role(w, role)[0] for w in words):
                continue
            found.add(actor_id)
    return found


def _countries(words: frozenset[str], index: Index) -> set[str]:
    return {c for w in index.named(words, index.countries_named) for c in index.countries_named[w]}


def country_people(words: frozenset[str], index: Index, on: date | None) -> set[str]:
    """People holding, on the date, a role in a country the words name ("Russian official ...")."""
    return {a for c in _countries(words, index) for a, role in index.people_of.get(c, ()) if role_active(role, on)}


def country_places(words: frozenset[str], index: Index) -> set[str]:
    """Places of a country the words name."""
    return {a for c in _countries(words, index) for a in index.places_by_country.get(c, ())}


def places_alike(written: str, index: Index) -> set[str]:
    """Places (not regions) whose name is anywhere near the written one: the pool for "the town of ..."."""
    found = {index.place_owners[i] for _, _, i in process.extract(written, index.place_choices, scorer=fuzz.ratio,
                                                                  score_cutoff=45, limit=15)}
    found.update(a for a in index.stems.get(skeleton(written), ()) if a in index.town_ids)
    return found


def namesakes(given: str, index: Index) -> set[str]:
    """People of the packs whose given name (as keyed) is ``given``."""
    return index.people_by_given.get(given, set())


def names_alike(written: str, index: Index) -> set[str]:
    """Pack actors whose key, of the same initial, is near the written one in spelling, or that share its
    consonant skeleton."""
    found = set()
    for initial in {written[:1], translit(written)[:1]}:  # (Jang is Yang in another scheme)
        keys, owners = index.choices.get(initial, ((), ()))
        found.update(owners[i] for _, _, i in process.extract(written, keys, scorer=fuzz.ratio, score_cutoff=55,
                                                              limit=12))
    stem = skeleton(written)
    if len(stem) >= 2:  # same consonant skeleton however far the letters drifted: Kyieva / Kyiv
        found.update(index.stems.get(stem, ()))
    return found
