"""A story's next event weeks later against another event of the same topic (issue 12): a continuation must carry
the story's names, not just its topic words. And the stories of one day's articles, whatever order they were
stored in (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest

from parallax.analysis import stories
from parallax.analysis.stories import StoryState, article_vector, continues
from parallax.analysis.update import update_stories
from parallax.model import Article
from parallax.nlp.embeddings import article_embeddings
from parallax.store import read
from parallax.store.db import ArticleBundle, Store

# Talks between two invented countries at an invented venue, their second round three weeks later, and within
# days of the first round another event of the same topic (talks, a ceasefire) with parties of its own.
FIRST_ROUND = (
    "Velmora and Ostrana open ceasefire talks in Tarsk",
    "Delegations of Velmora and Ostrana met in Tarsk on Monday for the first round of ceasefire talks hosted by "
    "Lorvania. Velmoran envoy Aldo Fensk said the talks in Tarsk were businesslike, and Ostranan negotiator Mira "
    "Dovay said Ostrana wanted a ceasefire along the Savra river before any talks on prisoners.",
)
FIRST_ROUND_AGAIN = (
    "Ceasefire talks between Velmora and Ostrana begin in Tarsk",
    "The first round of ceasefire talks between Velmora and Ostrana began in Tarsk on Monday, with Lorvania as "
    "host. Aldo Fensk, for Velmora, called the talks businesslike; Mira Dovay said Ostrana wants a ceasefire on "
    "the Savra river line first.",
)
SECOND_ROUND = (
    "Velmora and Ostrana resume ceasefire talks in Tarsk for a second round",
    "Velmora and Ostrana resumed ceasefire talks in Tarsk on Tuesday, three weeks after the first round. Aldo "
    "Fensk said Velmora would discuss a prisoner exchange, and Mira Dovay said Ostrana still wanted the ceasefire "
    "line on the Savra river settled first. Lorvania hosts the talks.",
)
OTHER_TALKS = (
    "Ostrana and Quessia open ceasefire talks in Morvik over Savra river clashes, with Lorvania as host",
    "Delegations of Ostrana and Quessia met in Morvik on Saturday for ceasefire talks hosted by Lorvania after "
    "clashes on the upper Savra river. Quessian foreign minister Tadeo Wrenn said the talks in Morvik were a start, "
    "and Ostranan general Ivo Marek said a ceasefire must come before any talks on prisoners.",
)


def _story(*articles: tuple[str, str]) -> StoryState:
    story = StoryState(None, articles[0][0], date(2026, 3, 2), date(2026, 3, 2))
    for title, text in articles:
        story.add(article_vector(title, text), date(2026, 3, 2))
    return story


def test_the_next_round_carries_the_story_s_names_and_another_event_of_the_topic_does_not():
    story = _story(FIRST_ROUND, FIRST_ROUND_AGAIN)
    assert continues(article_vector(*SECOND_ROUND), story)
    assert not continues(article_vector(*OTHER_TALKS), story)


def test_an_article_that_names_nobody_continues_nothing():
    story = _story(FIRST_ROUND, FIRST_ROUND_AGAIN)
    assert not continues(article_vector("talks resume", "the talks resumed on tuesday after a pause."), story)


def _bundle(source: str, title: str, text: str, published: date, embedding: bytes | None) -> ArticleBundle:
    article = Article(source=source, part=0, title=title, text=text, outlet=None, published=published,
                      language="en", published_via="metadata")
    return ArticleBundle(article=article, fingerprint="fp-" + source, signature=(1, 2, 3), bands=(),
                         mentions=(), quotes=(), new_actors=(), new_aliases=(), embedding=embedding)


@pytest.fixture(scope="module")
def vectors():
    return article_embeddings([FIRST_ROUND, FIRST_ROUND_AGAIN, SECOND_ROUND, OTHER_TALKS])


def _cluster(tmp_path, vectors) -> dict[str, int]:
    """The first round in one run; another event of the topic 5 days later and the second round 3 weeks later in
    the next (the story's names are counted again from the stored articles)."""
    store = Store.open(str(tmp_path / "rounds.db"))
    store.save_article(_bundle("first.txt", *FIRST_ROUND, date(2026, 3, 2), vectors[0]))
    store.save_article(_bundle("first-again.txt", *FIRST_ROUND_AGAIN, date(2026, 3, 2), vectors[1]))
    update_stories(store)
    store.save_article(_bundle("other.txt", *OTHER_TALKS, date(2026, 3, 7), vectors[3]))
    store.save_article(_bundle("second.txt", *SECOND_ROUND, date(2026, 3, 24), vectors[2]))
    update_stories(store)
    found = {row["source"]: row["story_id"] for row in read.articles(store)}
    store.close()
    return found


def test_a_second_round_weeks_later_continues_the_story_and_other_talks_days_later_do_not(tmp_path, vectors):
    found = _cluster(tmp_path, vectors)
    assert found["first.txt"] == found["first-again.txt"] == found["second.txt"]
    assert found["other.txt"] != found["first.txt"]


def test_by_topic_words_alone_the_other_talks_would_have_continued_the_story(tmp_path, vectors, monkeypatch):
    """What the names decide: with the old rule (topic words only) the other talks join the first round's story."""
    monkeypatch.setattr(stories, "CONTINUATION_NAMES", 0.0)
    monkeypatch.setattr(stories, "CONTINUATION_DEFINING", 0.0)
    found = _cluster(tmp_path, vectors)
    assert found["other.txt"] == found["first.txt"]


# A report that bridges the talks and a grain convoy of the same day: clustered after both, it joins one of them;
# clustered first, it pulls both into its story.
GRAIN = (
    "Grain convoy from Ostrana reaches Morvik harbour through the Savra corridor",
    "A convoy of forty grain lorries from Ostrana reached Morvik harbour on Monday through the Savra corridor. "
    "Harbour master Edda Lunn said the grain would be shipped to Quessia within a week, and the Morvik port "
    "authority said the corridor would stay open for convoys while the harvest lasts.",
)
BRIDGE = (
    "Ostrana opens Savra grain corridor to Morvik as ceasefire talks begin in Tarsk",
    "On the day Velmora and Ostrana opened ceasefire talks in Tarsk, Ostrana let a grain convoy through the Savra "
    "corridor to Morvik harbour. Harbour master Edda Lunn said the grain lorries arrived on Monday; envoy Aldo "
    "Fensk said in Tarsk that the talks were businesslike.",
)


SAME_DAY = {"a.txt": FIRST_ROUND, "b.txt": BRIDGE, "c.txt": GRAIN}


def _stories_stored_in(tmp_path, order: str, embeddings: dict[str, bytes]) -> set[frozenset[str]]:
    store = Store.open(str(tmp_path / f"{order}.db"))
    for source in order.split(","):
        store.save_article(_bundle(source, *SAME_DAY[source], date(2026, 3, 2), embeddings[source]))
    update_stories(store)
    members: dict[int, set[str]] = {}
    for row in read.articles(store):
        members.setdefault(row["story_id"], set()).add(row["source"])
    store.close()
    return {frozenset(found) for found in members.values()}


def test_the_stories_of_one_day_do_not_depend_on_the_order_its_articles_were_stored_in(tmp_path):
    """Articles that failed and were stored by a later run (a Ray run stored its failed articles last) leave input
    order: the same articles must give the same stories as a local ingest that stored them in input order."""
    embeddings = dict(zip(SAME_DAY, article_embeddings(list(SAME_DAY.values()))))
    in_input_order = _stories_stored_in(tmp_path, "a.txt,b.txt,c.txt", embeddings)
    assert _stories_stored_in(tmp_path, "c.txt,a.txt,b.txt", embeddings) == in_input_order
    assert _stories_stored_in(tmp_path, "a.txt,c.txt,b.txt", embeddings) == in_input_order
