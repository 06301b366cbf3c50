"""Merging and splitting actors by hand, stored so that every later ingest resolves names the same way.

A merge moves every mention, quote, statement and alias of one actor to another; a split takes one spelling
of a name off an actor and gives it, with its mentions and quotes, to a new corpus actor.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from parallax.knowledge.corrections import Corrections
from parallax.knowledge.names import alias_key, slug
from parallax.store import schema as t


class CorrectionError(ValueError):
    """A merge or split that cannot be done; the message says why."""


def load_corrections(store) -> Corrections:
    merged: dict[str, str] = {}
    split: dict[str, set[str]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(select(t.corrections).order_by(t.corrections.c.id)):
            if row.kind == "merge":
                merged[row.actor_id] = row.target_id
            elif row.kind == "split" and row.key:
                split.setdefault(row.key, set()).add(row.actor_id)
    return Corrections(merged, {k: frozenset(v) for k, v in split.items()})


def _actor(conn, actor_id: str):
    row = conn.execute(select(t.actors).where(t.actors.c.id == actor_id)).first()
    if row is None:
        raise CorrectionError(f"no actor with id {actor_id!r}")
    return row


def merge_actors(store, source: str, target: str) -> int:
    """Merge actor ``source`` into ``target``; returns how many mentions moved."""
    if source == target:
        raise CorrectionError("an actor cannot be merged into itself")
    with store.writing() as conn:
        src = _actor(conn, source)
        _actor(conn, target)  # raises when the target does not exist either
        moved = conn.execute(update(t.mentions).where(t.mentions.c.actor_id == source).values(actor_id=target)).rowcount
        conn.execute(update(t.quotes).where(t.quotes.c.actor_id == source).values(actor_id=target))
        conn.execute(update(t.statements).where(t.statements.c.actor_id == source).values(actor_id=target))
        known = {r.key for r in conn.execute(select(t.aliases.c.key).where(t.aliases.c.actor_id == target))}
        for row in conn.execute(select(t.aliases).where(t.aliases.c.actor_id == source)).all():
            if row.key not in known:
                conn.execute(insert(t.aliases).values(actor_id=target, alias=row.alias, key=row.key))
                known.add(row.key)
        if src.origin == "corpus":
            conn.execute(delete(t.aliases).where(t.aliases.c.actor_id == source))
            conn.execute(delete(t.actors).where(t.actors.c.id == source))
        conn.execute(insert(t.corrections).values(kind="merge", actor_id=source, target_id=target))
    return moved


def split_actor(store, actor_id: str, name: str) -> str:
    """Take the spelling ``name`` off ``actor_id``: its mentions and quotes go to a new corpus actor."""
    key = alias_key(name)
    if not key:
        raise CorrectionError(f"{name!r} is not a name")
    with store.writing() as conn:
        actor = _actor(conn, actor_id)
        mentions = [m for m in conn.execute(select(t.mentions).where(t.mentions.c.actor_id == actor_id))
                    if alias_key(m.text) == key]
        quotes = [q for q in conn.execute(select(t.quotes).where(t.quotes.c.actor_id == actor_id))
                  if q.speaker_text and alias_key(q.speaker_text) == key]
        aliases = [a for a in conn.execute(select(t.aliases).where(t.aliases.c.actor_id == actor_id)) if a.key == key]
        if not (mentions or quotes or aliases):
            raise CorrectionError(f"{actor_id} is never written {name!r}")
        # An id merged away earlier still redirects to its target: a new actor must not take it.
        merged_away = {row.actor_id for row in conn.execute(select(t.corrections.c.actor_id))}
        new_id, n = slug(name), 2
        while new_id in merged_away or conn.execute(select(t.actors.c.id).where(t.actors.c.id == new_id)).first():
            new_id, n = f"{slug(name)}-{n}", n + 1
        conn.execute(insert(t.actors).values(id=new_id, name=name, kind=actor.kind, gender=None, country=None,
                                             origin="corpus", roles=[]))
        conn.execute(insert(t.aliases).values(actor_id=new_id, alias=name, key=key))
        # a pack spelling comes back with the pack; the stored correction keeps it off the actor then
        conn.execute(delete(t.aliases).where(t.aliases.c.actor_id == actor_id, t.aliases.c.key == key))
        ids = [m.id for m in mentions]
        if ids:
            conn.execute(update(t.mentions).where(t.mentions.c.id.in_(ids)).values(actor_id=new_id))
        ids = [q.id for q in quotes]
        if ids:
            conn.execute(update(t.quotes).where(t.quotes.c.id.in_(ids)).values(actor_id=new_id, statement_id=None))
        conn.execute(insert(t.corrections).values(kind="split", actor_id=actor_id, target_id=new_id, key=key))
    return new_id
