"""Read queries for export, listings and briefings. Rows come out as plain dicts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Iterator

from sqlalchemy import and_, func, select

from parallax.store import schema as t
from parallax.store.db import Store


def _rows(store: Store, query) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def articles(store: Store, ids: list[int] | None = None) -> list[dict]:
    query = select(
        t.articles.c.id,
        t.articles.c.source,
        t.articles.c.part,
        t.articles.c.outlet,
        t.articles.c.title,
        t.articles.c.published,
        t.articles.c.language,
        t.articles.c.url,
        t.articles.c.text,
        t.articles.c.story_id,
        t.articles.c.outlet_via,
        t.articles.c.published_via,
    ).order_by(t.articles.c.id)
    if ids is not None:
        query = query.where(t.articles.c.id.in_(ids))
    return _rows(store, query)


def copies(store: Store, article_ids: list[int] | None = None) -> dict[int, list[dict]]:
    """Copies (duplicates stored once) by the article they repeat."""
    query = select(t.copies).order_by(t.copies.c.id)
    if article_ids is not None:
        query = query.where(t.copies.c.article_id.in_(article_ids))
    found: dict[int, list[dict]] = defaultdict(list)
    for row in _rows(store, query):
        found[row["article_id"]].append(row)
    return found


def actors(store: Store, ids: list[str] | None = None) -> list[dict]:
    """Actors with their aliases (every spelling seen or known besides the canonical name)."""
    query = select(t.actors).order_by(t.actors.c.id)
    alias_query = select(t.aliases.c.actor_id, t.aliases.c.alias).order_by(t.aliases.c.alias)
    if ids is not None:
        query = query.where(t.actors.c.id.in_(ids))
        alias_query = alias_query.where(t.aliases.c.actor_id.in_(ids))
    rows = _rows(store, query)
    names: dict[str, list[str]] = defaultdict(list)
    for row in _rows(store, alias_query):
        names[row["actor_id"]].append(row["alias"])
    for row in rows:
        row["aliases"] = sorted({a for a in names[row["id"]] if a != row["name"]})
    return rows


def actor_mention_counts(store: Store) -> dict[str, int]:
    query = (
        select(t.mentions.c.actor_id, func.count())
        .where(t.mentions.c.actor_id.is_not(None))
        .group_by(t.mentions.c.actor_id)
    )
    with store.engine.connect() as conn:
        return {actor_id: n for actor_id, n in conn.execute(query)}


def mentions(store: Store) -> Iterator[dict]:
    query = select(
        t.mentions.c.article_id, t.mentions.c.start, t.mentions.c.end, t.mentions.c.text, t.mentions.c.actor_id
    ).order_by(t.mentions.c.article_id, t.mentions.c.start)
    with store.engine.connect() as conn:
        for row in conn.execution_options(yield_per=2000).execute(query):
            yield dict(row._mapping)


def quote_day():
    """The day a quote belongs to: when it was said, else when its article was published."""
    return func.coalesce(t.quotes.c.said_on, t.articles.c.published)


def quote_filters(
    *, actor_id: str | None = None, kind: str | None = None, since: date | None = None, until: date | None = None
) -> list:
    """The filters the CLI and the web app share, for a query joining quotes with their articles."""
    conditions = []
    if actor_id is not None:
        conditions.append(t.quotes.c.actor_id == actor_id)
    if kind is not None:
        conditions.append(t.quotes.c.kind == kind)
    if since is not None:
        conditions.append(quote_day() >= since)
    if until is not None:
        conditions.append(quote_day() <= until)
    return conditions


def quotes(
    store: Store,
    *,
    story_id: int | None = None,
    actor_id: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[dict]:
    """Quotes with their article's outlet, date and story, and the speaker's canonical name."""
    q, a = t.quotes, t.articles
    query = (
        select(
            q,
            a.c.outlet,
            a.c.published,
            a.c.story_id,
            a.c.title.label("article_title"),
            t.actors.c.name.label("actor_name"),
        )
        .join(a, a.c.id == q.c.article_id)
        .outerjoin(t.actors, t.actors.c.id == q.c.actor_id)
        .order_by(q.c.id)
    )
    conditions = quote_filters(actor_id=actor_id, kind=kind, since=since, until=until)
    if story_id is not None:
        conditions.append(a.c.story_id == story_id)
    if outlet is not None:
        conditions.append(func.lower(a.c.outlet) == outlet.lower())
    if conditions:
        query = query.where(and_(*conditions))
    return _rows(store, query)


def statements(store: Store) -> list[dict]:
    """Statements with the ids of their quotes."""
    rows = _rows(store, select(t.statements).order_by(t.statements.c.id))
    quote_ids: dict[int, list[int]] = defaultdict(list)
    query = select(t.quotes.c.statement_id, t.quotes.c.id).where(t.quotes.c.statement_id.is_not(None))
    for row in _rows(store, query.order_by(t.quotes.c.id)):
        quote_ids[row["statement_id"]].append(row["id"])
    for row in rows:
        row["quote_ids"] = quote_ids[row["id"]]
    return rows


def stories(store: Store) -> list[dict]:
    """Stories with their article ids, largest first."""
    # Plain tuples, not row mappings: the web app's story page calls this, and at 20,000 articles the mapping
    # per row cost most of its time.
    s = t.stories
    members: dict[int, list[int]] = defaultdict(list)
    query = select(t.articles.c.story_id, t.articles.c.id).where(t.articles.c.story_id.is_not(None))
    with store.engine.connect() as conn:
        rows = [
            {"id": i, "title": title, "first_date": first, "last_date": last}
            for i, title, first, last in conn.execute(select(s.c.id, s.c.title, s.c.first_date, s.c.last_date))
        ]
        for story_id, article_id in conn.execute(query.order_by(t.articles.c.id)):
            members[story_id].append(article_id)
    for row in rows:
        row["article_ids"] = members[row["id"]]
    rows.sort(key=lambda r: (-len(r["article_ids"]), r["id"]))
    return rows


def story(store: Store, story_id: int | None = None) -> dict | None:
    """One story with its article ids; without an id, the largest (most articles, then the oldest id)."""
    if story_id is None:
        largest = (
            select(t.articles.c.story_id)
            .where(t.articles.c.story_id.is_not(None))
            .group_by(t.articles.c.story_id)
            .order_by(func.count().desc(), t.articles.c.story_id)
            .limit(1)
        )
        with store.engine.connect() as conn:
            story_id = conn.execute(largest).scalar()
        if story_id is None:
            return None
    found = _rows(
        store, select(t.stories.c.id, t.stories.c.title, t.stories.c.first_date, t.stories.c.last_date)
        .where(t.stories.c.id == story_id)
    )
    if not found:
        return None
    ids = select(t.articles.c.id).where(t.articles.c.story_id == story_id).order_by(t.articles.c.id)
    with store.engine.connect() as conn:
        found[0]["article_ids"] = list(conn.execute(ids).scalars())
    return found[0]


def key_actors(store: Store, story_ids: list[int], limit: int = 5) -> dict[int, list[dict]]:
    """The people and organisations a story is about, per story: named in the most of its articles, then quoted
    the most. Places are left out: every report of a war names its towns, which says little about who acts."""
    m, q, a, actors = t.mentions, t.quotes, t.articles, t.actors
    if not story_ids:
        return {}
    wanted = set(story_ids)
    # A few stories by id; many (the story list, the export) in one pass over all, since a parameter list of
    # tens of thousands of ids exceeds what SQLite accepts.
    in_stories = a.c.story_id.in_(sorted(wanted)) if len(wanted) <= 500 else a.c.story_id.is_not(None)
    named = (
        select(a.c.story_id, actors.c.id, actors.c.name, actors.c.kind, func.count(func.distinct(m.c.article_id)))
        .join(a, a.c.id == m.c.article_id)
        .join(actors, actors.c.id == m.c.actor_id)
        .where(in_stories, actors.c.kind != "place")
        .group_by(a.c.story_id, actors.c.id, actors.c.name, actors.c.kind)
    )
    quoted = (
        select(a.c.story_id, q.c.actor_id, func.count())
        .join(a, a.c.id == q.c.article_id)
        .where(in_stories, q.c.actor_id.is_not(None))
        .group_by(a.c.story_id, q.c.actor_id)
    )
    with store.engine.connect() as conn:
        quotes = {(story, actor): n for story, actor, n in conn.execute(quoted)}
        found: dict[int, list[dict]] = defaultdict(list)
        for story, actor_id, name, kind, articles in conn.execute(named):
            if story not in wanted:
                continue
            found[story].append({"id": actor_id, "name": name, "kind": kind, "articles": articles,
                                 "quotes": quotes.get((story, actor_id), 0)})
    return {
        story: sorted(rows, key=lambda r: (-r["articles"], -r["quotes"], r["name"]))[:limit]
        for story, rows in found.items()
    }


def outlets_seen(store: Store) -> list[str]:
    """Every outlet credited on a stored article or copy."""
    with store.engine.connect() as conn:
        names = {row[0] for row in conn.execute(select(t.articles.c.outlet).distinct()) if row[0]}
        names |= {row[0] for row in conn.execute(select(t.copies.c.outlet).distinct()) if row[0]}
    return sorted(names)


def counts(store: Store) -> dict[str, int]:
    return {
        name: store.count(table)
        for name, table in (
            ("articles", t.articles),
            ("copies", t.copies),
            ("actors", t.actors),
            ("quotes", t.quotes),
            ("statements", t.statements),
            ("stories", t.stories),
        )
    }


def resolved_mentions(store: Store, article_ids: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    """(start, end, actor_id) of the resolved names in some articles, by article."""
    query = (
        select(t.mentions.c.article_id, t.mentions.c.start, t.mentions.c.end, t.mentions.c.actor_id)
        .where(t.mentions.c.actor_id.is_not(None), t.mentions.c.article_id.in_(article_ids))
        .order_by(t.mentions.c.article_id, t.mentions.c.start)
    )
    found: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for row in _rows(store, query):
        found[row["article_id"]].append((row["start"], row["end"], row["actor_id"]))
    return dict(found)
