"""The BASIL statement-pair benchmark: finding labelled spans in Parallax's export, scoring, and the label file."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import statements as bench  # noqa: E402

BASIL = ROOT.parent / "shared" / "data" / "basil" / "articles"
LABELS = ROOT / "benchmarks" / "data" / "basil_statement_pairs.jsonl"


def test_locate_folds_white_space_and_prefers_the_occurrence_nearest_the_hint():
    stored = "He said: “We will  win.”\nLater he said: “We will\nwin.”"
    first = bench.locate("We will win.", stored, near=0)
    second = bench.locate("We will win.", stored, near=len(stored))
    assert stored[first[0]:first[1]] == "We will  win."
    assert stored[second[0]:second[1]] == "We will\nwin."
    assert bench.locate("We will lose.", stored, near=0) is None


def test_quote_at_takes_the_quote_covering_most_of_the_span_in_the_text_not_the_title():
    quotes = [
        {"id": 1, "start": 0, "end": 12, "in": "text"},
        {"id": 2, "start": 10, "end": 40, "in": "text"},
        {"id": 3, "start": 10, "end": 40, "in": "title"},
    ]
    assert bench.quote_at((10, 40), quotes)["id"] == 2
    # A neighbour grazing the span is not the labelled quote.
    assert bench.quote_at((11, 40), [quotes[0]]) is None


def _span(article: str, text: str, piece: str, kind: str = "direct") -> bench.Span:
    start = text.index(piece)
    return bench.Span(article, start, start + len(piece), kind, bench.fingerprint(piece))


def _pair(number, a, b, same, weight=1.0, sampled_as="linked"):
    return bench.Pair(number, a, b, same, True, True, sampled_as, None, weight)


def test_predict_maps_labelled_spans_through_the_stored_text_to_statements():
    one = "Intro line.\nThe minister said “talks resume Monday” on radio."
    two = "Other outlet.\n“Talks resume Monday,” the minister said.\nShe also said “no deal yet”."
    articles = [
        {"id": "e_1", "url": "http://a.example/1", "title": "A", "date": date(2020, 1, 1), "text": one},
        {"id": "e_2", "url": "http://b.example/2", "title": "B", "date": date(2020, 1, 1), "text": two},
    ]
    # Parallax stored the second article with its first line dropped: offsets differ from BASIL's.
    stored_two = two.split("\n", 1)[1]
    export = {
        "articles": [
            {"id": 10, "url": "http://a.example/1", "title": "A", "published": "2020-01-01", "text": one},
            {"id": 20, "url": "http://b.example/2", "title": "B", "published": "2020-01-01", "text": stored_two},
        ],
        "quotes": [
            {"id": 1, "article_id": 10, "start": one.index("talks"), "end": one.index("” on"), "in": "text"},
            {"id": 2, "article_id": 20, "start": 1, "end": stored_two.index(",”"), "in": "text"},
            {"id": 3, "article_id": 20, "start": stored_two.index("no deal"), "end": len(stored_two) - 2,
             "in": "text"},
        ],
        "statements": [{"id": 7, "quote_ids": [1, 2]}, {"id": 8, "quote_ids": [3]}],
    }
    talks_a = _span("e_1", one, "talks resume Monday")
    talks_b = _span("e_2", two, "Talks resume Monday")
    no_deal = _span("e_2", two, "no deal yet")
    uncovered = _span("e_2", two, "the minister said")
    dropped = _span("e_2", two, "Other outlet.")
    pairs = [_pair(1, talks_a, talks_b, True), _pair(2, talks_a, no_deal, False),
             _pair(3, talks_a, uncovered, False), _pair(4, talks_a, dropped, False)]
    predicted, problems = bench.predict(pairs, export, articles)
    assert predicted == [True, False, False, False]
    assert problems == Counter({"no exported quote covers the span": 1, "span not found in Parallax's text": 1})


def test_a_changed_basil_text_is_reported_not_silently_scored():
    text = "“We will win,” she said."
    articles = [{"id": "e_1", "url": None, "title": "A", "date": date(2020, 1, 1), "text": text}]
    stale = bench.Span("e_1", 1, 12, "direct", "We will lose #0000000000")
    export = {"articles": [], "quotes": [], "statements": []}
    _, problems = bench.predict([_pair(1, stale, stale, True)], export, articles)
    assert problems["fingerprint differs (BASIL text changed)"] == 2


def test_tally_counts_precision_recall_and_the_weighted_estimate():
    direct = bench.Span("e_1", 0, 1, "direct", "")
    indirect = bench.Span("e_2", 0, 1, "indirect", "")
    pairs = [
        _pair(1, direct, direct, True),               # linked, right
        _pair(2, direct, direct, False),              # linked, wrong
        _pair(3, direct, indirect, True, sampled_as="overlap"),             # missed
        _pair(4, direct, indirect, True, weight=10.0, sampled_as="uniform"),  # missed, stands for 10
        _pair(5, indirect, indirect, False, weight=10.0, sampled_as="uniform"),
    ]
    report = bench.tally(pairs, [True, True, False, False, False])
    assert report["all"]["precision"] == 0.5 and report["all"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["direct-indirect"]["fn"] == 2
    weighted = report["weighted estimate over all candidate pairs"]["all"]
    assert weighted["pairs"] == 23 and weighted["fn"] == 11
    assert weighted["recall"] == pytest.approx(1 / 12, abs=1e-4)


@pytest.mark.skipif(not BASIL.exists(), reason="BASIL not found under ../shared/data/basil")
def test_every_label_still_points_at_the_same_words_of_basil():
    texts = {a["id"]: a["text"] for a in bench.basil_articles()}
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300 and len({r["pair"] for r in rows}) == len(rows)
    for row in rows:
        for side in "ab":
            span = row[side]
            assert bench.fingerprint(texts[span["article"]][span["start"]:span["end"]]) == span["fingerprint"]
        assert row["a"]["article"].split("_")[0] == row["b"]["article"].split("_")[0] == row["event"]
        assert row["a"]["article"] != row["b"]["article"]


def test_the_label_file_keeps_offsets_and_labels_not_article_text():
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    allowed = {"pair", "event", "speaker", "a", "b", "sampled_as", "weight", "parallax_linked", "same",
               "confident", "speaker_ok", "note"}
    for row in rows:
        assert set(row) <= allowed
        assert set(row["a"]) == set(row["b"]) == {"article", "start", "end", "kind", "fingerprint"}
        assert row["note"] in (None, "occasion", "repeat", "notspeech")
        assert not (row["same"] and row["note"])
    assert {True, False} == {r["same"] for r in rows}
