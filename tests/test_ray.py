"""`parallax ingest --ray` against a real Ray cluster started here on 127.0.0.1 (one for the whole module, two
CPUs): the same stories as a local run, budgets that hold on the workers, a worker killed mid-batch, two drivers
at once on overlapping input, PostgreSQL restarted mid-run, and the clear failures when Ray is missing or the
address has no cluster."""

from __future__ import annotations

import contextlib
import json
import re
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax.cli import app

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'parallax[ray]')")

ROOT = Path(__file__).resolve().parent.parent
# the articles the sample corpus stores (its expected export lists each once)
SAMPLE_ARTICLES = len(json.loads((ROOT / "examples" / "expected.json").read_text())["articles"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict[str, str]:
    # workers and drivers import this checkout's parallax, and Ray phones nowhere
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "RAY_USAGE_STATS_ENABLED": "0"}


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    children.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found[1:]


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@contextlib.contextmanager
def ray_head(env: dict[str, str]) -> Iterator[dict]:
    """A Ray head on 127.0.0.1 with two CPUs, in its own temp dir, its workers started with ``env``; yields its
    address, stopped after."""
    temp = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # short: Ray's socket paths must fit in 107 bytes
    port = _free_port()
    head = subprocess.Popen(
        [str(Path(sys.executable).parent / "ray"), "start", "--head", "--block", "--node-ip-address", "127.0.0.1",
         "--port", str(port), "--num-cpus", "2", "--include-dashboard", "false", "--temp-dir", temp,
         "--disable-usage-stats"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if head.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the Ray head did not start")
                time.sleep(0.5)
        time.sleep(2)  # the raylet registers a moment after the GCS listens
        yield {"address": address, "head": head.pid}
    finally:
        tree = _descendants(head.pid)
        head.send_signal(signal.SIGTERM)  # `ray start --block` stops what it started
        try:
            head.wait(30)
        except subprocess.TimeoutExpired:
            head.kill()
        for pid in tree:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    """The module's Ray head."""
    with ray_head(_env()) as found:
        yield found


def run(db: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *args],
                          capture_output=True, text=True, env=_env(), timeout=timeout)


def export(db: Path) -> dict:
    result = run(db, "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def stored_once(data: dict) -> list[tuple[str, int]]:
    keys = [(a["source"], a["part"]) for a in data["articles"]]
    assert len(keys) == len(set(keys)), "an article was stored twice"
    return sorted(keys)


@pytest.fixture(scope="module")
def local_run(tmp_path_factory, sample_corpus) -> dict:
    """The sample corpus ingested without Ray: what every Ray run must match."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    result = run(db, "ingest", "-q", str(sample_corpus))
    assert result.returncode == 0, result.stderr
    return export(db)


def test_without_ray_installed_one_clear_line(monkeypatch, tmp_path, sample_corpus):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "p.db"), "ingest", "-q", "--ray", "auto",
                                      str(sample_corpus)])
    assert result.exit_code == 2, result.output
    assert "needs Ray, which is not installed: pip install 'parallax[ray]'" in result.output
    assert "Traceback" not in result.output


def test_no_cluster_at_the_address(tmp_path, sample_corpus):
    started = time.monotonic()
    result = run(tmp_path / "p.db", "ingest", "-q", "--ray", f"127.0.0.1:{_free_port()}", str(sample_corpus))
    assert result.returncode == 2, result.stderr
    assert "no Ray cluster at 127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 60  # not Ray's minutes of retrying


def test_workers_without_a_model_one_clear_line_and_nothing_stored(tmp_path, sample_corpus):
    # a cluster whose workers cannot load spaCy (here its model package is broken on the workers' path only):
    # the driver reads ahead while the actors start, but stores nothing, and says why in one line
    broken = tmp_path / "broken"
    (broken / "en_core_web_sm").mkdir(parents=True)
    (broken / "en_core_web_sm" / "__init__.py").write_text(
        "def load():\n    raise RuntimeError('the model files of this node are damaged')\n")
    env = _env()
    with ray_head({**env, "PYTHONPATH": os.pathsep.join((str(broken), env["PYTHONPATH"]))}) as broken_cluster:
        result = run(tmp_path / "p.db", "ingest", "-q", "--ray", broken_cluster["address"], "--ray-workers", "2",
                     str(sample_corpus))
    assert result.returncode == 2, result.stderr
    assert "Ray workers cannot start" in result.stderr and "damaged" in result.stderr
    assert "Traceback" not in result.stderr
    assert export(tmp_path / "p.db")["articles"] == []


def test_same_stories_as_a_local_run(cluster, local_run, tmp_path, sample_corpus):
    on_ray = run(tmp_path / "ray.db", "ingest", "-q", "--ray", cluster["address"], "--ray-workers", "2",
                 "--batch-size", "3", str(sample_corpus))
    assert on_ray.returncode == 0, on_ray.stderr
    a, b = local_run, export(tmp_path / "ray.db")
    stored_once(b)
    # results come back in any order but are stored in input order: the same ids, quotes and stories
    assert [(s["title"], s["article_ids"]) for s in a["stories"]] == [(s["title"], s["article_ids"]) for s in b["stories"]]
    assert a == b


def test_budgets_hold_on_ray_workers(cluster, tmp_path, sample_corpus):
    result = run(tmp_path / "p.db", "ingest", "-q", "--ray", cluster["address"], "--ray-workers", "2",
                 "--max-chars", "1500", "--time-budget", "0.001", str(sample_corpus))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any("too long to analyse" in line for line in lines)  # checked by the driver
    # the CPU timer fires inside the actor: each English article fails alone, with its name
    assert sum("took longer than its time budget of 0.001 s" in line for line in lines) >= 15, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"(?m)^1 articles stored \(1 not in English\)", result.stderr)  # it needs no analysis


# Analyses 200 short articles on the cluster and prints how far reading ran ahead of the results handed back.
READ_AHEAD = """
import json, sys
from parallax.nlp.ray_backend import analyse_on_ray, connect
connect(sys.argv[1])
pulled = 0
def items():
    global pulled
    for i in range(200):
        pulled += 1
        yield (f"Minister Ilvana Brask said on Tuesday that the talks would resume (item {i}).", None)
ahead, failed, n = [], 0, 0
for n, result in enumerate(analyse_on_ray(items(), workers=2, batch_size=4, time_budget=60), 1):
    ahead.append(pulled - n)
    failed += isinstance(result, str)
print(json.dumps({"results": n, "failed": failed, "most_ahead": max(ahead)}))
"""


def test_reading_stays_a_bounded_number_of_batches_ahead(cluster):
    from parallax.nlp.ray_backend import BATCHES_AHEAD_PER_WORKER

    result = subprocess.run([sys.executable, "-c", READ_AHEAD, cluster["address"]], capture_output=True,
                            text=True, env=_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["results"] == 200 and found["failed"] == 0
    # memory holds a window of batches, not the input: 2 workers x (3 batches, and one read ahead to see where
    # the input ends) x 4 articles at the most
    assert 0 < found["most_ahead"] <= 2 * (BATCHES_AHEAD_PER_WORKER + 1) * 4


def _ingest_killing(cluster, db: Path, corpus: Path, *, kills: int, workers: int):
    """Ingest on Ray while SIGKILLing an actor whose title says it is analysing a batch, ``kills`` times."""
    stop, killed = threading.Event(), []

    def watch() -> None:
        while not stop.is_set() and len(killed) < kills:
            for pid in _descendants(cluster["head"]):
                if pid not in killed and _cmdline(pid).startswith("ray::NlpActor.analyse"):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    break
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return run(db, "ingest", "-q", "--ray", cluster["address"], "--ray-workers", str(workers),
                   "--batch-size", "4", str(corpus)), killed
    finally:
        stop.set()
        watcher.join()


# Two library ingests on the cluster: the first joins it itself, the second runs in a process that joined it first.
LEAVES_AS_FOUND = """
import json, sys
from parallax.app import Parallax
address, db, first, second = sys.argv[1:]
engine = Parallax(db)
seen = [engine.ingest([first], ray=address, ray_workers=1).stored]
import ray  # (after parallax.nlp.ray_backend.connect: Ray reads the authentication mode it sets when imported)
seen.append(ray.is_initialized())
ray.init(address=address, log_to_driver=False)
seen += [engine.ingest([second], ray=address, ray_workers=1).stored, ray.is_initialized()]
print(json.dumps(seen))
"""


def test_ingest_leaves_ray_as_it_found_it(cluster, tmp_path, sample_corpus):
    # the driver leaves a cluster it joined before analysing stories (what Ray holds in it is freed, and with
    # --ray local the private cluster stops), but a caller's own connection stays for the caller's next task
    first, second = sorted((sample_corpus / "txt").glob("*.txt"))[:2]
    result = subprocess.run([sys.executable, "-c", LEAVES_AS_FOUND, cluster["address"], str(tmp_path / "p.db"),
                             str(first), str(second)], capture_output=True, text=True, env=_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [1, False, 1, True]


def test_worker_killed_mid_batch_loses_nothing(cluster, tmp_path, sample_corpus):
    result, killed = _ingest_killing(cluster, tmp_path / "p.db", sample_corpus, kills=1, workers=2)
    assert killed, "no actor was seen analysing"
    assert result.returncode == 0, result.stderr  # its batch ran again on a fresh actor
    assert f"{SAMPLE_ARTICLES} articles stored" in result.stderr and "0 failed" in result.stderr
    assert len(stored_once(export(tmp_path / "p.db"))) == SAMPLE_ARTICLES


def test_batch_killed_twice_fails_its_items_only(cluster, tmp_path, sample_corpus):
    # one actor with two batches queued on it: the two kills hit the first batches and their retries, so one or
    # two batches of 4 fail and the rest of the run goes on
    result, killed = _ingest_killing(cluster, tmp_path / "p.db", sample_corpus, kills=2, workers=1)
    assert len(killed) == 2
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if "analysis failed twice on Ray workers" in line]
    assert 1 <= len(failed) <= 8 and all(line.startswith("error: ") for line in failed), result.stderr
    assert "Traceback" not in result.stderr
    assert f"{SAMPLE_ARTICLES - len(failed)} articles stored" in result.stderr
    again = run(tmp_path / "p.db", "ingest", "-q", str(sample_corpus))  # stores what failed
    assert again.returncode == 0, again.stderr
    assert len(stored_once(export(tmp_path / "p.db"))) == SAMPLE_ARTICLES


def test_two_drivers_at_once_on_overlapping_input(cluster, local_run, tmp_path, sample_corpus):
    files = sorted(p for p in sample_corpus.rglob("*") if p.is_file())
    third = len(files) // 3
    first, second = files[:2 * third], files[third:]  # the middle third is in both
    db = tmp_path / "shared.db"
    procs = [subprocess.Popen([sys.executable, "-m", "parallax", "--db", str(db), "ingest", "-q", "--ray",
                               cluster["address"], "--ray-workers", "1", "--batch-size", "2", *map(str, part)],
                              stderr=subprocess.PIPE, text=True, env=_env())
             for part in (first, second)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
    assert stored_once(export(db)) == stored_once(local_run)


@pytest.mark.postgres
def test_postgresql_restarted_mid_run(cluster, local_run, postgres_server, sample_corpus):
    from sqlalchemy import create_engine, text

    url = postgres_server.new_database()
    proc = subprocess.Popen([sys.executable, "-m", "parallax", "--db", url, "ingest", "-q", "--ray",
                             cluster["address"], "--ray-workers", "2", "--batch-size", "2", str(sample_corpus)],
                            stderr=subprocess.PIPE, text=True, env=_env())
    engine = create_engine(url)
    try:
        stored = 0
        deadline = time.monotonic() + 240
        while stored < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                with engine.connect() as conn:
                    stored = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
            except Exception:  # the schema is not made yet
                continue
    finally:
        engine.dispose()
    assert proc.poll() is None and 3 <= stored < SAMPLE_ARTICLES, "the run ended before the restart"
    # every connection the driver holds is cut, and for a moment new ones are refused
    postgres_server._run(str(postgres_server.bindir / "pg_ctl"), "-D", str(postgres_server.data), "-m", "fast",
                         "-l", str(postgres_server.base / "log"), "-w", "restart")
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert stored_once(export(url)) == stored_once(local_run)
