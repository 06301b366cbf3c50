"""Same-statement matching: the rewrites that must meet, and the near misses that must stay apart."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from conftest import EXAMPLES

import pytest

from parallax.analysis.statements import StatementIndex
from parallax.nlp.embeddings import EmbeddingsUnavailable, embedder

DAY = date(2026, 3, 17)
STORY = 1


def test_a_quoted_phrase_meets_the_direct_quote_it_was_taken_from():
    index = StatementIndex()
    direct, _ = index.place("verbytska", "No ceasefire is worth signing if it freezes the occupation of our land", DAY)
    mixed, new = index.place("verbytska", 'that no ceasefire could "freeze the occupation", a phrase they reject', DAY)
    assert mixed is direct and not new
    short, new = index.place("volostny", "Brevnia is ready to sit down at the table without preconditions", DAY)
    fragment, new = index.place("volostny", 'that Stolgrad was ready to talk "without preconditions"', None)
    assert fragment is short and not new


def test_a_machine_rewrite_with_garbled_names_and_hyphens_is_the_same_statement():
    index = StatementIndex()
    wire, _ = index.place(
        "volostny", "Brevnia is ready to sit down at the table in Kessholm without preconditions", DAY
    )
    rewrite, new = index.place("volostny", "Brevnia is ready to sit at the table in Kesholm without pre-conditions", DAY)
    assert rewrite is wire and not new
    which, _ = index.place("ministry", 'the agreement "proof that Brevnia is the side that delivers"', DAY)
    that, new = index.place("ministry", 'the agreement "proof that Brevnia is the side which delivers"', DAY)
    assert that is which and not new


def test_near_misses_of_one_speaker_on_one_day_stay_apart():
    index = StatementIndex()
    table, _ = index.place("volostny", "Brevnia is ready to sit down at the table in Kessholm without preconditions", DAY)
    talks, new = index.place("volostny", "his country was ready to join ceasefire talks with Dravenia", DAY)
    assert new and talks is not table
    sign, _ = index.place("verbytska", "We will sign the ceasefire agreement in Kessholm", DAY)
    refuse, new = index.place("verbytska", "We will not sign the ceasefire agreement in Kessholm", DAY)
    assert new and refuse is not sign
    # One shared quoted word is not a shared utterance.
    calm, _ = index.place("makarin", 'the first meeting had been "constructive" and long', DAY)
    other, new = index.place("makarin", 'the proposal on prisoners was "constructive"', DAY)
    assert new and other is not calm


def test_a_vague_speaker_joins_an_unmistakable_wording_of_its_story_and_never_opens_a_statement():
    index = StatementIndex()
    corridor = "The corridor will open at six o'clock on Saturday morning and stay open for seventy-two hours"
    said, _ = index.place("holtvik", corridor, DAY, article_id=1, story_id=STORY)
    rewrite = "The corridor will be opened at six hours on Saturday morning and will remain opened seventy-two hours"
    unresolved, new = index.place(None, rewrite, DAY, article_id=2, story_id=STORY)
    assert unresolved is said and not new
    country, new = index.place("brevnia", rewrite, DAY, article_id=3, story_id=STORY, firm_speaker=False)
    assert country is said and not new
    elsewhere, new = index.place(None, rewrite, DAY, article_id=4, story_id=STORY + 1)
    assert elsewhere is None and not new
    weeks_later, new = index.place(None, rewrite, date(2026, 5, 1), article_id=5, story_id=STORY)
    assert weeks_later is None
    nothing_alike, new = index.place(None, "Buses will leave from the station at noon", DAY, article_id=6, story_id=STORY)
    assert nothing_alike is None and not new


def test_a_garbled_name_only_the_corpus_knows_joins_a_pack_actors_statement_not_another_corpus_actors():
    index = StatementIndex()
    words = 'the agreement "proof that Brevnia is the side that delivers", the ministry said in Kessholm'
    ministry, _ = index.place("brevnian-mfa", words, DAY, article_id=1, story_id=STORY)
    garbled = 'the agreement "proof that Brevnia is the side which delivers", the ministry said in Kesholm'
    joined, new = index.place(
        "ministry-of-outside-affairs", garbled, DAY, article_id=2, story_id=STORY, firm_speaker=False,
        into={"brevnian-mfa"},
    )
    assert joined is ministry and not new
    other, _ = index.place("corpus-spokesman", words, DAY, article_id=3, story_id=STORY)
    apart, new = index.place(
        "corpus-envoy", garbled, DAY, article_id=4, story_id=STORY + 0, firm_speaker=False, into=set()
    )
    assert new and apart is not other and apart is not ministry


def _embedded(index, actor, text, kind, article_id, story_id=STORY):
    """Place a quote as the analysis stage does: with its kind and its sentence embedding."""
    try:
        vector = embedder().embed([text])[0]
    except EmbeddingsUnavailable as missing:
        pytest.skip(str(missing))
    return index.place(actor, text, DAY, article_id=article_id, story_id=story_id, kind=kind, vector=vector)


def test_a_direct_quote_and_its_report_in_indirect_speech_are_one_statement():
    index = StatementIndex()
    direct, _ = _embedded(
        index, "volostny",
        "We are ready to meet the Dravenian delegation in Kessholm next week, without any preconditions", "direct", 1,
    )
    # The second report landed in another story: a clustering miss must not hide the restatement.
    indirect, new = _embedded(
        index, "volostny", "that his government was prepared to meet Dravenia's negotiators in Kessholm next week with no "
        "preconditions", "indirect", 2, story_id=STORY + 1,
    )
    assert indirect is direct and not new


def test_a_machine_garbled_copy_is_the_same_statement():
    index = StatementIndex()
    wire, _ = _embedded(
        index, "holtvik", "The humanitarian corridor from Mirnohrad will open at six in the morning and stay open for "
        "three days", "direct", 1,
    )
    garbled, new = _embedded(
        index, "holtvik", "Humanitarian corridor of Mirnograd will be opening at six hour of morning and stays opened "
        "for three day", "direct", 2,
    )
    assert garbled is wire and not new


def test_two_statements_of_one_speaker_on_one_day_stay_two():
    index = StatementIndex()
    troops, _ = _embedded(
        index, "verbytska", "Our troops will not leave the border villages until every prisoner has come home",
        "direct", 1,
    )
    convoy, new = _embedded(
        index, "verbytska", "that the aid convoy had reached Kessholm this morning with food and medicine for the "
        "hospital", "indirect", 2,
    )
    assert new and convoy is not troops
    # Two answers of one press conference on one subject, each a claim of its own.
    talks, new = _embedded(
        index, "verbytska", "that the next round of talks would take place in Kessholm on Monday", "indirect", 3,
    )
    assert new and talks not in (troops, convoy)
    refuse, new = _embedded(
        index, "verbytska", "We will not accept any ceasefire that leaves Dravenian soldiers on our land", "direct", 4,
    )
    assert new and refuse not in (troops, convoy, talks)


def test_two_named_people_saying_the_same_words_are_two_statements():
    index = StatementIndex()
    words = "The corridor will open at six o'clock on Saturday morning and stay open for seventy-two hours"
    holtvik, _ = index.place("holtvik", words, DAY, article_id=1, story_id=STORY)
    pelevko, new = index.place("pelevko", words, DAY, article_id=2, story_id=STORY)
    assert new and pelevko is not holtvik


def test_an_unresolved_quote_waits_for_the_outlet_that_names_its_speaker(tmp_path):
    """An aggregator that calls Makarin only "The Minister", ingested before the wire that names him: its
    quote joins his statement when the wire arrives. The resolver may learn that name one day, so the test
    makes the speaker unresolved itself."""
    from sqlalchemy import create_engine, text

    corpus = EXAMPLES / "corpus"
    db = tmp_path / "p.db"

    def parallax(*args):
        return subprocess.run(
            [sys.executable, "-m", "parallax", "--db", str(db), *args], capture_output=True, text=True, check=True
        )

    parallax("ingest", str(corpus / "feeds" / "aggregator.rss"), "--pack", str(EXAMPLES / "pack"), "-q")
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE quotes SET actor_id = NULL, statement_id = NULL WHERE text LIKE '%want peace%'"))
        conn.execute(text("DELETE FROM statements WHERE id NOT IN (SELECT statement_id FROM quotes "
                          "WHERE statement_id IS NOT NULL)"))
    engine.dispose()
    parallax("ingest", str(corpus / "dumps" / "wire.jsonl"), "-q")
    export = json.loads(parallax("export", "--format", "json").stdout)
    quote = {q["id"]: q for q in export["quotes"]}
    peace = [s for s in export["statements"] if any("want peace" in quote[q]["text"] for q in s["quote_ids"])]
    assert len(peace) == 1 and peace[0]["actor_id"] == "sergei-makarin"
    unresolved = [q for q in peace[0]["quote_ids"] if quote[q]["speaker"]["actor_id"] is None]
    named = [q for q in peace[0]["quote_ids"] if quote[q]["speaker"]["actor_id"] == "sergei-makarin"]
    assert unresolved and named


def test_wordings_sharing_no_word_are_never_one_statement_whatever_their_embeddings_say():
    """The matcher skips pairs of wordings with no content word in common, without scoring them: that is only
    right if no such pair can reach the threshold, at any cosine, in any form, at any length. The bound the
    shortcut relies on is the best such a pair reaches, and it is under both thresholds."""
    import itertools

    import numpy as np

    from parallax.analysis.statement_pairs import model
    from parallax.analysis.statements import likeness, wording

    up, down = np.eye(2)[0], -np.eye(2)[0]
    texts = ["It is.", "Harvest.", "The Veska river truce", "Grain convoys will cross the bridge every morning",
             "Nobody asked the islanders about the new ferry timetable before the vote in Brask"]
    best = 0.0
    for (a, b), kinds, vector in itertools.product(itertools.combinations(texts, 2),
                                                  itertools.product(("direct", "indirect"), repeat=2),
                                                  (up, down)):
        first, second = wording(a, kind=kinds[0], vector=up), wording(b, kind=kinds[1], vector=vector)
        assert first.terms.isdisjoint(second.terms)
        best = max(best, likeness(first, second))
    pair_model = model()
    assert best == pytest.approx(pair_model.most_without_shared)
    assert pair_model.most_without_shared < min(pair_model.threshold, pair_model.rescue_threshold)


def test_the_pairs_found_through_shared_words_are_those_of_a_full_pass_in_its_order():
    """A speaker with thousands of quotes in a backfill is compared through the words the quotes share; the
    pairs met must be exactly those a pass over every pair would meet that share a word, in the same order,
    undated quotes included: the order decides which wordings are embedded together."""
    import random
    from datetime import date, timedelta

    from parallax.analysis.statements import wording
    from parallax.analysis.update import pairs_within

    rng = random.Random(7)
    vocabulary = ["truce", "river", "harvest", "grain", "convoy", "bridge", "ferry", "islanders", "diesel", "boats"]
    quotes = []
    for n in range(120):
        day = None if rng.random() < 0.2 else date(2026, 5, 1) + timedelta(days=rng.randrange(40))
        quotes.append({"id": n, "said_on": day, "text": " ".join(rng.sample(vocabulary, rng.randrange(1, 4)))})
    words = {id(q): wording(q["text"]) for q in quotes}
    every = [(a["id"], b["id"]) for a, b in pairs_within(quotes, 6)
             if not words[id(a)].terms.isdisjoint(words[id(b)].terms)]
    assert [(a["id"], b["id"]) for a, b in pairs_within(quotes, 6, words)] == every
    assert len(every) > 1000 and len(every) < len(list(pairs_within(quotes, 6)))


def test_only_quotes_whose_embedding_could_decide_a_match_are_embedded():
    """Embedding a quote costs more than analysing it, so only quotes that could be taken for another wording
    are embedded: two reports of one speaker days apart that share the claim's words, and an unresolved
    speaker's quote with another article's like wording in its story. A lone quote, one far from the others
    in time, and one that shares no words with the others are decided by their words alone."""
    from datetime import date

    from parallax.analysis.update import comparable

    def quote(n, actor, day, article, story, text, kind="person"):
        return {"id": n, "actor_id": actor, "said_on": day, "article_id": article, "story_id": story, "text": text,
                "kind": "direct", "actor_kind": kind if actor else None, "actor_origin": "pack", "vector": None}

    may, june = date(2026, 5, 14), date(2026, 6, 20)
    truce = "The truce along the Veska river will hold through the harvest season"
    pending = [
        quote(1, "makarin", may, 1, 1, truce),  # restated a day later in another outlet
        quote(2, "makarin", date(2026, 5, 15), 2, 1, "the truce along the Veska river would hold through the harvest"),
        quote(3, "makarin", may, 8, 1, "Our fishermen deserve better boats and cheaper diesel"),  # another claim
        quote(4, "brekke", may, 3, 2, truce),    # says it once...
        quote(5, "brekke", june, 4, 3, truce),   # ... and again five weeks later: too far apart to be one statement
        quote(6, None, may, 5, 4, "Grain convoys will cross the Veska bridge every morning from Monday"),
        quote(7, "solheim", may, 6, 4, "grain convoys will cross the Veska bridge every morning from Monday"),
        quote(8, "solheim", may, 6, 4, "Nobody asked the islanders about the new ferry timetable"),
    ]
    known = [{"actor_id": "ekdal", "said_on": may,
              "wordings": [("Kessholm will reopen its consulate in Brask before winter", 9, 5, "direct", None)]}]
    pending.append(quote(9, "ekdal", may, 7, 5, "Kessholm will reopen its consulate in Brask before the winter"))
    assert [q["id"] for q in comparable(pending, known, frozenset())] == [1, 2, 6, 7, 9]


def test_a_stored_wording_without_a_vector_is_embedded_when_a_like_report_comes():
    """A quote stored alone had no vector; when another report of it comes in a later run, both are embedded,
    so the two are compared as they would have been had they come in together."""
    from datetime import date

    from parallax.analysis.update import comparable, with_vectors

    day = date(2026, 5, 14)
    text = "Kessholm will reopen its consulate in Brask before winter"
    known = [{"actor_id": "ekdal", "said_on": day, "wordings": [(text, 9, 5, "direct", None, 42)]}]
    pending = [{"id": 43, "actor_id": "ekdal", "said_on": day, "article_id": 7, "story_id": 5, "kind": "direct",
                "text": "Kessholm will reopen its consulate in Brask before the winter", "actor_kind": "person",
                "actor_origin": "pack", "vector": None}]
    chosen = comparable(pending, known, frozenset())
    assert [q["id"] for q in chosen] == [43, 42]
    chosen[1]["vector"] = "v"
    with_vectors(chosen)
    assert known[0]["wordings"][0] == (text, 9, 5, "direct", "v", 42)
