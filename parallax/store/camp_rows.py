"""Camps as rows of the store: the rule as stored, a row back into a Camp, and a pack's camps merged by id.

Kept apart from ``store.camps`` (the user's edits, which need the Store) so that the Store can merge a pack's
camps without importing the module that builds on it.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from parallax.model import Camp, CampRule
from parallax.store import schema as t

CAMPS_EDITED = "camps_edited"  # meta key: set once the user edits camps, after which packs leave them alone


def camp_rule(rule: CampRule) -> dict:
    return {"outlets": list(rule.outlets), "countries": list(rule.countries), "ownership": list(rule.ownership)}


def camp_from_row(row) -> Camp:
    rule = row.rule or {}
    return Camp(
        id=row.id,
        name=row.name,
        rule=CampRule(**{k: tuple(rule.get(k, ())) for k in ("outlets", "countries", "ownership")}),
    )


def merge_pack_camps(conn: Connection, camps: tuple[Camp, ...]) -> None:
    """Store a pack's camps by id: a known id takes the pack's name and rule and keeps its place (the order
    decides which camp takes an outlet two rules match); a new one goes last, in the pack's order. Camps the
    pack does not name stay: a second pack must never silently drop the sides the first one defined."""
    stored = {row.id: row for row in conn.execute(select(t.camps.c.id, t.camps.c.name, t.camps.c.rule,
                                                         t.camps.c.position))}
    last = max((row.position for row in stored.values()), default=-1)
    for camp in camps:
        rule = camp_rule(camp.rule)
        known = stored.get(camp.id)
        if known is None:
            last += 1
            conn.execute(insert(t.camps).values(id=camp.id, name=camp.name, rule=rule, position=last))
        elif (known.name, known.rule) != (camp.name, rule):
            conn.execute(update(t.camps).where(t.camps.c.id == camp.id).values(name=camp.name, rule=rule))
