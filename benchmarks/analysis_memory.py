"""The analysis stage alone (stories, then statements) on a database of stored, not yet analysed articles: CPU
seconds, wall time and peak resident memory of each stage.

    PYTHONPATH=$PWD python benchmarks/analysis_memory.py DB_URL [--from-scratch]
        [--stages index index-all stories statements update speaker] [--speaker ACTOR_ID] [--trace SECONDS]

By default the stories, then the statements, each timed on its own. ``update`` is both as an ingest runs them, in
one call. ``index`` only loads the stored stories as the index an update of a few new articles starts from
(changing nothing): what every small ingest into a large database pays first, here for articles dated on the
newest stored article's day (the stories within reach of it); ``index-all`` loads every story, as an update with
an undated article does. ``speaker`` only loads what one
undated quote of ``--speaker`` (default donald-trump) meets: all of that speaker's statements. ``--from-scratch``
first takes the derived layer out (stories, statements, the quotes' vectors, the dates the analysis inferred for
articles and their quotes, the mark of the quotes the matcher has seen), leaving what the ingest alone stored;
with no stages, that is all it does.

DB_URL is changed (its articles are clustered and its quotes placed): give it a copy. A database of stored, not yet
analysed articles is what an ingest leaves just before its analysis; the figures in RESULTS.md were taken on
copies (`pg_dump`/`pg_restore`) of the PostgreSQL database of `benchmarks/firehose.py`'s Ray part while it was
still ingesting, and each commit was measured on its own copy with PYTHONPATH pointing at its checkout.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date

from sqlalchemy import delete, func, null, select, update

from parallax.analysis import update as analysis
from parallax.analysis.statements import StatementIndex, StatementState
from parallax.store import schema as t
from parallax.store import statements as statement_store
from parallax.store.db import Store
from parallax.store.statements import QUOTES_SEEN


def resident_mib() -> int:
    with open("/proc/self/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0]) // 1024


def peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def timed(work) -> dict:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return {"result": result, "wall_s": round(time.perf_counter() - wall, 1),
            "cpu_s": round(time.process_time() - cpu, 1), "resident_after_mib": resident_mib(),
            "peak_so_far_mib": peak_mib()}


def undated_part(store: Store, actor_id: str) -> dict:
    """What one undated quote of ``actor_id`` makes the statements stage hold: every statement of its speaker,
    whatever its day (``update._parts``), read and indexed as ``update._place_part`` does."""
    rows = statement_store.statements_by_id(
        store, statement_store.statements_within(store, {actor_id: (date.min, date.max, True)}, {}))
    states = [StatementState(r["id"], r["actor_id"], r["said_on"], r["text"], stored=r["wordings"]) for r in rows]
    StatementIndex(states)
    return {"statements": len(rows), "wordings": sum(len(r["wordings"]) for r in rows)}


def newest_days(store: Store):
    """The stories an update of articles dated on the newest stored article's day loads (a firehose's next run)."""
    with store.engine.connect() as conn:
        newest = conn.execute(select(func.max(t.articles.c.published))).scalar()
    return analysis._days_in_reach([newest])


class Trace:
    """With --trace: the stage's progress messages on stderr (or ``out``), each with the resident and peak
    memory so far, at most one every ``every`` seconds except when the phase changes (the text before the colon):
    which phase of a stage holds the most."""

    def __init__(self, every: float, out=sys.stderr):
        self.every, self.start, self.last, self.phase, self.out = every, time.perf_counter(), 0.0, None, out

    def __call__(self, message: str) -> None:
        now = time.perf_counter() - self.start
        phase = message.split(":")[0]
        if phase != self.phase or now - self.last >= self.every:
            self.phase, self.last = phase, now
            print(f"{now:8.0f} s {resident_mib():6,} MiB (peak {peak_mib():,}) {message}", file=self.out, flush=True)


def stages(trace: Trace | None, speaker: str) -> dict:
    return {
        "index": lambda store: len(analysis._story_index(store, newest_days(store))[0].stories),
        "index-all": lambda store: len(analysis._story_index(store)[0].stories),
        "stories": lambda store: analysis.update_stories(store, progress=trace),
        "statements": lambda store: analysis.update_statements(store, progress=trace),
        "update": lambda store: analysis.update(store, progress=trace),
        "speaker": lambda store: undated_part(store, speaker),
    }


def take_out_derived_layer(store: Store) -> None:
    """What the analysis wrote, taken out in one transaction: the database as its ingest left it."""
    with store.writing() as conn:
        conn.execute(update(t.quotes).values(statement_id=None, vector=None))
        conn.execute(delete(t.statements))
        # (else every quote would count as seen by an earlier run, and only the firm speakers' be placed)
        conn.execute(delete(t.meta).where(t.meta.c.key == QUOTES_SEEN))
        inferred = t.articles.c.published_via.in_(("mention", "story"))  # parallax.analysis.dating
        # its quotes were given the inferred day too (derived._write_dates), where they had none of their own
        dated_by_analysis = select(t.articles.c.published).where(t.articles.c.id == t.quotes.c.article_id, inferred)
        conn.execute(update(t.quotes).where(t.quotes.c.said_on == dated_by_analysis.scalar_subquery())
                     .values(said_on=None))
        conn.execute(update(t.articles).where(inferred).values(published=None, published_via=None))
        conn.execute(update(t.articles).values(vector=null(), story_id=None))  # (SQL NULL, not JSON null)
        conn.execute(delete(t.story_camps))
        conn.execute(delete(t.stories))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--stages", nargs="*", choices=list(stages(None, "")), default=["stories", "statements"])
    parser.add_argument("--from-scratch", action="store_true", help="take the derived layer out first")
    parser.add_argument("--speaker", default="donald-trump", help="the actor id of the `speaker` stage")
    parser.add_argument("--trace", type=float, metavar="SECONDS",
                        help="print progress with the memory so far, at most every SECONDS and at each phase")
    args = parser.parse_args()
    work = stages(Trace(args.trace) if args.trace else None, args.speaker)
    store = Store.open(args.db)
    report = {"resident_at_start_mib": resident_mib()}
    if args.from_scratch:
        report["taken_out"] = timed(lambda: take_out_derived_layer(store))
    for stage in args.stages:
        report[stage] = timed(lambda: work[stage](store))  # noqa: B023 - called at once
    store.close()
    print(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
