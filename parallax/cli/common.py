"""What every `parallax` command shares: the database option's value, the consoles, one way to fail, and
opening the application."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from sqlalchemy.exc import DatabaseError

from parallax.knowledge.packs import PackError
from parallax.store.db import StoreError
from parallax.store.errors import describe_failure

if TYPE_CHECKING:
    from parallax.app import Parallax

out = Console()
err = Console(stderr=True, soft_wrap=True)  # one message, one line: never wrapped


# Exit codes (README, docs/architecture.md): 2 a usage error, among them a database that cannot be used as given;
# 3 a database that failed while in use (busy past the wait, disk full, read-only, I/O error): what was stored
# before stays, and the same command run again later continues.
USAGE, UNAVAILABLE = 2, 3

# The largest id an SQLite integer column holds: a larger number is a usage error, not a database crash.
MAX_ID = 2**63 - 1


class State:
    db: str = "parallax.db"


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def opened() -> Iterator[Parallax]:
    from parallax.app import Parallax  # imported here so `--help` stays fast

    try:
        # A file that is not an SQLite database (or is damaged) fails on the first statement, before the
        # store could turn it into a StoreError.
        engine = Parallax(State.db)
    except (StoreError, DatabaseError) as exc:
        fail(*database_failure(State.db, exc))
    try:
        yield engine
    except PackError as exc:
        fail(str(exc))
    except (StoreError, DatabaseError) as exc:
        fail(*database_failure(State.db, exc))
    finally:
        engine.close()


def database_failure(db: str, exc: Exception) -> tuple[str, int]:
    """One line naming the database and the reason, and the exit code: a database that failed while in use
    (busy, full, read-only) is UNAVAILABLE, one that cannot be used as given a USAGE error."""
    message, unavailable = describe_failure(db, exc)
    return message, UNAVAILABLE if unavailable else USAGE


def find_actor(engine, name: str, what: str) -> str:
    """An actor by id, by any known spelling of its name, or by surname when that is unambiguous."""
    from parallax.knowledge.names import alias_key
    from parallax.store import read

    rows = read.actors(engine.store)
    if any(row["id"] == name for row in rows):
        return name
    key = alias_key(name)
    keys = {r["id"]: {alias_key(n) for n in (r["name"], *r["aliases"])} for r in rows}
    found = [known_id for known_id, known in keys.items() if key in known]
    if not found:
        found = [known_id for known_id, known in keys.items() if any(k.split()[-1:] == [key] for k in known)]
    if len(found) != 1:
        fail(f"{what} {name!r}: " + ("no such actor" if not found else f"ambiguous ({', '.join(found)})"))
    return found[0]
