"""Per-article budgets and failure isolation: long, hostile and slow articles never cost the others."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
from dataclasses import replace

import pytest

from parallax.app import Parallax
from parallax.nlp.budget import neutralise, pieces

GOOD = "Talks resume {n}\nForeign Minister Ilvana Brask said on Tuesday that round {n} of talks would start in {place}.\n"
LATE_QUOTE = "“We will not sign anything under fire,” Defence Minister Ostap Verbytsky said."
# Dense with tokens: tens of seconds for the parser on one core, far beyond a budget of a few seconds.
SLOW = ("Slow one\n" + "Brask said the talks would resume in Kessholm next week. " * 80 + "\n"  # English, by its start
        + '"ab" ' * 18_000 + "\n")


def _write_good(folder, count=2):
    for n, place in zip(range(count), ["Kessholm", "Velgorod", "Stolgrad"]):
        (folder / f"good{n}.txt").write_text(GOOD.format(n=n, place=place))


def _cli(db, *args, env=None):
    return subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), "ingest", "-q", *map(str, args)],
                          capture_output=True, text=True, timeout=900, env={**os.environ, **(env or {})})


# --- the pieces ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("storm", ['"' * 5000, "'" * 300, "*" * 40, "=" * 9, '" ' * 400, "- " * 20, "“”" * 100])
def test_punctuation_storms_become_spaces_of_the_same_length(storm):
    text = f"Brask said talks would resume.\n{storm}\nShe left."
    shown, runs = neutralise(text)
    assert len(shown) == len(text) and runs
    assert not shown[31:31 + len(storm)].strip()


@pytest.mark.parametrize("prose", [
    'He said: ..." — “No.” ’Twas so.', "Really?!", "a. . . . . b", "“Yes,” he said. “No.”", "x - y - z",
])
def test_prose_punctuation_is_left_alone(prose):
    assert neutralise(prose) == (prose, ())


def test_pieces_cover_the_text_and_cut_after_paragraphs_then_sentences_then_spaces():
    text = "First paragraph here.\n" * 10 + "One very long line. It has sentences. " * 20 + "x" * 250
    ranges = pieces(text, 100)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    assert all(end - start <= 100 for start, end in ranges)
    assert text[ranges[0][1] - 1] == "\n"  # a paragraph cut
    line_cuts = [end for _, end in ranges if 220 < end < 220 + 39 * 20]
    assert line_cuts and all(text[end - 2:end] == ". " for end in line_cuts)  # after a sentence end
    assert pieces("short", 100) == [(0, 5)]


# --- long, huge and hostile articles next to good ones ------------------------------------------------

def test_an_article_over_spacys_limit_is_analysed_in_pieces_with_exact_offsets(tmp_path):
    _write_good(tmp_path, 1)
    # 1.2 million characters: paragraphs that end in long rules of '=' (which cost the parser nothing once
    # neutralised), and a quotation near the end, in a late piece.
    body = "".join(f"Session {n} of the talks opened in Kessholm. " + "=" * 4000 + "\n" for n in range(300))
    body += LATE_QUOTE + "\n"
    (tmp_path / "transcript.txt").write_text("Long transcript of the talks\n" + body)
    engine = Parallax(str(tmp_path / "p.db"))
    report = engine.ingest([str(tmp_path)], time_budget=None)
    assert report.stored == 2 and not report.errors
    export = _export(engine)
    article = next(a for a in export["articles"] if a["source"].endswith("transcript.txt"))
    assert len(article["text"]) > 1_000_000 and "=" * 4000 in article["text"]
    [quote] = [q for q in export["quotes"] if q["article_id"] == article["id"]]
    assert quote["start"] > 1_000_000
    assert article["text"][quote["start"]:quote["end"]] == quote["text"] == "We will not sign anything under fire"
    speaker = quote["speaker"]
    assert article["text"][speaker["start"]:speaker["end"]] == speaker["text"] == "Ostap Verbytsky"
    engine.close()


def _export(engine) -> dict:
    from parallax.report.export import write_json

    out = io.StringIO()
    write_json(engine.store, engine.directory(), out)
    return json.loads(out.getvalue())


def test_a_5_mb_single_line_fails_clearly_and_the_good_item_is_kept(tmp_path):
    _write_good(tmp_path, 1)
    sentence = "Officials said the convoy would cross the river at dawn, and the talks would go on. "
    (tmp_path / "huge.txt").write_text("Huge\n" + sentence * (5_000_000 // len(sentence)))
    result = _cli(tmp_path / "p.db", tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if "huge.txt" in line]
    assert "too long to analyse" in line and "--max-chars" in line
    assert "1 articles stored" in result.stderr
    again = _cli(tmp_path / "p.db", tmp_path)  # a re-run fails the same clear way; the good one is unchanged
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert [line for line in again.stderr.splitlines() if "huge.txt" in line] == [line]
    assert "1 unchanged" in again.stderr


def test_a_punctuation_storm_finishes_within_a_small_budget(tmp_path):
    _write_good(tmp_path, 1)
    (tmp_path / "storm.txt").write_text(
        "Storm\nBrask said the talks would resume. " + "'" * 50_000 + '" ' * 25_000 + "\n")
    engine = Parallax(str(tmp_path / "p.db"))
    report = engine.ingest([str(tmp_path)], time_budget=20)  # unneutralised, the first run alone takes hours
    assert report.stored == 2 and not report.errors
    stored = {a["source"].rsplit("/", 1)[-1]: a for a in _export(engine)["articles"]}
    assert "'" * 50_000 in stored["storm.txt"]["text"]  # the stored text is the article's own
    engine.close()


# --- time budget and worker failures ---------------------------------------------------------------------

@pytest.mark.parametrize("processes", [1, 2])
def test_an_article_over_its_time_budget_fails_with_one_line_and_the_rest_are_stored(tmp_path, processes):
    _write_good(tmp_path, 3)
    (tmp_path / "slow.txt").write_text(SLOW)
    result = _cli(tmp_path / "p.db", tmp_path, "-j", processes, "--batch-size", 2,
                  env={"PARALLAX_TIME_BUDGET": "4"})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "slow.txt" in errors[0] and "time budget of 4 s" in errors[0]
    assert "3 articles stored" in result.stderr


def test_a_worker_that_dies_costs_only_the_item_it_was_on(tmp_path):
    from parallax.nlp.parallel import analyse_stream

    good = [(GOOD.format(n=n, place="Kessholm"), None, f"Talks {n}") for n in range(4)]
    items = [good[0], good[1], (SLOW, None, None), (SLOW, None, None), good[2], good[3]]
    results = analyse_stream(items, n_process=2, batch_size=1, time_budget=None)
    first = [next(results), next(results)]  # one from each worker: both are up, and each is now on a slow item
    assert not any(isinstance(r, str) for r in first)
    for child in multiprocessing.active_children():  # as the kernel's OOM killer would
        os.kill(child.pid, signal.SIGKILL)
    rest = list(results)
    assert len(rest) == 4
    assert all(isinstance(r, str) and "worker process analysing it was killed (signal 9)" in r for r in rest[:2])
    assert all(not isinstance(r, str) and len(r.quotes) == 1 for r in rest[2:])


def test_workers_lose_nothing_when_the_first_article_is_the_slowest():
    from parallax.nlp.parallel import analyse_stream

    # While one worker is on the slow first article the other fills the read-ahead window; when the slow one
    # ends, the whole window is yielded at once, and reading must go on after it (it once stopped there).
    slow = ("Slow one\n" + "Brask said the talks would resume in Kessholm next week. " * 500 + "\n", None, None)
    good = [(GOOD.format(n=n, place="Kessholm"), None, f"Talks {n}") for n in range(9)]
    results = list(analyse_stream([slow] + good, n_process=2, batch_size=1, time_budget=None))
    assert len(results) == 10 and not any(isinstance(r, str) for r in results)
    assert [len(r.quotes) for r in results[1:]] == [1] * 9


# --- headline-only items ------------------------------------------------------------------------------------

HEADLINE = "Verbytsky: “We will not sign anything under fire”"
RSS_HEADLINE = "Brask: “Ostmark must withdraw its artillery first”"


def test_headline_only_items_are_stored_and_their_quotes_found(tmp_path):
    (tmp_path / "rows.jsonl").write_text(
        json.dumps({"title": HEADLINE, "outlet": "Velgrad Herald", "date": "2026-03-18"}) + "\n"
        + json.dumps({"title": "Brask says talks with Ostmark are over", "text": "Brask says talks with Ostmark are over",
                      "outlet": "Northern Wire", "date": "2026-03-18"}) + "\n")
    (tmp_path / "rows.csv").write_text("title,date\n\"Kessholm ceasefire holds, observers say\",2026-03-19\n")
    (tmp_path / "feed.rss").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Ostmark Daily</title>"
        f"<item><title>{RSS_HEADLINE}</title><link>https://ostmark.example/1</link>"
        "<pubDate>Wed, 18 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>")
    engine = Parallax(str(tmp_path / "p.db"))
    report = engine.ingest([str(tmp_path)])
    assert not report.errors and report.stored == 4 and report.copies == 0
    export = _export(engine)
    titles = {a["title"]: a for a in export["articles"]}
    assert set(titles) == {HEADLINE, "Brask says talks with Ostmark are over", "Kessholm ceasefire holds, observers say",
                           RSS_HEADLINE}
    assert all(a["text"] == "" for a in titles.values())
    quoted = [q for q in export["quotes"] if q["article_id"] == titles[HEADLINE]["id"]]
    assert [q["in"] for q in quoted] == ["title"]
    [quote] = quoted
    assert HEADLINE[quote["start"]:quote["end"]] == quote["text"] and "not sign anything" in quote["text"]
    assert HEADLINE[quote["speaker"]["start"]:quote["speaker"]["end"]] == "Verbytsky"
    assert export["stories"]  # headline-only articles cluster into stories like any other
    again = engine.ingest([str(tmp_path)])
    assert again.unchanged == 4 and again.stored == 0 and not again.errors
    engine.close()


def test_an_article_analysed_in_pieces_finds_what_it_finds_whole():
    from parallax.nlp import english_pipeline
    from parallax.nlp.article import analyse_article

    text = ("“We will not sign anything under fire,” Defence Minister Ostap Verbytsky said on Monday.\n"
            "Foreign Minister Ilvana Brask said the next round of talks would start in Kessholm.\n"
            "“The convoy crosses at dawn,” Ostap Verbytsky told reporters in Velgorod.\n")
    nlp = english_pipeline()
    whole = analyse_article(nlp, text, None, "Verbytsky: “No signature under fire”")
    split = analyse_article(nlp, text, None, "Verbytsky: “No signature under fire”", piece_chars=95)

    def seen(analysis):
        names = {e.id: e.name for e in analysis.entities}
        return [(q.start, q.end, q.text, q.in_title, q.speaker and (q.speaker.start, q.speaker.text),
                 q.speaker and names.get(q.speaker.entity)) for q in analysis.quotes]

    assert len(seen(whole)) >= 3 and seen(split) == seen(whole)
    assert all(text[q.start:q.end] == q.text for q in split.quotes if not q.in_title)
    assert [(m.start, m.end, m.text) for m in split.mentions] == [(m.start, m.end, m.text) for m in whole.mentions]
    # the minister named in the first piece and again in the third is one entity
    verbytsky = {m.entity for m in split.mentions if "Verbytsky" in m.text}
    assert len(verbytsky) == 1


# --- long articles with many quotes (found by the fuzzer: 830 quotes in a 400,000-character line) ------------

def test_each_quote_of_a_long_article_takes_the_date_of_its_own_cue():
    """The date entities are looked up by sentence from a cache: every quote still gets the day its own cue
    names, never one from a neighbouring sentence, across hundreds of quotes."""
    from datetime import date

    from parallax.nlp import analyse_doc, english_pipeline

    days = ["Monday", "Tuesday", "Wednesday"]
    text = "\n".join(f'"Round {n} will start soon," Ilvana Brask said on {days[n % 3]}. The rain went on.'
                     for n in range(120))
    quotes = analyse_doc(english_pipeline()(text), date(2026, 3, 5)).quotes  # a Thursday
    found = {q.text.split()[1]: q.said_on for q in quotes if q.text.startswith("Round")}
    assert len(found) == 120
    assert all(found[str(n)] == date(2026, 3, 2 + n % 3) for n in range(120))


def test_a_token_is_inside_a_quotation_exactly_when_one_of_the_ranges_holds_it():
    from parallax.nlp import english_pipeline
    from parallax.nlp.entities import build_entities
    from parallax.nlp.speakers import SpeakerResolver

    doc = english_pipeline()("word " * 60)
    ranges = [(30, 40), (2, 5), (3, 9), (9, 12), (20, 21), (50, 50), (44, 47)]
    resolver = SpeakerResolver(doc, build_entities(doc), quote_ranges=ranges)
    assert [resolver._quoted(i) for i in range(60)] == [any(a <= i < b for a, b in ranges) for i in range(60)]


def test_the_pieces_of_a_long_article_spread_over_workers_give_what_one_process_gives(monkeypatch):
    import parallax.nlp.article as article
    from parallax.nlp import english_pipeline
    from parallax.nlp.parallel import analyse_stream

    text = "".join(GOOD.format(n=n, place=place) + LATE_QUOTE + "\n"
                   for n, place in zip(range(6), ["Kessholm", "Velgorod", "Stolgrad"] * 2))
    headline = "Verbytsky: “No signature under fire”"
    alone = article.analyse_article(english_pipeline(), text, None, headline, piece_chars=300)
    # the parent cuts the article; each piece goes to whichever worker is free, and comes back to be merged
    monkeypatch.setattr(article, "PIECE_CHARS", 300)
    assert len(article.LongArticle.of((text, None, headline)).pieces) >= 4
    short = (GOOD.format(n=9, place="Kessholm"), None, "Talks 9")
    results = list(analyse_stream([short, (text, None, headline), short], n_process=2, batch_size=2,
                                  time_budget=None))
    assert results[1].embedding is not None  # the article's, made when its pieces are put together
    assert replace(results[1], embedding=None) == alone
    assert len(alone.quotes) >= 12 and any(q.in_title for q in alone.quotes)
    assert all(text[q.start:q.end] == q.text for q in alone.quotes if not q.in_title)
    assert results[0] == results[2] and len(results[0].quotes) == 1


def test_articles_parsed_in_a_batch_give_what_each_gives_alone():
    from parallax.nlp import english_pipeline
    from parallax.nlp.article import analyse_batch, analyse_item

    nlp = english_pipeline()
    items = [(GOOD.format(n=n, place=place) + LATE_QUOTE, None, f"Talks {n}")
             for n, place in zip(range(3), ["Kessholm", "Velgorod", "Stolgrad"])]
    items.insert(1, ("", None, ""))  # a text not in English goes through with nothing to find
    items.append(("Storm\n" + "'" * 3000 + " Brask said the talks would resume.\n", None, None))
    batched = list(analyse_batch(nlp, items, 60))
    assert [r.embedding is not None for r in batched] == [True, False, True, True, True]
    assert [replace(r, embedding=None) for r in batched] == [analyse_item(nlp, item, 60) for item in items]
    assert [len(r.quotes) for r in batched] == [2, 0, 2, 2, 1]


def test_an_item_with_nothing_to_read_never_overruns_a_budget():
    """A non-English article goes to the workers as an empty item: it is stored whatever the budget, even one
    that every English article overruns."""
    from parallax.model import Analysis
    from parallax.nlp import english_pipeline
    from parallax.nlp.article import analyse_batch

    items = [(GOOD.format(n=1, place="Kessholm"), None, "Talks"), ("", None, ""), (" \n", None, None)]
    results = list(analyse_batch(english_pipeline(), items, 1e-6))
    assert isinstance(results[0], str) and "time budget" in results[0]
    assert results[1:] == [Analysis(), Analysis()]
