"""The application object: failures in one article's analysis are reported and cost nothing else."""

from __future__ import annotations

import gc

from parallax import app, nlp
from parallax.app import Parallax
from parallax.ingest import language
from parallax.knowledge.registry import Registry
from parallax.store import read

GOOD = "Talks resume {n}\nForeign Minister Ilvana Brask said on Tuesday that round {n} of talks would start in {place}.\n"


def _trip_on_a_bug(monkeypatch):
    """Make the analysis fail on any text that says it "trips a bug"; returns the real analysis."""
    real = nlp.analyse_doc

    def fragile(doc, published, title=None):
        if "trips a bug" in doc.text:
            raise ValueError("simulated")
        return real(doc, published, title)

    monkeypatch.setattr(nlp, "analyse_doc", fragile)
    return real


def test_an_article_whose_analysis_fails_is_reported_and_the_rest_are_stored(tmp_path, monkeypatch):
    for n, place in enumerate(["Kessholm", "Velgorod", "Stolgrad"]):
        (tmp_path / f"a{n}.txt").write_text(GOOD.format(n=n, place=place))
    (tmp_path / "odd.txt").write_text("Odd one\nThis text trips a bug in the analysis, Brask said.\n")
    real = _trip_on_a_bug(monkeypatch)
    engine = Parallax(str(tmp_path / "p.db"))
    report = engine.ingest([str(tmp_path)])
    assert report.stored == 3
    [error] = report.errors
    assert error.item.endswith("odd.txt") and "analysis failed (ValueError: simulated)" in error.reason
    assert len(read.articles(engine.store)) == 3
    monkeypatch.setattr(nlp, "analyse_doc", real)
    again = engine.ingest([str(tmp_path)])  # the failed article is retried, the others are unchanged
    assert again.stored == 1 and again.unchanged == 3 and not again.errors
    engine.close()


def test_a_copy_of_an_article_that_failed_is_reported_not_dropped(tmp_path, monkeypatch):
    """Two feeds carry one wire story whose analysis fails: the second was set aside as a copy of the first
    before the first failed; it is named as not stored, never counted as a stored copy."""
    (tmp_path / "a.txt").write_text(GOOD.format(n=1, place="Kessholm"))
    story = "Odd one\nThis text trips a bug in the analysis, Brask said on Tuesday in the capital of Velgorod.\n"
    (tmp_path / "b-odd.txt").write_text(story)
    (tmp_path / "c-odd-copy.txt").write_text(story.replace("Odd one", "Odd one (wire)"))
    _trip_on_a_bug(monkeypatch)
    engine = Parallax(str(tmp_path / "p.db"))
    report = engine.ingest([str(tmp_path)])
    assert report.stored == 1 and report.copies == 0
    assert [(e.item.rsplit("/", 1)[-1], e.reason.split(" (")[0]) for e in report.errors] == [
        ("b-odd.txt", "analysis failed"),
        ("c-odd-copy.txt", f"not stored: a copy of {tmp_path / 'b-odd.txt'}, which was not stored"),
    ]
    engine.close()


def test_the_analysis_after_an_ingest_runs_without_the_ingests_state(tmp_path, monkeypatch):
    """After a backfill, the registry of every actor, the run's duplicate index and the language models are
    hundreds of MB: the analysis that follows (stories, then statements) must not carry them."""
    for n, place in enumerate(["Kessholm", "Velgorod", "Stolgrad"]):
        (tmp_path / f"a{n}.txt").write_text(GOOD.format(n=n, place=place))
    real, alive = app.update, []

    def update(store, **options):
        gc.collect()
        alive.extend(type(o).__name__ for o in gc.get_objects() if isinstance(o, (Registry, app._RunDedupe)))
        alive.extend(["language models"] * language._detector.cache_info().currsize)
        return real(store, **options)

    monkeypatch.setattr(app, "update", update)
    engine = Parallax(str(tmp_path / "p.db"))
    report = engine.ingest([str(tmp_path)])
    engine.close()
    assert report.stored == 3 and report.analysis.articles_clustered == 3
    assert alive == []
