"""The sides a view sorts outlets into when the user has defined no camps.

One story is seen through sides named for it (parallax.analysis.sides): its parties' state media and other press,
the wires, the press of each region. A view over the whole corpus (the camps list, the export, the stories list
with its bars) uses the sides of all stories together, so that it names the sides the briefings name, and lists
only those that carried something or are a party's own media, never every country's default pair.

A country named as the host or broker of talks ("talks in Istanbul", "Qatar-brokered") is a mediator and is not
counted towards the parties.
"""

from __future__ import annotations

from parallax.analysis.camps import UNATTRIBUTED, OutletDirectory, with_camps
from parallax.analysis.sides import WINDOW, Sides, mediating, parties_and_mediators, story_sides
from parallax.knowledge.regions import REGION_OF
from parallax.model import Camp
from parallax.store import read
from parallax.store.db import Store
from parallax.store.side_reads import mention_windows, story_sizes


def _parties_of(store: Store, directory: OutletDirectory, windows: dict) -> dict[int | None, tuple[str, ...]]:
    """The parties of each story whose articles ``windows`` holds (see side_reads.mention_windows)."""
    ids = sorted({actor for _story, found in windows.values() for actor, _b, _a in found})
    actors = {a["id"]: a for a in read.actors(store, ids)} if ids else {}
    countries = {o.country for o in directory.outlets if o.country} | set(REGION_OF)
    countries |= {a["country"] for a in actors.values() if a["country"]}
    by_story: dict[int | None, dict[int, list[tuple[str, bool]]]] = {}
    for article, (story, found) in windows.items():
        by_story.setdefault(story, {})[article] = [(actor, mediating(before, after)) for actor, before, after in found]
    return {story: parties_and_mediators(found, actors, countries)[0] for story, found in by_story.items()}


def story_directory(store: Store, directory: OutletDirectory, own_camps: list[Camp],
                    article_ids: list[int]) -> tuple[OutletDirectory, Sides | None]:
    """The outlets seen through the camps a story's briefing uses: the story's own, else the user's global ones,
    else sides named for the story (returned too)."""
    if own_camps:
        return with_camps(directory, own_camps), None
    if directory.user_camps:
        return directory, None
    windows = {a: (None, found) for a, (_s, found) in mention_windows(store, article_ids, WINDOW).items()}
    parties = _parties_of(store, directory, windows).get(None, ())
    sides = story_sides(directory.outlets, parties)
    return OutletDirectory(directory.outlets, sides.camps), sides


def story_parties_all(store: Store, directory: OutletDirectory) -> dict[int, tuple[str, ...]]:
    """The parties of every story, from one pass over the stored names."""
    return {s: p for s, p in _parties_of(store, directory, mention_windows(store, None, WINDOW)).items()
            if s is not None}


def corpus_directory(store: Store, directory: OutletDirectory) -> tuple[OutletDirectory, Sides | None,
                                                                         dict[int, tuple[str, ...]]]:
    """The outlets seen through the sides of every story together (the parties of the largest stories first),
    the sides, and each story's parties; the user's camps as they are when there are any."""
    if directory.user_camps:
        return directory, None, {}
    parties = story_parties_all(store, directory)
    sizes = story_sizes(store)
    union: dict[str, None] = {}
    for story in sorted(parties, key=lambda s: (-sizes.get(s, 0), s)):
        union.update(dict.fromkeys(parties[story]))
    sides = story_sides(directory.outlets, tuple(union))
    return OutletDirectory(directory.outlets, sides.camps), sides, parties


def sides_directory(directory: OutletDirectory, parties: tuple[str, ...]) -> OutletDirectory:
    """A story's directory from its parties, as its briefing builds it (no own or user camps)."""
    return OutletDirectory(directory.outlets, story_sides(directory.outlets, parties).camps)


def worth_listing(camps: list[dict], sides: Sides | None, seen: set[str]) -> list[dict]:
    """Of a view's camp rows ({"name", "outlets"}), those a reader needs: with sides, a camp that holds an outlet
    seen in the corpus or is a party's own media (expected to carry its story); the user's camps all.
    Unattributed stays (the export promises it last)."""
    if sides is None:
        return camps
    expected = set(sides.expected)
    return [c for c in camps if c["name"] in expected or c["id"] == UNATTRIBUTED.id
            or any(o in seen for o in c["outlets"])]
