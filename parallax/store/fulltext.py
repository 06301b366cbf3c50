"""Full-text search over quote wordings: SQLite FTS5 or PostgreSQL text search, behind one condition.

What a user types never reaches either query language as syntax: it is cut here into words and quoted phrases
and rebuilt with every term quoted, so `"`, `AND (` or `*` are searched as the words they contain (or match
nothing), never parsed. Both backends fold case and match whole words; a word of three letters or more also
matches words it begins ("ceasefire" finds "ceasefires"); a phrase in double quotes matches its words in order.

The SQLite index is an external-content FTS5 table kept in step with `quotes` by triggers, so every write path
(ingest, re-ingest, cascade deletes, a hand-run UPDATE) maintains it; databases made before it existed get it,
filled, on open. PostgreSQL uses a GIN index on the wording's tsvector. Any other database falls back to LIKE.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from sqlalchemy import and_, column, false, func, literal_column, select, table, text
from sqlalchemy.exc import OperationalError

from parallax.store import schema as t

FTS_TABLE = "quotes_fts"
PG_INDEX = "ix_quotes_text_search"
MAX_CHUNKS = 16  # words or phrases a query may hold: a pasted paragraph must not become a runaway query
MAX_TOKEN = 64
PREFIX_FROM = 3  # shorter words match only themselves: "a*" would walk half the vocabulary

_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "text, content='quotes', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON quotes BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON quotes BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF text ON quotes BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
)
# 'simple': lower-cased words, no stemming and no stop words, as FTS5's unicode61 tokenizer does.
_PG_CONFIG = literal_column("'simple'::regconfig")
_PG_DDL = f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON quotes USING gin (to_tsvector('simple'::regconfig, text))"

_fts = table(FTS_TABLE, column("rowid"), column("text"))
_kinds: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # engine -> "fts5" | "postgresql" | "like"


@dataclass(frozen=True)
class Chunk:
    """One word (a single token) or phrase (several, in order) of a search, as typed and as tokens."""

    typed: str
    tokens: tuple[str, ...]


def parse(query: str) -> tuple[Chunk, ...]:
    """Words and double-quoted phrases of a search; an unclosed quote runs to the end. A word holding
    punctuation ("Russia's", "3.5") is a phrase of its parts, as both indexes split it."""
    chunks = []
    for phrase, word in re.findall(r'"([^"]*)(?:"|$)|([^\s"]+)', query or ""):
        typed = phrase or word
        tokens = tuple(tok[:MAX_TOKEN] for tok in re.findall(r"[^\W_]+", typed.lower()))
        if tokens:
            chunks.append(Chunk(typed, tokens))
        if len(chunks) == MAX_CHUNKS:
            break
    return tuple(chunks)


def ensure(connection) -> None:
    """Create the search index if missing (filling it from the stored quotes), in the caller's transaction.

    Looks before it creates: even a no-op CREATE ... IF NOT EXISTS takes locks that would make every open
    wait behind a running ingest."""
    name = connection.dialect.name
    if name == "sqlite":
        names = [FTS_TABLE, *(f"{FTS_TABLE}_{event}" for event in ("insert", "delete", "update"))]
        have = {row[0] for row in connection.execute(
            text("SELECT name FROM sqlite_master WHERE name IN (:a, :b, :c, :d)"), dict(zip("abcd", names)))}
        if len(have) == len(names):
            return
        if FTS_TABLE not in have:
            try:
                connection.execute(text(_SQLITE_DDL[0]))
            except OperationalError:  # an SQLite built without FTS5: search falls back to LIKE
                return
        for ddl in _SQLITE_DDL[1:]:
            connection.execute(text(ddl))
        # Filled from scratch whenever a trigger was missing: quotes written meanwhile were never indexed.
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
    elif name == "postgresql":
        if connection.execute(text("SELECT to_regclass(:n)"), {"n": PG_INDEX}).scalar() is None:
            connection.execute(text(_PG_DDL))


def _kind(connection) -> str:
    engine = connection.engine
    kind = _kinds.get(engine)
    if kind is None:
        name = connection.dialect.name
        kind = "like"
        if name == "postgresql":
            kind = "postgresql"
        elif name == "sqlite":
            has = connection.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": FTS_TABLE}
            ).first()
            kind = "fts5" if has else "like"
        _kinds[engine] = kind
    return kind


def fts5_query(chunks: tuple[Chunk, ...]) -> str:
    """An FTS5 MATCH string in which every term is a quoted string (tokens hold no quote marks)."""
    terms = []
    for chunk in chunks:
        body = '"' + " ".join(chunk.tokens) + '"'
        single = len(chunk.tokens) == 1 and len(chunk.tokens[0]) >= PREFIX_FROM
        terms.append(body + "*" if single else body)
    return " ".join(terms)


def matches(connection, query: str):
    """A condition on `quotes` true where its wording holds every word and phrase of `query`; false when the
    query holds no word at all (a search for `%` or `"` finds nothing rather than everything)."""
    chunks = parse(query)
    if not chunks:
        return false()
    kind = _kind(connection)
    q = t.quotes
    if kind == "fts5":
        found = select(_fts.c.rowid).where(_fts.c.text.op("MATCH")(fts5_query(chunks)))
        return q.c.id.in_(found)
    if kind == "postgresql":
        vector = func.to_tsvector(_PG_CONFIG, q.c.text)
        conditions = []
        for chunk in chunks:
            if len(chunk.tokens) == 1:
                token = chunk.tokens[0]
                term = f"'{token}':*" if len(token) >= PREFIX_FROM else f"'{token}'"
                tsquery = func.to_tsquery(_PG_CONFIG, term)
            else:
                tsquery = func.phraseto_tsquery(_PG_CONFIG, chunk.typed)
            conditions.append(vector.op("@@")(tsquery))
        return and_(*conditions)
    return and_(*(_like_words(chunk) for chunk in chunks))


def _like_words(chunk: Chunk):
    # Word order and boundaries are lost here; the fallback only serves databases with no text index.
    return and_(*(func.lower(t.quotes.c.text).like(f"%{token}%") for token in chunk.tokens))
