"""Reads and edits of the stored camps (`parallax camps`): a camp is kept in the database, so every later
command sees the user's sides without flags. A pack's camps merge into the stored ones by id (a camp with a
known id is updated in place, a new one goes after the others, none is dropped), until the user edits camps
here: from then on packs leave the camps alone.

A story may have camps of its own (the sides of a negotiation are not those of an election): every function
takes an optional ``story_id``, and without one works on the global camps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, true, update

from parallax.model import Camp, CampRule
from parallax.store import schema as t
from parallax.store.camp_rows import CAMPS_EDITED, camp_from_row, camp_rule
from parallax.store.db import Store


class CampError(ValueError):
    pass


@dataclass(frozen=True)
class CampChanges:
    """What loading packs did to the stored global camps, by id."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()  # same id, new name or rule


def camp_changes(before: list[Camp], after: list[Camp]) -> CampChanges:
    old = {c.id: c for c in before}
    return CampChanges(
        added=tuple(c.id for c in after if c.id not in old),
        updated=tuple(c.id for c in after if c.id in old and old[c.id] != c),
    )


def camps_edited(store: Store) -> bool:
    """Whether the user has edited the global camps (packs then leave them alone)."""
    with store.engine.connect() as conn:
        return conn.execute(select(t.meta.c.key).where(t.meta.c.key == CAMPS_EDITED)).first() is not None


def _mark_edited(conn) -> None:
    if not conn.execute(select(t.meta.c.key).where(t.meta.c.key == CAMPS_EDITED)).first():
        conn.execute(insert(t.meta).values(key=CAMPS_EDITED, value="1"))


def _scope(story_id: int | None):
    """The table that holds the camps of this scope, and the condition that selects them."""
    if story_id is None:
        return t.camps, true()
    return t.story_camps, t.story_camps.c.story_id == story_id


def list_camps(store: Store, story_id: int | None = None) -> list[Camp]:
    """The global camps, or with ``story_id`` the camps defined for that story alone (maybe none)."""
    table, where = _scope(story_id)
    with store.engine.connect() as conn:
        rows = conn.execute(select(table).where(where).order_by(table.c.position, table.c.id))
        return [camp_from_row(row) for row in rows]


def story_camps(store: Store) -> dict[int, list[Camp]]:
    """Every story that has camps of its own, with them in the user's order."""
    found: dict[int, list[Camp]] = {}
    table = t.story_camps
    with store.engine.connect() as conn:
        for row in conn.execute(select(table).order_by(table.c.story_id, table.c.position, table.c.id)):
            found.setdefault(row.story_id, []).append(camp_from_row(row))
    return found


def add_camp(store: Store, camp: Camp, story_id: int | None = None) -> None:
    """A new camp, placed after the others (earlier camps win when two rules take one outlet)."""
    table, where = _scope(story_id)
    with store.engine.begin() as conn:
        if conn.execute(select(table.c.id).where(where, table.c.id == camp.id)).first():
            scope = f" in story {story_id}" if story_id is not None else ""
            raise CampError(f"a camp with id {camp.id!r} exists{scope} (use `parallax camps edit`)")
        if story_id is None:
            _mark_edited(conn)  # packs never touch story camps: only global edits need the flag
        last = conn.execute(select(func.max(table.c.position)).where(where)).scalar()
        values = {"id": camp.id, "name": camp.name, "rule": camp_rule(camp.rule), "position": (last or 0) + 1}
        if story_id is not None:
            values["story_id"] = story_id
        conn.execute(insert(table).values(**values))


def replace_camp(store: Store, camp: Camp, story_id: int | None = None) -> None:
    """Store an edited camp in place (same id, same position)."""
    table, where = _scope(story_id)
    with store.engine.begin() as conn:
        done = conn.execute(
            update(table).where(where, table.c.id == camp.id).values(name=camp.name, rule=camp_rule(camp.rule))
        )
        if not done.rowcount:
            raise CampError(f"no camp with id {camp.id!r}" + (f" in story {story_id}" if story_id is not None else ""))
        if story_id is None:
            _mark_edited(conn)


def remove_camp(store: Store, camp_id: str, story_id: int | None = None) -> None:
    table, where = _scope(story_id)
    with store.engine.begin() as conn:
        if not conn.execute(delete(table).where(where, table.c.id == camp_id)).rowcount:
            raise CampError(f"no camp with id {camp_id!r}" + (f" in story {story_id}" if story_id is not None else ""))
        if story_id is None:
            _mark_edited(conn)


_NO_RULE = CampRule()


def edited(camp: Camp, *, name: str | None = None, add: CampRule = _NO_RULE, drop: CampRule = _NO_RULE) -> Camp:
    """The camp with a new name and with rule entries added and dropped (order kept, no repeats)."""

    def merge(current: tuple[str, ...], plus: tuple[str, ...], minus: tuple[str, ...]) -> tuple[str, ...]:
        gone = {m.casefold() for m in minus}
        kept = [c for c in current if c.casefold() not in gone]
        for value in plus:
            if value.casefold() not in {k.casefold() for k in kept}:
                kept.append(value)
        return tuple(kept)

    rule = CampRule(
        outlets=merge(camp.rule.outlets, add.outlets, drop.outlets),
        countries=merge(camp.rule.countries, add.countries, drop.countries),
        ownership=merge(camp.rule.ownership, add.ownership, drop.ownership),
    )
    return Camp(id=camp.id, name=name or camp.name, rule=rule)
