"""Knowledge packs and the resolution of names to actors."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import EXAMPLES
from parallax.knowledge.names import alias_key
from parallax.knowledge.packs import PackError, load_pack
from parallax.knowledge.registry import Registry
from parallax.model import Actor, Analysis, Entity
from parallax.nlp.actors import resolve


def test_the_example_pack_loads():
    pack = load_pack(EXAMPLES / "pack")
    assert len(pack.outlets) >= 5 and len(pack.camps) == 3
    volostny = next(a for a in pack.actors if a.name == "Arkady Volostny")
    assert volostny.kind == "person" and volostny.roles and volostny.roles[0].start <= date(2026, 3, 1)


@pytest.mark.parametrize(
    "text, message",
    [
        ("actors: [\n  - id: a\n", "line"),
        ("actors:\n  - id: a\n", "line 2: missing field(s) name"),
        ("actors:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", "line 3: duplicate id 'a' (first at line 2)"),
        ("actors:\n  - {id: a, name: A, kind: robot}\n", "kind 'robot'"),
        ("outlets:\n  - {id: o, name: O, colour: red}\n", "unknown field(s) colour"),
        ("camps:\n  - {id: c, name: C, rule: {languages: [en]}}\n", "unknown rule field(s) languages"),
        ("people: []\n", "unknown top-level key(s) people"),
        ("actors:\n  - id: a\n    name: A\n    roles: [{title: X, from: someday}]\n", "'someday' is not an ISO date"),
    ],
)
def test_bad_packs_name_the_file_and_the_problem(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(PackError) as raised:
        load_pack(path)
    assert str(path) in str(raised.value) and message in str(raised.value)


def test_missing_pack_and_empty_directory(tmp_path):
    with pytest.raises(PackError, match="no such pack"):
        load_pack(tmp_path / "nope.yaml")
    with pytest.raises(PackError, match="no .yaml files"):
        load_pack(tmp_path)


@pytest.mark.parametrize(
    "a, b",
    [("Zelenskyy", "Zelensky"), ("Zelenskiy", "Zelensky"), ("Sergey Lavrov", "Sergei Lavrov"),
     ("Kharkiv", "Harkiv"), ("Marko Hrabets", "Marco Hrabec"), ("President Arkady Volostny", "Arkady Volostny")],
)
def test_transliteration_variants_share_a_key(a, b):
    assert alias_key(a) == alias_key(b)


def _entity(i, name, kind="person"):
    return Entity(id=i, name=name, kind=kind)


def test_resolution_links_variants_and_refuses_to_guess():
    registry = Registry.of([
        Actor(id="volostny", name="Arkady Volostny", kind="person"),
        Actor(id="verbytska", name="Ilona Verbytska", kind="person", aliases=("Ilona Verbitskaya",)),
        Actor(id="zarechensk", name="Zarechensk", kind="place", aliases=("Zarichensk",)),
    ])
    analysis = Analysis(entities=(
        _entity(0, "Arkadiy Volostniy"),       # transliteration
        _entity(1, "Arkady Volostnoi"),        # garbled ending
        _entity(2, "Ilona Verbitska"),         # mixed spelling
        _entity(3, "Zarichensk", "place"),
        _entity(4, "Volostny"),                # surname only
        _entity(5, "Pavel Volkov"),            # nobody we know: a corpus actor, not a wrong link
        _entity(6, "Arkady Petrov"),           # same first name, other surname: no link
    ))
    resolution = resolve(analysis, registry)
    got = resolution.actor_of
    assert got[0] == got[1] == got[4] == "volostny"
    assert got[2] == "verbytska" and got[3] == "zarechensk"
    assert got[5] == "pavel-volkov" and got[6] == "arkady-petrov"
    assert {a.id for a in resolution.new_actors} == {"pavel-volkov", "arkady-petrov"}
    # the variants seen are remembered as aliases of the actor they resolved to
    assert ("volostny", "Arkadiy Volostniy", alias_key("Arkadiy Volostniy")) not in resolution.new_aliases  # same key
    assert any(alias == "Arkady Volostnoi" for _, alias, _ in resolution.new_aliases)


def test_a_surname_shared_by_two_actors_is_not_linked():
    registry = Registry.of([
        Actor(id="a", name="Anna Kim", kind="person"),
        Actor(id="b", name="Boris Kim", kind="person"),
    ])
    got = resolve(Analysis(entities=(_entity(0, "Kim"),)), registry).actor_of
    assert got[0] not in {"a", "b"}


def test_descriptions_resolve_through_roles_for_the_date():
    from parallax.model import Role
    from parallax.nlp.roles import resolve_description

    actors = {a.id: a for a in [
        Actor(id="hrabets", name="Marko Hrabets", kind="person",
              roles=(Role("President", country="Dravenia", start=date(2022, 5, 20)),)),
        Actor(id="old", name="Old President", kind="person",
              roles=(Role("President", country="Dravenia", start=date(2015, 1, 1), end=date(2022, 5, 19)),)),
        Actor(id="holtvik", name="Maren Holtvik", kind="person",
              roles=(Role("Special Envoy", organisation="Aldmark Foreign Ministry", country="Aldmark"),)),
        Actor(id="savchyn", name="Andriy Savchyn", kind="person",
              roles=(Role("Chief Negotiator", country="Dravenia"),)),
    ]}
    assert resolve_description("the Dravenian leader", [], actors, date(2026, 3, 1)) == "hrabets"
    assert resolve_description("the Dravenian leader", [], actors, date(2020, 3, 1)) == "old"
    assert resolve_description("Aldmark's mediator", [], actors, date(2026, 3, 1)) == "holtvik"
    # two people fit "the mediator": only the one the article names is taken, else nobody
    assert resolve_description("the mediator", [], actors, date(2026, 3, 1)) is None
    assert resolve_description("the mediator", ["savchyn"], actors, date(2026, 3, 1)) == "savchyn"
    assert resolve_description("a senior official", [], actors, date(2026, 3, 1)) is None
    assert resolve_description("the Brevnian leader", [], actors, date(2026, 3, 1)) is None
