"""Quote full-text search on both backends: what a user types finds the quotes they expect, punctuation and
query-language syntax in a search never cause an error, and the index follows every write (re-ingest, hand
edits) and is built for databases made before it existed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text

from parallax.model import Article, Quote, Speaker
from parallax.store import fulltext, web_read
from parallax.store.db import ArticleBundle, ResolvedQuote, Store

WORDINGS = (
    "The ceasefire must hold before any talks resume",
    "We reject these ceasefires outright",
    "Talks on the prisoner exchange will continue in Geneva",
    "Russia's position on the corridor has not changed",
    "Prices rose 3.5 percent; AND (nobody) expected it",
    "Ничего не изменилось в переговорах",
)


def _bundle(source: str, wordings: tuple[str, ...]) -> ArticleBundle:
    body = "\n".join(f'"{w}," Ilvana Brask said.' for w in wordings)
    quotes, at = [], 0
    for w in wordings:
        start = body.index(w, at)
        quotes.append(ResolvedQuote(Quote(start=start, end=start + len(w), text=w, kind="direct", cue="said",
                                          speaker=Speaker("Ilvana Brask", 0, 12, 0)), None))
        at = start + len(w)
    article = Article(source=source, part=0, title="Talks", text=body, outlet="Valdoria Today",
                      published=date(2026, 3, 4), language="en")
    return ArticleBundle(article=article, fingerprint="fp-" + source + str(len(body)), signature=(1, 2, 3), bands=(),
                         mentions=(), quotes=tuple(quotes), new_actors=(), new_aliases=())


def found(store: Store, query: str) -> set[str]:
    rows, total = web_read.search_quotes(store, text=query, limit=100)
    assert total == len(rows)
    return {r["text"] for r in rows}


@pytest.fixture
def store(db_url):
    store = Store.open(db_url)
    store.save_article(_bundle("a.txt", WORDINGS))
    yield store
    store.close()


def test_words_prefixes_and_phrases_case_insensitive(store):
    assert found(store, "CEASEFIRE") == {WORDINGS[0], WORDINGS[1]}  # a word also finds the words it begins
    assert found(store, "talks geneva") == {WORDINGS[2]}  # every word must be there
    assert found(store, '"talks resume"') == {WORDINGS[0]}  # a phrase keeps its order
    assert found(store, '"resume talks"') == set()
    assert found(store, "russia's corridor") == {WORDINGS[3]}
    assert found(store, "3.5 percent") == {WORDINGS[4]}
    assert found(store, "переговорах") == {WORDINGS[5]}
    assert found(store, "fire") == set()  # whole words or their beginnings, not any substring


@pytest.mark.parametrize("query", ['"', "AND (", "*", "NEAR(talks", "-talks", "talks:*", "a' OR 1=1 --", "\\", "%_",
                                   '"unclosed phrase', "^ceasefire", "col:talks", "()"])
def test_search_syntax_is_never_parsed(store, query):
    rows, total = web_read.search_quotes(store, text=query)  # must not raise
    assert total == len(rows)
    if query == "AND (":
        assert {r["text"] for r in rows} == {WORDINGS[4]}  # "and" is searched as a word
    if query in ('"', "*", "\\", "%_", "()"):
        assert total == 0  # nothing to search for finds nothing rather than everything


def test_the_index_follows_a_re_ingest(store):
    store.save_article(_bundle("a.txt", ("An entirely new wording about elections",)))
    assert found(store, "ceasefire") == set()
    assert found(store, "elections") == {"An entirely new wording about elections"}


def test_search_combines_with_the_other_filters(store):
    rows, total = web_read.search_quotes(store, text="talks", kind="direct", outlets=["valdoria today"])
    assert total == 2
    assert web_read.search_quotes(store, text="talks", outlets=["Other Outlet"])[1] == 0


def test_an_older_database_gets_the_index_and_new_indexes_on_open(db_url):
    store = Store.open(db_url)
    store.save_article(_bundle("a.txt", WORDINGS))
    with store.engine.begin() as conn:  # as a database made before either existed
        conn.execute(text("DROP INDEX ix_quotes_actor_day"))
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"DROP TABLE {fulltext.FTS_TABLE}"))
            for event in ("insert", "delete", "update"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {fulltext.FTS_TABLE}_{event}"))
        else:
            conn.execute(text(f"DROP INDEX {fulltext.PG_INDEX}"))
    store.close()
    store = Store.open(db_url)
    assert "ix_quotes_actor_day" in {ix["name"] for ix in inspect(store.engine).get_indexes("quotes")}
    assert found(store, "geneva") == {WORDINGS[2]}
    store.save_article(_bundle("b.txt", ("Geneva again",)))  # and it is maintained from then on
    assert found(store, "geneva") == {WORDINGS[2], "Geneva again"}
    store.close()


def test_parse_keeps_words_and_phrases():
    chunks = fulltext.parse('ceasefire "talks  resume" Russia\'s "open')
    assert [c.tokens for c in chunks] == [("ceasefire",), ("talks", "resume"), ("russia", "s"), ("open",)]
    assert fulltext.fts5_query(chunks) == '"ceasefire"* "talks resume" "russia s" "open"*'
    assert len(fulltext.parse("word " * 100)) == fulltext.MAX_CHUNKS
