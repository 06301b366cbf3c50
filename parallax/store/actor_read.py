"""Reads for one actor's page: how the name was written, reports per day and outlet, and a page of statements.

Aggregated in SQL, since a head of state can have tens of thousands of quotes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, or_, select

from parallax.store import read
from parallax.store import schema as t
from parallax.store.db import Store
from parallax.store.db import chunks
from parallax.store.web_read import dict_rows, like_pattern


def actor_spellings(store: Store, actor_id: str) -> list[tuple[str, int]]:
    """How the articles wrote this actor's name, most frequent first."""
    m = t.mentions
    query = (
        select(m.c.text, func.count().label("n"))
        .where(m.c.actor_id == actor_id)
        .group_by(m.c.text)
        .order_by(func.count().desc(), m.c.text)
        .limit(100)
    )
    with store.engine.connect() as conn:
        return [(text, n) for text, n in conn.execute(query)]


def actor_names(store: Store, actor_ids: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(set(actor_ids))):
            names.update(dict(conn.execute(select(t.actors.c.id, t.actors.c.name).where(t.actors.c.id.in_(chunk))).all()))
    return names


def actor_by_name(store: Store, key: str) -> list[str]:
    """Actor ids with this normalised name or alias (parallax.knowledge.names.alias_key), else with it as the
    last word of a name (a surname)."""
    query = select(t.aliases.c.actor_id).where(t.aliases.c.key == key).distinct()
    surname = select(t.aliases.c.actor_id).where(t.aliases.c.key.like(like_pattern(" " + key)[:-1], escape="\\")).distinct()
    with store.engine.connect() as conn:
        return sorted(row[0] for row in conn.execute(query)) or sorted(row[0] for row in conn.execute(surname))


def actor_exists(store: Store, actor_id: str) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(select(t.actors.c.id).where(t.actors.c.id == actor_id)).first() is not None



def _statement_key(q):
    # A quote not matched into a statement stands alone: keyed by its negated id, never a statement id.
    return func.coalesce(q.c.statement_id, -q.c.id)


def actor_reports(store: Store, actor_id: str) -> list[tuple[date | None, str, int]]:
    """(day, outlet, reports) of one actor's quotes, copies counted under their own outlets."""
    q, a, c = t.quotes, t.articles, t.copies
    day = read.quote_day()
    own = (
        select(day, a.c.outlet, func.count())
        .join(a, a.c.id == q.c.article_id)
        .where(q.c.actor_id == actor_id)
        .group_by(day, a.c.outlet)
    )
    copied = (
        select(day, c.c.outlet, func.count())
        .join(a, a.c.id == q.c.article_id)
        .join(c, c.c.article_id == a.c.id)
        .where(q.c.actor_id == actor_id)
        .group_by(day, c.c.outlet)
    )
    with store.engine.connect() as conn:
        return [(d if d is None or isinstance(d, date) else date.fromisoformat(str(d)), o or "", n)
                for query in (own, copied) for d, o, n in conn.execute(query)]


def actor_statements(store: Store, actor_id: str, *, limit: int = 50, offset: int = 0) -> tuple[list[dict], int, int]:
    """A page of one actor's statements, newest first, each with all its quotes; the number of statements and
    of quotes in all."""
    q, a = t.quotes, t.articles
    key = _statement_key(q)
    day = func.min(read.quote_day())
    with store.engine.connect() as conn:
        total, quotes = conn.execute(
            select(func.count(func.distinct(key)), func.count()).where(q.c.actor_id == actor_id)
        ).one()
        page = conn.execute(
            select(key.label("key"), day.label("day"))
            .join(a, a.c.id == q.c.article_id)
            .where(q.c.actor_id == actor_id)
            .group_by(key)
            .order_by(day.desc(), key.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        keys = [k for k, _d in page]
        # By statement id and quote id rather than by the key expression, which no index holds: a lookup of
        # the page's quotes instead of another pass over all of the actor's.
        statement_ids, quote_ids = [k for k in keys if k > 0], [-k for k in keys if k < 0]
        rows = dict_rows(
            conn,
            select(
                key.label("key"), q.c.id, q.c.article_id, q.c.text, q.c.kind, q.c.said_on, q.c.statement_id,
                a.c.outlet, a.c.published, a.c.title.label("article_title"),
            )
            .join(a, a.c.id == q.c.article_id)
            .where(q.c.actor_id == actor_id, or_(q.c.statement_id.in_(statement_ids), q.c.id.in_(quote_ids)))
            .order_by(a.c.published, q.c.id),
        ) if keys else []
    by_key: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_key[row["key"]].append(row)
    return [{"key": k, "day": d, "quotes": by_key[k]} for k, d in page], total or 0, quotes or 0
