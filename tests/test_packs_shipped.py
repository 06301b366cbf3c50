"""The packs shipped with Parallax: valid, large enough, and loaded fast into every database."""

from __future__ import annotations

import time
from datetime import date

from parallax.knowledge.names import alias_key
from parallax.knowledge.packs import SHIPPED, load_pack, load_shipped
from parallax.knowledge.registry import Registry
from parallax.model import Entity
from parallax.nlp.actors import link
from parallax.nlp.roles import resolve_description


def test_every_shipped_file_validates_and_ids_are_unique_across_files():
    files = sorted(SHIPPED.glob("*.yaml"))
    assert {f.name for f in files} >= {"officials.yaml", "places.yaml", "organisations.yaml", "outlets.yaml"}
    ids: dict[str, str] = {}
    for f in files:
        pack = load_pack(f)  # raises PackError naming the file and line on any mistake
        for item in (*pack.actors, *pack.outlets):
            assert item.id not in ids, f"{item.id} in {f.name} and {ids[item.id]}"
            ids[item.id] = f.name


def test_the_packs_cover_what_the_issue_asks_for():
    pack = load_shipped()
    people = [a for a in pack.actors if a.kind == "person"]
    assert len(people) >= 300
    assert all(a.roles and all(r.title for r in a.roles) for a in people)
    assert sum(1 for a in people if a.aliases) >= 200
    assert len(pack.outlets) >= 150
    assert all(o.domains and o.country and o.ownership for o in pack.outlets)
    assert {"state-funded", "public", "private", "wire"} <= {o.ownership for o in pack.outlets}
    assert pack.camps == ()  # shipped camps would replace the user's


def test_open_roles_are_not_older_than_their_successors():
    """Two people holding the same open role in one country means a missing 'to' date."""
    pack = load_shipped()
    open_roles: dict[tuple, list[str]] = {}
    for actor in pack.actors:
        for role in actor.roles:
            if role.end is None and role.title in {"President", "Prime Minister", "Foreign Minister", "Defence Minister"} and role.country:
                open_roles.setdefault((role.title, role.country), []).append(actor.id)
    clashes = {k: v for k, v in open_roles.items() if len(v) > 1}
    assert not clashes


def test_variants_from_both_sides_resolve_to_one_actor():
    registry = Registry.of(list(load_shipped().actors))
    on = date(2025, 6, 1)
    for text, kind, expected in [
        ("Kiev", "place", "kyiv"), ("Nikolaev", "place", "mykolaiv"), ("Kharkov", "person", "kharkiv"),
        ("Volodymyr Zelenskyy", "person", "volodymyr-zelensky"), ("Sergey Lavrov", "person", "sergei-lavrov"),
        ("Peskov", "organization", "dmitry-peskov"), ("Alyaksandr Lukashenka", "person", "alexander-lukashenko"),
    ]:
        assert link(Entity(0, text, kind), registry, on)[0] == expected, text
    actors = registry.actors
    assert resolve_description("the Kremlin spokesman", [], actors, on) == "dmitry-peskov"
    assert resolve_description("NATO's secretary general", [], actors, on) == "mark-rutte"
    assert resolve_description("NATO's secretary general", [], actors, date(2020, 1, 1)) == "jens-stoltenberg"
    assert resolve_description("Russia's top diplomat", [], actors, on) == "sergei-lavrov"


def test_relatives_and_namesakes_are_not_linked():
    registry = Registry.of(list(load_shipped().actors))
    for text in ("Olena Zelenska", "Jill Biden", "Daniil Medvedev", "Li Keqiang", "Maher al-Assad", "Kim"):
        assert link(Entity(0, text, "person"), registry)[0] is None, text


def test_shipped_packs_load_and_index_quickly():
    started = time.perf_counter()
    pack = load_shipped()
    Registry.of(list(pack.actors))
    assert time.perf_counter() - started < 2.0
    assert all(alias_key(a.name) for a in pack.actors)
