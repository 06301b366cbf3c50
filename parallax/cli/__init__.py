"""The `parallax` command: a thin Typer layer over parallax.app.Parallax.

Exit codes: 0 everything worked; 1 some input items failed (the good ones are stored); 2 usage errors
(bad options, a database or pack that cannot be used); 130 interrupted.
"""

from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from parallax import __version__
from parallax.knowledge.packs import PackError
from parallax.store.db import StoreError

if TYPE_CHECKING:
    from parallax.app import Parallax

app = typer.Typer(
    help="Parallax: who said what, when, reported by whom, and how each side tells it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
actors_app = typer.Typer(help="Actors: the people, organisations and places named in the corpus.")
app.add_typer(actors_app, name="actors")

out = Console()
err = Console(stderr=True, soft_wrap=True)  # one message, one line: never wrapped


class State:
    db: str = "parallax.db"


def _version(value: bool) -> None:
    if value:
        print(f"parallax {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: str = typer.Option(
        "parallax.db", "--db", envvar="PARALLAX_DB", help="SQLite file path or SQLAlchemy URL (postgresql://...)."
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    State.db = db


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def opened() -> Iterator[Parallax]:
    from parallax.app import Parallax  # imported here so `--help` stays fast

    try:
        engine = Parallax(State.db)
    except StoreError as exc:
        fail(str(exc))
    try:
        yield engine
    except (StoreError, PackError) as exc:
        fail(str(exc))
    finally:
        engine.close()


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., help="Files, directories, feeds, http(s) URLs, or - for stdin."),
    pack: list[Path] = typer.Option([], "--pack", "-p", help="Knowledge pack (YAML file or directory); repeatable."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on private/loopback addresses."),
    processes: int = typer.Option(1, "--processes", "-j", min=1, help="spaCy worker processes."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Texts per spaCy batch."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar; errors and the summary only."),
) -> None:
    """Read, clean, analyse and store articles; then update stories and statements."""
    with opened() as engine:
        engine.add_packs(pack)
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=None),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            console=err,
            disable=quiet,
            transient=True,
        )
        counts = {"stored": 0, "unchanged": 0, "duplicate": 0, "failed": 0}

        def note(item: str, status: str) -> None:
            counts[status] += 1
            progress.update(task, counts=" ".join(f"{k} {v}" for k, v in counts.items() if v))

        try:
            with progress:
                task = progress.add_task("ingesting", total=None, counts="")
                report = engine.ingest(
                    sources,
                    allow_private=allow_private,
                    n_process=processes,
                    batch_size=batch_size,
                    stdin=sys.stdin,
                    progress=note,
                )
        except KeyboardInterrupt:
            err.print(
                f"interrupted: {counts['stored']} articles stored completely; run the same command to continue"
            )
            raise typer.Exit(130)
    for error in report.errors:
        err.print(f"[red]error:[/red] {error}", highlight=False)
    summary = (
        f"{report.stored} articles stored ({report.not_english} not in English), "
        f"{report.unchanged} unchanged, {report.copies} duplicates linked, {report.quotes} quotes, "
        f"{len(report.errors)} failed"
    )
    if report.analysis:
        summary += (
            f"; {report.analysis.articles_clustered} articles clustered into stories "
            f"({report.analysis.stories_opened} new)"
        )
    err.print(summary, highlight=False)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def stories(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """List stories, largest first."""
    from parallax.store import read

    with opened() as engine:
        rows = read.stories(engine.store)
    if as_json:
        print(json.dumps([{**r, **_dates(r)} for r in rows], ensure_ascii=False, indent=1))
        return
    table = Table("id", "articles", "dates", "title")
    for r in rows:
        d = _dates(r)
        table.add_row(str(r["id"]), str(len(r["article_ids"])), f"{d['first_date'] or '?'} … {d['last_date'] or '?'}", r["title"])
    out.print(table)


def _dates(row: dict) -> dict:
    return {k: (row[k].isoformat() if row.get(k) else None) for k in ("first_date", "last_date")}


class BriefFormat(str, Enum):
    markdown = "markdown"
    json = "json"


@app.command()
def brief(
    story: Optional[int] = typer.Argument(None, help="Story id (default: the largest story)."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write the briefing as an HTML file."),
    fmt: BriefFormat = typer.Option(BriefFormat.markdown, "--format", help="What to print."),
    framing: list[Path] = typer.Option(
        [], "--framing", help="A framing lexicon (YAML with `framing` and `spellings`) added to the shipped one."
    ),
) -> None:
    """Print the balanced briefing of a story."""
    from parallax.knowledge.framing import FramingError, load_lexicons
    from parallax.report.briefing import StoryNotFound, build_briefing
    from parallax.report.render import to_html, to_json, to_markdown

    try:
        lexicon = load_lexicons(framing)
    except FramingError as exc:
        fail(str(exc))
    with opened() as engine:
        try:
            briefing = build_briefing(engine.store, engine.directory(), story, lexicon)
        except StoryNotFound as exc:
            fail(str(exc), 1)
    print(to_json(briefing) if fmt is BriefFormat.json else to_markdown(briefing))
    if html:
        try:
            html.write_text(to_html(briefing), encoding="utf-8")
        except OSError as exc:
            fail(f"{html}: cannot write ({exc.strerror})")
        err.print(f"HTML briefing written to {html.resolve()}", highlight=False)


class QuoteFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def quotes(
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Actor id or name."),
    story: Optional[int] = typer.Option(None, "--story", help="Story id."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Outlet name."),
    kind: Optional[str] = typer.Option(None, "--kind", help="direct, mixed or indirect."),
    since: Optional[str] = typer.Option(None, "--since", help="First day (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", help="Last day (YYYY-MM-DD)."),
    fmt: QuoteFormat = typer.Option(QuoteFormat.table, "--format", help="table, json or csv."),
) -> None:
    """List quotes with their speakers, outlets and dates."""
    from parallax.store import read

    if kind and kind not in {"direct", "mixed", "indirect"}:
        fail(f"--kind must be direct, mixed or indirect, not {kind!r}")
    with opened() as engine:
        actor_id = _actor_id(engine, speaker, "--speaker") if speaker else None
        rows = read.quotes(
            engine.store,
            story_id=story,
            actor_id=actor_id,
            outlet=outlet,
            kind=kind,
            since=_day(since, "--since"),
            until=_day(until, "--until"),
        )
    fields = ["id", "article_id", "outlet", "said_on", "actor_id", "actor_name", "speaker_text", "kind", "cue", "text"]
    plain = [{f: (r[f].isoformat() if isinstance(r[f], date) else r[f]) for f in fields} for r in rows]
    if fmt is QuoteFormat.json:
        print(json.dumps(plain, ensure_ascii=False, indent=1))
    elif fmt is QuoteFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        writer.writerows(plain)
    else:
        table = Table("id", "said on", "speaker", "outlet", "kind", "quote")
        for r in plain:
            table.add_row(str(r["id"]), r["said_on"] or "", r["actor_name"] or r["speaker_text"] or "", r["outlet"] or "", r["kind"], r["text"])
        out.print(table)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date like 2026-03-04, not {value!r}")


def _actor_id(engine, name: str, what: str) -> str:
    """An actor by id, by any known spelling of its name, or by surname when that is unambiguous."""
    from parallax.knowledge.names import alias_key
    from parallax.store import read

    rows = read.actors(engine.store)
    if any(row["id"] == name for row in rows):
        return name
    key = alias_key(name)
    keys = {r["id"]: {alias_key(n) for n in (r["name"], *r["aliases"])} for r in rows}
    found = [actor_id for actor_id, known in keys.items() if key in known]
    if not found:
        found = [actor_id for actor_id, known in keys.items() if any(k.split()[-1:] == [key] for k in known)]
    if len(found) != 1:
        fail(f"{what} {name!r}: " + ("no such actor" if not found else f"ambiguous ({', '.join(found)})"))
    return found[0]


@actors_app.callback(invoke_without_command=True)
def actors_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    everyone: bool = typer.Option(False, "--all", help="Include pack actors never mentioned in the corpus."),
) -> None:
    """List actors with their mention counts."""
    if ctx.invoked_subcommand:
        return
    from parallax.store import read

    with opened() as engine:
        rows = read.actors(engine.store)
        mentioned = read.actor_mention_counts(engine.store)
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


@actors_app.command("show")
def actors_show(actor: str = typer.Argument(..., help="Actor id or name.")) -> None:
    """One actor: aliases, roles and quotes."""
    from parallax.store import read

    with opened() as engine:
        actor_id = _actor_id(engine, actor, "actor")
        row = read.actors(engine.store, [actor_id])[0]
        said = read.quotes(engine.store, actor_id=actor_id)
    out.print(f"[bold]{row['name']}[/bold] ({row['id']}, {row['kind']}, from {row['origin']})", highlight=False)
    if row["aliases"]:
        out.print("also written: " + ", ".join(row["aliases"]), highlight=False)
    for role in row["roles"]:
        out.print(f"role: {role['title']} {role.get('organisation') or ''} {role.get('country') or ''}", highlight=False)
    for q in said:
        when = (q["said_on"] or q["published"] or "undated")
        out.print(f"- {when} {q['outlet'] or 'unknown outlet'}: “{q['text']}”", highlight=False)


@actors_app.command("merge")
def actors_merge(
    source: str = typer.Argument(..., help="The actor to merge away (id or name)."),
    target: str = typer.Argument(..., help="The actor to keep (id or name)."),
) -> None:
    """Merge actor A into actor B: its mentions, quotes and spellings become B's, now and on later ingests."""
    from parallax.store.corrections import CorrectionError, merge_actors

    with opened() as engine:
        a, b = _actor_id(engine, source, "actor"), _actor_id(engine, target, "actor")
        try:
            moved = merge_actors(engine.store, a, b)
        except CorrectionError as exc:
            fail(str(exc))
    err.print(f"merged {a} into {b} ({moved} mentions moved)", highlight=False)


@actors_app.command("split")
def actors_split(
    actor: str = typer.Argument(..., help="The actor a spelling was wrongly linked to (id or name)."),
    name: str = typer.Argument(..., help="The spelling to take off it, as written in the articles."),
) -> None:
    """Take one spelling off an actor: its mentions and quotes go to a new actor, now and on later ingests."""
    from parallax.store.corrections import CorrectionError, split_actor

    with opened() as engine:
        actor_id = _actor_id(engine, actor, "actor")
        try:
            new_id = split_actor(engine.store, actor_id, name)
        except CorrectionError as exc:
            fail(str(exc))
    err.print(f"{name!r} split off {actor_id} into the new actor {new_id}", highlight=False)


camps_app = typer.Typer(help="Camps: the sides of a story, and the rules that put outlets in them.")
app.add_typer(camps_app, name="camps")


@camps_app.callback(invoke_without_command=True)
def camps_show(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")
) -> None:
    """Show the camps, their rules and the outlets in each (outlets in no camp are "Unattributed")."""
    if ctx.invoked_subcommand:
        return
    from parallax.report.export import camp_members
    from parallax.store import read
    from parallax.store.camps import list_camps

    with opened() as engine:
        stored = list_camps(engine.store)
        directory = engine.directory()
        members = camp_members(engine.store, directory)
        seen = {directory.canonical_name(name) for name in read.outlets_seen(engine.store)}
    rules = {c.id: c.rule for c in directory.camps}
    rows = [
        {**m, "rule": {k: list(getattr(rules[m["id"]], k)) for k in ("outlets", "countries", "ownership")}
         if m["id"] in rules else None}
        for m in members
    ]
    if as_json:
        print(json.dumps({"defaults": not stored, "camps": rows}, ensure_ascii=False, indent=1))
        return
    if not stored:
        err.print("no camps defined: showing the defaults from the outlets pack (`parallax camps add` to define)")
    table = Table("id", "name", "rule", "outlets in the corpus")
    for r in rows:
        rule = "; ".join(f"{k}: {', '.join(v)}" for k, v in (r["rule"] or {}).items() if v) or "(no rule)"
        found = [o for o in r["outlets"] if o in seen]
        more = len(r["outlets"]) - len(found)
        table.add_row(r["id"], r["name"], rule, ", ".join(found) + (f" (+{more} known from packs)" if more else ""))
    out.print(table)


def _camp_rule(engine, outlets: list[str], countries: list[str], ownership: list[str]):
    from parallax.model import CampRule

    directory = engine.directory()
    # A pack outlet is stored by id (it survives renames); an outlet only seen in articles by its name.
    ids = [(directory.outlet(o).id if directory.outlet(o) else o) for o in outlets]
    return CampRule(outlets=tuple(ids), countries=tuple(countries), ownership=tuple(ownership))


@camps_app.command("add")
def camps_add(
    camp_id: str = typer.Argument(..., help="Camp id, e.g. brevnian-side."),
    name: str = typer.Option(..., "--name", help="Display name, e.g. \"Brevnian side\"."),
    outlet: list[str] = typer.Option([], "--outlet", help="Outlet name, alias, domain or id; repeatable."),
    country: list[str] = typer.Option([], "--country", help="Outlet country; repeatable."),
    ownership: list[str] = typer.Option([], "--ownership", help="Ownership typology (state-funded, wire, ...)."),
) -> None:
    """Add a camp: outlets named in it, or from its countries, or of its ownership typology."""
    from parallax.model import Camp
    from parallax.store.camps import CampError, add_camp

    if not (outlet or country or ownership):
        fail("a camp needs at least one --outlet, --country or --ownership")
    with opened() as engine:
        try:
            add_camp(engine.store, Camp(camp_id, name, _camp_rule(engine, outlet, country, ownership)))
        except CampError as exc:
            fail(str(exc))
    err.print(f"camp {camp_id} added", highlight=False)


@camps_app.command("edit")
def camps_edit(
    camp_id: str = typer.Argument(..., help="Camp id."),
    name: Optional[str] = typer.Option(None, "--name", help="New display name."),
    outlet: list[str] = typer.Option([], "--outlet", help="Outlet to add; repeatable."),
    country: list[str] = typer.Option([], "--country", help="Country to add; repeatable."),
    ownership: list[str] = typer.Option([], "--ownership", help="Ownership typology to add; repeatable."),
    drop_outlet: list[str] = typer.Option([], "--drop-outlet", help="Outlet to take out; repeatable."),
    drop_country: list[str] = typer.Option([], "--drop-country", help="Country to take out; repeatable."),
    drop_ownership: list[str] = typer.Option([], "--drop-ownership", help="Typology to take out; repeatable."),
) -> None:
    """Rename a camp or change its rule."""
    from parallax.store.camps import CampError, edited, list_camps, replace_camp

    with opened() as engine:
        camp = next((c for c in list_camps(engine.store) if c.id == camp_id), None)
        if camp is None:
            fail(f"no camp with id {camp_id!r} (see `parallax camps`)")
        add = _camp_rule(engine, outlet, country, ownership)
        drop = _camp_rule(engine, drop_outlet, drop_country, drop_ownership)
        try:
            replace_camp(engine.store, edited(camp, name=name, add=add, drop=drop))
        except CampError as exc:
            fail(str(exc))
    err.print(f"camp {camp_id} updated", highlight=False)


@camps_app.command("remove")
def camps_remove(camp_id: str = typer.Argument(..., help="Camp id.")) -> None:
    """Remove a camp: its outlets fall to the next camp whose rule takes them, or to "Unattributed"."""
    from parallax.store.camps import CampError, remove_camp

    with opened() as engine:
        try:
            remove_camp(engine.store, camp_id)
        except CampError as exc:
            fail(str(exc))
    err.print(f"camp {camp_id} removed", highlight=False)


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"


@app.command()
def export(
    fmt: ExportFormat = typer.Option(ExportFormat.json, "--format", help="json (one object) or jsonl."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to a file instead of stdout."),
) -> None:
    """Export everything in the stable Parallax JSON contract."""
    from parallax.report.export import write_json, write_jsonl

    writer = write_json if fmt is ExportFormat.json else write_jsonl
    with opened() as engine:
        if output is None:
            writer(engine.store, engine.directory(), sys.stdout)
            return
        try:
            with output.open("w", encoding="utf-8") as handle:
                writer(engine.store, engine.directory(), handle)
        except OSError as exc:
            fail(f"{output}: cannot write ({exc.strerror})")
    err.print(f"export written to {output}", highlight=False)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs a token."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(
        None, "--token", envvar="PARALLAX_TOKEN", help="Access token every request must carry (Bearer or ?token=)."
    ),
) -> None:
    """Serve the read-only web app and JSON API (docs at /api/docs)."""
    import ipaddress

    from parallax.store.db import database_url

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not token:
        fail(f"binding to {host} exposes the database beyond this machine: give --token T (or PARALLAX_TOKEN)")
    url = database_url(State.db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        fail(f"{State.db}: no such database (run `parallax ingest` first)")
    import uvicorn

    from parallax.web import create_app

    try:
        web = create_app(State.db, token)
    except StoreError as exc:
        fail(str(exc))
    err.print(f"Parallax on http://{host}:{port}/" + (" (token required)" if token else ""), highlight=False)
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False)


def run() -> None:
    """Console entry point: Click's own usage errors already exit with 2."""
    try:
        app()
    except BrokenPipeError:  # `parallax export | head` is fine
        sys.stderr.close()
        sys.exit(0)
