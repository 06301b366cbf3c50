"""A pack's outlets, camps and actors as rows of the store: written in bulk, read back as the domain's objects."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from parallax.model import Actor, Outlet, Pack, Role
from parallax.store import schema as t
from parallax.store.camp_rows import CAMPS_EDITED, camp_from_row, merge_pack_camps


def write_pack(conn: Connection, pack: Pack, alias_key) -> None:
    """Store a pack's outlets, camps and actors (replacing entries with the same id), in bulk.

    Pack actors are updated in place, never deleted and re-inserted: mentions and quotes point at them.
    """
    if pack.outlets:
        conn.execute(delete(t.outlets).where(t.outlets.c.id.in_([o.id for o in pack.outlets])))
        conn.execute(insert(t.outlets), [outlet_row(o) for o in pack.outlets])
    edited = conn.execute(select(t.meta.c.value).where(t.meta.c.key == CAMPS_EDITED)).scalar()
    if pack.camps and not edited:
        # A pack's camps merge into the stored ones by id, until the user edits camps with
        # `parallax camps`: from then on their edits win over any pack.
        merge_pack_camps(conn, pack.camps)
    if not pack.actors:
        return
    known = {row.id for row in conn.execute(select(t.actors.c.id))}
    rows = [actor_row(actor, "pack") for actor in pack.actors]
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


def read_actors(conn: Connection) -> tuple[list[Actor], list[tuple[str, str]]]:
    """All actors, and every alias as (actor id, alias as written)."""
    actors = [_actor(row) for row in conn.execute(select(t.actors).order_by(t.actors.c.id))]
    aliases = [(row.actor_id, row.alias) for row in conn.execute(select(t.aliases))]
    return actors, aliases


def read_pack(conn: Connection) -> Pack:
    """The outlets and camps stored from packs (actors are read separately, with aliases)."""
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


def outlet_row(outlet: Outlet) -> dict:
    return {
        "id": outlet.id,
        "name": outlet.name,
        "country": outlet.country,
        "ownership": outlet.ownership,
        "domains": list(outlet.domains),
        "aliases": list(outlet.aliases),
    }


def actor_row(actor: Actor, origin: str) -> dict:
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
