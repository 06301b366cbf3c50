"""`parallax camps`: show and edit the camps, globally or for one story."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from parallax.cli.common import MAX_ID, err, fail, opened, out

app = typer.Typer(help="Camps: the sides of a story, and the rules that put outlets in them.")


_STORY_OPTION = typer.Option(
    None, "--story", min=1, max=MAX_ID, help="Work on the camps of this story only (its briefing uses them instead of the global ones)."
)


def add_packs_saying_what_changed(engine, packs: list[Path]) -> None:
    """Load the packs and say, by id, which global camps they added or updated, or that the camps were
    left alone because the user edited them: camps decide every briefing, they never change unannounced."""
    from parallax.knowledge.packs import load_pack
    from parallax.store.camps import camp_changes, camps_edited, list_camps

    before = list_camps(engine.store) if packs else []
    engine.add_packs(packs)
    if not packs:
        return
    after = list_camps(engine.store)
    changes = camp_changes(before, after)
    if changes.added:
        err.print(f"camps added from the pack: {', '.join(changes.added)}", highlight=False)
    if changes.updated:
        err.print(f"camps updated from the pack (same id, new name or rule): {', '.join(changes.updated)}",
                  highlight=False)
    if camps_edited(engine.store):
        stored = set(after)
        left = [c.id for p in packs for c in load_pack(p).camps if c not in stored]
        if left:
            err.print(f"camps of the pack left alone ({', '.join(dict.fromkeys(left))}): the camps were edited "
                      "with `parallax camps`, whose edits win; use `parallax camps add` or `edit`", highlight=False)


def _story_outlets(store, story_id: int) -> set[str]:
    from parallax.store import read

    story = read.story(store, story_id)
    if story is None:
        fail(f"no story with id {story_id} (see `parallax stories`)")
    articles = read.articles(store, story["article_ids"])
    copies = read.copies(store, story["article_ids"])
    return {a["outlet"] for a in articles if a["outlet"]} | {
        c["outlet"] for found in copies.values() for c in found if c["outlet"]
    }


@app.callback(invoke_without_command=True)
def camps_show(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    story: Optional[int] = typer.Option(None, "--story", min=1, max=MAX_ID, help="Show the camps a story's briefing uses."),
) -> None:
    """Show the camps, their rules and the outlets in each (outlets in no camp are "Unattributed")."""
    if ctx.invoked_subcommand:
        return
    from parallax.report.export import camp_members
    from parallax.report.sides import corpus_directory, story_directory, worth_listing
    from parallax.store import read
    from parallax.store.camps import list_camps

    with opened() as engine:
        stored = list_camps(engine.store)
        directory = engine.directory()
        own, sides = [], None
        if story is None:
            outlets_here = read.outlets_seen(engine.store)
            directory, sides, _parties = corpus_directory(engine.store, directory)
        else:
            outlets_here = _story_outlets(engine.store, story)
            own = list_camps(engine.store, story)
            directory, sides = story_directory(engine.store, directory, own,
                                               read.story(engine.store, story)["article_ids"])
        seen = {directory.canonical_name(name) for name in outlets_here}
        members = worth_listing(camp_members(engine.store, directory), sides, seen)
    rules = {c.id: c.rule for c in directory.camps}
    rows = [
        {**m, "rule": {k: list(getattr(rules[m["id"]], k)) for k in ("outlets", "countries", "ownership")}
         if m["id"] in rules else None}
        for m in members
    ]
    scope = "story" if own else "sides" if sides else "global"
    if as_json:
        shown = {"defaults": not stored and not own, "scope": scope, "story_id": story, "camps": rows}
        if sides:
            shown["parties"] = list(sides.parties)
        print(json.dumps(shown, ensure_ascii=False, indent=1))
        return
    if sides and story is None:
        about = f" (its stories' parties: {', '.join(sides.parties)})" if sides.parties else ""
        err.print(f"no camps defined: the sides below are named for the stories in this database{about}; each "
                  f"briefing uses its own story's (`parallax camps add` to define your own)")
    elif sides:
        about = f" (a story about {', '.join(sides.parties)})" if sides.parties else ""
        err.print(f"no camps defined: story {story}'s briefing uses the sides below, named for the story{about} "
                  f"(`parallax camps add` to define your own)")
    elif story is not None and not own:
        err.print(f"story {story} has no camps of its own: its briefing uses the global camps below "
                  f"(`parallax camps add --story {story}` to define)")
    elif story is not None:
        err.print(f"camps of story {story} (its briefing uses these, not the global camps)")
    if not stored and not own and not sides:
        err.print("no camps defined: showing the defaults from the outlets pack (`parallax camps add` to define)")
    table = Table("id", "name", "rule", "outlets in the story" if story is not None else "outlets in the corpus")
    for r in rows:
        rule = "; ".join(f"{k}: {', '.join(v)}" for k, v in (r["rule"] or {}).items() if v) or "(no rule)"
        found = [o for o in r["outlets"] if o in seen]
        more = len(r["outlets"]) - len(found)
        known = "known from packs" if story is None else "elsewhere"
        table.add_row(r["id"], r["name"], rule, ", ".join(found) + (f" (+{more} {known})" if more else ""))
    out.print(table)


def _camp_rule(engine, outlets: list[str], countries: list[str], ownership: list[str]):
    from parallax.model import CampRule

    directory = engine.directory()
    # A pack outlet is stored by id (it survives renames); an outlet only seen in articles by its name.
    ids = [(directory.outlet(o).id if directory.outlet(o) else o) for o in outlets]
    return CampRule(outlets=tuple(ids), countries=tuple(countries), ownership=tuple(ownership))


@app.command("add")
def camps_add(
    camp_id: str = typer.Argument(..., help="Camp id, e.g. brevnian-side."),
    name: str = typer.Option(..., "--name", help="Display name, e.g. \"Brevnian side\"."),
    outlet: list[str] = typer.Option([], "--outlet", help="Outlet name, alias, domain or id; repeatable."),
    country: list[str] = typer.Option([], "--country", help="Outlet country; repeatable."),
    ownership: list[str] = typer.Option([], "--ownership", help="Ownership typology (state-funded, wire, ...)."),
    story: Optional[int] = _STORY_OPTION,
) -> None:
    """Add a camp: outlets named in it, or from its countries, or of its ownership typology."""
    from parallax.model import Camp
    from parallax.store.camps import CampError, add_camp

    if not (outlet or country or ownership):
        fail("a camp needs at least one --outlet, --country or --ownership")
    with opened() as engine:
        if story is not None:
            _story_outlets(engine.store, story)  # the story must exist
        try:
            add_camp(engine.store, Camp(camp_id, name, _camp_rule(engine, outlet, country, ownership)), story)
        except CampError as exc:
            fail(str(exc))
    err.print(f"camp {camp_id} added" + (f" to story {story}" if story is not None else ""), highlight=False)


@app.command("edit")
def camps_edit(
    camp_id: str = typer.Argument(..., help="Camp id."),
    name: Optional[str] = typer.Option(None, "--name", help="New display name."),
    outlet: list[str] = typer.Option([], "--outlet", help="Outlet to add; repeatable."),
    country: list[str] = typer.Option([], "--country", help="Country to add; repeatable."),
    ownership: list[str] = typer.Option([], "--ownership", help="Ownership typology to add; repeatable."),
    drop_outlet: list[str] = typer.Option([], "--drop-outlet", help="Outlet to take out; repeatable."),
    drop_country: list[str] = typer.Option([], "--drop-country", help="Country to take out; repeatable."),
    drop_ownership: list[str] = typer.Option([], "--drop-ownership", help="Typology to take out; repeatable."),
    story: Optional[int] = _STORY_OPTION,
) -> None:
    """Rename a camp or change its rule."""
    from parallax.store.camps import CampError, edited, list_camps, replace_camp

    with opened() as engine:
        camp = next((c for c in list_camps(engine.store, story) if c.id == camp_id), None)
        if camp is None:
            where = f" in story {story} (see `parallax camps --story {story}`)" if story is not None else " (see `parallax camps`)"
            fail(f"no camp with id {camp_id!r}{where}")
        add = _camp_rule(engine, outlet, country, ownership)
        drop = _camp_rule(engine, drop_outlet, drop_country, drop_ownership)
        try:
            replace_camp(engine.store, edited(camp, name=name, add=add, drop=drop), story)
        except CampError as exc:
            fail(str(exc))
    err.print(f"camp {camp_id} updated" + (f" in story {story}" if story is not None else ""), highlight=False)


@app.command("remove")
def camps_remove(camp_id: str = typer.Argument(..., help="Camp id."), story: Optional[int] = _STORY_OPTION) -> None:
    """Remove a camp: its outlets fall to the next camp whose rule takes them, or to "Unattributed". A story
    left with no camps of its own goes back to the global ones."""
    from parallax.store.camps import CampError, remove_camp

    with opened() as engine:
        try:
            remove_camp(engine.store, camp_id, story)
        except CampError as exc:
            fail(str(exc))
    err.print(f"camp {camp_id} removed" + (f" from story {story}" if story is not None else ""), highlight=False)
