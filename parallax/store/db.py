"""The Store: one open database and its read/write API. Every write that belongs to one article is one
transaction, so an interrupted ingest leaves only complete articles behind.

What the rows are lives beside it: opening and setting up a database in ``store.opening``, a pack's rows in
``store.knowledge_rows``, an article's rows in ``store.article_rows``; the names callers import from here stay
importable from here."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from parallax.model import Actor, Article, Pack
from parallax.store import locking
from parallax.store import schema as t
from parallax.store.article_rows import (
    ArticleBundle,
    NearDuplicate,
    ResolvedQuote,
    Saved,
    link_copy,
    near_candidates,
    save_new,
    store_actors,
    write_article,
)
from parallax.store.knowledge_rows import read_actors, read_pack, write_pack
from parallax.store.errors import DatabaseBusy, DatabaseUnavailable, StoreError
from parallax.store.opening import database_url, open_engine

__all__ = ["ArticleBundle", "DatabaseBusy", "DatabaseUnavailable", "NearDuplicate", "ResolvedQuote", "Saved", "Store",
           "StoreError", "database_url"]


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, db: str) -> "Store":
        return cls(open_engine(db))

    def close(self) -> None:
        self.engine.dispose()

    def writing(self):
        """A write transaction serialised with every other writer of this database, in any process (see
        parallax.store.locking): what it reads stays true until it commits."""
        return locking.exclusive(self.engine)

    def analysing(self):
        """Held while stories and statements are brought up to date, by one process at a time."""
        return locking.analysis_lock(self.engine)

    # -- knowledge ---------------------------------------------------------------------------------

    def save_knowledge(self, pack: Pack, alias_key) -> None:
        """Store a pack's outlets, camps and actors (replacing entries with the same id), in bulk.

        Pack actors are updated in place, never deleted and re-inserted: mentions and quotes point at them.
        """
        with self.writing() as conn:
            write_pack(conn, pack, alias_key)

    def load_actors(self) -> tuple[list[Actor], list[tuple[str, str]]]:
        """All actors, and every alias as (actor id, alias as written)."""
        with self.engine.connect() as conn:
            return read_actors(conn)

    def load_pack(self) -> Pack:
        """The outlets and camps stored from packs (actors are loaded separately, with aliases)."""
        with self.engine.connect() as conn:
            return read_pack(conn)

    # -- articles ----------------------------------------------------------------------------------

    def article_at(self, source: str, part: int) -> tuple[int, str] | None:
        """The stored article (id, fingerprint) that came from this input item, if any."""
        row = self._first(
            select(t.articles.c.id, t.articles.c.fingerprint).where(
                t.articles.c.source == source, t.articles.c.part == part
            )
        )
        return (row.id, row.fingerprint) if row else None

    def article_for(self, source: str, part: int) -> int | None:
        """The article that holds this input item's text: stored from it, or the one it was linked to as a copy
        (by another ingest that stored the same text first)."""
        at = self.article_at(source, part)
        if at is not None:
            return at[0]
        row = self._first(select(t.copies.c.article_id).where(t.copies.c.source == source, t.copies.c.part == part))
        return row.article_id if row else None

    def copy_fingerprint(self, source: str, part: int) -> str | None:
        """The fingerprint this input item had when it was linked as a copy (None if it is not one)."""
        row = self._first(select(t.copies.c.fingerprint).where(t.copies.c.source == source, t.copies.c.part == part))
        return row.fingerprint if row else None

    def is_copy(self, source: str, part: int) -> bool:
        return self._first(
            select(t.copies.c.id).where(t.copies.c.source == source, t.copies.c.part == part)
        ) is not None

    def article_with_fingerprint(self, fingerprint: str) -> int | None:
        row = self._first(select(t.articles.c.id).where(t.articles.c.fingerprint == fingerprint))
        return row.id if row else None

    def near_candidates(self, bands: tuple[str, ...]) -> list[tuple[int, tuple[int, ...]]]:
        """Stored articles sharing at least one LSH band: (id, MinHash signature)."""
        with self.engine.connect() as conn:
            return near_candidates(conn, bands)

    def add_copy(self, article_id: int, item: Article, similarity: float, fingerprint: str | None = None) -> None:
        """Link an input item as a copy of a stored article. An item stored before with other content (it was
        edited into a copy of another article) loses that stale version: the item now says what its original says.
        """
        with self.writing() as conn:
            link_copy(conn, article_id, item, similarity, fingerprint)

    def save_article(self, bundle: ArticleBundle) -> int:
        """Write one analysed article with its mentions, quotes and any new actors, all or nothing.

        An item that was stored before with different content is replaced: the input changed.
        """
        with self.writing() as conn:
            return write_article(conn, bundle)

    def save_new_article(self, bundle: ArticleBundle, near_duplicate: NearDuplicate) -> Saved:
        """``save_article`` for an ingest that may run beside others: the checks that found the article new are
        made again inside the write, so an article another process stored meanwhile (from this item, or from
        another path to the same text) is not stored twice. ``near_duplicate`` picks, from the stored articles
        sharing a band with it as (id, signature), the one it is a near copy of: (id, similarity) or None."""
        with self.writing() as conn:
            return save_new(conn, bundle, near_duplicate)

    def save_actors(self, bundle: ArticleBundle) -> None:
        """Only the bundle's new actors and aliases: what its resolution taught the registry stays true in the
        database when the article itself could not be stored."""
        with self.writing() as conn:
            store_actors(conn, bundle)

    # -- helpers -----------------------------------------------------------------------------------

    def _first(self, query):
        with self.engine.connect() as conn:
            return conn.execute(query).first()

    def count(self, table) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar_one()


def chunks(ids: list, size: int = 900):
    """Ids a few hundred at a time: a database bounds how many values one IN (...) may hold (SQLite 32,766)."""
    for i in range(0, len(ids), size):
        yield ids[i : i + size]
