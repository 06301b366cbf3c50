"""Many processes writing one database: serialised write transactions, retried when the database is busy, and a
lock that lets one process at a time bring stories and statements up to date.

SQLite: a write transaction starts with BEGIN IMMEDIATE, so it holds the database's single write lock from its
first read. Without it, two ingests could both look for an article, both find nothing and both insert it (and
Python's sqlite3 only begins a transaction at the first INSERT, so those looks were not even in it). A writer that
waits longer than the busy timeout for the lock ("database is locked") waits again, for ``lock_wait()`` seconds in
all (ten minutes unless $PARALLAX_LOCK_WAIT says otherwise), then gives up with ``DatabaseBusy``.

PostgreSQL: every write transaction first takes one transaction-level advisory lock. Article writes are short (one
article with its quotes), so serialising them costs little, and it gives both databases the same behaviour: what a
transaction reads before it writes is still true when it commits. Every session's lock_timeout is the same wait,
so neither that lock nor a table another session holds locked keeps a command waiting for ever.

The analysis lock is held for the length of an update (minutes on a large corpus) but only against other updates:
an flock on a file beside the SQLite database, a session-level advisory lock on PostgreSQL. Both are released by
the operating system or the server when the process dies, so `kill -9` never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from parallax.store.errors import DatabaseBusy, DatabaseUnavailable

# Advisory lock keys (any two 64-bit numbers nothing else on the server uses): "PRLXWRIT" and "PRLXANLY".
WRITE_LOCK = 0x50524C5857524954
ANALYSIS_LOCK = 0x50524C58414E4C59
# A writer waits up to the busy timeout per attempt, and tries again for LOCK_WAIT seconds in all: long enough
# for any single write another process can be doing (the longest is an update's bulk story write).
BUSY_TIMEOUT_MS = 10_000
LOCK_WAIT = 600.0
LOCK_WAIT_VARIABLE = "PARALLAX_LOCK_WAIT"


def lock_wait() -> float:
    """Seconds a command waits for a database another process holds locked ($PARALLAX_LOCK_WAIT, else ten
    minutes); a value that is no number of seconds is ignored rather than failing every command."""
    try:
        wait = float(os.environ.get(LOCK_WAIT_VARIABLE, LOCK_WAIT))
    except ValueError:
        return LOCK_WAIT
    return wait if wait >= 0 else LOCK_WAIT


def busy_timeout_ms() -> int:
    """SQLite's busy timeout per attempt: at most the whole wait."""
    return int(min(BUSY_TIMEOUT_MS, lock_wait() * 1000))


def _waited(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 120 else f"{seconds:g} s"


def sqlite_path(engine: Engine) -> str | None:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    return None if not database or database == ":memory:" or database.startswith("file:") else database


def _busy(exc: OperationalError) -> bool:
    return any(word in str(exc.orig).lower() for word in ("locked", "busy", "lock timeout"))


def busy_message(engine: Engine) -> str:
    what = "another process held it locked" if engine.dialect.name == "sqlite" else \
        "another session held a lock it needs"
    return (f"the database stayed busy for {_waited(lock_wait())} ({what}; wait longer with "
            f"${LOCK_WAIT_VARIABLE}=SECONDS)")


@contextmanager
def exclusive(engine: Engine) -> Iterator[Connection]:
    """A write transaction that holds the database's write lock from its first statement.

    Only taking the lock can find the database busy (once held, nothing else writes), so only that is retried:
    the caller's work runs once."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            _begin_immediate(conn)
        elif conn.dialect.name == "postgresql":
            try:
                # waits up to the session's lock_timeout (see opening.py), then fails as busy
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _signed(WRITE_LOCK)})
            except OperationalError as exc:
                if _busy(exc):
                    raise DatabaseBusy(busy_message(engine)) from None
                raise
        yield conn


def _begin_immediate(conn: Connection) -> None:
    delay = 0.02
    give_up = time.monotonic() + lock_wait()
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if not _busy(exc):
                raise
            if time.monotonic() >= give_up:
                raise DatabaseBusy(busy_message(conn.engine)) from None
        # Jittered so that writers that collided do not collide again in step.
        time.sleep(min(delay * (0.5 + random.random()), max(0.0, give_up - time.monotonic())))
        delay = min(delay * 2, 1.0)


@contextmanager
def analysis_lock(engine: Engine) -> Iterator[None]:
    """Held while one process updates stories and statements; others wait for it, then update what is left."""
    path = sqlite_path(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            # another update may take longer than any lock wait: this one lock waits as long as it takes
            conn.execute(text("SET lock_timeout = 0"))
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _signed(ANALYSIS_LOCK)})
            conn.execute(text("RESET lock_timeout"))
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _signed(ANALYSIS_LOCK)})
                conn.commit()
    elif path:
        try:
            fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DatabaseUnavailable(f"cannot open the analysis lock {path}.lock ({exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock
    else:  # an in-memory database belongs to one process
        yield


def _signed(key: int) -> int:
    return key - (1 << 64) if key >= 1 << 63 else key
