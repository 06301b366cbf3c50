"""Camps: which side each outlet speaks for, by the user's rules over the outlets pack."""

from __future__ import annotations

from dataclasses import dataclass

from parallax.knowledge.names import fold
from parallax.model import Camp, CampRule, Outlet

UNATTRIBUTED = Camp(id="unattributed", name="Unattributed")


@dataclass(frozen=True)
class OutletDirectory:
    """Finds the pack outlet behind a credited name, alias or domain, and its camp."""

    outlets: tuple[Outlet, ...]
    camps: tuple[Camp, ...]

    def __post_init__(self) -> None:
        if not self.camps:
            object.__setattr__(self, "camps", default_camps(self.outlets))
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
            # An outlet the packs do not know can still be named in a camp by the user.
            key = fold(credited) if credited else None
            for camp in self.camps:
                if key and key in {fold(name) for name in camp.rule.outlets}:
                    return camp
            return UNATTRIBUTED
        for camp in self.camps:
            if outlet.id in camp.rule.outlets or fold(outlet.name) in {fold(n) for n in camp.rule.outlets}:
                return camp
        for camp in self.camps:
            rule = camp.rule
            if (outlet.country and outlet.country in rule.countries) or (
                outlet.ownership and outlet.ownership in rule.ownership
            ):
                return camp
        return UNATTRIBUTED


def default_camps(outlets: tuple[Outlet, ...]) -> tuple[Camp, ...]:
    """Camps to start from when the user has defined none: the state media of each country, the independent
    press of each country that has state media too (the two voices of a party), and the international wires.
    Everything else stays unattributed until the user says which side it is on."""
    state_countries = sorted({o.country for o in outlets if o.country and o.ownership == "state-funded"})
    camps = [
        Camp(id=f"state-media-{slug(c)}", name=f"{c}: state media", rule=CampRule(outlets=_ids(outlets, c, True)))
        for c in state_countries
    ]
    camps += [
        Camp(id=f"independent-{slug(c)}", name=f"{c}: other press", rule=CampRule(outlets=_ids(outlets, c, False)))
        for c in state_countries
        if _ids(outlets, c, False)
    ]
    camps.append(Camp(id="international-wires", name="International wires", rule=CampRule(ownership=("wire",))))
    return tuple(camps)


def _ids(outlets: tuple[Outlet, ...], country: str, state: bool) -> tuple[str, ...]:
    return tuple(o.id for o in outlets if o.country == country and (o.ownership == "state-funded") == state)


def slug(text: str) -> str:
    return "-".join(fold(text).replace("'", "").split()) or "camp"


def with_camps(directory: OutletDirectory, camps: tuple[Camp, ...] | list[Camp]) -> OutletDirectory:
    """The same outlets seen through a story's own camps; the directory unchanged when it has none."""
    return OutletDirectory(directory.outlets, tuple(camps)) if camps else directory
