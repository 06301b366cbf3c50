"""A database restart costs a running ingest a wait, not the run.

When PostgreSQL restarts (or the network to it drops) the connections a process holds are dead: the next
statement on each fails, and for a few seconds new ones are refused. A unit of work that failed that way is run
again once the server answers, for up to ``RECONNECT_SECONDS``. Only whole units are retried (an article's
checks, an article's write transaction), and each is safe to run twice: a write whose commit did reach the server
finds its article stored and stores nothing more.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

from sqlalchemy.exc import DBAPIError

RECONNECT_SECONDS = 120.0
T = TypeVar("T")

# What libpq and psycopg say while a server goes down, is down, or comes back up.
_LOST = ("terminating connection", "server closed the connection", "connection refused", "could not connect",
         "the database system is starting up", "the database system is shutting down", "connection is closed",
         "consuming input failed", "no such file or directory", "connection failed", "ssl syscall error")


def lost_connection(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    return bool(exc.connection_invalidated) or any(words in str(exc.orig).lower() for words in _LOST)


def reconnecting(
    work: Callable[[], T], *, seconds: float = RECONNECT_SECONDS, before_retry: Callable[[], object] | None = None
) -> T:
    """``work()``, run again while the database cannot be reached, for up to ``seconds``.

    ``before_retry`` runs before each new attempt (once the server answers): what the caller holds in memory
    about the database may include what the failed transaction did, which the server rolled back."""
    deadline = time.monotonic() + seconds
    delay = 0.2
    failed = False
    while True:
        try:
            if failed and before_retry is not None:
                before_retry()
            return work()
        except DBAPIError as exc:
            failed = True
            if not lost_connection(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 5.0)
