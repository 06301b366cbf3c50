"""Sides named for a story, for when the user has defined no camps.

A story is about a few parties (the countries its articles name most, directly or through their people and places);
each party has its state-funded media and its other press. Everyone else is an international wire, the press of a
region, or unattributed. A party's own media are expected to carry its story, so their silence is the telling
blindspot; a region's silence is not.
"""

from __future__ import annotations

import re
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


# A country (or its city) named as the host or broker of talks is a mediator, not a party: "talks in Istanbul",
# "Qatar-brokered", "mediated by Egypt", "Turkey, which hosted the talks". Matched on a few words either side.
_TALKS = r"(?:talks|negotiations|meetings?|summit|round|conference|consultations|ceasefire|truce|deal|agreement)"
_BROKER = r"(?:mediat\w*|broker\w*|host\w*|facilitat\w*|sponsor\w*)"
_MEDIATOR_BEFORE = re.compile(
    rf"(?:\b{_TALKS}\b[^.;:!?\n]{{0,40}}\b(?:in|at)|\b{_BROKER}\s+by|\bmediators?(?:\s+(?:from|of))?|\bvenue(?:\s+in)?)"
    r"\s+(?:the\s+)?(?:city\s+of\s+)?$", re.IGNORECASE)
_MEDIATOR_AFTER = re.compile(
    rf"^(?:'s)?(?:-{_BROKER}\b|\s+(?:(?:is|was|has|had|will|would)\s+(?:been\s+|be\s+)?)?"
    rf"(?:{_BROKER})\b(?!\s+by)|,\s+(?:which|who)\s+(?:(?:is|was|has|had)\s+(?:been\s+)?)?{_BROKER}\b"
    r"|,?\s+(?:the|a|as|acting\s+as)\s+(?:\w+\s+)?mediator\b|(?:'s)?\s+(?:\w+\s+)?mediat(?:ors?|ion)\b)",
    re.IGNORECASE)
WINDOW = 60  # characters looked at either side of a mention
# A country named as host or broker in at least this share of the articles that name it is the mediator. A party
# hosting a round ("talks in Moscow") is named as a side in most of its articles and stays a party.
MEDIATOR_SHARE = 0.5


def mediating(before: str, after: str) -> bool:
    """Whether a name, between ``before`` and ``after`` (a few words of text either side), is named as the
    host or broker of talks rather than as one of their sides."""
    return bool(_MEDIATOR_BEFORE.search(before[-WINDOW:]) or _MEDIATOR_AFTER.match(after[:WINDOW]))


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


def parties_and_mediators(
    found: dict[int, list[tuple[str, bool]]], actors: dict[str, dict], countries: set[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A story's parties, and the countries that host or broke its talks. ``found``: article -> [(actor id,
    named as host or broker)], see ``mediating``. A mediator's people and places do not make it a party."""
    named, _ = countries_named({a: [i for i, _m in ids] for a, ids in found.items()}, actors, countries)
    hosting, _ = countries_named({a: [i for i, m in ids if m] for a, ids in found.items()}, actors, countries)
    mediators = tuple(sorted(c for c in hosting if hosting[c] >= MEDIATOR_SHARE * named[c]))
    articles, mentions = countries_named({a: [i for i, m in ids if not m] for a, ids in found.items()}, actors,
                                         countries)
    for country in mediators:
        articles.pop(country, None)
        mentions.pop(country, None)
    return story_parties(articles, mentions), mediators


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
