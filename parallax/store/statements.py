"""Reads and writes for placing quotes into statements: the statements known so far with each wording's article
and story, the quotes still to place with what the matcher needs to know about their speaker, and the placements."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import bindparam, func, insert, select, update

from parallax.nlp.embeddings import from_bytes, stored_vector

from parallax.store import schema as t
from parallax.store.db import Store, chunks

# meta key: the highest quote id the statement matcher has seen. Quotes with no resolved speaker stay out of
# statements when nothing matches them; this tells a quote seen before (retried only against statements that
# changed since) from a new one.
QUOTES_SEEN = "statements_quotes_seen"


Window = tuple  # (first day, last day, any undated): the days a statement may be dated to be met, or any day


def statements_within(store: Store, actors: dict[str, Window], stories: dict[int, Window]) -> dict[int, set]:
    """The ids of the statements some quotes may meet, each with what it is met through: ("actor", id) and
    ("story", id) keys. A quote meets its speaker's statements and, when its speaker is vague, the statements
    worded in its story, either only close to its day: ``actors`` and ``stories`` give, by speaker and by story,
    the days a statement may be dated to be met. An undated statement may always be met."""
    reached: dict[int, set] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(actors)):
            query = select(t.statements.c.id, t.statements.c.actor_id, t.statements.c.said_on).where(
                t.statements.c.actor_id.in_(chunk)
            )
            for row in conn.execute(query):
                if _near(row.said_on, actors[row.actor_id]):
                    reached.setdefault(row.id, set()).add(("actor", row.actor_id))
        for chunk in chunks(sorted(stories)):
            query = (
                select(t.quotes.c.statement_id, t.articles.c.story_id, t.statements.c.said_on)
                .distinct()
                .join(t.articles, t.articles.c.id == t.quotes.c.article_id)
                .join(t.statements, t.statements.c.id == t.quotes.c.statement_id)
                .where(t.articles.c.story_id.in_(chunk))
            )
            for row in conn.execute(query):
                if _near(row.said_on, stories[row.story_id]):
                    reached.setdefault(row.statement_id, set()).add(("story", row.story_id))
    return reached


def wording_texts(store: Store, ids: Iterable[int]) -> Iterator[tuple[int, str]]:
    """(statement id, text) of every wording of these statements, read a chunk of statements at a time."""
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(ids)):
            query = select(t.quotes.c.statement_id, t.quotes.c.text).where(t.quotes.c.statement_id.in_(chunk))
            yield from conn.execute(query)


def statements_by_id(store: Store, ids: Iterable[int]) -> list[dict]:
    """These statements in id order, with their wordings as (text, article_id, story_id, kind, vector, quote id)
    in the order they were placed; the vector is None or a float16 array as stored, half the size of the float32
    one the matcher compares (most wordings read are never compared)."""
    statements: dict[int, dict] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(ids)):
            for row in conn.execute(select(t.statements).where(t.statements.c.id.in_(chunk))):
                statements[row.id] = dict(row._mapping, wordings=[])
            query = (
                select(
                    t.quotes.c.statement_id,
                    t.quotes.c.text,
                    t.quotes.c.article_id,
                    t.articles.c.story_id,
                    t.quotes.c.kind,
                    t.quotes.c.vector,
                    t.quotes.c.id,
                )
                .join(t.articles, t.articles.c.id == t.quotes.c.article_id)
                .where(t.quotes.c.statement_id.in_(chunk))
                .order_by(t.quotes.c.id)
            )
            for row in conn.execute(query):
                vector = stored_vector(row.vector) if row.vector else None
                statements[row.statement_id]["wordings"].append(
                    (row.text, row.article_id, row.story_id, row.kind, vector, row.id)
                )
    return [statements[i] for i in sorted(statements)]


def _near(said_on: date | None, window: Window) -> bool:
    first, last, undated = window
    if said_on is None or undated:
        return True
    return first <= said_on <= last


def quote_range(store: Store) -> tuple[int, int | None]:
    """The highest quote id an earlier run saw, and the highest id of a quote in no statement (None if none)."""
    with store.engine.connect() as conn:
        seen = conn.execute(select(t.meta.c.value).where(t.meta.c.key == QUOTES_SEEN)).scalar()
        last = conn.execute(select(func.max(t.quotes.c.id)).where(t.quotes.c.statement_id.is_(None))).scalar()
    return int(seen or 0), last


def quotes_to_place(store: Store, up_to: int, page: int, undated_page: int | None = None) -> Iterator[list[dict]]:
    """Quotes in no statement up to id ``up_to``, ``page`` at a time, each with its article's story and its
    speaker's kind (None when unresolved), the quote's kind and its vector (a numpy array, or None when not yet
    embedded). A page is read once the one before it has been placed.

    Dated quotes come first, by day and then in the order they were stored; undated ones last. A page of a
    backfill then spans a few weeks, and the statements it can meet (MAX_DAYS_APART of its days) are a few weeks'
    worth, where pages in the order of storing would each span the whole corpus and meet nearly all of it. An
    undated quote meets statements of every day, so undated ones come ``undated_page`` at a time when given."""
    after: tuple = (date.min, 0)  # (day, id) of the last dated quote read
    while True:
        rows = _quotes_after(store, up_to, page, after)
        if not rows:
            break
        after = (rows[-1]["said_on"], rows[-1]["id"])
        yield rows
    after_id = 0
    while True:
        rows = _quotes_after(store, up_to, undated_page or page, after_id)
        if not rows:
            return
        after_id = rows[-1]["id"]
        yield rows


def count_to_place(store: Store, up_to: int) -> int:
    """How many quotes up to id ``up_to`` are in no statement: what one pass of ``quotes_to_place`` reads."""
    query = select(func.count()).select_from(t.quotes).where(t.quotes.c.statement_id.is_(None),
                                                               t.quotes.c.id <= up_to)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def _quotes_after(store: Store, up_to: int, page: int, after: tuple | int) -> list[dict]:
    """A page of the quotes to place after ``after``: (day, id) of a dated quote, or the id of an undated one."""
    if isinstance(after, tuple):
        day, quote_id = after
        order = [t.quotes.c.said_on, t.quotes.c.id]
        following = (t.quotes.c.said_on > day) | ((t.quotes.c.said_on == day) & (t.quotes.c.id > quote_id))
    else:
        order = [t.quotes.c.id]
        following = t.quotes.c.said_on.is_(None) & (t.quotes.c.id > after)
    query = (
        select(
            t.quotes.c.id,
            t.quotes.c.actor_id,
            t.quotes.c.text,
            t.quotes.c.said_on,
            t.quotes.c.article_id,
            t.quotes.c.kind,
            t.quotes.c.vector,
            t.articles.c.story_id,
            t.actors.c.kind.label("actor_kind"),
            t.actors.c.origin.label("actor_origin"),
        )
        .join(t.articles, t.articles.c.id == t.quotes.c.article_id)
        .outerjoin(t.actors, t.actors.c.id == t.quotes.c.actor_id)
        .where(t.quotes.c.statement_id.is_(None), following, t.quotes.c.id <= up_to)
        .order_by(*order)
        .limit(page)
    )
    with store.engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    for row in rows:
        row["vector"] = from_bytes(row["vector"]) if row["vector"] else None
    return rows


def statement_counts(store: Store, actor_ids: list[str]) -> dict[str, int]:
    """How many statements each of these speakers has so far."""
    found: dict[str, int] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(actor_ids)):
            query = (select(t.statements.c.actor_id, func.count()).where(t.statements.c.actor_id.in_(chunk))
                     .group_by(t.statements.c.actor_id))
            found.update(dict(conn.execute(query).all()))
    return found


def stories_of(store: Store, statement_ids: list[int]) -> set[int]:
    """The stories these statements' wordings were reported in."""
    found: set[int] = set()
    with store.engine.connect() as conn:
        for chunk in chunks(statement_ids):
            query = (
                select(t.articles.c.story_id)
                .distinct()
                .join(t.quotes, t.quotes.c.article_id == t.articles.c.id)
                .where(t.quotes.c.statement_id.in_(chunk), t.articles.c.story_id.is_not(None))
            )
            found.update(conn.execute(query).scalars())
    return found


def save_vectors(store: Store, vectors: list[tuple[int, bytes]]) -> None:
    """Store quotes' sentence embeddings as (quote id, bytes)."""
    if not vectors:
        return
    with store.writing() as conn:
        conn.execute(
            update(t.quotes).where(t.quotes.c.id == bindparam("quote_id")).values(vector=bindparam("blob")),
            [{"quote_id": q, "blob": b} for q, b in vectors],
        )


def pack_actor_ids(store: Store) -> frozenset[str]:
    with store.engine.connect() as conn:
        return frozenset(conn.execute(select(t.actors.c.id).where(t.actors.c.origin == "pack")).scalars())


def place_quotes(store: Store, placements: list[tuple[int, dict]], seen: int) -> None:
    """Attach quotes to statements (creating those without an id) and record ``seen`` as the highest quote id
    the matcher has seen, in one transaction: an interrupted run leaves all of it to the next or none.

    ``placements`` pairs a quote id with a statement dict that has id, actor_id, said_on and text; a new
    statement's id is written back into the dict so later quotes of it find it.
    """
    # One statement per list, not one per row: a backfill places hundreds of thousands of quotes. New statements
    # are numbered in the order their first quote comes, as when they were inserted one by one.
    new = list({id(statement): statement for _quote_id, statement in placements if statement.get("id") is None}
               .values())
    with store.writing() as conn:
        if new:
            ids = conn.execute(
                insert(t.statements).returning(t.statements.c.id, sort_by_parameter_order=True),
                [{"actor_id": s["actor_id"], "said_on": s["said_on"], "text": s["text"]} for s in new],
            ).scalars().all()
            for statement, statement_id in zip(new, ids, strict=True):
                statement["id"] = statement_id
        if placements:
            conn.execute(
                update(t.quotes).where(t.quotes.c.id == bindparam("quote_id"))
                .values(statement_id=bindparam("placed_in")),
                [{"quote_id": quote_id, "placed_in": statement["id"]} for quote_id, statement in placements],
            )
        done = conn.execute(update(t.meta).where(t.meta.c.key == QUOTES_SEEN).values(value=str(seen)))
        if not done.rowcount:
            conn.execute(insert(t.meta).values(key=QUOTES_SEEN, value=str(seen)))
