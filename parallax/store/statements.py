"""Reads and writes for placing quotes into statements: the statements known so far with each wording's article
and story, the quotes still to place with what the matcher needs to know about their speaker, and the placements."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from parallax.nlp.embeddings import from_bytes

from parallax.store import schema as t
from parallax.store.db import Store

# meta key: the highest quote id the statement matcher has seen. Quotes with no resolved speaker stay out of
# statements when nothing matches them; this tells a quote seen before (retried only against statements that
# changed since) from a new one.
QUOTES_SEEN = "statements_quotes_seen"


def known_statements(store: Store) -> list[dict]:
    """Every statement with its wordings as (text, article_id, story_id, kind, vector, quote id), in the order
    they were placed; the vector is a numpy array or None."""
    with store.engine.connect() as conn:
        statements = {
            row.id: dict(row._mapping, wordings=[])
            for row in conn.execute(select(t.statements).order_by(t.statements.c.id))
        }
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
            .where(t.quotes.c.statement_id.is_not(None))
            .order_by(t.quotes.c.id)
        )
        for row in conn.execute(query):
            if row.statement_id in statements:
                vector = from_bytes(row.vector) if row.vector else None
                statements[row.statement_id]["wordings"].append(
                    (row.text, row.article_id, row.story_id, row.kind, vector, row.id)
                )
    return list(statements.values())


def quotes_to_place(store: Store) -> tuple[list[dict], int]:
    """Quotes in no statement, in the order they were stored, each with its article's story and its
    speaker's kind (None when unresolved), the quote's kind and its vector (a numpy array, or None when not yet
    embedded); and the highest quote id seen by an earlier run."""
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
        .where(t.quotes.c.statement_id.is_(None))
        .order_by(t.quotes.c.id)
    )
    with store.engine.connect() as conn:
        seen = conn.execute(select(t.meta.c.value).where(t.meta.c.key == QUOTES_SEEN)).scalar()
        rows = [dict(row._mapping) for row in conn.execute(query)]
    for row in rows:
        row["vector"] = from_bytes(row["vector"]) if row["vector"] else None
    return rows, int(seen or 0)


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
    with store.writing() as conn:
        for quote_id, statement in placements:
            if statement.get("id") is None:
                statement["id"] = conn.execute(
                    insert(t.statements)
                    .values(actor_id=statement["actor_id"], said_on=statement["said_on"], text=statement["text"])
                    .returning(t.statements.c.id)
                ).scalar_one()
            conn.execute(update(t.quotes).where(t.quotes.c.id == quote_id).values(statement_id=statement["id"]))
        done = conn.execute(update(t.meta).where(t.meta.c.key == QUOTES_SEEN).values(value=str(seen)))
        if not done.rowcount:
            conn.execute(insert(t.meta).values(key=QUOTES_SEEN, value=str(seen)))
