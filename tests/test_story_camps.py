"""Camps defined for one story (`parallax camps ... --story ID`): stored, shown, edited and removed through the
CLI, used by that story's briefing and export instead of the global camps, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import EXAMPLES
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from parallax.cli import app
from parallax.store.db import database_url

# Enough of the sample corpus for one story carried by both sides and the wire.
FILES = ("dumps/wire.jsonl", "txt/brevnia_today_corridor.txt", "txt/radio_dravenia_corridor.txt")


def cli(db: str, *args: str, code: int = 0):
    result = CliRunner().invoke(app, ["--db", db, *args])
    assert result.exit_code == code, (args, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def brief(db: str, story: int) -> dict:
    return json.loads(cli(db, "brief", str(story), "--format", "json").stdout)


@pytest.fixture
def story_db(db_url, tmp_path):
    corpus = tmp_path / "corpus"
    for name in FILES:
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLES / "corpus" / name, corpus / name)
    cli(db_url, "ingest", str(corpus), "--pack", str(EXAMPLES / "pack"), "-q")
    largest = json.loads(cli(db_url, "stories", "--json").stdout)[0]  # largest first
    return db_url, largest["id"]


def test_a_story_with_its_own_camps_is_briefed_through_them_and_the_others_are_not(story_db):
    db, story = story_db
    before = brief(db, story)
    assert before["camps_scope"] == "global" and "Dravenian side" in before["camps"]
    shown = json.loads(cli(db, "camps", "--story", str(story), "--json").stdout)
    assert shown["scope"] == "global" and shown["story_id"] == story

    cli(db, "camps", "add", "brevnian-press", "--name", "Brevnian press", "--country", "Brevnia", "--story", str(story))
    cli(db, "camps", "add", "wires", "--name", "Wires", "--ownership", "wire", "--story", str(story))
    cli(db, "camps", "add", "wires", "--name", "Again", "--ownership", "wire", "--story", str(story), code=2)
    assert "no story" in cli(db, "camps", "add", "x", "--name", "X", "--country", "Brevnia", "--story", "999",
                             code=2).output

    shown = json.loads(cli(db, "camps", "--story", str(story), "--json").stdout)
    camps = {c["id"]: c for c in shown["camps"]}
    assert shown["scope"] == "story" and list(camps) == ["brevnian-press", "wires", "unattributed"]
    assert "Brevnia Today" in camps["brevnian-press"]["outlets"] and "Radio Dravenia" in camps["unattributed"]["outlets"]
    table = cli(db, "camps", "--story", str(story))
    assert "Brevnian press" in table.stdout and f"camps of story {story}" in table.output

    # The global camps are untouched, and so is the briefing of any other story.
    assert "brevnian-press" not in {c["id"] for c in json.loads(cli(db, "camps", "--json").stdout)["camps"]}

    after = brief(db, story)
    assert after["camps_scope"] == "story" and after["camps"] == ["Brevnian press", "Wires"]
    coverage = {c["camp"]: {o: n for o, n in c["outlets"]} for c in after["coverage"]}
    assert set(coverage) == {"Brevnian press", "Wires", "Unattributed"}
    assert "Radio Dravenia" in coverage["Unattributed"] and "Brevnia Today" in coverage["Brevnian press"]
    statement_camps = {camp for s in after["speakers"] for st in s["statements"] for camp in st["camps"]}
    assert statement_camps <= {"Brevnian press", "Wires", "Unattributed"}
    assert {s["camp"] for s in after["sources"]} <= set(coverage)

    export = json.loads(cli(db, "export", "--format", "json").stdout)
    mine = {c["id"]: c for c in export["story_camps"] if c["story_id"] == story}
    assert set(mine) == {"brevnian-press", "wires"} and "Meridian News Agency" in mine["wires"]["outlets"]
    assert "brevnian-press" not in {c["id"] for c in export["camps"]}

    cli(db, "camps", "edit", "wires", "--name", "Wire services", "--story", str(story))
    cli(db, "camps", "edit", "nope", "--name", "X", "--story", str(story), code=2)
    assert "Wire services" in {c["camp"] for c in brief(db, story)["coverage"]}

    cli(db, "camps", "remove", "wires", "--story", str(story))
    cli(db, "camps", "remove", "wires", "--story", str(story), code=2)
    cli(db, "camps", "remove", "brevnian-press", "--story", str(story))
    back = brief(db, story)
    assert back["camps_scope"] == "global" and back["coverage"] == before["coverage"]


def test_a_database_made_before_story_camps_still_opens_and_takes_them(story_db):
    db, story = story_db
    engine = create_engine(database_url(db))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE story_camps"))
    engine.dispose()
    assert json.loads(cli(db, "camps", "--story", str(story), "--json").stdout)["scope"] == "global"
    cli(db, "camps", "add", "wires", "--name", "Wires", "--ownership", "wire", "--story", str(story))
    assert brief(db, story)["camps_scope"] == "story"


def test_the_web_lists_a_story_with_its_own_camps_by_them(story_db):
    """The story list (page, JSON and CSV) counts a story's articles by the camps defined for it."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from parallax.web import create_app

    db, story = story_db
    cli(db, "camps", "add", "brevnian-press", "--name", "Brevnian press", "--country", "Brevnia", "--story", str(story))
    client = TestClient(create_app(db))
    page = client.get("/stories")
    assert page.status_code == 200 and "Brevnian press" in page.text
    listed = {s["id"]: s for s in client.get("/api/stories").json()["stories"]}
    assert "Brevnian press" in json.dumps(listed[story])
    assert client.get("/api/stories", params={"format": "csv"}).status_code == 200
