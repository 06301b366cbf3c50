"""The `parallax` command as a user runs it: exit codes, one clear line per bad item, no tracebacks,
nothing lost, and an interrupted ingest that the next run completes."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ARTICLE = """{title}

Foreign Minister Ilvana Brask said on Tuesday that Valdoria was ready to resume talks in Kessholm.
"We will not leave the table first," Brask told reporters after a meeting with the mediator.
The talks about {topic} are expected to continue next week, officials in Kessholm said.
"""


def run(db, *args, stdin=None, check=False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parallax", "--db", str(db), *args],
        capture_output=True, text=True, input=stdin, check=check, timeout=300,
    )


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "articles"
    root.mkdir()
    topics = [
        "the corridor from Velgorod, which aid convoys have waited weeks to use",
        "the exchange of prisoners held since the winter offensive near the river",
        "the border crossings in the north, closed to trucks since the spring floods",
    ]
    for i, topic in enumerate(topics):
        (root / f"good{i}.txt").write_text(ARTICLE.format(title=f"Brask ready for talks {i}", topic=topic))
    return root


def test_bad_items_each_get_one_line_and_good_items_are_kept(tmp_path, folder):
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (folder / "latin.txt").write_bytes(b"\xff\xfe\xfa broken \xc3\x28 bytes \x81\x8d\x8f\x90\x9d")
    (folder / "broken.json").write_text('{"title": "x", "text": ')
    (folder / "only-ads.txt").write_text("Advertisement\nAdvertisement\n")
    big = folder / "huge.txt"
    with big.open("wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"x")
    db = tmp_path / "p.db"
    result = run(db, "ingest", str(folder), str(tmp_path / "missing.txt"), "-q")
    no_traceback(result)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    named = {name: [e for e in errors if name in e] for name in
             ("empty.txt", "binary.txt", "broken.json", "only-ads.txt", "huge.txt", "missing.txt")}
    for name, lines in named.items():
        assert len(lines) == 1, (name, errors)
    assert "no such file" in named["missing.txt"][0]
    assert "too large" in named["huge.txt"][0]
    assert "empty" in named["empty.txt"][0]
    stored = json.loads(run(db, "export").stdout)["articles"]
    assert {a["title"] for a in stored} >= {"Brask ready for talks 0", "Brask ready for talks 1", "Brask ready for talks 2"}


def test_worker_processes_give_the_same_result(tmp_path, folder):
    exports = []
    for processes in ("1", "2"):
        db = tmp_path / f"p{processes}.db"
        assert run(db, "ingest", str(folder), "-q", "-j", processes).returncode == 0
        exports.append(run(db, "export").stdout)
    assert exports[0] == exports[1] and json.loads(exports[0])["quotes"]


def test_everything_ingested_exits_zero_and_reingest_is_a_no_op(tmp_path, folder):
    db = tmp_path / "p.db"
    first = run(db, "ingest", str(folder), "-q")
    assert first.returncode == 0, first.stderr
    assert "3 articles stored" in first.stderr
    again = run(db, "ingest", str(folder), "-q")
    assert again.returncode == 0 and "0 articles stored" in again.stderr and "3 unchanged" in again.stderr


def test_usage_errors_exit_two_without_traceback(tmp_path, folder):
    for args in (["ingest"], ["ingest", str(folder), "--processes", "0"], ["quotes", "--kind", "shouted"],
                 ["quotes", "--since", "yesterday"], ["nonsense"]):
        result = run(tmp_path / "p.db", *args)
        no_traceback(result)
        assert result.returncode == 2, (args, result.stderr)
    result = run(tmp_path / "no" / "such" / "dir.db", "stories")
    assert result.returncode == 2 and "does not exist" in result.stderr
    bad_pack = tmp_path / "pack.yaml"
    bad_pack.write_text("actors:\n  - id: a\n    name: A\n    colour: red\n")
    result = run(tmp_path / "p.db", "ingest", str(folder), "--pack", str(bad_pack))
    no_traceback(result)
    assert result.returncode == 2 and "pack.yaml: line 2: unknown field(s) colour" in result.stderr


def test_stdin_is_an_input(tmp_path):
    db = tmp_path / "p.db"
    text = ARTICLE.format(title="Talks from stdin", topic="stdin")
    result = run(db, "ingest", "-", "-q", stdin=text)
    assert result.returncode == 0, result.stderr
    [article] = json.loads(run(db, "export").stdout)["articles"]
    assert article["title"] == "Talks from stdin"


def test_lists_and_filters(tmp_path, folder):
    db = tmp_path / "p.db"
    run(db, "ingest", str(folder), "-q", check=True)
    quotes = json.loads(run(db, "quotes", "--format", "json", "--speaker", "Ilvana Brask").stdout)
    assert quotes and all(q["actor_name"] == "Ilvana Brask" for q in quotes)
    direct = json.loads(run(db, "quotes", "--format", "json", "--kind", "direct").stdout)
    assert direct and all(q["kind"] == "direct" for q in direct)
    csv_out = run(db, "quotes", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,article_id,outlet")
    actors = json.loads(run(db, "actors", "--json").stdout)
    assert any(a["name"] == "Ilvana Brask" for a in actors)
    shown = run(db, "actors", "show", "Brask")
    assert shown.returncode == 0 and "Ilvana Brask" in shown.stdout
    stories = json.loads(run(db, "stories", "--json").stdout)
    assert sum(len(s["article_ids"]) for s in stories) == 3
    lines = run(db, "export", "--format", "jsonl").stdout.splitlines()
    assert json.loads(lines[0]) == {"type": "header", "parallax_export": 1}
    assert {json.loads(line)["type"] for line in lines[1:]} >= {"article", "actor", "quote", "story"}


class _Site(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server API
        if self.path == "/article":
            body = ("<html lang='en'><head><title>Kessholm talks resume</title></head><body><article>"
                    + "".join(f"<p>{p}</p>" for p in ARTICLE.format(title="", topic="the web").split("\n") if p)
                    + "</article></body></html>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(302)
            self.send_header("Location", self.path)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_urls_private_refused_unless_allowed(tmp_path, site):
    db = tmp_path / "p.db"
    refused = run(db, "ingest", f"{site}/article", "-q")
    no_traceback(refused)
    assert refused.returncode == 1 and "private" in refused.stderr
    allowed = run(db, "ingest", f"{site}/article", f"{site}/loop", "--allow-private", "-q")
    no_traceback(allowed)
    assert allowed.returncode == 1
    assert "redirect" in allowed.stderr and "1 articles stored" in allowed.stderr
    [article] = json.loads(run(db, "export").stdout)["articles"]
    assert article["source"] == f"{site}/article"


def _many_articles(tmp_path):
    corpus = tmp_path / "many"
    corpus.mkdir()
    rng = random.Random(7)
    words = "corridor convoy river border bridge grain harbour village ministry envoy winter district rail".split()
    for i in range(120):
        topic = " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(60))  # no two alike
        (corpus / f"a{i:03}.txt").write_text(ARTICLE.format(title=f"Round {i} of talks", topic=topic))
    return corpus


def _stop_midway(db, corpus, processes: str, stop: signal.Signals) -> tuple[subprocess.Popen, str]:
    """Start an ingest of ``corpus``, send it ``stop`` once a few articles are stored, and wait for it and for
    every process it started (they hold its stderr open): (the ingest, its stderr)."""
    # Batches of 2 store the articles a few at a time: with the default 32, the run was four batches long and on a
    # busy machine could end before the signal came.
    # A shell without job control starts a background command (`make test &`) with SIGINT ignored, and a child
    # inherits that: the ingest would never see the interrupt. A handled signal is reset to the default in the
    # child, so it is handled here while the ingest starts.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "parallax", "--db", str(db), "ingest", str(corpus), "-q",
                                 "-j", processes, "--batch-size", "2"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    started = time.time()
    deadline = started + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with sqlite3.connect(db) as conn:
                stored = conn.execute("select count(*) from articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= 5:
            break
    sent_after = time.time() - started
    proc.send_signal(stop)
    _out, err = proc.communicate(timeout=60)  # with worker processes too: a stop must not hang
    if proc.returncode == 0:
        pytest.skip(f"the ingest finished before it could be stopped: {stored} articles seen stored when "
                    f"{stop.name} was sent, {sent_after:.1f} s in; it said {err.strip().splitlines()[-1:]}")
    return proc, err


@pytest.mark.parametrize(("processes", "stop", "code", "said"), [
    ("1", signal.SIGINT, 130, "interrupted"),
    ("2", signal.SIGINT, 130, "interrupted"),
    # what a service manager, `docker stop` or `timeout` sends: the same clean stop as Ctrl-C
    ("2", signal.SIGTERM, 143, "stopped (SIGTERM)"),
])
def test_an_interrupted_ingest_leaves_complete_articles_and_the_next_run_finishes(tmp_path, processes, stop, code,
                                                                                  said):
    corpus = _many_articles(tmp_path)
    db = tmp_path / "p.db"
    proc, err = _stop_midway(db, corpus, processes, stop)
    assert "Traceback" not in err
    assert proc.returncode == code and f"{said}: " in err and "run the same command to continue" in err
    with sqlite3.connect(db) as conn:
        partial = conn.execute("select count(*) from articles").fetchone()[0]
        # every stored article is complete: its quotes were written with it
        orphans = conn.execute(
            "select count(*) from articles a where not exists (select 1 from quotes q where q.article_id = a.id)"
        ).fetchone()[0]
    assert 0 < partial < 120 and orphans == 0
    resumed = run(db, "ingest", str(corpus), "-q", "-j", processes)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{120 - partial} articles stored" in resumed.stderr and f"{partial} unchanged" in resumed.stderr


def test_the_workers_of_a_killed_ingest_leave_quietly(tmp_path):
    """An ingest killed outright (SIGKILL, out of memory) cannot stop its workers: they notice they are alone,
    and end without filling the run's log with tracebacks; the next run finishes the job."""
    corpus = _many_articles(tmp_path)
    db = tmp_path / "p.db"
    proc, err = _stop_midway(db, corpus, "2", signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL and err.strip() == ""
    resumed = run(db, "ingest", str(corpus), "-q", "-j", "2")
    assert resumed.returncode == 0, resumed.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 120


@pytest.mark.postgres
def test_the_same_run_on_postgresql_gives_the_same_export(tmp_path, folder, postgres_server):
    exports = []
    for db in (tmp_path / "p.db", postgres_server.new_database()):
        result = run(db, "ingest", str(folder), "-q")
        assert result.returncode == 0, result.stderr
        exports.append(json.loads(run(db, "export").stdout))
    sqlite_export, pg_export = exports
    assert pg_export == sqlite_export
    assert pg_export["quotes"] and pg_export["stories"]
