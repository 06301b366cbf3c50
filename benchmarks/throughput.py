"""Ingest throughput and peak memory on real news text, next to the bare spaCy pipeline.

    python benchmarks/throughput.py [--articles 2000] [--processes 1 2] [--rounds 1]
    python benchmarks/throughput.py --articles 37000 --processes 1 --skip-bare --ray 2 --db postgresql://...

Takes the first N articles (with a body) of ../shared/data/article_bias_prediction, writes them as a JSONL
dump outside the repository, then for each process count times, as whole processes:
  * `parallax ingest` of that dump into a fresh SQLite database (everything: cleaning, language, dedupe,
    spaCy, entities, quotes, speakers, actor resolution, storage, stories and statements);
  * the bare spaCy pipeline (`nlp.pipe` over the same cleaned texts, nothing else), as the model package loads
    it: all its components, including the attribute ruler and lemmatizer that Parallax replaces by lookups;
  * with more than one process, the same bare pipeline in that many separate processes, each on its share of
    the texts (every N-th), started together and sharing nothing: what this machine gives spaCy on that many
    cores, without the cost of `nlp.pipe(n_process=N)` sending every parsed Doc back to its parent.
Peak memory is the largest sum of resident memory over the process tree, sampled every 50 ms.
With --ray N, the same dump is also ingested through a Ray head started here with N workers, into --db (a fresh
SQLite file by default; a PostgreSQL URL must name an empty database): see benchmarks/ray_ingest.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from process_tree import Tree

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "article_bias_prediction" / "articles.jsonl.gz"


def dump_line(record: dict) -> str:
    """One article of the dataset as a line of a Parallax JSONL dump."""
    return json.dumps({
        "title": record["title"], "text": (record.get("content_original") or "").strip(), "url": record["url"],
        "outlet": record["source"], "published": record["date"],
    }) + "\n"


def write_dump(n: int, path: Path) -> tuple[int, int]:
    """The first n articles with a body, as a Parallax JSONL dump; returns (articles, words)."""
    count = words = 0
    with gzip.open(DATA, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for line in src:
            record = json.loads(line)
            body = (record.get("content_original") or "").strip()
            if len(body.split()) < 50:
                continue
            out.write(dump_line(record))
            count += 1
            words += len(body.split())
            if count == n:
                break
    return count, words


def run(command: list[str], stderr=subprocess.DEVNULL) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (the process and its workers), peak tree RSS (MiB) and exit code of a command.

    CPU seconds are reported too because wall time on a shared 2-core machine depends on what else runs.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    peak, tree = 0.0, Tree(proc.pid)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree.rss_mib())
        time.sleep(0.05)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, peak, os.waitstatus_to_exitcode(status)


def measure(command: list[str]) -> tuple[float, float, float]:
    """``run``, for a command that must succeed (exit 0, or 1 when some items failed)."""
    elapsed, cpu, peak, code = run(command)
    if code not in (0, 1):
        sys.exit(f"command failed ({code}): {' '.join(command)}")
    return elapsed, cpu, peak


# The cleaned texts are prepared once beforehand, so this process does nothing but load spaCy and parse.
# argv: texts, processes[, k, n: parse only the k-th of n shares (every n-th text, from the k-th)]
BARE_SPACY = """
import json, sys
from parallax.nlp.pipeline import load_pipeline
texts = json.load(open(sys.argv[1], encoding="utf-8"))
k, n = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (0, 1)
for _ in load_pipeline().pipe(texts[k::n], n_process=int(sys.argv[2]), batch_size=32):
    pass
"""
# argv: BARE_SPACY, texts, n: n one-process runs of it at once, one share each; this parent only waits.
SEPARATE_BARE_SPACY = """
import subprocess, sys
bare, texts, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
children = [subprocess.Popen([sys.executable, "-c", bare, texts, "1", str(k), str(n)]) for k in range(n)]
sys.exit(max(child.wait() for child in children))
"""


def cleaned_texts(dump: Path, out: Path) -> None:
    """The article texts exactly as Parallax analyses them (read, cleaned, split)."""
    from parallax.ingest import prepare, read_sources
    from parallax.model import ItemError

    texts = []
    for item in read_sources([str(dump)]):
        articles = item if isinstance(item, ItemError) else prepare(item)
        if not isinstance(articles, ItemError):
            texts += [a.text for a in articles if a.is_english]
    out.write_text(json.dumps(texts), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--skip-bare", action="store_true", help="time only `parallax ingest`")
    parser.add_argument("--ray", type=int, metavar="WORKERS", help="also ingest through Ray with this many workers")
    parser.add_argument("--db", help="database of the Ray run (default: a fresh SQLite file)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run everything this many times, then the median of each round's speed-ups")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is not here: this benchmark needs ../shared/data (see its README)")
    if args.rounds > 1 and args.db:
        sys.exit("--db names one database, which a second round would find full: use the default with --rounds")
    work = Path(tempfile.mkdtemp(prefix="parallax-bench-"))
    dump = work / "articles.jsonl"
    n, words = write_dump(args.articles, dump)
    texts = work / "texts.json"
    cleaned_texts(dump, texts)
    print(f"{n} articles, {words} words (whitespace tokens) from {DATA.name}; "
          f"load average before: {os.getloadavg()[0]:.1f}")
    walls: dict[str, list[float]] = {}  # run: its wall time in each round
    for round_ in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"\nround {round_} of {args.rounds}")
        for run_name, wall in one_round(args, work / f"round-{round_}", dump, texts, n, words):
            walls.setdefault(run_name, []).append(wall)
    if args.rounds > 1:
        speed_ups(walls)


def one_round(args, work: Path, dump: Path, texts: Path, n: int, words: int) -> Iterator[tuple[str, float]]:
    """Run and print each command once, into fresh databases; yields (run, wall seconds)."""
    work.mkdir()
    print("| run | processes | wall s | CPU s | articles/s | words/s | peak MiB | load after |")
    print("|---|---|---|---|---|---|---|---|")
    parallax = [sys.executable, "-m", "parallax"]
    for processes in args.processes:
        db = work / f"bench-{processes}.db"
        runs = [
            ("parallax ingest", [*parallax, "--db", str(db), "ingest", str(dump), "-q", "-j", str(processes)]),
            ("bare spaCy nlp.pipe", [sys.executable, "-c", BARE_SPACY, str(texts), str(processes)]),
        ]
        if processes > 1:
            runs.append(("bare spaCy, separate processes",
                         [sys.executable, "-c", SEPARATE_BARE_SPACY, BARE_SPACY, str(texts), str(processes)]))
        for name, command in runs[:1] if args.skip_bare else runs:
            wall, cpu, peak = measure(command)
            print(f"| {name} | {processes} | {wall:.1f} | {cpu:.1f} | {n / wall:.1f} | {words / wall:.0f} | {peak:.0f} "
                  f"| {os.getloadavg()[0]:.1f} |")
            yield f"{name}, {processes}", wall
        sys.stdout.flush()
    if args.ray:
        from ray_ingest import ray_run

        r = ray_run(dump, args.db or str(work / "bench-ray.db"), args.ray)
        print(f"| parallax ingest --ray | {r['actors']} actors | {r['wall_s']:.1f} | driver {r['driver_cpu_s']:.1f}"
              f" + actors {r['actor_cpu_s']:.1f} | {n / r['wall_s']:.1f} | {words / r['wall_s']:.0f} |"
              f" driver {r['driver_peak_mib']:.0f}, per actor {r['actor_peak_mib']:.0f} |")
        print(f"driver stages (wall / driver CPU s): store {r.get('store_s', 0):.1f} / {r.get('store_cpu_s', 0):.1f}"
              f" for {r.get('stored', 0)} articles, stories and statements {r.get('stories_s', 0):.1f} /"
              f" {r.get('stories_cpu_s', 0):.1f}; {' '.join(r['summary'])}")
        yield f"parallax ingest --ray, {r['actors']} actors", r["wall_s"]


def speed_ups(walls: dict[str, list[float]]) -> None:
    """Each run's speed-up over the one-process run of its kind, taken within each round, and their median: the
    machine's speed may change between rounds (other virtual machines on its host), so a run is compared with the
    one-process run of its own round. With the bare spaCy runs, each ingest's speed-up is also put beside that of
    bare spaCy in as many separate processes in the same round: how much of what this machine gives spaCy itself
    on that many cores the ingest keeps."""
    print("\n| run | median wall s | speed-up over one process, by round | median speed-up | share of bare spaCy's |")
    print("|---|---:|---|---:|---:|")
    for name, found in walls.items():
        ups = _speed_ups(walls, name)
        listed = ", ".join(f"{u:.2f}x" for u in ups) or "-"
        median = f"{statistics.median(ups):.2f}x" if ups else "-"
        ceiling = f"bare spaCy, separate processes, {_processes(name)}"
        shares = [u / b for u, b in zip(ups, [] if name.startswith("bare") else _speed_ups(walls, ceiling))]
        share = f"{statistics.median(shares):.1%} ({', '.join(f'{x:.1%}' for x in shares)})" if shares else "-"
        print(f"| {name} | {statistics.median(found):.1f} | {listed} | {median} | {share} |")


def _speed_ups(walls: dict[str, list[float]], name: str) -> list[float]:
    """The speed-ups of a run over the one-process run of its kind, by round (none for a one-process run)."""
    base = walls.get("bare spaCy nlp.pipe, 1" if name.startswith("bare") else "parallax ingest, 1")
    found = walls.get(name)
    return [b / w for b, w in zip(base, found)] if base and found and found is not base else []


def _processes(name: str) -> str:
    # "parallax ingest, 2" and "parallax ingest --ray, 2 actors" both ran on 2 processes
    return name.rsplit(", ", 1)[1].split()[0]


if __name__ == "__main__":
    main()
