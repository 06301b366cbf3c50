"""How a quote's credit reaches the reader: group speakers, how each was resolved and how sure, the form of the
report, and indirect speech never dressed as a quotation (export, briefing, web pages)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date

import pytest
from fastapi.testclient import TestClient

from parallax.analysis.camps import OutletDirectory
from parallax.analysis.update import update
from parallax.knowledge.names import alias_key
from parallax.model import Actor, Article, Quote, Speaker
from parallax.report.briefing import build_briefing
from parallax.report.export import write_json
from parallax.report.render import to_html, to_markdown
from parallax.store.db import ArticleBundle, ResolvedQuote, Store
from parallax.web.app import create_app

TEXT = ("Ilvana Brask and Tomas Reld met in Kessholm on Monday. Both said the corridor would open on Saturday. "
        "\"We are ready,\" he said. Brask also discussed the prisoner lists.")


def _quote(text: str, kind: str, speaker: Speaker, form: str = "statement") -> Quote:
    start = TEXT.index(text)
    return Quote(start=start, end=start + len(text), text=text, kind=kind, cue="said", speaker=speaker,
                 said_on=date(2026, 3, 2), form=form)


@pytest.fixture()
def store(tmp_path):
    store = Store.open(str(tmp_path / "credits.db"))
    article = Article(source="talks.txt", part=0, title="Talks in Kessholm", text=TEXT, outlet="Valdoria Today",
                      published=date(2026, 3, 2), language="en")
    both = Speaker("Both", TEXT.index("Both"), TEXT.index("Both") + 4, 0, members=(0, 1), via="group", confidence=0.9)
    pronoun = Speaker("he", TEXT.index("he said"), TEXT.index("he said") + 2, 1, via="pronoun", confidence=0.4)
    named = Speaker("Brask", TEXT.index("Brask also"), TEXT.index("Brask also") + 5, 0, via="surname", confidence=0.9)
    quotes = (
        ResolvedQuote(_quote("the corridor would open on Saturday", "indirect", both), "brask", ("brask", "reld"),
                      "group", 0.9),
        ResolvedQuote(_quote("We are ready,", "direct", pronoun), "reld", ("reld",), "pronoun", 0.4),
        ResolvedQuote(_quote("the prisoner lists", "indirect", named, form="topic"), "brask", ("brask",), "surname",
                      0.9),
    )
    people = (("brask", "Ilvana Brask"), ("reld", "Tomas Reld"))
    store.save_article(ArticleBundle(
        article=article, fingerprint="fp", signature=(1, 2, 3), bands=("b1",),
        mentions=((0, 12, "Ilvana Brask", "brask"), (17, 27, "Tomas Reld", "reld")), quotes=quotes,
        new_actors=tuple(Actor(id=i, name=n, kind="person") for i, n in people),
        new_aliases=tuple((i, n, alias_key(n)) for i, n in people),
    ))
    update(store)
    yield store
    store.close()


def test_export_carries_members_via_confidence_and_form(store):
    out = io.StringIO()
    write_json(store, OutletDirectory((), ()), out)
    quotes = {q["text"]: q for q in json.loads(out.getvalue())["quotes"]}
    group = quotes["the corridor would open on Saturday"]
    assert group["speaker"]["actor_id"] == "brask" and group["speaker"]["actor_ids"] == ["brask", "reld"]
    assert group["speaker"]["via"] == "group" and group["form"] == "statement"
    assert quotes["We are ready,"]["speaker"]["confidence"] == pytest.approx(0.4)
    assert quotes["the prisoner lists"]["form"] == "topic"


def test_briefing_credits_each_member_marks_unsure_credits_and_lists_topics_apart(store):
    briefing = build_briefing(store, OutletDirectory((), ()))
    by_name = {s.name: s for s in briefing.speakers}
    said = lambda s: [w.text for st in s.statements for w in st.wordings]  # noqa: E731
    # the group's words are in both members' records
    assert "the corridor would open on Saturday" in said(by_name["Ilvana Brask"])
    assert "the corridor would open on Saturday" in said(by_name["Tomas Reld"])
    # a topic is not a key statement; it is listed apart
    assert "the prisoner lists" not in said(by_name["Ilvana Brask"])
    assert [w.text for w in by_name["Ilvana Brask"].topics] == ["the prisoner lists"]
    markdown = to_markdown(briefing)
    assert "credit uncertain: pronoun, 0.40" in markdown
    assert "Also spoke about: the prisoner lists" in markdown
    html = to_html(briefing)
    assert "credit uncertain (pronoun, 0.40)" in html and "Also spoke about" in html
    for page in (markdown, html):
        assert "“We are ready,”" in page  # a direct quote keeps its marks
        assert "“the corridor" not in page  # indirect speech never does


def test_web_pages_mark_unsure_credits_and_print_indirect_speech_bare(store, tmp_path):
    client = TestClient(create_app(str(tmp_path / "credits.db")))
    article = client.get("/articles/1").text
    assert "credit uncertain (pronoun, 0.40)" in article
    assert "“the corridor" not in article and "“We are ready,”" in article
    story = client.get("/stories/1").text
    assert "credit uncertain (pronoun, 0.40)" in story and "Also spoke about" in story
    quotes = client.get("/quotes").text
    assert "credit uncertain" in quotes and "“the prisoner lists”" not in quotes
    found = client.get("/api/quotes").json()["quotes"]
    assert {q["form"] for q in found} == {"statement", "topic"}


def test_every_exported_quote_of_the_sample_corpus_has_the_wave_2_fields(tmp_path, sample_corpus):
    from tests.conftest import EXAMPLES

    db = tmp_path / "sample.db"

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *args], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("ingest", str(sample_corpus), "--pack", str(EXAMPLES / "pack"), "-q")
    exported = json.loads(run("export", "--format", "json"))
    for q in exported["quotes"]:
        assert q["form"] in ("statement", "stance", "topic")
        speaker = q["speaker"]
        assert {"actor_ids", "via", "confidence"} <= set(speaker)
        if speaker["actor_id"]:
            assert speaker["actor_ids"][0] == speaker["actor_id"]
            assert 0 < speaker["confidence"] <= 1
        else:
            assert speaker["actor_ids"] == []
    indirect = [q["text"] for q in exported["quotes"] if q["kind"] == "indirect"]
    brief = run("brief")
    assert indirect and not any(f"“{text}”" in brief for text in indirect)
    assert not re.search(r"“[^”]*\(indirect\)", brief)
