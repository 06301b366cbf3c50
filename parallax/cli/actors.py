"""`parallax actors`: list and show actors, and the corrections users make to them (merge, split)."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from parallax.cli.common import err, fail, find_actor, opened, out
from parallax.report.briefing import as_said

REVIEW_BELOW = 0.9  # links less sure than this are worth a look

app = typer.Typer(help="Actors: the people, organisations and places named in the corpus.")


@app.callback(invoke_without_command=True)
def actors_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    everyone: bool = typer.Option(False, "--all", help="Include pack actors never mentioned in the corpus."),
) -> None:
    """List actors with their mention counts."""
    if ctx.invoked_subcommand:
        return
    from parallax.store import read

    from parallax.store.reviews import link_reviews

    with opened() as engine:
        rows = read.actors(engine.store)
        mentioned = read.actor_mention_counts(engine.store)
        to_review = len(link_reviews(engine.store, REVIEW_BELOW))
    rows = [dict(r, mentions=mentioned.get(r["id"], 0)) for r in rows if everyone or r["id"] in mentioned]
    rows.sort(key=lambda r: (-r["mentions"], r["name"]))
    if as_json:
        keep = ("id", "name", "kind", "origin", "aliases", "mentions")
        print(json.dumps([{k: r[k] for k in keep} for r in rows], ensure_ascii=False, indent=1))
        return
    table = Table("id", "name", "kind", "mentions", "also written")
    for r in rows:
        table.add_row(r["id"], r["name"], r["kind"], str(r["mentions"]), ", ".join(r["aliases"]))
    out.print(table)
    if to_review:
        err.print(f"{to_review} name(s) linked on weak evidence or kept apart with a likely candidate: "
                  "see `parallax actors review`", highlight=False)


@app.command("show")
def actors_show(actor: str = typer.Argument(..., help="Actor id or name.")) -> None:
    """One actor: aliases, roles and quotes."""
    from parallax.store import read

    with opened() as engine:
        actor_id = find_actor(engine, actor, "actor")
        row = read.actors(engine.store, [actor_id])[0]
        said = read.quotes(engine.store, actor_id=actor_id)
    out.print(f"[bold]{row['name']}[/bold] ({row['id']}, {row['kind']}, from {row['origin']})", highlight=False)
    if row["aliases"]:
        out.print("also written: " + ", ".join(row["aliases"]), highlight=False)
    for role in row["roles"]:
        out.print(f"role: {role['title']} {role.get('organisation') or ''} {role.get('country') or ''}", highlight=False)
    for q in said:
        when = (q["said_on"] or q["published"] or "undated")
        out.print(f"- {when} {q['outlet'] or 'unknown outlet'}: {as_said(q['text'], q['kind'])}", highlight=False)


@app.command("review")
def actors_review(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    below: float = typer.Option(REVIEW_BELOW, "--below", min=0.0, max=1.0, help="Only links less sure than this."),
) -> None:
    """Names resolved on weak evidence (garbled, misheard, transliterated) and names left unlinked that had a
    likely candidate, least sure first: confirm with `actors merge`, undo with `actors split`."""
    from parallax.store.reviews import link_reviews

    with opened() as engine:
        rows = link_reviews(engine.store, below)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        err.print(f"no links under confidence {below} to review", highlight=False)
        return
    table = Table("as written", "linked to", "could be", "confidence", "evidence", "article")
    for r in rows:
        table.add_row(r["text"], r["actor_id"] if r["linked"] else f"(kept apart: {r['actor_id']})",
                      r["candidate_id"], f"{r['confidence']:.2f}", r["evidence"],
                      f"{r['outlet'] or ''} {r['source']}".strip())
    out.print(table)


@app.command("merge")
def actors_merge(
    source: str = typer.Argument(..., help="The actor to merge away (id or name)."),
    target: str = typer.Argument(..., help="The actor to keep (id or name)."),
) -> None:
    """Merge actor A into actor B: its mentions, quotes and spellings become B's, now and on later ingests."""
    from parallax.store.corrections import CorrectionError, merge_actors

    with opened() as engine:
        a, b = find_actor(engine, source, "actor"), find_actor(engine, target, "actor")
        try:
            moved = merge_actors(engine.store, a, b)
        except CorrectionError as exc:
            fail(str(exc))
    err.print(f"merged {a} into {b} ({moved} mentions moved)", highlight=False)


@app.command("split")
def actors_split(
    actor: str = typer.Argument(..., help="The actor a spelling was wrongly linked to (id or name)."),
    name: str = typer.Argument(..., help="The spelling to take off it, as written in the articles."),
) -> None:
    """Take one spelling off an actor: its mentions and quotes go to a new actor, now and on later ingests."""
    from parallax.store.corrections import CorrectionError, split_actor

    with opened() as engine:
        actor_id = find_actor(engine, actor, "actor")
        try:
            new_id = split_actor(engine.store, actor_id, name)
        except CorrectionError as exc:
            fail(str(exc))
    err.print(f"{name!r} split off {actor_id} into the new actor {new_id}", highlight=False)
