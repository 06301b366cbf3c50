"""Opening a database: the URL a path stands for, the engine (with SQLite's pragmas), and the schema created,
brought up to date or checked. Every failure is a StoreError naming the database and the reason."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, ProgrammingError

from parallax.store import fulltext, locking
from parallax.store import schema as t


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says which and why."""


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
    cursor.execute(f"PRAGMA busy_timeout={locking.BUSY_TIMEOUT_MS}")
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
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        parent = Path(parsed.database).expanduser().resolve().parent
        if not parent.is_dir():
            raise StoreError(f"{db}: directory {parent} does not exist")
    try:
        engine = create_engine(url, future=True)
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
    except (OperationalError, IntegrityError, ProgrammingError) as exc:
        engine.dispose()
        raise StoreError(f"{db}: cannot open database ({exc.orig})") from None
    return engine
