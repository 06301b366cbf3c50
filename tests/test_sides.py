"""Sides that read well: with no camps defined, a story's outlets are sorted into a few sides named for the story
(each party's state media and other press, the wires, the press of other regions), the coverage line lists only the
sides that carried it or were expected to, and a blindspot note names at most three missing sides."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from conftest import EXAMPLES
from parallax.analysis.camps import OutletDirectory
from parallax.analysis.coverage import blindspot
from parallax.analysis.sides import countries_named, story_parties, story_sides
from parallax.knowledge.packs import load_shipped


def parallax(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *args], capture_output=True, text=True,
                          timeout=600)


def test_the_parties_are_the_countries_the_articles_name_most_through_places_and_people():
    actors = {
        "russia": {"kind": "place", "name": "Russia", "country": None},
        "ukraine": {"kind": "place", "name": "Ukraine", "country": None},
        "kyiv": {"kind": "place", "name": "Kyiv", "country": "Ukraine"},
        "red-sea": {"kind": "place", "name": "Red Sea", "country": None},  # a place, not a country
        "envoy": {"kind": "person", "name": "An Envoy", "country": "Turkey"},
        "un": {"kind": "organization", "name": "United Nations", "country": None},
    }
    by_article = {1: ["russia", "kyiv", "red-sea"], 2: ["ukraine", "russia", "un"], 3: ["kyiv", "ukraine", "russia"],
                  4: ["russia", "envoy", "red-sea"]}
    articles, mentions = countries_named(by_article, actors, {"Russia", "Ukraine", "Turkey"})
    # an article naming Kyiv and Ukraine counts once for Ukraine
    assert articles == Counter({"Russia": 4, "Ukraine": 3, "Turkey": 1})
    assert mentions == Counter({"Russia": 4, "Ukraine": 4, "Turkey": 1})
    assert story_parties(articles, mentions) == ("Russia", "Ukraine")  # Turkey, in one article of four: a bystander
    assert story_parties(Counter({"A": 3, "B": 3, "C": 3, "D": 3})) == ("A", "B", "C")
    # one article: the countries it names most often, not every country it names once
    assert story_parties(Counter({"Russia": 1, "Turkey": 1, "Ukraine": 1}),
                         Counter({"Russia": 3, "Turkey": 1, "Ukraine": 2})) == ("Russia", "Ukraine")
    assert story_parties(Counter()) == ()


@pytest.fixture(scope="module")
def war_sides():
    pack = load_shipped()
    sides = story_sides(pack.outlets, ("Russia", "Ukraine"))
    return sides, OutletDirectory(pack.outlets, sides.camps)


@pytest.mark.parametrize("outlet, camp", [
    ("TASS", "Russia: state media"), ("RT", "Russia: state media"), ("Ukrinform", "Ukraine: state media"),
    ("Kyiv Independent", "Ukraine: other press"), ("Kommersant", "Russia: other press"),
    ("Reuters", "International wires"), ("Associated Press", "International wires"),
    ("BBC News", "Other European press"), ("Al Jazeera", "Middle Eastern and North African press"),
    ("NBC News", "North American press"), ("Xinhua", "Asian and Pacific press"),
    ("lenta-example.ru", "Russia: other press"),  # no pack knows it; its national domain does
    ("velgrad-herald.example", "Unattributed"),
])
def test_outlets_fall_into_the_sides_of_a_war_story(war_sides, outlet, camp):
    _sides, directory = war_sides
    assert directory.camp(outlet).name == camp


def test_the_sides_are_few_and_each_partys_own_media_are_expected(war_sides):
    sides, _directory = war_sides
    assert sides.parties == ("Russia", "Ukraine")
    assert sides.expected == ("Russia: state media", "Ukraine: state media", "Russia: other press",
                              "Ukraine: other press")
    assert len(sides.camps) <= 12  # 4 party sides, the wires, 6 regions (and a catch-all) instead of 31 camps


def test_a_blindspot_names_at_most_three_missing_sides_most_telling_first():
    camps = tuple(f"camp {i}" for i in range(8))
    found = blindspot({"camp 0": 5}, camps)
    assert found.missing == ("camp 1", "camp 2", "camp 3")
    assert found.note.endswith("no coverage from camp 1, camp 2 or camp 3 (nor from 4 other camps).")
    expected = ("camp 5", "camp 0", "camp 2")
    found = blindspot({"camp 0": 5, "camp 7": 1}, camps, expected=expected)
    assert found.missing == ("camp 5", "camp 2") and "camp 3" not in found.note and "nor from" not in found.note


# Invented reports of one fictional event on the URLs of real outlets; the three Russian state outlets carry it
# and no Ukrainian or other outlet does.
STATE_ONLY = [
    ("https://tass.com/politics/1900001", "Moscow proposes new round of prisoner exchange talks with Kyiv"),
    ("https://www.rt.com/russia/600101-exchange-talks/", "Russia ready for exchange talks with Ukraine, Moscow says"),
    ("https://ria.ru/20260301/obmen-1900002.html", "Moscow names date for exchange talks with Ukraine"),
]
BODY = ("Russia is ready to hold a new round of talks with Ukraine on a prisoner exchange, the foreign ministry in "
        "Moscow said on Sunday. The talks could take place in Istanbul next week, the ministry said, adding that "
        "Kyiv had not yet answered the proposal. Officials in Moscow said the list of prisoners was ready. {n}")


@pytest.fixture(scope="module")
def state_only(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sides")
    dump = tmp / "dump.jsonl"
    dump.write_text("".join(json.dumps({"title": t, "text": BODY.format(n=f"Report {i}."), "url": u,
                                        "date": "2026-03-01"}) + "\n" for i, (u, t) in enumerate(STATE_ONLY)))
    db = tmp / "p.db"
    result = parallax(db, "ingest", str(dump), "-q")
    assert result.returncode == 0, result.stderr
    brief = parallax(db, "brief", "--format", "json")
    assert brief.returncode == 0, brief.stderr
    return db, json.loads(brief.stdout), parallax(db, "brief").stdout


def test_a_story_only_one_partys_state_media_carried_is_a_blindspot_naming_the_silent_sides(state_only):
    _db, brief, markdown = state_only
    assert brief["camps_scope"] == "sides" and brief["parties"] == ["Russia", "Ukraine"]
    assert [c["camp"] for c in brief["coverage"]] == ["Russia: state media"]
    assert brief["blindspot"].startswith("This story is carried mostly by Russia: state media (3 of 3 sources")
    assert "no coverage from Ukraine: state media, Russia: other press or Ukraine: other press" in brief["blindspot"]
    # the coverage line lists the side that carried it and the sides expected to, nothing else
    line = next(x for x in markdown.splitlines() if x.startswith("Sides that carried this story"))
    assert "Russia: state media" in line and "Ukraine: other press" in line
    assert "Asian" not in line and "International wires" not in line and len(line) < 300


def test_the_camps_command_shows_the_sides_a_storys_briefing_uses(state_only):
    db, _brief, _markdown = state_only
    shown = parallax(db, "camps", "--story", "1", "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["scope"] == "sides" and "Russia" in data["parties"]
    tass = next(c for c in data["camps"] if c["name"] == "Russia: state media")
    assert "TASS" in tass["outlets"]


@pytest.fixture(scope="module")
def sample_without_camps(tmp_path_factory, sample_corpus):
    """The sample corpus with its actors and outlets but none of its camps: the user defined no sides."""
    tmp = tmp_path_factory.mktemp("nocamps")
    pack = tmp / "pack"
    pack.mkdir()
    for name in ("actors.yaml", "outlets.yaml"):
        shutil.copy(EXAMPLES / "pack" / name, pack / name)
    db = tmp / "p.db"
    result = parallax(db, "ingest", str(sample_corpus), "--pack", str(pack), "-q")
    assert result.returncode == 0, result.stderr
    return db


def test_the_sample_story_is_briefed_through_sides_named_for_its_parties(sample_without_camps):
    brief = json.loads(parallax(sample_without_camps, "brief", "--format", "json").stdout)
    assert brief["camps_scope"] == "sides"
    assert {"Brevnia", "Dravenia"} <= set(brief["parties"])
    assert {"Brevnia: state media", "Dravenia: state media", "Brevnia: other press"} <= set(brief["camps"])
    assert len(brief["camps"]) <= 8
    carried = {c["camp"]: dict(c["outlets"]) for c in brief["coverage"]}
    assert carried["Brevnia: state media"] == {"Brevnia Today": 5}
    assert "Radio Dravenia" in carried["Dravenia: state media"]
    assert "Meridian News Agency" in carried["International wires"]
    for speaker in brief["speakers"]:
        for statement in speaker["statements"]:
            if statement["blindspot"] and "no coverage from" in statement["blindspot"]:
                missing = statement["blindspot"].split("no coverage from ", 1)[1]
                assert missing.count(":") <= 3  # at most three sides named


def test_the_web_story_page_shows_the_sides_and_the_blindspot(state_only):
    pytest.importorskip("fastapi", reason="fastapi is not installed (pip install -e .)")
    from fastapi.testclient import TestClient

    from parallax.web import create_app

    db, _brief, _markdown = state_only
    client = TestClient(create_app(str(db)))
    page = client.get("/stories/1")
    assert page.status_code == 200
    assert "Sides that carried this story or were expected to, a story about Russia and Ukraine" in page.text
    assert "carried mostly by Russia: state media" in page.text
    api = client.get("/api/stories/1").json()["briefing"]
    assert api["camps_scope"] == "sides" and api["parties"] == ["Russia", "Ukraine"]


# --- mediators, and the views over the whole corpus (issue 12 leftovers) -----------------------------------------

@pytest.mark.parametrize("before, after, hosting", [
    ("Ceasefire talks in ", " ended without a deal", True),            # "talks in Istanbul"
    ("the ", "-brokered truce held", True),                           # "Qatar-brokered"
    ("an exchange mediated by ", " on Friday", True),
    ("", " hosted the talks on Monday", True),
    ("The next round of talks will be held in ", " next week", True),
    ("", ", the mediator, said", True),
    ("", " mediators thanked both sides", True),
    ("Officials in ", " said the corridor was closed", False),
    ("forces attacked ", " on Monday", False),
    ("Ukraine accused ", " of stalling the talks", False),
    ("", "'s special envoy to the UN said", False),
])
def test_a_country_named_as_host_or_broker_of_talks_is_told_from_a_side(before, after, hosting):
    from parallax.analysis.sides import mediating

    assert mediating(before, after) is hosting


def test_a_mediator_is_not_a_party_but_a_party_hosting_a_round_still_is():
    from parallax.analysis.sides import parties_and_mediators

    actors = {"russia": {"kind": "place", "name": "Russia", "country": None},
              "ukraine": {"kind": "place", "name": "Ukraine", "country": None},
              "moscow": {"kind": "place", "name": "Moscow", "country": "Russia"},
              "istanbul": {"kind": "place", "name": "Istanbul", "country": "Turkey"},
              "envoy": {"kind": "person", "name": "A Turkish Envoy", "country": "Turkey"}}
    countries = {"Russia", "Ukraine", "Turkey"}
    # every article names Istanbul as the venue, and Turkey's envoy as often as the parties' people
    found = {n: [("russia", False), ("ukraine", False), ("istanbul", True), ("envoy", False), ("envoy", False)]
             for n in range(4)}
    found[4] = [("moscow", True), ("russia", False), ("ukraine", False)]  # one round in Moscow
    parties, mediators = parties_and_mediators(found, actors, countries)
    assert parties == ("Russia", "Ukraine") and mediators == ("Turkey",)


def test_the_host_of_the_sample_talks_is_a_mediator_not_a_party(sample_without_camps):
    brief = json.loads(parallax(sample_without_camps, "brief", "--format", "json").stdout)
    assert set(brief["parties"]) == {"Brevnia", "Dravenia"}  # Aldmark brokers the exchange and hosts the talks
    assert not any(camp.startswith("Aldmark") for camp in brief["camps"])


DEFAULT_PAIRS = ("Belarus: state media", "China: state media", "Iran: state media", "Qatar: other press")


def test_the_global_camps_view_and_the_export_list_the_stories_sides_not_every_default_camp(sample_without_camps):
    shown = parallax(sample_without_camps, "camps", "--json")
    assert shown.returncode == 0, shown.stderr
    view = json.loads(shown.stdout)
    assert view["scope"] == "sides" and {"Brevnia", "Dravenia"} <= set(view["parties"])
    names = [c["name"] for c in view["camps"]]
    assert len(names) <= 8 and not set(DEFAULT_PAIRS) & set(names)
    assert {"Brevnia: state media", "Dravenia: state media", "International wires"} <= set(names)
    exported = parallax(sample_without_camps, "export")
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert [c["name"] for c in document["camps"]] == names and names[-1] == "Unattributed"
    # every camp listed holds an outlet of the corpus or belongs to a party
    seen = {a["outlet"] for a in document["articles"] if a["outlet"]}
    for camp in document["camps"][:-1]:
        assert set(camp["outlets"]) & seen or camp["name"].split(":")[0] in view["parties"], camp
    main = max(document["stories"], key=lambda s: len(s["article_ids"]))
    assert set(main["parties"]) == {"Brevnia", "Dravenia"}


def test_the_stories_list_counts_each_story_in_the_sides_its_briefing_uses(sample_without_camps):
    pytest.importorskip("fastapi", reason="fastapi is not installed (pip install -e .)")
    from fastapi.testclient import TestClient

    from parallax.web import create_app

    client = TestClient(create_app(str(sample_without_camps)))
    stories = client.get("/api/stories").json()["stories"]
    assert stories
    for row in stories:
        briefing = client.get(f"/api/stories/{row['id']}").json()["briefing"]
        assert set(row["camps"]) <= set(briefing["camps"]) | {"Unattributed"}, (row["camps"], briefing["camps"])
        carried = {c["camp"]: sum(n for _o, n in c["outlets"]) for c in briefing["coverage"]}
        assert {k: v for k, v in row["camps"].items() if k != "Unattributed"} == \
            {k: v for k, v in carried.items() if k != "Unattributed"}
    page = client.get("/").text
    assert not any(name in page for name in DEFAULT_PAIRS)
