"""A database that fails, or cannot be used as given: one line naming it and the reason, the right exit code
(2: cannot be used as given; 3: failed while in use, try again later), no traceback, and nothing stored before
lost. Each case is made for real: a lock another connection holds, a file-size limit that fills the "disk", a
read-only file or folder, a directory given as the database, a PostgreSQL lock."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest

from tests.test_cli import ARTICLE, no_traceback

COMMANDS = [["stories"], ["export"], ["brief"], ["camps"], ["actors"], ["quotes"]]


def run(db, *args, env=None, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *args], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})}, preexec_fn=preexec_fn)


def one_line(result: subprocess.CompletedProcess) -> str:
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _articles(folder, names):
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / f"{name}.txt").write_text(ARTICLE.format(title=f"Brask ready for talks on {name}", topic=name))
    return folder


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A database holding two articles, to be copied by each test."""
    root = tmp_path_factory.mktemp("failures")
    db = root / "p.db"
    result = run(db, "ingest", "-q", str(_articles(root / "first", ["grain", "prisoners"])))
    assert result.returncode == 0, result.stderr
    return db


def _copy(stored, tmp_path, name="p.db"):
    target = tmp_path / name
    shutil.copy(stored, target)
    return target


def _titles(db) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(row[0] for row in conn.execute("SELECT title FROM articles"))


def test_a_database_locked_past_the_wait_is_one_line_exit_3_and_loses_nothing(stored, tmp_path):
    db = _copy(stored, tmp_path)
    before = _titles(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that never lets go
    try:
        quick = {"PARALLAX_LOCK_WAIT": "2"}
        result = run(db, "ingest", "-q", str(_articles(tmp_path / "more", ["corridor"])), env=quick)
        assert result.returncode == 3, result.stderr
        line = one_line(result)
        assert line.startswith(f"error: {db}: the database stayed busy for 2 s (another process held it locked")
        assert "PARALLAX_LOCK_WAIT" in line
        result = run(db, "camps", "add", "wires", "--name", "Wires", "--ownership", "wire", env=quick)
        assert result.returncode == 3, result.stderr
        assert one_line(result) == f"error: {db}: another process held the database locked (database is locked)"
        assert run(db, "stories", env=quick).returncode == 0  # readers are not held up by a writer
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _titles(db) == before
    # once the other writer is gone, the same command finishes the job
    assert run(db, "ingest", "-q", str(tmp_path / "more")).returncode == 0
    assert len(_titles(db)) == len(before) + 1


def _full_disk(limit: int):
    """The child may write files up to `limit` bytes: past that, writes fail as on a full disk."""

    def limit_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write (EFBIG) instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_files


def test_a_full_disk_during_ingest_is_one_line_exit_3_and_keeps_what_was_stored(stored, tmp_path):
    db = _copy(stored, tmp_path)
    before = _titles(db)
    many = _articles(tmp_path / "many", [f"round {n} of {word}" for n, word in enumerate(["grain"] * 12)])
    result = run(db, "ingest", "-q", str(many), preexec_fn=_full_disk(os.path.getsize(db) + 4096))
    assert result.returncode == 3, result.stderr
    line = one_line(result)
    assert line.startswith(f"error: {db}: ")
    assert "disk" in line and "articles this run stored are kept" in line
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert set(before) <= set(_titles(db))
    assert run(db, "ingest", "-q", str(many)).returncode == 0  # room again: the run finishes
    with sqlite3.connect(db) as conn:  # every item stored, or linked to the near-identical one stored
        items = conn.execute("SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM copies)").fetchone()
    assert items == (len(before) + 12,)


def test_a_new_database_on_a_full_disk_is_one_line(tmp_path):
    db = tmp_path / "new.db"
    result = run(db, "ingest", "-q", str(_articles(tmp_path / "in", ["grain"])), preexec_fn=_full_disk(4096))
    assert result.returncode in (2, 3), result.stderr
    assert one_line(result).startswith(f"error: {db}: ")


def test_a_directory_given_as_the_database_is_a_usage_error_for_every_command(tmp_path):
    folder = tmp_path / "p.db"
    folder.mkdir()
    for args in [["ingest", "-q", str(_articles(tmp_path / "in", ["grain"]))], *COMMANDS]:
        result = run(folder, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert one_line(result) == f"error: {folder}: is a directory, not a database file"
    assert list(folder.iterdir()) == []


def _read_only(path):
    """Make a file or folder read-only even for root (the immutable attribute), else by its mode."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
            pytest.skip("running as root and cannot set the immutable attribute: nothing here is read-only")
        return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    return lambda: path.chmod(mode)


def test_a_read_only_database_file_is_read_but_not_written(stored, tmp_path):
    db = _copy(stored, tmp_path)
    before = _titles(db)
    undo = _read_only(db)
    try:
        result = run(db, "ingest", "-q", str(_articles(tmp_path / "more", ["corridor"])))
        assert result.returncode == 3, result.stderr
        assert one_line(result).startswith(f"error: {db}: the database is read-only here (attempt to write a readonly")
        for args in COMMANDS:
            result = run(db, *args)
            no_traceback(result)
            assert result.returncode == 0, (args, result.stderr)
    finally:
        undo()
    assert _titles(db) == before


def test_a_database_in_a_read_only_folder_says_what_sqlite_needs(stored, tmp_path):
    folder = tmp_path / "shelf"
    folder.mkdir()
    db = _copy(stored, folder)
    undo = _read_only(folder)
    try:
        for args in [["ingest", "-q", str(_articles(tmp_path / "in", ["grain"]))], *COMMANDS]:
            result = run(db, *args)
            assert result.returncode == 2, (args, result.stderr)
            assert one_line(result) == (f"error: {db}: cannot open database (unable to open database file: SQLite "
                                        f"needs to create p.db-wal and -shm in {folder.resolve()}, which is not "
                                        "writable)")
    finally:
        undo()


def test_an_article_that_alone_cannot_be_stored_fails_alone(tmp_path, monkeypatch):
    """A failure while writing one article (not the database's) costs that article, not the run. It is read
    first, so the articles after it name the actors its resolution added (they must be stored all the same)."""
    import parallax.store.article_rows as rows
    from parallax.app import Parallax

    folder = _articles(tmp_path / "in", ["grain", "prisoners", "corridor"])
    real = rows.write_article

    def refuse_corridor(conn, bundle):
        if "corridor" in bundle.article.title:
            raise ValueError("a value this database cannot hold")
        return real(conn, bundle)

    monkeypatch.setattr(rows, "write_article", refuse_corridor)
    engine = Parallax(str(tmp_path / "p.db"))
    try:
        report = engine.ingest([str(folder)])
    finally:
        engine.close()
    assert report.stored == 2
    [error] = report.errors
    assert error.item.endswith("corridor.txt")
    assert error.reason == "cannot be stored (a value this database cannot hold)"


def test_the_web_app_answers_503_with_one_log_line_when_the_database_fails(stored, tmp_path, caplog, monkeypatch):
    from fastapi.testclient import TestClient
    from sqlalchemy.exc import OperationalError

    from parallax.web import create_app, pages

    app = create_app(str(_copy(stored, tmp_path)))

    def locked(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(pages, "stories_page", locked)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/stories")
    assert response.status_code == 503
    assert response.json() == {"detail": "the database is unavailable just now; try again later"}
    [record] = [r for r in caplog.records if "database" in r.getMessage()]
    assert "another process held the database locked" in record.getMessage()
    assert record.exc_info is None


@pytest.mark.postgres
def test_postgresql_locked_by_another_session_is_one_line_exit_3(postgres_server, tmp_path):
    import psycopg

    from parallax.store.locking import WRITE_LOCK, _signed

    url = postgres_server.new_database()
    folder = _articles(tmp_path / "in", ["grain"])
    assert run(url, "ingest", "-q", str(folder)).returncode == 0
    quick = {"PARALLAX_LOCK_WAIT": "2"}
    conninfo = url.replace("postgresql://", "postgresql://", 1)
    with psycopg.connect(conninfo) as other:  # another Parallax writer in the middle of its write
        other.execute("SELECT pg_advisory_xact_lock(%s)", (_signed(WRITE_LOCK),))
        result = run(url, "ingest", "-q", str(_articles(tmp_path / "more", ["corridor"])), env=quick)
        assert result.returncode == 3, result.stderr
        assert one_line(result).startswith(f"error: {url}: the database stayed busy for 2 s (another session")
        other.rollback()
    with psycopg.connect(conninfo) as other:  # a table someone else locked (a migration, a VACUUM FULL)
        other.execute("LOCK TABLE stories IN ACCESS EXCLUSIVE MODE")
        result = run(url, "stories", env=quick)
        assert result.returncode == 3, result.stderr
        assert one_line(result).startswith(f"error: {url}: another session held a lock it needs (")
        other.rollback()
    assert run(url, "stories").returncode == 0
