"""`parallax ingest --ray` timed on a Ray head started here, for benchmarks/throughput.py --ray N.

The head runs on 127.0.0.1 with N CPUs in a temporary directory of its own and is stopped after. The driver (the
`parallax ingest` process: reading, cleaning, dedupe, actor resolution, storage, stories) is timed as in
throughput.run; the actors are sampled from /proc, as the raylet's children, for their peak resident memory and
their CPU time. The driver runs under a wrapper that adds up the wall time of its two serial stages, so the
figures say where one driver and one database writer stop keeping up:
  * `store`: Parallax._bundle and Store.save_new_article per article (actor resolution, the write transaction);
  * `stories`: the final update (story clustering and statements) over the articles of the run;
each as wall seconds and as the driver's CPU seconds (a database server's own CPU is not in the latter).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from process_tree import Tree, cpu_s, descendants, rss_mib

ROOT = Path(__file__).resolve().parent.parent

# Runs `parallax` with the two serial stages of the driver timed; writes the totals to argv[2] at exit, and the
# analysis's progress with the driver's memory to the same path ending in .trace (which phase holds the most).
# argv[1] is benchmarks/, for analysis_memory's Trace.
TIMED_DRIVER = """
import atexit, json, resource, sys, time
sys.path.insert(0, sys.argv.pop(1))
from analysis_memory import Trace
import parallax.app as app
spent = {"store_s": 0.0, "store_cpu_s": 0.0, "stored": 0, "stories_s": 0.0, "stories_cpu_s": 0.0}
def peak_mib():  # this process alone, without its workers: the driver's peak so far
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
from parallax.store.db import Store
bundle, save, update = app.Parallax._bundle, Store.save_new_article, app.update
def timing(stage, work, count=False):
    def timed(*args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return work(*args, **kwargs)
        finally:
            spent[stage + "_s"] += time.perf_counter() - start
            spent[stage + "_cpu_s"] += time.process_time() - cpu
            spent["stored"] += count
    return timed
app.Parallax._bundle = timing("store", bundle)
Store.save_new_article = timing("store", save, count=True)
out = sys.argv[1]
trace = Trace(30.0, open(out.rsplit(".", 1)[0] + ".trace", "a"))
def analysis(*args, progress=None, **kwargs):
    # the peak is a high-water mark: a higher one at exit was reached in the analysis
    spent["driver_peak_before_analysis_mib"] = peak_mib()
    def told(message):
        trace(message)
        if progress:
            progress(message)
    return update(*args, progress=told, **kwargs)
app.update = timing("stories", analysis)
atexit.register(lambda: open(out, "w").write(json.dumps({**spent, "driver_peak_mib": peak_mib()})))
sys.argv = ["parallax", *sys.argv[2:]]
from parallax.cli import app as cli
cli()
"""


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "RAY_USAGE_STATS_ENABLED": "0"}


def _is_actor(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().startswith(b"ray::NlpActor")
    except OSError:
        return False


def free_port() -> int:
    """A TCP port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RayHead:
    """`ray start --head --block` on 127.0.0.1 with its own temp dir; stopped (with everything it started)."""

    def __init__(self, cpus: int):
        self.temp = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # Ray's socket paths must fit in 107 bytes
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "ray"), "start", "--head", "--block", "--node-ip-address", "127.0.0.1",
             "--port", str(self.port), "--num-cpus", str(cpus), "--include-dashboard", "false",
             "--temp-dir", self.temp, "--disable-usage-stats"],
            env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the Ray head did not start")
                time.sleep(0.5)
        time.sleep(2)

    def stop(self) -> None:
        tree = descendants(self.proc.pid)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        for pid in tree[1:]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        subprocess.run(["rm", "-rf", self.temp], check=False)


def watch(driver: subprocess.Popen, head: RayHead | None = None,
          tick: Callable[[dict], None] | None = None, every: float = 30.0) -> dict:
    """Wait for ``driver`` to end, sampling every 0.1 s the resident memory of its process tree and of the Ray
    actors under ``head``; ``tick`` is given the figures so far every ``every`` seconds (a run of hours may be cut
    short, and what it measured until then is worth keeping). Returns the figures and the exit code."""
    start, last = time.perf_counter(), 0.0
    figures: dict = {"wall_s": 0.0, "driver_peak_mib": 0.0, "actor_peak_mib": {}, "actor_cpu_s": {}}
    driver_tree, head_tree, actors = Tree(driver.pid), Tree(head.proc.pid) if head else None, set()
    while True:
        pid, status, usage = os.wait4(driver.pid, os.WNOHANG)
        if pid:
            break
        figures["driver_peak_mib"] = max(figures["driver_peak_mib"], driver_tree.rss_mib())
        for p in head_tree.pids() if head_tree else ():
            if p not in actors and _is_actor(p):
                actors.add(p)  # an actor stays one: its name need not be read again
            if p in actors:
                figures["actor_peak_mib"][p] = max(figures["actor_peak_mib"].get(p, 0.0), rss_mib(p))
                figures["actor_cpu_s"][p] = max(figures["actor_cpu_s"].get(p, 0.0), cpu_s(p))
        figures["wall_s"] = time.perf_counter() - start
        if tick and figures["wall_s"] - last >= every:
            last = figures["wall_s"]
            tick(figures)
        time.sleep(0.1)
    figures["wall_s"] = time.perf_counter() - start
    figures["driver_cpu_s"] = usage.ru_utime + usage.ru_stime
    figures["exit_code"] = os.waitstatus_to_exitcode(status)
    return figures


def driver_command(db: str, dump: Path, stages: Path, options: list[str]) -> list[str]:
    """`parallax --db DB ingest DUMP -q OPTIONS` with its two serial stages timed into ``stages``."""
    benchmarks = str(Path(__file__).resolve().parent)
    return [sys.executable, "-c", TIMED_DRIVER, benchmarks, str(stages), "--db", db, "ingest", str(dump), "-q",
            *options]


def ray_run(dump: Path, db: str, workers: int, batch_size: int = 32) -> dict:
    """Ingest ``dump`` into ``db`` through a fresh Ray head with ``workers`` CPUs; the figures of the run."""
    head = RayHead(workers)
    stages = Path(head.temp) / "stages.json"
    try:
        command = driver_command(db, dump, stages, ["--ray", head.address, "--ray-workers", str(workers),
                                                     "--batch-size", str(batch_size)])
        driver = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        figures = watch(driver, head)
        stderr = driver.stderr.read().decode(errors="replace") if driver.stderr else ""
        if figures["exit_code"] not in (0, 1):
            sys.exit(f"ray ingest failed ({figures['exit_code']}): {stderr[-2000:]}")
        spent = json.loads(stages.read_text()) if stages.exists() else {}
    finally:
        head.stop()
    return {
        "wall_s": figures["wall_s"], "driver_cpu_s": figures["driver_cpu_s"],
        "driver_peak_mib": figures["driver_peak_mib"], "actors": len(figures["actor_peak_mib"]),
        "actor_peak_mib": max(figures["actor_peak_mib"].values(), default=0.0),
        "actor_cpu_s": sum(figures["actor_cpu_s"].values()), "summary": stderr.strip().splitlines()[-1:], **spent,
    }
