"""Ingest keeps its promises however it is run: ingests side by side store every article once, the same files
given by another path change nothing, the hash seed and the number of processes change nothing, and `kill -9`
followed by a re-run ends where an uninterrupted run does. The full counts are in benchmarks/reliability.py."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from conftest import EXAMPLES, ROOT
from parallax.store import schema as t
from parallax.store.db import database_url

PACK = EXAMPLES / "pack"


def cli(db, *args, seed: int = 0, cwd=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *map(str, args)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def ingest_command(db, *sources) -> list[str]:
    return [sys.executable, "-m", "parallax", "--db", str(db), "ingest", *map(str, sources), "--pack", str(PACK)]


def snapshot(db) -> dict:
    """Everything a user sees of a database, ids included (they are in URLs and exports)."""
    engine = create_engine(database_url(str(db)))
    a, q = t.articles.c, t.quotes.c
    with engine.connect() as conn:
        state = {
            "articles": [tuple(r) for r in conn.execute(
                select(a.id, a.source, a.part, a.fingerprint, a.title, a.outlet, a.story_id).order_by(a.id))],
            "quotes": [tuple(r) for r in conn.execute(
                select(q.id, q.article_id, q.start, q.end, q.actor_id, q.statement_id).order_by(q.id))],
            "stories": [tuple(r) for r in conn.execute(
                select(t.stories.c.id, t.stories.c.title, t.stories.c.size).order_by(t.stories.c.id))],
            "statements": [tuple(r) for r in conn.execute(
                select(t.statements.c.id, t.statements.c.actor_id).order_by(t.statements.c.id))],
            "copies": sorted(tuple(r) for r in conn.execute(
                select(t.copies.c.source, t.copies.c.part, t.copies.c.article_id))),
            "actors": [r[0] for r in conn.execute(select(t.actors.c.id).order_by(t.actors.c.id))],
        }
    engine.dispose()
    return state


def integrity(state: dict) -> None:
    """No article stored twice, no item a copy of itself, every article in one story and counted there once."""
    fingerprints = [row[3] for row in state["articles"]]
    assert len(fingerprints) == len(set(fingerprints))
    stored = {(row[1], row[2]) for row in state["articles"]}
    assert not [c for c in state["copies"] if (c[0], c[1]) in stored]
    assert all(row[-1] is not None for row in state["articles"])
    members = {}
    for row in state["articles"]:
        members[row[-1]] = members.get(row[-1], 0) + 1
    # two updates placing the same article would count it twice in its story (or open a second story for it)
    assert {story_id: size for story_id, _title, size in state["stories"]} == members


BRIEFINGS = """
import json, sys
from parallax.app import Parallax
from parallax.knowledge.framing import load_lexicons
from parallax.report.briefing import build_briefing
from parallax.report.render import to_json
from parallax.store import read
engine = Parallax(sys.argv[1])
lexicon = load_lexicons([])
print(json.dumps([json.loads(to_json(build_briefing(engine.store, engine.directory(), s["id"], lexicon)))
                  for s in read.stories(engine.store)]))
"""


def briefs(db, seed: int = 0) -> list[dict]:
    """The JSON briefing of every story (as `parallax brief --format json` prints it), under a hash seed."""
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", BRIEFINGS, str(db)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# -- ingests side by side --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def overlapping(tmp_path_factory, sample_corpus) -> list[Path]:
    """Three copies of the sample corpus's text folder, each missing a different third: every file is in two of
    them, so every article arrives twice, by two paths, in two runs at once."""
    root = tmp_path_factory.mktemp("overlap")
    folders = []
    files = sorted(p.relative_to(sample_corpus / "txt") for p in (sample_corpus / "txt").rglob("*.txt"))
    for k in range(3):
        folder = root / f"copy{k}"
        for n, name in enumerate(files):
            if n % 3 != k:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(sample_corpus / "txt" / name, folder / name)
        folders.append(folder)
    return folders


@pytest.fixture(scope="module")
def sequential(overlapping, tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("sequential") / "p.db"
    result = cli(db, "ingest", *overlapping, "--pack", PACK)
    assert result.returncode == 0, result.stderr
    return snapshot(db)


def test_ingests_side_by_side_store_every_article_once(db_url, overlapping, sequential):
    runs = [subprocess.Popen(ingest_command(db_url, folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for folder in overlapping]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (_out, err) in zip(runs, outputs):
        assert run.returncode == 0 and "Traceback" not in err, err
    state = snapshot(db_url)
    for table in ("articles", "quotes", "copies", "statements"):
        assert len(state[table]) == len(sequential[table]), table
    assert sorted(r[3] for r in state["articles"]) == sorted(r[3] for r in sequential["articles"])
    assert set(state["actors"]) == set(sequential["actors"])  # names found by two runs are one actor
    integrity(state)


# -- the same input by another path ------------------------------------------------------------------------------


def test_the_same_folder_by_another_path_changes_nothing(tmp_path, sample_corpus):
    work = tmp_path / "work"
    shutil.copytree(sample_corpus, work / "corpus", copy_function=shutil.copy2)
    (tmp_path / "link").symlink_to(work / "corpus", target_is_directory=True)
    db = tmp_path / "p.db"
    first = cli(db, "ingest", "corpus", "--pack", PACK, cwd=work)
    assert first.returncode == 0, first.stderr
    before = snapshot(db)
    assert before["copies"]  # the corpus holds real copies (one wire story from two feeds): they stay linked once
    brief = cli(db, "brief", "--format", "json").stdout
    for spelling, cwd in [(work / "corpus", None), (tmp_path / "link", None), ("./corpus/../corpus/", work),
                          ("../link/txt", work)]:
        again = cli(db, "ingest", spelling, "--pack", PACK, cwd=cwd)
        assert again.returncode == 0, again.stderr
        assert "0 articles stored" in again.stderr and "0 duplicates linked" in again.stderr, (spelling, again.stderr)
        assert snapshot(db) == before, spelling
    assert cli(db, "brief", "--format", "json").stdout == brief  # coverage counts unchanged


# -- hash seeds and processes -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory, sample_corpus) -> tuple[dict, list[dict]]:
    db = tmp_path_factory.mktemp("reference") / "p.db"
    result = cli(db, "ingest", sample_corpus, "--pack", PACK, seed=0)
    assert result.returncode == 0, result.stderr
    return snapshot(db), briefs(db)


def test_another_hash_seed_gives_the_same_stories_statements_and_briefings(tmp_path, sample_corpus, reference):
    db = tmp_path / "p.db"
    result = cli(db, "ingest", sample_corpus, "--pack", PACK, seed=1)
    assert result.returncode == 0, result.stderr
    assert snapshot(db) == reference[0]
    assert briefs(db, seed=1) == reference[1]


def test_two_processes_give_what_one_gives(tmp_path, sample_corpus, reference):
    db = tmp_path / "p.db"
    result = cli(db, "ingest", sample_corpus, "--pack", PACK, "-j", "2", seed=0)
    assert result.returncode == 0, result.stderr
    assert snapshot(db) == reference[0]
    assert briefs(db) == reference[1]


CLUSTER = """
import json, random, sys
from datetime import date, timedelta
from parallax.analysis.stories import DocumentFrequencies, StoryIndex, article_vector, place
rng = random.Random(11)
words = "talks corridor convoy border grain harbour envoy winter district ceasefire prisoners".split()
actors = [f"actor-{n}" for n in range(12)]
index, labels, orders = StoryIndex([], DocumentFrequencies()), {}, []
for n in range(150):
    text = " ".join(rng.choice(words) for _ in range(12))  # few words: many equal weights, many ties
    ids = rng.sample(actors, 4)
    vector = article_vector(f"Report {n % 7}", text, ids)
    orders.append(list(vector))
    story, _ = place(index, f"Report {n % 7}", vector, date(2026, 3, 1) + timedelta(days=n % 9))
    labels.setdefault(id(story), len(labels))
    orders.append(labels[id(story)])
print(json.dumps(orders))
"""


def test_clustering_does_not_depend_on_the_hash_seed():
    outputs = []
    for seed in (0, 1, 2):
        env = dict(os.environ, PYTHONHASHSEED=str(seed), PYTHONPATH=str(ROOT))
        done = subprocess.run([sys.executable, "-c", CLUSTER], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1] == outputs[2]


# -- kill -9 ------------------------------------------------------------------------------------------------------


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def test_an_ingest_killed_at_random_points_then_run_again_ends_as_an_uninterrupted_one(
    tmp_path, sample_corpus, reference
):
    rng = random.Random(9)
    total = len(reference[0]["articles"])
    # While articles are written (after a random number of them), and once all are: in the update or after it.
    points = [(rng.randint(1, total - 1), rng.uniform(0, 1)), (rng.randint(1, total - 1), 0), (total, rng.uniform(0, 2))]
    killed = 0
    for n, (after, extra) in enumerate(points):
        db = tmp_path / f"k{n}.db"
        run = subprocess.Popen(ingest_command(db, sample_corpus), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True,
                               env=dict(os.environ, PYTHONHASHSEED="0"))
        while run.poll() is None and _stored(db) < after:
            time.sleep(0.05)
        time.sleep(extra)
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)  # the ingest and its workers, nothing else
            killed += 1
        run.wait()
        again = cli(db, "ingest", sample_corpus, "--pack", PACK)
        assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
        assert snapshot(db) == reference[0], f"killed after {after} articles"
    if not killed:
        pytest.skip("every ingest finished before it could be killed")


# -- the store's side of it ---------------------------------------------------------------------------------------


def _bundle(source: str, text: str, actor: str = "brask", new: bool = True):
    from datetime import date

    from parallax.ingest.dedupe import bands, fingerprint, signature
    from parallax.knowledge.names import alias_key
    from parallax.model import Actor, Article
    from parallax.store.db import ArticleBundle

    article = Article(source=source, part=0, title="Talks resume", text=text, outlet="Valdoria Today",
                      published=date(2026, 3, 4), language="en")
    sig = signature(text)
    return ArticleBundle(
        article=article, fingerprint=fingerprint(text), signature=sig, bands=tuple(bands(sig)),
        mentions=((0, 12, "Ilvana Brask", actor),), quotes=(),
        new_actors=(Actor(id=actor, name="Ilvana Brask", kind="person"),) if new else (),
        new_aliases=((actor, "Ilvana Brask" if new else "Brask", alias_key("Ilvana Brask" if new else "Brask")),),
    )


def _never(_candidates):
    return None


def test_an_article_another_run_stored_meanwhile_is_linked_not_stored_again(db_url):
    """Two runs that each found the same text new (one by each of two paths), and the same new actor in it."""
    from parallax.store.db import Store

    text = "Ilvana Brask said the talks in Kessholm would resume on Monday after a week of delays."
    first, second = Store.open(db_url), Store.open(db_url)
    stored = first.save_new_article(_bundle("/a/x.txt", text), _never)
    assert stored.outcome == "stored"
    again = second.save_new_article(_bundle("/b/x.txt", text), _never)
    assert (again.outcome, again.article_id) == ("copy", stored.article_id)
    assert second.save_new_article(_bundle("/a/x.txt", text), _never).outcome == "unchanged"
    state = snapshot(db_url)
    assert len(state["articles"]) == 1 and state["copies"] == [("/b/x.txt", 0, stored.article_id)]
    assert state["actors"].count("brask") == 1
    # An actor the second run found in an article that turned out to be a copy is still stored: that run's
    # registry knows it, and its later articles point at it.
    assert second.save_new_article(_bundle("/b/copy.txt", text, actor="brask-2"), _never).outcome == "copy"
    later = _bundle("/b/later.txt", "Brask said the convoy would leave at dawn, and the mediator agreed.",
                    actor="brask-2", new=False)
    assert second.save_new_article(later, _never).outcome == "stored"
    first.close()
    second.close()


def test_a_near_copy_found_inside_the_write_is_linked(db_url):
    from parallax.store.db import Store

    store = Store.open(db_url)
    wire = ("Foreign Minister Ilvana Brask said on Tuesday that the talks in Kessholm would resume on Monday after "
            "a week of delays over the convoy route, and that the mediator had agreed to a new timetable for the "
            "exchange of prisoners held since the winter offensive near the river.")
    original = store.save_new_article(_bundle("/a/x.txt", wire), _never)
    calls = []

    def near(candidates):
        calls.append([c[0] for c in candidates])
        return (candidates[0][0], 0.9) if candidates else None

    linked = store.save_new_article(_bundle("/b/y.txt", wire + " (Meridian)"), near)  # an aggregator's credit
    assert linked.outcome == "copy" and linked.article_id == original.article_id and calls == [[original.article_id]]
    other = _bundle("/c/z.txt", "An unrelated report about the grain harvest in the southern provinces of Aldmark.")
    assert store.save_new_article(other, near).outcome == "stored" and calls[-1] == []
    store.close()


def test_concurrent_opens_of_a_new_database_all_succeed(tmp_path):
    db = tmp_path / "new.db"
    code = "import sys; from parallax.store.db import Store; Store.open(sys.argv[1]).close()"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = [subprocess.Popen([sys.executable, "-c", code, str(db)], env=env, stderr=subprocess.PIPE, text=True)
            for _ in range(4)]
    for run in runs:
        _out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
