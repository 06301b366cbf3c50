"""A unit of database work is run again while the server cannot be reached, and only then."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from parallax.store.reconnect import reconnecting


def _error(kind, message: str, invalidated: bool = False):
    return kind("INSERT ...", {}, Exception(message), connection_invalidated=invalidated)


def test_a_lost_connection_is_retried_with_the_callers_state_refreshed():
    calls, refreshed = [], []

    def work():
        calls.append(1)
        if len(calls) == 1:
            raise _error(OperationalError, "terminating connection due to administrator command")
        if len(calls) == 2:
            raise _error(OperationalError, "connection refused: the database system is starting up")
        return "stored"

    assert reconnecting(work, before_retry=lambda: refreshed.append(1)) == "stored"
    assert len(calls) == 3 and len(refreshed) == 2


def test_other_errors_are_not_retried():
    calls = []

    def work():
        calls.append(1)
        raise _error(IntegrityError, "duplicate key value violates unique constraint")

    with pytest.raises(IntegrityError):
        reconnecting(work)
    assert len(calls) == 1


def test_a_server_that_stays_down_fails_after_the_wait():
    with pytest.raises(OperationalError):
        reconnecting(lambda: (_ for _ in ()).throw(_error(OperationalError, "x", invalidated=True)), seconds=0.5)
