"""Reads and edits of the stored camps (`parallax camps`): a camp is kept in the database, so every later
command sees the user's sides without flags. A pack that defines camps replaces the whole set when loaded,
until the user edits camps here: from then on packs leave the camps alone."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update

from parallax.model import Camp, CampRule
from parallax.store import schema as t
from parallax.store.db import CAMPS_EDITED, Store, camp_from_row, camp_rule


class CampError(ValueError):
    pass


def _mark_edited(conn) -> None:
    if not conn.execute(select(t.meta.c.key).where(t.meta.c.key == CAMPS_EDITED)).first():
        conn.execute(insert(t.meta).values(key=CAMPS_EDITED, value="1"))


def list_camps(store: Store) -> list[Camp]:
    with store.engine.connect() as conn:
        return [camp_from_row(row) for row in conn.execute(select(t.camps).order_by(t.camps.c.position, t.camps.c.id))]


def add_camp(store: Store, camp: Camp) -> None:
    """A new camp, placed after the others (earlier camps win when two rules take one outlet)."""
    with store.engine.begin() as conn:
        if conn.execute(select(t.camps.c.id).where(t.camps.c.id == camp.id)).first():
            raise CampError(f"a camp with id {camp.id!r} exists (use `parallax camps edit`)")
        _mark_edited(conn)
        last = conn.execute(select(func.max(t.camps.c.position))).scalar()
        conn.execute(
            insert(t.camps).values(id=camp.id, name=camp.name, rule=camp_rule(camp.rule), position=(last or 0) + 1)
        )


def replace_camp(store: Store, camp: Camp) -> None:
    """Store an edited camp in place (same id, same position)."""
    with store.engine.begin() as conn:
        done = conn.execute(
            update(t.camps).where(t.camps.c.id == camp.id).values(name=camp.name, rule=camp_rule(camp.rule))
        )
        if not done.rowcount:
            raise CampError(f"no camp with id {camp.id!r}")
        _mark_edited(conn)


def remove_camp(store: Store, camp_id: str) -> None:
    with store.engine.begin() as conn:
        if not conn.execute(delete(t.camps).where(t.camps.c.id == camp_id)).rowcount:
            raise CampError(f"no camp with id {camp_id!r}")
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
