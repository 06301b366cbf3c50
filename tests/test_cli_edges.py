"""The edges of the `parallax` command: a database that is not one, a reader that stops reading, ids no
database can hold, and the names of options in messages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.test_cli import ARTICLE, no_traceback, run


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """A database with a few articles: enough output that a reader can stop halfway."""
    root = tmp_path_factory.mktemp("edges")
    folder = root / "articles"
    folder.mkdir()
    for i in range(6):
        (folder / f"a{i}.txt").write_text(ARTICLE.format(title=f"Brask ready for talks {i}", topic=f"round {i}"))
    db = root / "p.db"
    assert run(db, "ingest", str(folder), "-q").returncode == 0
    return db


@pytest.mark.parametrize("content", [b"these are notes, not a database\n", bytes(range(256)) * 20])
def test_a_file_that_is_not_a_database_is_a_usage_error_in_one_line(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    for args in (["stories"], ["export"], ["ingest", str(path)]):
        result = run(path, *args)
        no_traceback(result)
        assert result.returncode == 2, (args, result.stderr)
        [line] = result.stderr.strip().splitlines()
        assert line == f"error: {path}: cannot use this database (file is not a database)"
    assert path.read_bytes() == content  # never "repaired" into an empty database


def _first_line_then_close(db, *args) -> tuple[int, str, str]:
    """What `parallax ... | head -1` sees: the reader takes one line and goes away."""
    proc = subprocess.Popen([sys.executable, "-m", "parallax", "--db", str(db), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline().decode()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    return proc.wait(timeout=120), first, stderr


@pytest.mark.parametrize("args", [["export"], ["export", "--format", "jsonl"], ["quotes", "--format", "csv"],
                                  ["stories", "--json"]])
def test_a_reader_that_stops_early_is_not_a_failure(filled, args):
    code, first, stderr = _first_line_then_close(filled, *args)
    assert first.strip()  # it did write
    assert code == 0, stderr
    assert stderr == ""


def test_output_read_to_the_end_is_complete(filled, tmp_path):
    piped = run(filled, "export")
    assert piped.returncode == 0
    assert run(filled, "export", "-o", str(tmp_path / "e.json")).returncode == 0
    assert piped.stdout == (tmp_path / "e.json").read_text() and json.loads(piped.stdout)["quotes"]


@pytest.mark.parametrize("args", [["brief", "9223372036854775808"], ["quotes", "--story", "99999999999999999999"],
                                  ["camps", "--story", "9223372036854775808"], ["brief", "0"]])
def test_ids_no_database_can_hold_are_usage_errors(filled, args):
    result = run(filled, *args)
    no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert "Invalid value" in result.stderr


def test_an_id_that_fits_but_is_missing_is_not_found(filled):
    result = run(filled, "brief", "9223372036854775807")
    no_traceback(result)
    assert result.returncode == 1 and "no story with id 9223372036854775807" in result.stderr


def test_the_private_address_refusal_names_the_option(tmp_path):
    from parallax.ingest.fetch import FetchError, check_host

    with pytest.raises(FetchError) as refused:
        check_host("http://127.0.0.1:9/article")
    assert "--allow-private" in str(refused.value)


def _camps(db) -> dict[str, dict]:
    result = run(db, "camps", "--json")
    assert result.returncode == 0, result.stderr
    return {c["id"]: c for c in json.loads(result.stdout)["camps"]}


def test_a_second_pack_with_camps_merges_by_id_and_says_so(tmp_path):
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text("camps:\n"
                     "  - {id: valdorian-side, name: Valdorian side, rule: {countries: [Valdoria]}}\n"
                     "  - {id: korvian-side, name: Korvian side, rule: {countries: [Korvia]}}\n")
    second.write_text("camps:\n"
                      "  - {id: korvian-side, name: Korvian press, rule: {countries: [Korvia, Ostmark]}}\n"
                      "  - {id: wires, name: Wire services, rule: {ownership: [wire]}}\n")
    db = tmp_path / "p.db"
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE.format(title="Brask ready for talks", topic="the corridor"))
    loaded = run(db, "ingest", str(source), "--pack", str(first), "-q")
    assert loaded.returncode == 0 and "camps added from the pack: valdorian-side, korvian-side" in loaded.stderr
    merged = run(db, "ingest", str(source), "--pack", str(second), "-q")
    no_traceback(merged)
    assert merged.returncode == 0, merged.stderr
    assert "camps added from the pack: wires" in merged.stderr
    assert "camps updated from the pack (same id, new name or rule): korvian-side" in merged.stderr
    camps = _camps(db)
    assert list(camps)[:3] == ["valdorian-side", "korvian-side", "wires"]  # kept, updated in place, added last
    assert camps["korvian-side"]["name"] == "Korvian press"
    assert camps["korvian-side"]["rule"]["countries"] == ["Korvia", "Ostmark"]
    again = run(db, "ingest", str(source), "--pack", str(second), "-q")
    assert "camps added" not in again.stderr and "camps updated" not in again.stderr  # nothing new to say


def test_pack_camps_after_the_user_edited_camps_are_left_alone_and_said_so(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("camps:\n  - {id: wires, name: Wire services, rule: {ownership: [wire]}}\n")
    db = tmp_path / "p.db"
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE.format(title="Brask ready for talks", topic="the corridor"))
    assert run(db, "ingest", str(source), "-q").returncode == 0
    assert run(db, "camps", "add", "mine", "--name", "My side", "--country", "Valdoria").returncode == 0
    result = run(db, "ingest", str(source), "--pack", str(pack), "-q")
    assert result.returncode == 0
    assert "camps of the pack left alone (wires)" in result.stderr
    assert "wires" not in _camps(db) and "mine" in _camps(db)
