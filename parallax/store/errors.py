"""What can go wrong with a database, as the store reports it: each error's message names the database (or the
store adds the name) and the reason, in one line."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says which and why."""


class DatabaseUnavailable(StoreError):
    """The database is fine but cannot be used right now: busy, full, read-only, failing. Whatever was written
    before stays; the same command run again later continues."""


class DatabaseBusy(DatabaseUnavailable):
    """A write could not get the database within the wait; the message says what held it."""


# What SQLite and PostgreSQL say when the machine, not the database, is at fault, put plainly.
_ENVIRONMENT = (
    ("database or disk is full", "the disk is full"),
    ("could not extend file", "the disk is full"),
    ("no space left", "the disk is full"),
    ("readonly database", "the database is read-only here"),
    ("read-only transaction", "the database is read-only here"),
    ("disk i/o error", "the disk failed a read or write (it may be full)"),
    ("database is locked", "another process held the database locked"),
    ("lock timeout", "another session held a lock it needs"),
)


def describe_failure(db: str, exc: Exception) -> tuple[str, bool]:
    """One line naming the database and the reason for a StoreError or a driver's error (SQLAlchemy's
    DatabaseError), and whether the database is only unavailable (busy, full, read-only: try again later)
    rather than unusable as given (not a database, a damaged file, a schema of another version)."""
    if isinstance(exc, StoreError):
        message = str(exc)
        return (message if message.startswith(db) else f"{db}: {message}"), isinstance(exc, DatabaseUnavailable)
    reason = first_line(exc)
    plain = environmental(reason)
    # an OperationalError: the database was there and failed in use (connection lost, I/O, locks)
    if plain is not None or isinstance(exc, OperationalError):
        return f"{db}: {plain or 'the database failed'} ({reason})", True
    return f"{db}: cannot use this database ({reason})", False


def first_line(exc: Exception) -> str:
    """The driver's own message (SQLAlchemy wraps it in ``orig``), first line only."""
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__


def environmental(reason: str) -> str | None:
    """The reason put plainly when it is the machine's fault (full, read-only, locked), else None."""
    return next((said for found, said in _ENVIRONMENT if found in reason.lower()), None)
