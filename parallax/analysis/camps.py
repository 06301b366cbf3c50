"""Camps: which side each outlet speaks for, by the user's rules over the outlets pack."""

from __future__ import annotations

from dataclasses import dataclass

from parallax.knowledge.names import fold
from parallax.model import Camp, Outlet

UNATTRIBUTED = Camp(id="unattributed", name="Unattributed")


@dataclass(frozen=True)
class OutletDirectory:
    """Finds the pack outlet behind a credited name, alias or domain, and its camp."""

    outlets: tuple[Outlet, ...]
    camps: tuple[Camp, ...]

    def __post_init__(self) -> None:
        index: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for name in (outlet.name, outlet.id, *outlet.aliases, *outlet.domains):
                index.setdefault(fold(name), outlet)
        object.__setattr__(self, "_index", index)

    def outlet(self, credited: str | None) -> Outlet | None:
        if not credited:
            return None
        key = fold(credited)
        found = self._index.get(key)
        if found is None and key.startswith("the "):
            found = self._index.get(key[4:])
        return found

    def canonical_name(self, credited: str | None) -> str | None:
        outlet = self.outlet(credited)
        return outlet.name if outlet else credited

    def camp(self, credited: str | None) -> Camp:
        """The camp that names the outlet itself, else the first (in the user's order) whose country or
        ownership rule takes it: naming an outlet is the most specific thing a user can say."""
        outlet = self.outlet(credited)
        if outlet is None:
            return UNATTRIBUTED
        for camp in self.camps:
            if outlet.id in camp.rule.outlets:
                return camp
        for camp in self.camps:
            rule = camp.rule
            if (outlet.country and outlet.country in rule.countries) or (
                outlet.ownership and outlet.ownership in rule.ownership
            ):
                return camp
        return UNATTRIBUTED
