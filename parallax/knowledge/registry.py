"""The registry: every known actor indexed by its name keys, for fast lookup during resolution.

It holds pack actors and the corpus actors found so far; resolution adds to it as new people appear, so
that a name spelled one way in one article meets its variant in the next.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from parallax.knowledge.corrections import Corrections
from parallax.knowledge.names import alias_key, slug
from parallax.model import Actor


# Countries whose names are written family name first in English.
SURNAME_FIRST = frozenset({"China", "North Korea", "South Korea", "Taiwan", "Vietnam", "Cambodia", "Hungary"})


@dataclass
class Registry:
    actors: dict[str, Actor] = field(default_factory=dict)
    by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_surname: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Parallel lists of keys and their owners, for fuzzy matching with rapidfuzz.process.
    keys: list[str] = field(default_factory=list)  # multi-token keys
    key_owner: list[str] = field(default_factory=list)
    single_keys: list[str] = field(default_factory=list)  # one-token keys ("velgorod", "kremlin")
    single_owner: list[str] = field(default_factory=list)
    corrections: Corrections = field(default_factory=Corrections)
    _suffixes: dict[str, set[str]] = field(default_factory=dict)  # see bodies_ending_with
    _suffixed: int = 0

    @classmethod
    def of(
        cls, actors: list[Actor], extra_aliases: list[tuple[str, str]] = (), corrections: Corrections | None = None
    ) -> "Registry":
        registry = cls(corrections=corrections or Corrections())
        for actor in actors:
            registry.add(actor)
        for actor_id, alias in extra_aliases:
            registry.add_alias(actor_id, alias)
        return registry

    def add(self, actor: Actor) -> None:
        self.actors[actor.id] = actor
        for alias in (actor.name, *actor.aliases):
            self.add_alias(actor.id, alias)

    def add_alias(self, actor_id: str, alias: str) -> None:
        key = alias_key(alias)
        if not key or actor_id in self.by_key.get(key, ()):
            return
        self.by_key[key].add(actor_id)
        tokens = key.split()
        actor = self.actors.get(actor_id)
        if len(tokens) > 1:
            self.keys.append(key)
            self.key_owner.append(actor_id)
            if actor is not None and actor.kind == "person":
                self.by_surname[tokens[-1]].add(actor_id)
                if actor.country in SURNAME_FIRST:
                    self.by_surname[tokens[0]].add(actor_id)  # Kim Jong Un is "Kim", Xi Jinping "Xi"
        else:
            self.single_keys.append(key)
            self.single_owner.append(actor_id)

    def bodies_ending_with(self, key: str) -> list[str]:
        """Organisations named "<qualifier> <key>" ("brevnian foreign ministry" for "foreign ministry")."""
        # Built lazily and extended with the keys added since: the registry only ever grows.
        for k, owner in zip(self.keys[self._suffixed:], self.key_owner[self._suffixed:]):
            actor = self.actors.get(owner)
            if actor is not None and actor.kind == "organization":
                tokens = k.split()
                for i in range(1, len(tokens) - 1):
                    self._suffixes.setdefault(" ".join(tokens[i:]), set()).add(owner)
        self._suffixed = len(self.keys)
        return sorted(self._suffixes.get(key, ()))

    def new_id(self, name: str) -> str:
        """A stable, readable id for a corpus actor that does not collide with a known one, nor with an
        id merged away by the user (links to that id are redirected to its merge target)."""
        base = slug(name)
        candidate, n = base, 2
        while candidate in self.actors or candidate in self.corrections.merged_into:
            candidate, n = f"{base}-{n}", n + 1
        return candidate
