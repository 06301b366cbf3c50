"""Reliability of ingest: the same input gives the same database whatever the hash seed or the number of
processes, ingests running side by side store every article once, and `kill -9` followed by a re-run ends where an
uninterrupted run does.

    python benchmarks/reliability.py                               # everything below
    python benchmarks/reliability.py --only determinism --articles 300
    python benchmarks/reliability.py --only concurrent --concurrent-articles 120
    python benchmarks/reliability.py --only kills --kill-articles 60 --kills 20

Input: BASIL (../shared/data/basil), 100 events x 3 outlets of full articles, written one JSON file per article
(title, outlet, date, text) outside the repository, named in date order. Every run is a whole `parallax ingest`
process with the sample pack, timed and checked for its exit code and for a traceback on stderr.

  * determinism: ingest under PYTHONHASHSEED 0, 1 and 2 with -j 1, and under seed 0 with -j 2; every database must
    equal the first (articles with ids and sources, quotes with offsets, speakers and statements, stories with ids,
    titles and members, actors) and so must the JSON briefing of every story.
  * concurrent: the articles in 4 overlapping folders (each article in 3 of them, so every article arrives three
    times by different paths), ingested by 4 processes at once into one SQLite database, and into one PostgreSQL
    database (a throwaway server, as the test suite starts it); against one sequential ingest of the 4 folders:
    equal article, quote and copy counts, no article stored twice, no item linked as a copy of itself, exit 0.
  * kills: an ingest killed with SIGKILL (the whole process group) once it has stored a random number of the
    articles (1 to all) and 0-3 s more have passed, so kills land while articles are written and while stories and
    statements are updated; then run again to the end. Repeated N times (5 at a time), each on a fresh SQLite
    database, each final database compared with an uninterrupted run's as in "determinism".
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parallax.store import schema as t  # noqa: E402
from parallax.store.db import database_url  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "basil" / "articles"
PACK = ROOT / "examples" / "pack"
OUTLETS = {"fox": "Fox News", "nyt": "New York Times", "hpo": "HuffPost"}


def write_basil(folder: Path, limit: int) -> list[Path]:
    """The first ``limit`` BASIL articles in date order, one JSON file each."""
    rows = []
    for path in sorted(DATA.glob("*/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = record["body-paragraphs"]
        if isinstance(paragraphs, str):
            paragraphs = ast.literal_eval(paragraphs)
        text = "\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paragraphs)
        rows.append((record["date"][:10], record["title"], OUTLETS.get(record["source"], record["source"]), text))
    rows.sort()
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n, (day, title, outlet, text) in enumerate(rows[:limit]):
        path = folder / f"{n:04d}.json"
        path.write_text(json.dumps({"title": title, "outlet": outlet, "published": day, "text": text}), "utf-8")
        files.append(path)
    return files


def command(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "parallax", "--db", db, *args]


def environment(seed: int = 0) -> dict:
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def ingest(db: str, sources: list[Path], *, seed: int = 0, jobs: int = 1) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        command(db, "ingest", *map(str, sources), "--pack", str(PACK), "-j", str(jobs)),
        env=environment(seed), capture_output=True, text=True,
    )
    return {"code": done.returncode, "seconds": time.perf_counter() - started,
            "traceback": "Traceback" in done.stderr, "summary": done.stdout.strip().splitlines()[-1:]}


BRIEFINGS = """
import json, sys
from parallax.app import Parallax
from parallax.knowledge.framing import load_lexicons
from parallax.report.briefing import build_briefing
from parallax.report.render import to_json
from parallax.store import read
engine = Parallax(sys.argv[1])
lexicon = load_lexicons([])
print(json.dumps({s["id"]: json.loads(to_json(build_briefing(engine.store, engine.directory(), s["id"], lexicon)))
                  for s in read.stories(engine.store)}))
"""


def briefings(db: str, seed: int = 0) -> dict:
    """The JSON briefing of every story, by story id, built in one process under the given hash seed."""
    done = subprocess.run([sys.executable, "-c", BRIEFINGS, db], env=environment(seed), capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def snapshot(db: str) -> dict:
    """What a user sees of a database, in a comparable form (ids included: they are in URLs and exports)."""
    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        def rows(query):
            return [tuple(r) for r in conn.execute(query)]

        a, q, s = t.articles.c, t.quotes.c, t.stories.c
        members = {}
        for story_id, article_id in conn.execute(select(a.story_id, a.id).order_by(a.id)):
            members.setdefault(story_id, []).append(article_id)
        state = {
            "articles": rows(select(a.id, a.source, a.part, a.fingerprint, a.title, a.published, a.outlet, a.story_id)
                             .order_by(a.id)),
            "quotes": rows(select(q.id, q.article_id, q.start, q.end, q.kind, q.actor_id, q.statement_id,
                                  q.speaker_text).order_by(q.id)),
            "stories": [(r.id, r.title, r.size, members.get(r.id, [])) for r in conn.execute(select(t.stories).order_by(s.id))],
            "statements": rows(select(t.statements.c.id, t.statements.c.actor_id, t.statements.c.text)
                               .order_by(t.statements.c.id)),
            "copies": rows(select(t.copies.c.source, t.copies.c.part, t.copies.c.article_id)
                           .order_by(t.copies.c.source, t.copies.c.part)),
            "actors": rows(select(t.actors.c.id, t.actors.c.name).order_by(t.actors.c.id)),
        }
    engine.dispose()
    return state


def counts(state: dict) -> dict:
    fingerprints = [row[3] for row in state["articles"]]
    by_id = {row[0]: (row[1], row[2]) for row in state["articles"]}
    return {
        "articles": len(state["articles"]),
        "quotes": len(state["quotes"]),
        "copies": len(state["copies"]),
        "stories": len(state["stories"]),
        "stored twice": len(fingerprints) - len(set(fingerprints)),
        "copies of themselves": sum(by_id.get(article_id) == (source, part) for source, part, article_id in state["copies"]),
        "unclustered": sum(row[-1] is None for row in state["articles"]),
    }


def differences(a: dict, b: dict) -> list[str]:
    return [key for key in a if a[key] != b.get(key)]


def determinism(work: Path, files: list[Path]) -> dict:
    """The runs go side by side, each into its own database (on a shared machine that is also the fastest)."""
    folder = files[0].parent
    runs = [("seed 0, -j 1", 0, 1), ("seed 1, -j 1", 1, 1), ("seed 2, -j 1", 2, 1), ("seed 0, -j 2", 0, 2)]
    started = time.perf_counter()
    processes = []
    for _name, seed, jobs in runs:
        db = str(work / f"det-{seed}-{jobs}.db")
        processes.append((db, subprocess.Popen(
            command(db, "ingest", str(folder), "--pack", str(PACK), "-j", str(jobs)), env=environment(seed),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    results, reference, reference_briefs = [], None, None
    for (name, seed, _jobs), (db, process) in zip(runs, processes):
        _out, err = process.communicate()
        state, briefs = snapshot(db), briefings(db, seed)
        if reference is None:
            reference, reference_briefs = state, briefs
        results.append({
            "run": name, "exit": process.returncode, "traceback": "Traceback" in err,
            **{k: v for k, v in counts(state).items() if k in ("articles", "quotes", "stories")},
            "statements": len(state["statements"]), "briefings": len(briefs),
            "differs in": differences(reference, state) + (["briefings"] if briefs != reference_briefs else []),
        })
    return {"articles": len(files), "minutes (4 runs side by side)": round((time.perf_counter() - started) / 60, 1),
            "runs": results}


def overlapping_folders(work: Path, files: list[Path], n: int = 4) -> list[Path]:
    """n folders, each holding every article except those of one residue class: each article is in n-1 folders."""
    folders = []
    for k in range(n):
        folder = work / f"part{k}"
        folder.mkdir()
        for i, path in enumerate(files):
            if i % n != k:
                (folder / path.name).write_bytes(path.read_bytes())
        folders.append(folder)
    return folders


def concurrent(work: Path, files: list[Path], pg_url=None) -> list[dict]:
    folders = overlapping_folders(work, files)
    results = []
    targets = [("sqlite", lambda name: str(work / f"{name}.db"))]
    if pg_url is not None:
        targets.append(("postgresql", pg_url))
    for kind, make in targets:
        sequential_db = make("sequential")
        run = ingest(sequential_db, folders)
        expected = counts(snapshot(sequential_db))
        together_db = make("together")
        started = time.perf_counter()
        processes = [
            subprocess.Popen(command(together_db, "ingest", str(folder), "--pack", str(PACK)), env=environment(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for folder in folders
        ]
        outputs = [p.communicate() for p in processes]
        seconds = time.perf_counter() - started
        found = counts(snapshot(together_db))
        results.append({
            "database": kind,
            "sequential": {**expected, "exit": run["code"], "seconds": round(run["seconds"], 1)},
            "4 at once": {**found, "exits": [p.returncode for p in processes], "seconds": round(seconds, 1),
                          "tracebacks": sum("Traceback" in err for _out, err in outputs),
                          "errors": [err.strip().splitlines()[-3:] for _out, err in outputs if "Traceback" in err]},
            "equal counts": all(found[k] == expected[k] for k in ("articles", "quotes", "copies")),
        })
    return results


def stored_articles(db: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def kill_and_rerun(db: str, folder: Path, after_articles: int, extra: float) -> dict:
    """Kill the ingest once it has stored ``after_articles`` articles and ``extra`` seconds more have passed
    (when that is all of them, the kill lands in the update of stories and statements, or after the run)."""
    process = subprocess.Popen(command(db, "ingest", str(folder), "--pack", str(PACK)), env=environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    while process.poll() is None and stored_articles(db) < after_articles:
        time.sleep(0.05)
    time.sleep(extra)
    killed = process.poll() is None
    if killed:
        os.killpg(process.pid, signal.SIGKILL)  # the ingest and any workers it started, nothing else
    process.wait()
    stored = stored_articles(db)
    rerun = ingest(db, [folder])
    return {"after articles": after_articles, "then s": round(extra, 1), "killed": killed,
            "articles when killed": stored, "re-run exit": rerun["code"], "traceback": rerun["traceback"],
            "state": snapshot(db)}


def kills(work: Path, files: list[Path], n: int, seed: int = 15, side_by_side: int = 5) -> dict:
    """Kills run ``side_by_side`` at a time, each on its own database, beside the uninterrupted run."""
    from concurrent.futures import ThreadPoolExecutor

    folder = files[0].parent
    reference_db = str(work / "uninterrupted.db")
    rng = random.Random(seed)
    points = [(rng.randint(1, len(files)), rng.uniform(0.0, 3.0)) for _ in range(n)]
    with ThreadPoolExecutor(side_by_side + 1) as pool:
        whole_future = pool.submit(ingest, reference_db, [folder])
        futures = [pool.submit(kill_and_rerun, str(work / f"killed-{k}.db"), folder, *point)
                   for k, point in enumerate(points)]
        whole = whole_future.result()
        reference = snapshot(reference_db)
        outcomes: list[dict] = []
        for k, future in enumerate(futures):
            outcome = future.result()
            state = outcome.pop("state")
            outcome["differs in"] = differences(reference, state)
            outcomes.append(outcome)
            print(json.dumps({"kill": k, **outcome}), flush=True)
    return {
        "articles": len(files),
        "uninterrupted": {"seconds": round(whole["seconds"], 1), "exit": whole["code"], **counts(reference)},
        "kills": sum(o["killed"] for o in outcomes),
        "identical": sum(not o["differs in"] and o["re-run exit"] == 0 for o in outcomes),
        "runs": outcomes,
    }


def postgres_url():
    """A database on a throwaway server started as the test suite does, or None when PostgreSQL is missing."""
    spec = importlib.util.spec_from_file_location("parallax_conftest", ROOT / "tests" / "conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    bindir = conftest._pg_bin()
    if bindir is None:
        return None, None
    server = conftest.PostgresServer(bindir)
    server.start()
    return server, lambda name: server.new_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=["determinism", "concurrent", "kills"],
                        default=["determinism", "concurrent", "kills"])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--concurrent-articles", type=int, default=120, help="articles the 4 folders hold")
    parser.add_argument("--kill-articles", type=int, default=60, help="articles of the corpus the kills run on")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"BASIL is not at {DATA}: see ../shared/data/README.md")
    report = {}
    with tempfile.TemporaryDirectory(prefix="parallax-reliability-") as tmp:
        work = Path(tmp)
        files = write_basil(work / "basil", args.articles)
        if "determinism" in args.only:
            report["determinism"] = determinism(work, files)
            print(json.dumps(report["determinism"], indent=1), flush=True)
        if "concurrent" in args.only:
            server, pg = (None, None) if args.no_postgres else postgres_url()
            try:
                report["concurrent"] = concurrent(work, files[: args.concurrent_articles], pg)
            finally:
                if server is not None:
                    server.stop()
            print(json.dumps(report["concurrent"], indent=1), flush=True)
        if "kills" in args.only:
            small = write_basil(work / "basil-small", args.kill_articles)
            report["kills"] = kills(work, small, args.kills)
            print(json.dumps(report["kills"], indent=1), flush=True)


if __name__ == "__main__":
    main()
