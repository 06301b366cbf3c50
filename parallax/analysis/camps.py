"""Camps: which side each outlet speaks for, by the user's rules over the outlets pack."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from parallax.knowledge.hosts import country_of_host, domain_candidates, host_of, looks_like_host, site_name
from parallax.knowledge.names import fold
from parallax.model import Camp, CampRule, Outlet

UNATTRIBUTED = Camp(id="unattributed", name="Unattributed")


@dataclass(frozen=True)
class OutletDirectory:
    """Finds the pack outlet behind a credited name, alias or domain, and its camp."""

    outlets: tuple[Outlet, ...]
    camps: tuple[Camp, ...]
    # False when the user defined no camps and the defaults stand in: a story then gets sides of its own.
    user_camps: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_camps", bool(self.camps))
        if not self.camps:
            object.__setattr__(self, "camps", default_camps(self.outlets))
        index, hosts = _indexes(self.outlets)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_hosts", hosts)

    def outlet(self, credited: str | None) -> Outlet | None:
        if not credited:
            return None
        key = fold(credited)
        found = self._index.get(key)
        if found is None and key.startswith("the "):
            found = self._index.get(key[4:])
        if found is None and looks_like_host(credited):
            found = self.outlet_at(credited.strip().lower())
        return found

    def outlet_at(self, host: str | None) -> Outlet | None:
        """The pack outlet whose domain serves this host: the host itself, else its nearest parent domain."""
        if not host:
            return None
        return next((self._hosts[d] for d in domain_candidates(host) if d in self._hosts), None)

    def name_for(self, credited: str | None, via: str | None, url: str | None) -> tuple[str | None, str | None]:
        """The outlet to store for an article and how it was named, from the strongest evidence present: what the
        input or a credit line in the text names; else the pack outlet of the URL's host; else the site name in
        the page's metadata; else the host itself, so an outlet no pack knows is still named; else the agency of
        a wire dateline (it wrote the story, but whoever carried it is a better answer when known)."""
        if credited and via not in ("metadata", "dateline"):
            return self.canonical_name(credited), via
        host = host_of(url)
        known = self.outlet_at(host)
        if known is not None:
            return known.name, "url"
        if credited and via == "metadata":
            return self.canonical_name(credited), via
        if host:
            return site_name(host), "url"
        return self.canonical_name(credited), via if credited else None

    def canonical_name(self, credited: str | None) -> str | None:
        outlet = self.outlet(credited)
        if outlet is None and looks_like_host(credited):
            return site_name(credited.strip().lower())  # "www.example.org" and "example.org" are one outlet
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
            # ... or be known by the country of its national domain ("lenta.ru").
            country = country_of_host(credited.strip().lower()) if looks_like_host(credited) else None
            for camp in self.camps:
                if country and country in camp.rule.countries:
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


@lru_cache(maxsize=4)
def _indexes(outlets: tuple[Outlet, ...]) -> tuple[dict[str, Outlet], dict[str, Outlet]]:
    """Outlets by folded name, alias and domain, and by host. Kept: a briefing sees the same outlets through
    a story's own camps or sides, and folding a few thousand names costs more than the rest of the lookup."""
    index: dict[str, Outlet] = {}
    hosts: dict[str, Outlet] = {}
    for outlet in outlets:
        for name in (outlet.name, outlet.id, *outlet.aliases, *outlet.domains):
            index.setdefault(fold(name), outlet)
        for domain in outlet.domains:
            host = host_of(domain)
            if host:
                hosts.setdefault(host.removeprefix("www."), outlet)
    return index, hosts


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
