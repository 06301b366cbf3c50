"""The whole pipeline on the sample corpus, through the real CLI, scored against examples/expected.json.

The floors below are what the pipeline reaches today; raise them as it improves, never lower them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES
from scoring import score



def parallax(db, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parallax", "--db", str(db), *args], capture_output=True, text=True, check=check
    )


@pytest.fixture(scope="module")
def corpus(sample_corpus):
    return sample_corpus


@pytest.fixture(scope="module")
def corpus_run(corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("corpus-db") / "corpus.db"
    ingest = parallax(db, "ingest", str(corpus), "--pack", str(EXAMPLES / "pack"), "-q")
    export = json.loads(parallax(db, "export", "--format", "json").stdout)
    return db, ingest, export


@pytest.fixture(scope="module")
def scores(corpus_run, corpus):
    _db, _ingest, export = corpus_run
    gold = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
    result = score(export, gold, str(corpus))
    printable = {k: v for k, v in result.items() if not isinstance(v, list)}
    print("\nsample corpus scores:", json.dumps(printable, indent=1))
    for line in result["quote_misses"] + result["quote_wrong_speakers"]:
        print("  ", line)
    return result


def test_ingest_succeeds_and_says_what_it_did(corpus_run):
    _db, ingest, _export = corpus_run
    assert ingest.returncode == 0, ingest.stderr
    assert "31 articles stored (1 not in English)" in ingest.stderr
    assert "2 duplicates linked" in ingest.stderr


def test_export_follows_the_contract(corpus_run):
    _db, _ingest, export = corpus_run
    assert export["parallax_export"] == 1
    required = {
        "articles": {"id", "source", "part", "outlet", "title", "published", "language", "text"},
        "actors": {"id", "name", "kind", "aliases"},
        "mentions": {"article_id", "start", "end", "text", "actor_id"},
        "quotes": {"id", "article_id", "start", "end", "text", "kind", "cue", "said_on", "speaker"},
        "statements": {"id", "actor_id", "quote_ids"},
        "stories": {"id", "title", "article_ids"},
        "camps": {"id", "name", "outlets"},
    }
    for section, fields in required.items():
        assert export[section], f"{section} is empty"
        for record in export[section]:
            assert fields <= set(record), (section, fields - set(record))
    texts = {a["id"]: a["text"] for a in export["articles"]}
    titles = {a["id"]: a["title"] for a in export["articles"]}
    for m in export["mentions"]:
        assert texts[m["article_id"]][m["start"]:m["end"]] == m["text"]
    for q in export["quotes"]:
        # the contract's speaker fields, plus the wave-2 additions (group members, how resolved, how sure)
        assert set(q["speaker"]) == {"text", "start", "end", "actor_id", "actor_ids", "via", "confidence"}
        assert q["form"] in ("statement", "stance", "topic")
        # "in" (added after version 1): a headline quote's offsets refer to the title
        where = titles if q["in"] == "title" else texts
        if q["speaker"]["start"] is not None:
            assert where[q["article_id"]][q["speaker"]["start"]:q["speaker"]["end"]] == q["speaker"]["text"]
        assert q["kind"] in {"direct", "mixed", "indirect"}
    camps = {c["name"]: c["outlets"] for c in export["camps"]}
    assert "Radio Dravenia" in camps["Dravenian side"] and "Meridian News Agency" in camps["International"]


def test_articles_outlets_and_dates(scores):
    assert scores["articles"]["recall"] == 1.0 and scores["articles"]["precision"] == 1.0
    assert scores["duplicates_stored_separately"] == 0
    assert scores["article_outlet_accuracy"] == 1.0
    assert scores["article_language_accuracy"] == 1.0
    assert scores["article_title_accuracy"] == 1.0
    # One known miss (see test_stories_and_statements): the undated harvest warning stays out of its story, so
    # it gets no date from it. Every other date, given or inferred, is right.
    assert scores["article_published_accuracy"] >= 30 / 31


def test_quotes_and_speakers(scores):
    assert scores["quotes"]["recall"] == 1.0  # every expected quote found
    assert scores["quotes"]["precision"] >= 0.87
    assert scores["quote_speaker_accuracy"] == 1.0  # ... with its right speaker (issue 3)


def test_name_variants_resolve_to_their_actor(scores):
    assert scores["actor_variants_resolved"] == 1.0  # every garbled and transliterated spelling


def test_stories_and_statements(scores):
    # Issue 5: every story (the Russian article included) and every cross-outlet statement is found, but for one
    # known miss: the undated harvest warning scores 0.32 against the drought story (bar 0.36, tuned on NeuS
    # train+val; 0.34 would lose 0.3 points there), since the mayor's report in that story tells another side of
    # the drought and pulls the story's average down. It opens a story of its own.
    assert scores["stories"]["f1"] >= 0.97
    assert scores["statements_recall"] == 1.0


def test_reingest_changes_nothing(corpus_run, corpus):
    db, _ingest, export = corpus_run
    again = parallax(db, "ingest", str(corpus), "-q")
    assert again.returncode == 0
    # every article and every item linked as a copy of one: nothing is linked again
    assert "0 articles stored" in again.stderr and "33 unchanged" in again.stderr
    assert "0 duplicates linked" in again.stderr
    assert json.loads(parallax(db, "export").stdout) == export


def test_briefing_of_the_largest_story(corpus_run, tmp_path):
    db, _ingest, _export = corpus_run
    html = tmp_path / "brief.html"
    result = parallax(db, "brief", "--html", str(html))
    assert result.returncode == 0
    text = result.stdout
    for section in ("## Coverage by camp", "## Key statements by speaker", "## Timeline", "## Sources"):
        assert section in text
    assert "Brevnian side" in text and "Dravenian side" in text and "International" in text
    assert "Ilona Verbytska" in text and "Arkady Volostny" in text
    wordings = [line for line in text.splitlines() if line.startswith("  - “")]
    assert wordings and all(re.search(r"(\[\d+\])+$", line) for line in wordings)  # every wording is cited
    assert "(part 1)" in text  # a dump or compilation is cited with the part used
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and 'id="source-1"' in page
    assert str(html.resolve()) in result.stderr


def test_undated_reports_are_dated_from_the_story_they_join(corpus_run):
    # Issue 12: the garbled rewrite says only "on Thursday"; its story's press conference was on Thursday 14 May.
    _db, _ingest, export = corpus_run
    by_source = {a["source"].split("corpus/")[-1]: a for a in export["articles"]}
    rewrite = by_source["txt/newspulse_makarin_gas_rewrite.txt"]
    assert (rewrite["published"], rewrite["published_via"]) == ("2026-05-14", "story")
    assert by_source["txt/meridian_makarin_gas_transit.txt"]["published_via"] == "text"
    # its quotes were said that day too, so they meet the press conference's reports of them in time
    said = [q["said_on"] for q in export["quotes"] if q["article_id"] == rewrite["id"]]
    assert said and set(said) == {"2026-05-14"}
