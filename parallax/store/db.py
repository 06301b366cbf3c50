"""Opening a database and writing to it. Every write that belongs to one article is one transaction,
so an interrupted ingest leaves only complete articles behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, bindparam, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from parallax.model import Actor, Article, Camp, CampRule, Outlet, Pack, Role
from parallax.store import fulltext
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


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
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
            t.metadata.create_all(engine)
            with engine.begin() as conn:  # what later versions added to the schema of an existing database
                t.create_missing_columns(conn)
                t.create_missing_indexes(conn)
                fulltext.ensure(conn)
            store._check_version()
        except OperationalError as exc:
            raise StoreError(f"{db}: cannot open database ({exc.orig})") from None
        return store

    def close(self) -> None:
        self.engine.dispose()

    def _check_version(self) -> None:
        with self.engine.begin() as conn:
            found = conn.execute(select(t.meta.c.value).where(t.meta.c.key == "schema")).scalar()
            if found is None:
                conn.execute(insert(t.meta).values(key="schema", value=str(t.SCHEMA_VERSION)))
            elif int(found) != t.SCHEMA_VERSION:
                raise StoreError(
                    f"database schema version {found}, this Parallax expects {t.SCHEMA_VERSION}"
                )

    # -- knowledge ---------------------------------------------------------------------------------

    def save_knowledge(self, pack: Pack, alias_key) -> None:
        """Store a pack's outlets, camps and actors (replacing entries with the same id), in bulk.

        Pack actors are updated in place, never deleted and re-inserted: mentions and quotes point at them.
        """
        with self.engine.begin() as conn:
            if pack.outlets:
                conn.execute(delete(t.outlets).where(t.outlets.c.id.in_([o.id for o in pack.outlets])))
                conn.execute(insert(t.outlets), [_outlet_row(o) for o in pack.outlets])
            edited = conn.execute(select(t.meta.c.value).where(t.meta.c.key == CAMPS_EDITED)).scalar()
            if pack.camps and not edited:
                # A pack's camps merge into the stored ones by id, until the user edits camps with
                # `parallax camps`: from then on their edits win over any pack.
                from parallax.store.camps import merge_pack_camps  # that module builds on this one

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

    def is_copy(self, source: str, part: int) -> bool:
        return self._first(
            select(t.copies.c.id).where(t.copies.c.source == source, t.copies.c.part == part)
        ) is not None

    def article_with_fingerprint(self, fingerprint: str) -> int | None:
        row = self._first(select(t.articles.c.id).where(t.articles.c.fingerprint == fingerprint))
        return row.id if row else None

    def near_candidates(self, bands: tuple[str, ...]) -> list[tuple[int, tuple[int, ...]]]:
        """Stored articles sharing at least one LSH band: (id, MinHash signature)."""
        if not bands:
            return []
        query = (
            select(t.articles.c.id, t.articles.c.signature)
            .where(
                t.articles.c.id.in_(
                    select(t.article_bands.c.article_id).where(t.article_bands.c.band.in_(bands))
                )
            )
            .order_by(t.articles.c.id)
        )
        with self.engine.connect() as conn:
            return [(row.id, tuple(row.signature)) for row in conn.execute(query)]

    def add_copy(self, article_id: int, item: Article, similarity: float) -> None:
        """Link an input item as a copy of a stored article. An item stored before with other content (it was
        edited into a copy of another article) loses that stale version: the item now says what its original says.
        """
        with self.engine.begin() as conn:
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
                )
            )

    def save_article(self, bundle: ArticleBundle) -> int:
        """Write one analysed article with its mentions, quotes and any new actors, all or nothing.

        An item that was stored before with different content is replaced: the input changed.
        """
        a = bundle.article
        with self.engine.begin() as conn:
            conn.execute(delete(t.articles).where(t.articles.c.source == a.source, t.articles.c.part == a.part))
            conn.execute(delete(t.copies).where(t.copies.c.source == a.source, t.copies.c.part == a.part))
            # New corpus actors and aliases are new by construction (the registry they came from
            # mirrors this database), so they are inserted in bulk without a lookup per row.
            if bundle.new_actors:
                conn.execute(insert(t.actors), [_actor_row(a, "corpus") for a in bundle.new_actors])
            if bundle.new_aliases:
                conn.execute(
                    insert(t.aliases),
                    [{"actor_id": actor_id, "alias": alias, "key": key} for actor_id, alias, key in bundle.new_aliases],
                )
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
                    ingested_at=datetime.now(timezone.utc).replace(tzinfo=None),
                )
                .returning(t.articles.c.id)
            ).scalar_one()
            if bundle.bands:
                conn.execute(
                    insert(t.article_bands), [{"article_id": article_id, "band": b} for b in bundle.bands]
                )
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

    # -- helpers -----------------------------------------------------------------------------------

    def _first(self, query):
        with self.engine.connect() as conn:
            return conn.execute(query).first()

    def count(self, table) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar_one()


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


CAMPS_EDITED = "camps_edited"  # meta key: set once the user edits camps, after which packs leave them alone


def camp_rule(rule: CampRule) -> dict:
    return {"outlets": list(rule.outlets), "countries": list(rule.countries), "ownership": list(rule.ownership)}


def camp_from_row(row) -> Camp:
    rule = row.rule or {}
    return Camp(
        id=row.id,
        name=row.name,
        rule=CampRule(**{k: tuple(rule.get(k, ())) for k in ("outlets", "countries", "ownership")}),
    )


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
