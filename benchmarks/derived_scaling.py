"""How story clustering and statement matching grow with the corpus: the update timed from scratch on the first
N articles of an ingested SQLite database, for several N.

    python benchmarks/derived_scaling.py DB [--sizes 100 200 300]

DB is a database an ingest left (e.g. the `bench-1.db` of benchmarks/throughput.py, kept in its temp directory);
it is copied, never changed. Each copy keeps the articles with the N lowest ids (the rest are deleted with their
names and quotes), forgets every story and statement, and is brought up to date by `update` as an ingest does at
its end: the figures are the wall and CPU seconds of story clustering and of statement matching.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from parallax.analysis.update import update_statements, update_stories  # noqa: E402
from parallax.store.db import Store  # noqa: E402


def timed(work) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 300])
    args = parser.parse_args()
    print("| articles | stories | clustering wall s | CPU s | ms CPU per article | statements | matching wall s | CPU s |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as work:
            copy = Path(work) / "copy.db"
            shutil.copy(args.db, copy)
            store = Store.open(str(copy))
            with store.engine.begin() as conn:
                ids = [r[0] for r in conn.execute(text("SELECT id FROM articles ORDER BY id"))]
                if len(ids) > size:
                    conn.execute(text("DELETE FROM articles WHERE id > :last"), {"last": ids[size - 1]})
                conn.execute(text("UPDATE articles SET vector = NULL, story_id = NULL"))
                conn.execute(text("UPDATE quotes SET statement_id = NULL"))
                conn.execute(text("DELETE FROM statements"))
                conn.execute(text("DELETE FROM story_camps"))
                conn.execute(text("DELETE FROM stories"))
                n = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
            s_wall, s_cpu, (clustered, opened) = timed(lambda: update_stories(store))
            q_wall, q_cpu, placed = timed(lambda: update_statements(store))
            store.close()
        print(f"| {n} | {opened} | {s_wall:.2f} | {s_cpu:.2f} | {1000 * s_cpu / max(clustered, 1):.1f} | "
              f"{placed} | {q_wall:.2f} | {q_cpu:.2f} |", flush=True)


if __name__ == "__main__":
    main()
