"""The analysis stage alone (stories, then statements) on a database of stored, not yet analysed articles: CPU
seconds, wall time and peak resident memory of each stage.

    PYTHONPATH=$PWD python benchmarks/analysis_memory.py DB_URL

DB_URL is changed (its articles are clustered and its quotes placed): give it a copy. A database of stored, not yet
analysed articles is what an ingest leaves just before its analysis; the figures in RESULTS.md were taken on
copies (`pg_dump`/`pg_restore`) of the PostgreSQL database of `benchmarks/firehose.py`'s Ray part while it was
still ingesting, and each commit was measured on its own copy with PYTHONPATH pointing at its checkout.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from parallax.analysis import update as analysis
from parallax.store.db import Store


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


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    store = Store.open(sys.argv[1])
    report = {"resident_at_start_mib": resident_mib()}
    report["stories"] = timed(lambda: analysis.update_stories(store))
    report["statements"] = timed(lambda: analysis.update_statements(store))
    store.close()
    print(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
