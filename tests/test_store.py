"""The store on SQLite and on a real PostgreSQL server: atomic article writes, knowledge, reads."""

from __future__ import annotations

from datetime import date

import pytest

from parallax.knowledge.names import alias_key
from parallax.model import Actor, Article, Camp, CampRule, Outlet, Pack, Quote, Role, Speaker
from parallax.store import read
from parallax.store.db import ArticleBundle, ResolvedQuote, Store, StoreError, database_url


def _bundle(source: str, text: str = "Ilvana Brask said the talks would resume.", actor: str | None = "brask",
            new: bool = True):
    article = Article(source=source, part=0, title="Talks resume", text=text, outlet="Valdoria Today",
                      published=date(2026, 3, 4), language="en")
    quote = Quote(start=17, end=41, text=text[17:41], kind="indirect", cue="said",
                  speaker=Speaker("Ilvana Brask", 0, 12, 0), said_on=date(2026, 3, 4))
    return ArticleBundle(
        article=article,
        fingerprint="fp-" + source,
        signature=(1, 2, 3),
        bands=("b1", "b2"),
        mentions=((0, 12, "Ilvana Brask", actor),),
        quotes=(ResolvedQuote(quote, actor),),
        new_actors=(Actor(id="brask", name="Ilvana Brask", kind="person"),) if actor and new else (),
        new_aliases=(("brask", "Ilvana Brask", alias_key("Ilvana Brask")),) if actor and new else (),
    )


def test_article_is_stored_with_its_quotes_and_actor(db_url):
    store = Store.open(db_url)
    article_id = store.save_article(_bundle("a.txt"))
    [row] = read.articles(store)
    assert row["id"] == article_id and row["outlet"] == "Valdoria Today" and row["published"] == date(2026, 3, 4)
    [quote] = read.quotes(store)
    assert quote["actor_name"] == "Ilvana Brask" and quote["said_on"] == date(2026, 3, 4)
    assert store.article_at("a.txt", 0) == (article_id, "fp-a.txt")
    assert store.article_with_fingerprint("fp-a.txt") == article_id
    assert [c[0] for c in store.near_candidates(("b2", "zz"))] == [article_id]
    store.close()


def test_a_failure_inside_an_article_write_leaves_nothing(db_url, monkeypatch):
    store = Store.open(db_url)
    store.save_article(_bundle("good.txt"))
    import parallax.store.article_rows as rows

    def broken(*_args):
        raise RuntimeError("disk fell off")

    monkeypatch.setattr(rows, "_quote_row", broken)
    with pytest.raises(RuntimeError):
        store.save_article(_bundle("bad.txt", actor=None))
    assert [a["source"] for a in read.articles(store)] == ["good.txt"]
    assert store.count(rows.t.mentions) == 1 and store.count(rows.t.quotes) == 1
    store.close()


def test_saving_the_same_item_again_replaces_it(db_url):
    store = Store.open(db_url)
    store.save_article(_bundle("a.txt"))
    store.save_article(_bundle("a.txt", text="Ilvana Brask said the talks would resume soon.", new=False))
    rows = read.articles(store)
    assert len(rows) == 1 and rows[0]["text"].endswith("soon.")
    assert len(read.quotes(store)) == 1
    store.close()


def test_knowledge_round_trip(db_url):
    store = Store.open(db_url)
    pack = Pack(
        actors=(Actor(id="brask", name="Ilvana Brask", kind="person", gender="female", aliases=("Ilvana Braskova",),
                      roles=(Role("Foreign Minister", country="Valdoria", start=date(2024, 5, 1)),)),),
        outlets=(Outlet(id="vt", name="Valdoria Today", country="Valdoria", ownership="state-funded"),),
        camps=(Camp(id="v", name="Valdorian side", rule=CampRule(countries=("Valdoria",))),),
    )
    store.save_knowledge(pack, alias_key)
    store.save_knowledge(pack, alias_key)  # idempotent
    actors, aliases = store.load_actors()
    assert actors[0].roles[0].start == date(2024, 5, 1) and actors[0].gender == "female"
    assert sorted(a for _, a in aliases) == ["Ilvana Brask", "Ilvana Braskova"]
    loaded = store.load_pack()
    assert loaded.outlets[0].ownership == "state-funded"
    assert loaded.camps[0].rule.countries == ("Valdoria",)
    store.close()


def test_reopening_keeps_everything(db_url):
    store = Store.open(db_url)
    store.save_article(_bundle("a.txt"))
    store.close()
    again = Store.open(db_url)
    assert len(read.articles(again)) == 1
    again.close()


def test_bad_database_locations_are_clear_errors(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(StoreError, match="cannot use this database"):
        Store.open("nosuchdialect://x/y")


def test_database_url_forms():
    assert database_url("a.db") == "sqlite:///a.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_a_database_made_before_headline_quotes_and_story_camps_opens_and_is_upgraded(db_url):
    from sqlalchemy import create_engine, text

    store = Store.open(db_url)
    store.save_article(_bundle("old.txt"))
    store.close()
    # Make it look like a database from before these were added: no in_title column, no story_camps table.
    engine = create_engine(database_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE story_camps"))
        conn.execute(text("ALTER TABLE quotes DROP COLUMN in_title"))
    engine.dispose()
    store = Store.open(db_url)
    assert [q["speaker_text"] for q in read.quotes(store)] == ["Ilvana Brask"]  # the old rows read as before
    store.save_article(_bundle("new.txt", actor="brask", new=False))
    from parallax.store.camps import add_camp, list_camps

    add_camp(store, Camp("wires", "Wires", CampRule(ownership=("wire",))), 1)
    assert [c.id for c in list_camps(store, 1)] == ["wires"]
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM quotes WHERE in_title = :no"), {"no": False}).scalar() == 2
    store.close()
