"""An analysed article as rows of the store: what is written for it (the bundle), and the writes themselves,
each run inside the caller's write transaction so that one article is all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from parallax.model import Actor, Article
from parallax.store import schema as t
from parallax.store.knowledge_rows import actor_row


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


def save_new(conn: Connection, bundle: ArticleBundle, near_duplicate: NearDuplicate) -> Saved:
    """Store an article unless, inside this write, it turns out stored already (from this item, unchanged) or
    stored meanwhile by another process (from this item or another path to the same text): then it is left as
    it is or linked as a copy."""
    a = bundle.article
    at = conn.execute(
        select(t.articles.c.id, t.articles.c.fingerprint).where(
            t.articles.c.source == a.source, t.articles.c.part == a.part
        )
    ).first()
    if at is not None and at.fingerprint == bundle.fingerprint:
        store_actors(conn, bundle)  # the registry that resolved this article knows them from now on
        return Saved(at.id, "unchanged")
    own = at.id if at is not None else -1
    twin = conn.execute(
        select(t.articles.c.id)
        .where(t.articles.c.fingerprint == bundle.fingerprint, t.articles.c.id != own)
        .order_by(t.articles.c.id)
        .limit(1)
    ).scalar()
    match = (twin, 1.0) if twin is not None else near_duplicate(
        [c for c in near_candidates(conn, bundle.bands) if c[0] != own]
    )
    if match is not None:
        store_actors(conn, bundle)  # later articles of this run are resolved to them
        link_copy(conn, match[0], a, match[1], bundle.fingerprint)
        return Saved(match[0], "copy")
    return Saved(write_article(conn, bundle), "stored")


def write_article(conn: Connection, bundle: ArticleBundle) -> int:
    a = bundle.article
    conn.execute(delete(t.articles).where(t.articles.c.source == a.source, t.articles.c.part == a.part))
    conn.execute(delete(t.copies).where(t.copies.c.source == a.source, t.copies.c.part == a.part))
    store_actors(conn, bundle)
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


def store_actors(conn: Connection, bundle: ArticleBundle) -> None:
    """The bundle's new corpus actors and aliases. They are new to the registry they came from, but another ingest
    running beside this one may have found the same name first: the same name gives the same id, one actor."""
    if bundle.new_actors:
        _insert_new(conn, t.actors, [actor_row(a, "corpus") for a in bundle.new_actors])
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


def near_candidates(conn: Connection, bands: tuple[str, ...]) -> list[tuple[int, tuple[int, ...]]]:
    if not bands:
        return []
    query = (
        select(t.articles.c.id, t.articles.c.signature)
        .where(t.articles.c.id.in_(select(t.article_bands.c.article_id).where(t.article_bands.c.band.in_(bands))))
        .order_by(t.articles.c.id)
    )
    return [(row.id, tuple(row.signature)) for row in conn.execute(query)]


def link_copy(
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
