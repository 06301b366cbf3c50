"""Shared fixtures: databases (SQLite and a real PostgreSQL server started here) and the CLI runner."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    """examples/corpus as saved in mid-2026. Datelines printed without a year ("STOLGRAD, March 18 (...) -")
    are dated from when the file was saved, and expected.json assumes 2026 whatever day the suite runs."""
    import shutil
    from datetime import datetime

    copy = tmp_path_factory.mktemp("sample") / "corpus"
    shutil.copytree(EXAMPLES / "corpus", copy)
    saved = datetime(2026, 6, 30, 12, 0).timestamp()
    for path in copy.rglob("*"):
        os.utime(path, (saved, saved))
    return copy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


class PostgresServer:
    """A throwaway PostgreSQL cluster on a private port and socket directory.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the unprivileged `nobody`.
    """

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="parallax-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self.counter = itertools.count()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chmod(self.base, 0o777)
            os.chown(self.base, nobody.pw_uid, nobody.pw_gid)
            self.as_user = ["runuser", "-u", "nobody", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, cwd=self.base)

    def start(self) -> None:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-p {self.port} -k {self.base} -c listen_addresses='' -c fsync=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.base / "log"), "-w", "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def new_database(self) -> str:
        import psycopg

        name = f"parallax_test_{next(self.counter)}"
        with psycopg.connect(host=str(self.base), port=self.port, user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@/{name}?host={self.base}&port={self.port}"


@pytest.fixture(scope="session")
def postgres_server():
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed here (apt-get install -y postgresql); its store tests are skipped")
    server = PostgresServer(bindir)
    try:
        server.start()
    except (subprocess.CalledProcessError, KeyError, PermissionError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"cannot start a PostgreSQL server here: {exc} {detail.decode(errors='replace')[:300]}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """A fresh empty database of each kind the store supports."""
    if request.param == "sqlite":
        return str(tmp_path / "parallax.db")
    return request.getfixturevalue("postgres_server").new_database()
