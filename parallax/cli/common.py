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

if TYPE_CHECKING:
    from parallax.app import Parallax

out = Console()
err = Console(stderr=True, soft_wrap=True)  # one message, one line: never wrapped


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
        engine = Parallax(State.db)
    except StoreError as exc:
        fail(str(exc))
    except DatabaseError as exc:
        # A file that is not an SQLite database (or is damaged) fails on the first statement, before the
        # store could turn it into a StoreError.
        fail(unusable_database(State.db, exc))
    try:
        yield engine
    except (StoreError, PackError) as exc:
        fail(str(exc))
    except DatabaseError as exc:
        fail(unusable_database(State.db, exc))
    finally:
        engine.close()


def unusable_database(db: str, exc: DatabaseError) -> str:
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    return f"{db}: cannot use this database ({reason})"


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
