"""Reads and writes of the stories the analysis stage maintains (statements: parallax.store.statements).

Plain rows in, plain rows out: the store knows nothing of how stories are computed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Iterator

from sqlalchemy import bindparam, func, insert, select, update

from parallax.store import schema as t
from parallax.store.db import Store, chunks


Days = tuple  # (first, last): stories with a day in between, or undated; None for every story


def _near(days: Days):
    """The stories whose span meets these days, and the undated ones."""
    first, last = days
    return t.stories.c.first_date.is_(None) | ((t.stories.c.last_date >= first) & (t.stories.c.first_date <= last))


def story_rows(store: Store, days: Days | None = None) -> Iterator[dict]:
    """The stored stories in id order (those near ``days`` when given), streamed."""
    query = select(t.stories).order_by(t.stories.c.id)
    if days is not None:
        query = query.where(_near(days))
    with store.engine.connect() as conn:
        for row in conn.execution_options(yield_per=500).execute(query):
            yield dict(row._mapping)


def article_vectors(store: Store, embeddings: bool = True,
                    days: Days | None = None) -> Iterator[tuple[dict, int | None, str, bytes | None, date | None]]:
    """The stored term vectors of clustered articles with their story ids, languages, embeddings and dates
    (document frequencies, each story's mass, its count of foreign members, its summed embedding and the dates an
    undated article's date words are read against follow from them), streamed, of the members of the stories
    near ``days`` when given; without ``embeddings`` the embedding and date come as None (the document
    frequencies need only the words)."""
    columns = [t.articles.c.vector, t.articles.c.story_id, t.articles.c.language]
    if embeddings:
        columns += [t.articles.c.embedding, t.articles.c.published]
    query = select(*columns).where(t.articles.c.vector.is_not(None)).order_by(t.articles.c.id)
    if days is not None:
        query = query.join(t.stories, t.stories.c.id == t.articles.c.story_id).where(_near(days))
    with store.engine.connect() as conn:
        for row in conn.execution_options(yield_per=500).execute(query):
            if embeddings:
                yield row.vector, row.story_id, row.language, row.embedding, row.published
            else:
                yield row.vector, row.story_id, row.language, None, None


def actor_aliases(store: Store) -> list[tuple[str, str]]:
    """(actor id, alias) of the actors that knowledge packs define: the names a foreign article is searched for
    (corpus-found actors are too often a garbled or partial name to be looked up blindly)."""
    query = (
        select(t.aliases.c.actor_id, t.aliases.c.alias)
        .join(t.actors, t.actors.c.id == t.aliases.c.actor_id)
        .where(t.actors.c.origin == "pack")
    )
    with store.engine.connect() as conn:
        return [(row.actor_id, row.alias) for row in conn.execute(query)]


def stories_by_source(store: Store, sources: list[str]) -> dict[str, set[int]]:
    """The stories already holding an article split from each of these inputs."""
    found: dict[str, set[int]] = defaultdict(set)
    if not sources:
        return found
    query = select(t.articles.c.source, t.articles.c.story_id).where(
        t.articles.c.story_id.is_not(None), t.articles.c.source.in_(sorted(set(sources)))
    )
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            found[row.source].add(row.story_id)
    return found


def unclustered(store: Store) -> list[tuple[int, str, date | None]]:
    """(id, source, date) of the articles not yet in a story, oldest first: the order they are clustered in.
    Articles of one day go by where they came from (source, then part), not by id: ids follow the order the
    articles were stored in, which leaves input order when articles that failed are stored by a later run (a Ray
    run stored its failed articles last), and the stories must not depend on it. Sorted here rather than by the
    database: PostgreSQL's collation orders text unlike SQLite's."""
    query = select(t.articles.c.id, t.articles.c.source, t.articles.c.part, t.articles.c.published).where(
        t.articles.c.vector.is_(None)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    rows.sort(key=lambda row: (row.published is None, row.published or date.min, row.source, row.part))
    return [(row.id, row.source, row.published) for row in rows]


def unclustered_articles(store: Store, ids: list[int]) -> list[dict]:
    """These articles (ids from ``unclustered``, a page at a time), in the order given, with the actors they
    mention."""
    query = select(
        t.articles.c.id,
        t.articles.c.source,
        t.articles.c.title,
        t.articles.c.text,
        t.articles.c.published,
        t.articles.c.language,
        t.articles.c.embedding,
    ).where(t.articles.c.id.in_(ids))
    actors: dict[int, list[str]] = defaultdict(list)
    with store.engine.connect() as conn:
        found = {row.id: dict(row._mapping) for row in conn.execute(query)}
        mention_query = (
            select(t.mentions.c.article_id, t.mentions.c.actor_id)
            .where(t.mentions.c.actor_id.is_not(None), t.mentions.c.article_id.in_(ids))
            .order_by(t.mentions.c.id)
        )
        for row in conn.execute(mention_query):
            actors[row.article_id].append(row.actor_id)
    rows = [found[i] for i in ids if i in found]
    for row in rows:
        row["actor_ids"] = actors.get(row["id"], [])
    return rows


def save_story_assignments(
    store: Store, stories: list[dict], assignments: list[tuple[int, dict, int, tuple | None]]
) -> list[int]:
    """Put articles into stories in one transaction: ``stories`` as they now stand (inserted when their id is
    None, in the order given), ``assignments`` as (article id, its vector, position in ``stories``, the (date,
    how) inferred for an undated article or None). Returns the stories' ids."""
    values = [{k: story[k] for k in ("title", "first_date", "last_date", "centroid", "size", "title_score")}
              for story in stories]
    with store.writing() as conn:
        ids = []
        for story, row in zip(stories, values):
            if story.get("id") is None:
                ids.append(conn.execute(insert(t.stories).values(**row).returning(t.stories.c.id)).scalar_one())
            else:
                ids.append(story["id"])
                conn.execute(update(t.stories).where(t.stories.c.id == story["id"]).values(**row))
        conn.execute(
            update(t.articles).where(t.articles.c.id == bindparam("article_id")).values(
                vector=bindparam("vector"), story_id=bindparam("story_id")
            ),
            [{"article_id": a, "vector": v, "story_id": ids[p]} for a, v, p, _d in assignments],
        )
        _write_dates(conn, [(a, *d) for a, _v, _p, d in assignments if d])
    return ids


def undated_members(store: Store, story_ids: list[int], before: int) -> list[dict]:
    """The undated articles of these stories stored before article id ``before``, with what dating them needs
    and the number of articles split from the same input as each (``parts``)."""
    if not story_ids:
        return []
    rows, parts = [], {}
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(set(story_ids))):
            query = (
                select(t.articles.c.id, t.articles.c.source, t.articles.c.text, t.articles.c.language,
                       t.articles.c.embedding, t.articles.c.story_id)
                .where(t.articles.c.story_id.in_(chunk), t.articles.c.published.is_(None), t.articles.c.id < before)
            )
            rows.extend(dict(row._mapping) for row in conn.execute(query))
        rows.sort(key=lambda row: row["id"])
        for chunk in chunks(sorted({row["source"] for row in rows})):
            parts.update(conn.execute(
                select(t.articles.c.source, func.count()).where(t.articles.c.source.in_(chunk))
                .group_by(t.articles.c.source)
            ).all())
    for row in rows:
        row["parts"] = parts.get(row["source"], 1)
    return rows


def date_articles(store: Store, dated: list[tuple[int, date, str]]) -> None:
    """Give undated articles the (article id, date, how) inferred for them."""
    if dated:
        with store.writing() as conn:
            _write_dates(conn, dated)


def _write_dates(conn, dated: list[tuple[int, date, str]]) -> None:
    if not dated:
        return
    conn.execute(
        update(t.articles).where(t.articles.c.id == bindparam("article_id")).values(
            published=bindparam("published"), published_via=bindparam("published_via")
        ),
        [{"article_id": a, "published": day, "published_via": how} for a, day, how in dated],
    )
    # its quotes were said on that day too, as they would be in an article dated when it came in
    conn.execute(
        update(t.quotes).where(t.quotes.c.article_id == bindparam("dated_article"), t.quotes.c.said_on.is_(None))
        .values(said_on=bindparam("day")),
        [{"dated_article": a, "day": day} for a, day, _how in dated],
    )
