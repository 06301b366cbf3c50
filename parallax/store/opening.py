"""Opening a database: the URL a path stands for, the engine (with SQLite's pragmas), and the schema created,
brought up to date or checked. Every failure is a StoreError naming the database and the reason."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, ProgrammingError

from parallax.store import fulltext, locking
from parallax.store import schema as t
from parallax.store.errors import DatabaseUnavailable, StoreError, environmental, first_line


def database_url(db: str) -> str:
    """A bare path means an SQLite file; anything with a scheme is an SQLAlchemy URL."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    if db.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver we ship; SQLAlchemy would otherwise look for psycopg2.
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def _set_up(conn: Connection) -> None:
    """The tables, and what later versions added to the schema of an existing database; the version check."""
    t.metadata.create_all(conn)
    t.create_missing_columns(conn)
    t.create_missing_indexes(conn)
    fulltext.ensure(conn)
    found = conn.execute(select(t.meta.c.value).where(t.meta.c.key == "schema")).scalar()
    if found is None:
        conn.execute(insert(t.meta).values(key="schema", value=str(t.SCHEMA_VERSION)))
    elif int(found) != t.SCHEMA_VERSION:
        raise StoreError(f"database schema version {found}, this Parallax expects {t.SCHEMA_VERSION}")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # First: switching a new file to WAL needs a lock another process opening it at once may hold.
    cursor.execute(f"PRAGMA busy_timeout={locking.busy_timeout_ms()}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_engine(db: str) -> Engine:
    """An engine on a database that is set up for this version of Parallax."""
    url = database_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"{db}: not a database path or URL") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:" \
            and not parsed.database.startswith("file:"):
        _check_sqlite_path(db, Path(parsed.database).expanduser())
    connect_args = {}
    if parsed.get_backend_name() == "postgresql":
        # A table or lock another session holds fails a statement after the same wait a SQLite writer gets,
        # rather than hanging the command for ever.
        wait = f"-c lock_timeout={max(1, int(locking.lock_wait() * 1000))}"
        connect_args["options"] = f"{parsed.query['options']} {wait}" if "options" in parsed.query else wait
    try:
        # a pooled connection is checked before use: after a server restart it is replaced, not used dead
        engine = create_engine(url, future=True, connect_args=connect_args,
                               pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except Exception as exc:  # unknown dialect or driver: a user error, not a crash
        raise StoreError(f"{db}: cannot use this database ({exc})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        try:
            # Opening a database that is already set up only reads: no lock, so opening never waits
            # behind a running ingest.
            with engine.begin() as conn:
                _set_up(conn)
        except (OperationalError, IntegrityError, ProgrammingError):
            # Another process was creating the same new database ("table already exists", a second
            # schema row): do it again holding the write lock, after which it finds everything made.
            with locking.exclusive(engine) as conn:
                _set_up(conn)
    except DatabaseUnavailable as exc:
        engine.dispose()
        raise type(exc)(f"{db}: {exc}") from None
    except (OperationalError, IntegrityError, ProgrammingError) as exc:
        engine.dispose()
        plain = environmental(first_line(exc))
        if plain:  # busy, full, read-only: the database is fine, the moment is not
            raise DatabaseUnavailable(f"{db}: {plain} ({first_line(exc)})") from None
        raise StoreError(f"{db}: cannot open database ({_reason(exc, engine)})") from None
    return engine


def _check_sqlite_path(db: str, path: Path) -> None:
    """What SQLite would only call "unable to open database file", said plainly."""
    parent = path.resolve().parent
    if not parent.is_dir():
        raise StoreError(f"{db}: directory {parent} does not exist")
    if path.is_dir():
        raise StoreError(f"{db}: is a directory, not a database file")


def _reason(exc, engine: Engine) -> str:
    reason = first_line(exc)
    path = locking.sqlite_path(engine)
    if path and reason == "unable to open database file":
        # SQLite in WAL mode writes two files beside the database (-wal, -shm) even to read it
        folder = Path(path).resolve().parent
        if not os.access(folder, os.W_OK) or _immutable(folder):
            made = f"{Path(path).name}-wal and -shm" if Path(path).exists() else "the database"
            return f"{reason}: SQLite needs to create {made} in {folder}, which is not writable"
        if Path(path).exists() and not os.access(path, os.R_OK):
            return f"{reason}: no permission to read it"
    return reason


def _immutable(folder: Path) -> bool:
    """A folder nobody may create files in, whoever asks (a read-only mount, an immutable attribute): root's
    os.access says yes to those."""
    try:
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".parallax-probe-")
    except OSError:
        return True
    probe.close()
    return False
