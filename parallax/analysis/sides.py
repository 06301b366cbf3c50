"""Sides named for a story, for when the user has defined no camps.

A story is about a few parties (the countries its articles name most, directly or through their people and places);
each party has its state-funded media and its other press. Everyone else is an international wire, the press of a
region, or unattributed. A party's own media are expected to carry its story, so their silence is the telling
blindspot; a region's silence is not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from parallax.analysis.camps import slug
from parallax.knowledge.regions import PRESS_OF, REGION_OF, REGIONS
from parallax.model import Camp, CampRule, Outlet

MAX_PARTIES = 3
# A country named in fewer than half as many articles as the most named one is a bystander, not a party.
PARTY_SHARE = 0.5


@dataclass(frozen=True)
class Sides:
    camps: tuple[Camp, ...]  # in reading order: the parties' camps, wires, regions
    parties: tuple[str, ...]
    expected: tuple[str, ...]  # names of the camps expected to carry the story, the most telling first


def countries_named(
    actors_by_article: dict[int, Iterable[str]], actors: dict[str, dict], countries: set[str]
) -> tuple[Counter, Counter]:
    """How many articles name each country, itself or through an actor of it (a minister, a town), and how many
    times in all. ``actors``: id -> {"kind", "name", "country"}; ``countries``: the names that are countries."""
    articles: Counter = Counter()
    mentions: Counter = Counter()
    for ids in actors_by_article.values():
        found = []
        for actor_id in ids:
            actor = actors.get(actor_id)
            if actor is None:
                continue
            country = actor.get("country")
            if not country and actor.get("kind") == "place" and actor.get("name") in countries:
                country = actor["name"]
            if country:
                found.append(country)
        articles.update(set(found))
        mentions.update(found)
    return articles, mentions


def story_parties(articles: Counter, mentions: Counter | None = None) -> tuple[str, ...]:
    """The countries a story is about: the one named in the most articles (then most often), and those named
    nearly as widely and as often; at most MAX_PARTIES. A country named once in passing in a short story (the
    city where talks may be held) is a bystander."""
    mentions = mentions if mentions is not None else articles
    ranked = sorted(articles, key=lambda c: (-articles[c], -mentions[c], c))
    if not ranked:
        return ()
    top = ranked[0]
    return tuple(c for c in ranked[:MAX_PARTIES]
                 if articles[c] >= PARTY_SHARE * articles[top] and mentions[c] >= PARTY_SHARE * mentions[top])


def story_sides(outlets: tuple[Outlet, ...], parties: tuple[str, ...]) -> Sides:
    camps: list[Camp] = []
    expected_state: list[str] = []
    expected_press: list[str] = []
    wires = tuple(o.id for o in outlets if o.ownership == "wire")
    for party in parties:
        own = [o for o in outlets if o.country == party and o.ownership != "wire"]
        state = tuple(o.id for o in own if o.ownership == "state-funded")
        press = tuple(o.id for o in own if o.ownership != "state-funded")
        if state:
            camps.append(Camp(id=f"state-media-{slug(party)}", name=f"{party}: state media", rule=CampRule(outlets=state)))
            expected_state.append(camps[-1].name)
        # The country rule also takes outlets no pack knows whose national domain is the party's.
        camps.append(Camp(id=f"independent-{slug(party)}", name=f"{party}: other press",
                          rule=CampRule(outlets=press, countries=(party,))))
        if press:
            expected_press.append(camps[-1].name)
    # Listing the wires by id puts a wire ahead of its home country's press when that country is a party.
    camps.append(Camp(id="international-wires", name="International wires", rule=CampRule(outlets=wires,
                                                                                          ownership=("wire",))))
    outlet_countries = {o.country for o in outlets if o.country}
    for region in REGIONS:
        members = tuple(sorted(c for c, r in REGION_OF.items() if r == region and c not in parties))
        name = PRESS_OF[region]
        if any(REGION_OF.get(p) == region for p in parties):
            name = f"Other {name}"  # "Other European press" when Russia and Ukraine are the parties
        camps.append(Camp(id=f"press-{slug(region)}", name=name, rule=CampRule(countries=members)))
    elsewhere = tuple(sorted(c for c in outlet_countries if c not in REGION_OF and c not in parties))
    if elsewhere:
        camps.append(Camp(id="press-elsewhere", name="Other countries' press", rule=CampRule(countries=elsewhere)))
    # A party's state media first: its silence on a story about its own country says the most.
    return Sides(tuple(camps), parties, tuple(expected_state + expected_press))
