"""The first N articles of article_bias_prediction through Ray into PostgreSQL, and through a local ingest into
SQLite, over as many sittings as it takes; then whether the two databases hold the same articles and quotes.

    python benchmarks/firehose.py [--articles 37000] [--work ../firehose] [--workers 2] [--parts ray local]
    python benchmarks/firehose.py --work ../firehose --report
    python benchmarks/firehose.py --work ../firehose --parts ray --retry-failed
    python benchmarks/firehose.py --work ../firehose --compare

Each part takes about three core-hours on this machine, longer than a working session, so a sitting may be cut
short (the session ends, the machine is wanted for something else). A sitting resumes its part where the database
stands (`parallax ingest` skips what is stored; a killed ingest loses nothing) and keeps its own figures in
WORK/sittings/PART-N.json, rewritten every 30 s, so time spent in a sitting that was cut short still counts; the
driver's memory through the analysis, phase by phase, goes to WORK/stages-PART.trace. A part is finished when its
ingest ended by itself. --report adds the sittings up: wall time, the driver's and each Ray actor's peak resident
memory, and the counts of both databases with a digest of every article's quotes. The two parts may run on
different machines (a session's machine is not kept): run both from the same commit and compare the
digests.

WORK (outside the repository) holds the JSONL dump, the SQLite file, the PostgreSQL cluster (started here on a
private socket directory, as the unprivileged `nobody` when run as root, and stopped after) and the sittings.
Run it under `nice -n 19` to let it use only what the rest of the machine leaves idle.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ray_ingest import ROOT, RayHead, _env, driver_command, free_port, watch  # noqa: E402
from throughput import write_dump  # noqa: E402

PARTS = ("ray", "local")


class Postgres:
    """A PostgreSQL cluster kept in WORK/pg between sittings, serving one database on a private socket."""

    def __init__(self, base: Path):
        self.base = base
        self.data = base / "data"
        self.bindir = Path(shutil.which("pg_ctl") or sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]).parent
        self.as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        self.port = free_port()

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bindir / args[0]), *args[1:]], check=True, capture_output=True,
                       cwd=self.base)

    def start(self) -> str:
        """Start the cluster (made on the first sitting) and return the URL of its `parallax` database."""
        fresh = not self.data.exists()
        self.base.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            nobody = pwd.getpwnam("nobody")
            os.chmod(self.base, 0o777)
            os.chown(self.base, nobody.pw_uid, nobody.pw_gid)
        if fresh:
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-p {self.port} -k {self.base} -c listen_addresses=''"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "log"), "-w", "start")
        if fresh:
            import psycopg

            with psycopg.connect(host=str(self.base), port=self.port, user="postgres", dbname="postgres",
                                 autocommit=True) as conn:
                conn.execute("CREATE DATABASE parallax")
        return f"postgresql://postgres@/parallax?host={self.base}&port={self.port}"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "stop")


def _sittings(work: Path, part: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((work / "sittings").glob(f"{part}-*.json"),
                                                       key=lambda p: int(p.stem.split("-")[1]))]


def _keeper(work: Path, part: str):
    """A function that writes this sitting's figures so far (and at the end) to its own file."""
    folder = work / "sittings"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{part}-{len(_sittings(work, part)) + 1}.json"

    def keep(figures: dict, **more) -> None:
        record = {"wall_s": round(figures["wall_s"], 1), "driver_peak_mib": round(figures["driver_peak_mib"]),
                  "actor_peak_mib": [round(v) for v in figures["actor_peak_mib"].values()],
                  "actor_cpu_s": round(sum(figures["actor_cpu_s"].values()), 1), **more}
        path.write_text(json.dumps(record))

    return keep


def sit(part: str, work: Path, dump: Path, workers: int) -> int:
    """One sitting of a part: resume its ingest and watch it to the end (or until this process is stopped)."""
    keep = _keeper(work, part)
    stages = work / f"stages-{part}.json"
    head = pg = driver = None
    try:
        if part == "ray":
            pg = Postgres(work / "pg")
            db = pg.start()
            head = RayHead(workers)
            options = ["--ray", head.address, "--ray-workers", str(workers)]
        else:
            db = str(work / "local.db")
            options = ["-j", str(workers)]
        with (work / f"{part}.log").open("ab") as log:
            driver = subprocess.Popen(driver_command(db, dump, stages, options), env=_env(), stdout=log,
                                      stderr=subprocess.STDOUT)
            figures = watch(driver, head, tick=lambda f: keep(f, finished=False))
        done = figures["exit_code"] in (0, 1)
        keep(figures, finished=done, exit_code=figures["exit_code"], driver_cpu_s=round(figures["driver_cpu_s"], 1),
             counts=_counts(db), stages=json.loads(stages.read_text()) if stages.exists() else {})
        return figures["exit_code"]
    finally:
        if driver and driver.poll() is None:
            driver.kill()  # this sitting is being cut short; the next one resumes
            driver.wait()
        if head:
            head.stop()
        if pg:
            pg.stop()


def _counts(db: str) -> dict:
    """The database's counts, and a digest of every article's quotes that two machines can compare.

    The two parts may run in different sessions on different machines, so equal counts alone would not show that
    the same articles got the same quotes: the digest hashes each article's content fingerprint with the
    character spans of its quotes, in a fixed order, and is equal only when every article's quotes are."""
    return _contents(db)[0]


def _contents(db: str) -> tuple[dict, dict[str, frozenset[str]]]:
    """``_counts``, and the stories as ``_stories_of`` gives them (read once for both)."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from parallax.store import schema as t
    from parallax.store.db import Store
    from parallax.store.read import counts

    store = Store.open(db)
    try:
        query = (select(t.articles.c.fingerprint, t.quotes.c.start, t.quotes.c.end)
                 .join(t.quotes, t.quotes.c.article_id == t.articles.c.id, isouter=True))
        with store.engine.connect() as conn:
            lines = sorted(f"{fp} {start} {end}" for fp, start, end in conn.execute(query))
        stories = _stories_of(store)
        partition = sorted({",".join(sorted(members)) for members in stories.values()})
        return {**counts(store), "digest": _digest(lines), "stories_digest": _digest(partition)}, stories
    finally:
        store.close()


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _stories_of(store) -> dict[str, frozenset[str]]:
    """The fingerprint of each clustered article -> the fingerprints of its story's members: the stories as a
    partition of the articles, comparable across databases whose story ids differ."""
    from sqlalchemy import select

    from parallax.store import schema as t

    members: dict[int, set[str]] = {}
    with store.engine.connect() as conn:
        for fp, story_id in conn.execute(select(t.articles.c.fingerprint, t.articles.c.story_id)):
            if story_id is not None:
                members.setdefault(story_id, set()).add(fp)
    return {fp: frozen for frozen in map(frozenset, members.values()) for fp in frozen}


def report(work: Path) -> None:
    print("| part | sittings | finished | wall s (all sittings) | driver CPU s | driver peak MiB | driver process "
          "alone, peak MiB | peak MiB per actor | articles | quotes | stories | digest |")
    print("|---|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---|")
    for part in PARTS:
        sittings = _sittings(work, part)
        if not sittings:
            continue
        last = sittings[-1]
        counts = last.get("counts", {})
        actors = [m for s in sittings for m in s["actor_peak_mib"]]
        # The tree's peak above counts a local part's worker processes too; the driver's own high-water mark is
        # known for the sittings that ended by themselves (it is written as the driver exits).
        alone = max((s["stages"]["driver_peak_mib"] for s in sittings if "driver_peak_mib" in s.get("stages", {})),
                    default=None)
        print(f"| {part} | {len(sittings)} | {'yes' if last.get('finished') else 'no'} "
              f"| {sum(s['wall_s'] for s in sittings):,.0f} | {sum(s.get('driver_cpu_s', 0) for s in sittings):,.0f} "
              f"| {max(s['driver_peak_mib'] for s in sittings):,} | {_n(alone)} | {max(actors, default=0):,} "
              f"| {_n(counts.get('articles'))} | {_n(counts.get('quotes'))} | {_n(counts.get('stories'))} "
              f"| {counts.get('digest', '?')} |")


def compare(work: Path) -> bool:
    """Both databases as they stand now (a part need not have finished its analysis: articles and quotes are
    stored before it), and whether they hold the same articles with the same quotes."""
    if (work / "pg" / "data" / "postmaster.pid").exists():
        sys.exit(f"PostgreSQL is running on {work / 'pg'}: a Ray sitting is on; compare when it has ended")
    pg = Postgres(work / "pg")
    try:
        contents = {"ray": _contents(pg.start()), "local": _contents(str(work / "local.db"))}
    finally:
        pg.stop()
    found = {part: counted for part, (counted, _) in contents.items()}
    stories = {part: partition for part, (_, partition) in contents.items()}
    keys = ("articles", "copies", "quotes", "statements", "stories", "digest", "stories_digest")
    print("| part | " + " | ".join(keys) + " |")
    print("|---|" + "---:|" * (len(keys) - 1) + "---|")
    for part, counts in found.items():
        print(f"| {part} | " + " | ".join(str(counts.get(k, "?")) for k in keys) + " |")
    same = all(found["ray"][k] == found["local"][k] for k in ("articles", "copies", "quotes", "digest"))
    print(f"same articles, copies and quotes (by digest): {'yes' if same else 'no'}")
    # (stories are comparable only when both parts were clustered by the same code)
    moved = sum(1 for fp, members in stories["local"].items() if stories["ray"].get(fp) != members)
    print(f"articles whose story holds other articles in the other part: {moved:,} of {len(stories['local']):,}")
    return same


def _n(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"  # counts are taken when a sitting ends by itself


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=37000)
    parser.add_argument("--work", type=Path, default=ROOT.parent / "firehose")
    parser.add_argument("--workers", type=int, default=2, help="Ray actors, or local processes (-j)")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--report", action="store_true", help="only add up the sittings so far")
    parser.add_argument("--compare", action="store_true",
                        help="count both databases as they stand now and say whether they hold the same quotes")
    parser.add_argument("--retry-failed", action="store_true",
                        help="one more sitting for a finished part some of whose articles failed (after a fix)")
    args = parser.parse_args()
    work = args.work.resolve()
    if args.report:
        return report(work)
    if args.compare:
        sys.exit(0 if compare(work) else 1)
    work.mkdir(parents=True, exist_ok=True)
    dump = work / "dump.jsonl"
    if not dump.exists():
        partial = work / "dump.partial"
        count, words = write_dump(args.articles, partial)
        partial.rename(dump)
        print(f"{count} articles, {words:,} words in {dump}")
    # a SIGTERM (the session ending) stops the sitting through the finally blocks: Ray head and PostgreSQL down
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for part in args.parts:
        sittings = _sittings(work, part)
        if sittings and sittings[-1].get("finished") and not (args.retry_failed and sittings[-1]["exit_code"]):
            continue
        print(f"{part}: sitting ended with exit code {sit(part, work, dump, args.workers)}", flush=True)
    report(work)


if __name__ == "__main__":
    main()
