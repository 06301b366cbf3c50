"""Pages kept between requests (briefings, actor pages) are rebuilt as soon as the database changes, and what one
response drops from them never leaks into the next."""

from __future__ import annotations

import warnings
from datetime import date

import pytest

from parallax.knowledge.names import alias_key
from parallax.model import Actor, Article, Quote, Speaker
from parallax.store.db import ArticleBundle, ResolvedQuote, Store

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)
pytest.importorskip("fastapi", reason="fastapi is not installed (pip install -e .)")
from fastapi.testclient import TestClient  # noqa: E402

from parallax.web import create_app  # noqa: E402


def _bundle(source: str, day: int, first: bool) -> ArticleBundle:
    text = f"Ilvana Brask said the talks would resume on day {day}."
    quote = Quote(start=17, end=len(text) - 1, text=text[17:-1], kind="indirect", cue="said",
                  speaker=Speaker("Ilvana Brask", 0, 12, 0), said_on=date(2026, 3, day))
    article = Article(source=source, part=0, title=f"Talks {day}", text=text, outlet="Valdoria Today",
                      published=date(2026, 3, day), language="en")
    return ArticleBundle(
        article=article, fingerprint=f"fp-{source}", signature=(1, 2, 3), bands=(),
        mentions=((0, 12, "Ilvana Brask", "brask"),), quotes=(ResolvedQuote(quote, "brask"),),
        new_actors=(Actor(id="brask", name="Ilvana Brask", kind="person"),) if first else (),
        new_aliases=(("brask", "Ilvana Brask", alias_key("Ilvana Brask")),) if first else (),
    )


def test_actor_page_follows_new_data_and_keeps_its_chart(tmp_path):
    db = str(tmp_path / "kept.db")
    store = Store.open(db)
    store.save_article(_bundle("a.txt", 3, first=True))
    client = TestClient(create_app(db))
    assert client.get("/api/actors/brask").json()["quotes"] == 1
    page = client.get("/actors/brask").text  # after the API dropped colours from its copy
    assert 'id="actor-chart"' in page and 'class="mark"' in page
    store.save_article(_bundle("b.txt", 5, first=False))
    data = client.get("/api/actors/brask").json()
    assert data["quotes"] == 2 and len(data["statements"]) == 2
    assert "day 5" in client.get("/actors/brask").text
    store.close()


def test_a_camp_edit_changes_the_key_of_kept_pages(tmp_path):
    from parallax.model import Camp, CampRule
    from parallax.store import web_read
    from parallax.store.camps import add_camp, replace_camp

    store = Store.open(str(tmp_path / "camps.db"))
    store.save_article(_bundle("a.txt", 3, first=True))
    before = web_read.data_version(store)
    add_camp(store, Camp("valdorian", "Valdorian press", CampRule(outlets=("Valdoria Today",))))
    added = web_read.data_version(store)
    # Only the rule changes: the briefing's coverage by camp changes with it.
    replace_camp(store, Camp("valdorian", "Valdorian press", CampRule(countries=("Valdoria",))))
    edited = web_read.data_version(store)
    add_camp(store, Camp("wires", "Wires", CampRule(ownership=("wire",))), 1)  # story 1's own camps
    for_story = web_read.data_version(store)
    assert len({before, added, edited, for_story}) == 4
    store.close()
