"""Opening a database and writing to it. Every write that belongs to one article is one transaction,
so an interrupted ingest leaves only complete articles behind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, create_engine, delete, event, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, ProgrammingError

from parallax.model import Actor, Article, Outlet, Pack, Role
from parallax.store import fulltext, locking
from parallax.store.camp_rows import CAMPS_EDITED, camp_from_row, merge_pack_camps
from parallax.store import schema as t


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says which and why."""


def database_url(db: str) -> str:
    """A bare path means an SQLite file; anything with a scheme is an SQLAlchemy URL."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    if db.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver we ship; SQLAlchemy would otherwise look for psycopg2.
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def _set_up(conn: Connection) -> None:
    """The tables, and what later versions added to the schema of an existing database; the version check."""
    t.metadata.create_all(conn)
    t.create_missing_columns(conn)
    t.create_missing_indexes(conn)
    fulltext.ensure(conn)
    found = conn.execute(select(t.meta.c.value).where(t.meta.c.key == "schema")).scalar()
    if found is None:
        conn.execute(insert(t.meta).values(key="schema", value=str(t.SCHEMA_VERSION)))
    elif int(found) != t.SCHEMA_VERSION:
        raise StoreError(f"database schema version {found}, this Parallax expects {t.SCHEMA_VERSION}")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # First: switching a new file to WAL needs a lock another process opening it at once may hold.
    cursor.execute(f"PRAGMA busy_timeout={locking.BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@dataclass(frozen=True)
class ResolvedQuote:
    """A quote ready to store: the analysed quote with its speaker's actor."""

    quote: object  # parallax.model.Quote
    actor_id: str | None
    actor_ids: tuple[str, ...] = ()  # every member of a group speaker, actor_id first
    via: str | None = None
    confidence: float | None = None  # of the whole credit: the local resolution and the link to the actor


@dataclass(frozen=True)
class Saved:
    """What became of an article offered to the store: "stored" (as ``article_id``), "unchanged" (stored before
    from the same item with the same text) or "copy" (linked as a copy of ``article_id``)."""

    article_id: int
    outcome: str


# Picks the stored article (id, signature) a new one nearly copies: (id, similarity), or None.
NearDuplicate = Callable[[list[tuple[int, tuple[int, ...]]]], "tuple[int, float] | None"]


@dataclass(frozen=True)
class ArticleBundle:
    """Everything stored for one article, written atomically."""

    article: Article
    fingerprint: str
    signature: tuple[int, ...]
    bands: tuple[str, ...]
    mentions: tuple[tuple[int, int, str, str | None], ...]  # start, end, text, actor_id
    quotes: tuple[ResolvedQuote, ...]
    new_actors: tuple[Actor, ...]
    new_aliases: tuple[tuple[str, str, str], ...]  # actor_id, alias, key
    # weak links and near misses to review: text, actor_id, candidate_id, linked, confidence, evidence
    reviews: tuple[tuple[str, str | None, str, bool, float, str], ...] = ()
    embedding: bytes | None = None  # title-and-lead sentence embedding (float16), see parallax.nlp.embeddings


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, db: str) -> "Store":
        url = database_url(db)
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(f"{db}: not a database path or URL") from None
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            parent = Path(parsed.database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{db}: directory {parent} does not exist")
        try:
            engine = create_engine(url, future=True)
        except Exception as exc:  # unknown dialect or driver: a user error, not a crash
            raise StoreError(f"{db}: cannot use this database ({exc})") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        try:
            try:
                # Opening a database that is already set up only reads: no lock, so opening never waits
                # behind a running ingest.
                with engine.begin() as conn:
                    _set_up(conn)
            except (OperationalError, IntegrityError, ProgrammingError):
                # Another process was creating the same new database ("table already exists", a second
                # schema row): do it again holding the write lock, after which it finds everything made.
                with locking.exclusive(engine) as conn:
                    _set_up(conn)
        except (OperationalError, IntegrityError, ProgrammingError) as exc:
            engine.dispose()
            raise StoreError(f"{db}: cannot open database ({exc.orig})") from None
        return store

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
            if pack.outlets:
                conn.execute(delete(t.outlets).where(t.outlets.c.id.in_([o.id for o in pack.outlets])))
                conn.execute(insert(t.outlets), [_outlet_row(o) for o in pack.outlets])
            edited = conn.execute(select(t.meta.c.value).where(t.meta.c.key == CAMPS_EDITED)).scalar()
            if pack.camps and not edited:
                # A pack's camps merge into the stored ones by id, until the user edits camps with
                # `parallax camps`: from then on their edits win over any pack.
                merge_pack_camps(conn, pack.camps)
            if not pack.actors:
                return
            known = {row.id for row in conn.execute(select(t.actors.c.id))}
            rows = [_actor_row(actor, "pack") for actor in pack.actors]
            fresh = [row for row in rows if row["id"] not in known]
            if fresh:
                conn.execute(insert(t.actors), fresh)
            stale = [{**row, "actor_id": row["id"]} for row in rows if row["id"] in known]
            if stale:
                conn.execute(
                    update(t.actors)
                    .where(t.actors.c.id == bindparam("actor_id"))
                    .values({k: bindparam(k) for k in ("name", "kind", "gender", "country", "origin", "roles")}),
                    stale,
                )
            have = {(row.actor_id, row.key) for row in conn.execute(select(t.aliases.c.actor_id, t.aliases.c.key))}
            aliases = []
            for actor in pack.actors:
                for alias in (actor.name, *actor.aliases):
                    key = alias_key(alias)
                    if key and (actor.id, key) not in have:
                        have.add((actor.id, key))
                        aliases.append({"actor_id": actor.id, "alias": alias, "key": key})
            if aliases:
                conn.execute(insert(t.aliases), aliases)

    def load_actors(self) -> tuple[list[Actor], list[tuple[str, str]]]:
        """All actors, and every alias as (actor id, alias as written)."""
        with self.engine.connect() as conn:
            actors = [_actor(row) for row in conn.execute(select(t.actors).order_by(t.actors.c.id))]
            aliases = [(row.actor_id, row.alias) for row in conn.execute(select(t.aliases))]
        return actors, aliases

    def load_pack(self) -> Pack:
        """The outlets and camps stored from packs (actors are loaded separately, with aliases)."""
        with self.engine.connect() as conn:
            outlets = tuple(
                Outlet(
                    id=row.id,
                    name=row.name,
                    country=row.country,
                    ownership=row.ownership,
                    domains=tuple(row.domains),
                    aliases=tuple(row.aliases),
                )
                for row in conn.execute(select(t.outlets).order_by(t.outlets.c.id))
            )
            camps = tuple(
                camp_from_row(row) for row in conn.execute(select(t.camps).order_by(t.camps.c.position, t.camps.c.id))
            )
        return Pack(outlets=outlets, camps=camps)

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
            return _near_candidates(conn, bands)

    def add_copy(self, article_id: int, item: Article, similarity: float, fingerprint: str | None = None) -> None:
        """Link an input item as a copy of a stored article. An item stored before with other content (it was
        edited into a copy of another article) loses that stale version: the item now says what its original says.
        """
        with self.writing() as conn:
            _link_copy(conn, article_id, item, similarity, fingerprint)

    def save_article(self, bundle: ArticleBundle) -> int:
        """Write one analysed article with its mentions, quotes and any new actors, all or nothing.

        An item that was stored before with different content is replaced: the input changed.
        """
        with self.writing() as conn:
            return _write_article(conn, bundle)

    def save_new_article(self, bundle: ArticleBundle, near_duplicate: NearDuplicate) -> Saved:
        """``save_article`` for an ingest that may run beside others: the checks that found the article new are
        made again inside the write, so an article another process stored meanwhile (from this item, or from
        another path to the same text) is not stored twice. ``near_duplicate`` picks, from the stored articles
        sharing a band with it as (id, signature), the one it is a near copy of: (id, similarity) or None."""
        a = bundle.article
        with self.writing() as conn:
            at = conn.execute(
                select(t.articles.c.id, t.articles.c.fingerprint).where(
                    t.articles.c.source == a.source, t.articles.c.part == a.part
                )
            ).first()
            if at is not None and at.fingerprint == bundle.fingerprint:
                _store_actors(conn, bundle)  # the registry that resolved this article knows them from now on
                return Saved(at.id, "unchanged")
            own = at.id if at is not None else -1
            twin = conn.execute(
                select(t.articles.c.id)
                .where(t.articles.c.fingerprint == bundle.fingerprint, t.articles.c.id != own)
                .order_by(t.articles.c.id)
                .limit(1)
            ).scalar()
            match = (twin, 1.0) if twin is not None else near_duplicate(
                [c for c in _near_candidates(conn, bundle.bands) if c[0] != own]
            )
            if match is not None:
                _store_actors(conn, bundle)  # later articles of this run are resolved to them
                _link_copy(conn, match[0], a, match[1], bundle.fingerprint)
                return Saved(match[0], "copy")
            return Saved(_write_article(conn, bundle), "stored")

    # -- helpers -----------------------------------------------------------------------------------

    def _first(self, query):
        with self.engine.connect() as conn:
            return conn.execute(query).first()

    def count(self, table) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _write_article(conn: Connection, bundle: ArticleBundle) -> int:
    a = bundle.article
    conn.execute(delete(t.articles).where(t.articles.c.source == a.source, t.articles.c.part == a.part))
    conn.execute(delete(t.copies).where(t.copies.c.source == a.source, t.copies.c.part == a.part))
    _store_actors(conn, bundle)
    article_id = conn.execute(
        insert(t.articles)
        .values(
            source=a.source,
            part=a.part,
            outlet=a.outlet,
            title=a.title,
            published=a.published,
            language=a.language,
            url=a.url,
            text=a.text,
            outlet_via=a.outlet_via,
            published_via=a.published_via,
            fingerprint=bundle.fingerprint,
            signature=list(bundle.signature),
            embedding=bundle.embedding,
            ingested_at=datetime.now(timezone.utc).replace(tzinfo=None),
        )
        .returning(t.articles.c.id)
    ).scalar_one()
    if bundle.bands:
        conn.execute(insert(t.article_bands), [{"article_id": article_id, "band": b} for b in bundle.bands])
    if bundle.mentions:
        conn.execute(
            insert(t.mentions),
            [
                {"article_id": article_id, "start": s, "end": e, "text": txt, "actor_id": actor}
                for s, e, txt, actor in bundle.mentions
            ],
        )
    if bundle.quotes:
        conn.execute(insert(t.quotes), [_quote_row(article_id, rq) for rq in bundle.quotes])
    if bundle.reviews:
        keys = ("text", "actor_id", "candidate_id", "linked", "confidence", "evidence")
        conn.execute(insert(t.link_reviews), [dict(zip(keys, r), article_id=article_id) for r in bundle.reviews])
    return article_id


def _store_actors(conn: Connection, bundle: ArticleBundle) -> None:
    """The bundle's new corpus actors and aliases. They are new to the registry they came from, but another ingest
    running beside this one may have found the same name first: the same name gives the same id, one actor."""
    if bundle.new_actors:
        _insert_new(conn, t.actors, [_actor_row(a, "corpus") for a in bundle.new_actors])
    if bundle.new_aliases:
        _insert_new(
            conn,
            t.aliases,
            [{"actor_id": actor_id, "alias": alias, "key": key} for actor_id, alias, key in bundle.new_aliases],
        )


def _insert_new(conn: Connection, table, rows: list[dict]) -> None:
    """Insert the rows whose key is not taken yet, leaving the stored ones as they are."""
    if conn.dialect.name == "sqlite":
        conn.execute(sqlite.insert(table).on_conflict_do_nothing(), rows)
    elif conn.dialect.name == "postgresql":
        conn.execute(postgresql.insert(table).on_conflict_do_nothing(), rows)
    else:
        conn.execute(insert(table), rows)


def _near_candidates(conn: Connection, bands: tuple[str, ...]) -> list[tuple[int, tuple[int, ...]]]:
    if not bands:
        return []
    query = (
        select(t.articles.c.id, t.articles.c.signature)
        .where(t.articles.c.id.in_(select(t.article_bands.c.article_id).where(t.article_bands.c.band.in_(bands))))
        .order_by(t.articles.c.id)
    )
    return [(row.id, tuple(row.signature)) for row in conn.execute(query)]


def _link_copy(
    conn: Connection, article_id: int, item: Article, similarity: float, fingerprint: str | None = None
) -> None:
    conn.execute(delete(t.copies).where(t.copies.c.source == item.source, t.copies.c.part == item.part))
    conn.execute(
        delete(t.articles).where(
            t.articles.c.source == item.source, t.articles.c.part == item.part, t.articles.c.id != article_id
        )
    )
    conn.execute(
        insert(t.copies).values(
            article_id=article_id,
            source=item.source,
            part=item.part,
            outlet=item.outlet,
            published=item.published,
            similarity=similarity,
            fingerprint=fingerprint,
        )
    )


def _quote_row(article_id: int, rq: ResolvedQuote) -> dict:
    q = rq.quote
    speaker = q.speaker
    return {
        "article_id": article_id,
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "kind": q.kind,
        "cue": q.cue,
        "said_on": q.said_on,
        "speaker_text": speaker.text if speaker else None,
        "speaker_start": speaker.start if speaker else None,
        "speaker_end": speaker.end if speaker else None,
        "actor_id": rq.actor_id,
        "in_title": bool(getattr(q, "in_title", False)),
        "form": getattr(q, "form", "statement"),
        "speaker_via": rq.via,
        "speaker_confidence": rq.confidence,
        "speaker_actor_ids": list(rq.actor_ids) if rq.actor_ids else None,
    }


def _outlet_row(outlet: Outlet) -> dict:
    return {
        "id": outlet.id,
        "name": outlet.name,
        "country": outlet.country,
        "ownership": outlet.ownership,
        "domains": list(outlet.domains),
        "aliases": list(outlet.aliases),
    }


def _actor_row(actor: Actor, origin: str) -> dict:
    roles = [
        {
            "title": r.title,
            "organisation": r.organisation,
            "country": r.country,
            "from": r.start.isoformat() if r.start else None,
            "to": r.end.isoformat() if r.end else None,
        }
        for r in actor.roles
    ]
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "gender": actor.gender,
        "country": actor.country,
        "origin": origin,
        "roles": roles,
    }


def _actor(row) -> Actor:
    roles = tuple(
        Role(
            title=r["title"],
            organisation=r.get("organisation"),
            country=r.get("country"),
            start=date.fromisoformat(r["from"]) if r.get("from") else None,
            end=date.fromisoformat(r["to"]) if r.get("to") else None,
        )
        for r in row.roles
    )
    return Actor(
        id=row.id, name=row.name, kind=row.kind, gender=row.gender, roles=roles, country=row.country
    )
