"""The `parallax` command: a thin Typer layer over parallax.app.Parallax.

Exit codes: 0 everything worked; 1 some input items failed (the good ones are stored); 2 usage errors
(bad options, a database or pack that cannot be used); 130 interrupted (Ctrl-C); 143 stopped (SIGTERM, as a
service manager or `docker stop` sends) during an ingest, which then keeps what it stored as after Ctrl-C.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import DatabaseError

from parallax import __version__
from parallax.cli import actors, camps

from parallax.cli.common import MAX_ID, State, database_failure, err, fail, find_actor, opened, out
from parallax.store.db import StoreError

app = typer.Typer(
    help="Parallax: who said what, when, reported by whom, and how each side tells it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(actors.app, name="actors")
app.add_typer(camps.app, name="camps")


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


class Terminated(KeyboardInterrupt):
    """SIGTERM during an ingest: it stops as after Ctrl-C, at a point where every stored article is complete."""


@contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    def stop(_signum, _frame):
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., help="Files, directories, feeds, http(s) URLs, or - for stdin."),
    pack: list[Path] = typer.Option([], "--pack", "-p", help="Knowledge pack (YAML file or directory); repeatable."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on private/loopback addresses."),
    processes: int = typer.Option(1, "--processes", "-j", min=1, help="spaCy worker processes."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Texts per spaCy batch."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar; errors and the summary only."),
    published: Optional[datetime] = typer.Option(
        None, "--date", formats=["%Y-%m-%d"], help="Publication date (YYYY-MM-DD) of the items that state none."
    ),
    max_chars: Optional[int] = typer.Option(
        None, "--max-chars", envvar="PARALLAX_MAX_CHARS", min=1, show_default="2000000",
        help="Longest article analysed, in characters of cleaned text; a longer one fails and the run goes on."),
    time_budget: Optional[float] = typer.Option(
        None, "--time-budget", envvar="PARALLAX_TIME_BUDGET", min=0, show_default="60",
        help="CPU seconds one article (each 100,000-character piece of a long one) may take; a slower one fails "
             "and the run goes on. "
             "0: no limit."),
    ray: Optional[str] = typer.Option(
        None, "--ray", envvar="PARALLAX_RAY", metavar="ADDRESS",
        help="Analyse on a Ray cluster (pip install 'parallax\\[ray]'): auto (the cluster started on this machine "
             "with `ray start`), HOST:PORT of its head, or local (a private one for this run). Articles are still "
             "read, cleaned and stored here."),
    ray_workers: Optional[int] = typer.Option(
        None, "--ray-workers", envvar="PARALLAX_RAY_WORKERS", min=1, show_default="one per CPU of the cluster",
        help="Ray actors analysing articles (each loads spaCy once)."),
) -> None:
    """Read, clean, analyse and store articles; then update stories and statements."""
    from parallax.nlp.ray_backend import RayUnavailable

    with opened() as engine:
        camps.add_packs_saying_what_changed(engine, pack)
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
            if status == "analysing":
                progress.update(task, description=item or "updating stories and statements")
                return
            counts[status] += 1
            progress.update(task, counts=" ".join(f"{k} {v}" for k, v in counts.items() if v))

        try:
            with progress, _stopped_by_sigterm():
                task = progress.add_task("ingesting", total=None, counts="")
                report = engine.ingest(
                    sources,
                    allow_private=allow_private,
                    n_process=processes,
                    batch_size=batch_size,
                    stdin=sys.stdin,
                    progress=note,
                    published=published.date() if published else None,
                    # the library's defaults unless the option or its variable is given
                    **({} if max_chars is None else {"max_chars": max_chars}),
                    **({} if time_budget is None else {"time_budget": time_budget or None}),
                    ray=ray or None,
                    ray_workers=ray_workers,
                )
        except RayUnavailable as exc:
            fail(escape(str(exc)))  # "parallax[ray]" is not markup
        except KeyboardInterrupt as stop:
            how = "stopped (SIGTERM)" if isinstance(stop, Terminated) else "interrupted"
            err.print(f"{how}: {counts['stored']} articles stored completely; run the same command to continue")
            raise typer.Exit(143 if isinstance(stop, Terminated) else 130)
        except (StoreError, DatabaseError) as exc:
            message, code = database_failure(State.db, exc)
            fail(f"{message}; the {counts['stored']} articles this run stored are kept, and the same command "
                 "continues from there", code)
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
        actors = read.key_actors(engine.store, [r["id"] for r in rows])
    if as_json:
        print(json.dumps([{**r, **_dates(r), "key_actors": actors.get(r["id"], [])} for r in rows],
                         ensure_ascii=False, indent=1))
        return
    table = Table("id", "articles", "dates", "title", "key actors")
    for r in rows:
        d = _dates(r)
        names = ", ".join(a["name"] for a in actors.get(r["id"], [])[:3])
        table.add_row(str(r["id"]), str(len(r["article_ids"])), f"{d['first_date'] or '?'} … {d['last_date'] or '?'}",
                      r["title"], names)
    out.print(table)


def _dates(row: dict) -> dict:
    return {k: (row[k].isoformat() if row.get(k) else None) for k in ("first_date", "last_date")}


class BriefFormat(str, Enum):
    markdown = "markdown"
    json = "json"


@app.command()
def brief(
    story: Optional[int] = typer.Argument(None, min=1, max=MAX_ID, help="Story id (default: the largest story)."),
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
    story: Optional[int] = typer.Option(None, "--story", min=1, max=MAX_ID, help="Story id."),
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
        actor_id = find_actor(engine, speaker, "--speaker") if speaker else None
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
    except (StoreError, DatabaseError) as exc:
        fail(*database_failure(State.db, exc))
    err.print(f"Parallax on http://{host}:{port}/" + (" (token required)" if token else ""), highlight=False)
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False)


class _Stdout:
    """Standard output that treats a reader gone away (`parallax export | head`) as the end of the job.

    Click turns a broken pipe into exit code 1; a reader that stops reading is not a failure of ours."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, data: str) -> int:
        try:
            return self._stream.write(data)
        except BrokenPipeError:
            _reader_gone()

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            _reader_gone()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _reader_gone() -> None:
    # Point the descriptor at /dev/null so the interpreter's last flush cannot fail again (the way the
    # Python documentation recommends for SIGPIPE), then stop quietly.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.__stdout__.fileno())
    os.close(devnull)
    raise SystemExit(0)


def run() -> None:
    """Console entry point: Click's own usage errors already exit with 2."""
    sys.stdout = _Stdout(sys.stdout)
    try:
        app()
    finally:
        # Output still buffered when the command ends is written here, where a gone reader is still ours.
        sys.stdout.flush()
