"""Stories within reach (issue 14): a dated article competes only among the stories it could join in time, so
years of older stories sharing its words do not crowd out its own event's; and an update of dated articles loads
only the stories near their days, yet places every article as a load of every story would."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from parallax.analysis import update as analysis
from parallax.analysis.stories import DocumentFrequencies, StoryIndex, StoryState, article_vector, place
from parallax.model import Article
from parallax.nlp.embeddings import article_embeddings, from_bytes
from parallax.store import read
from parallax.store.db import ArticleBundle, Store

# An invented yearly summit: every year's report uses the same words, and this year's first report came out the
# day before the wire's.
SUMMIT = (
    "Velmora and Ostrana leaders meet at the Tarsk harbour summit on fishing quotas",
    "The leaders of Velmora and Ostrana met at the Tarsk harbour summit to settle fishing quotas in the Savra "
    "estuary. Velmoran premier Aldo Fensk said the quotas for herring would stay as they were, and Ostranan "
    "president Mira Dovay said the estuary patrols would be shared.",
)
WIRE = (
    "Fensk and Dovay keep herring quotas at Tarsk summit, agree to share Savra patrols",
    "Velmoran premier Aldo Fensk and Ostranan president Mira Dovay agreed at their Tarsk harbour summit to keep "
    "herring quotas in the Savra estuary unchanged and to share the estuary patrols, officials said.",
)
# Other news of the same days, for the update test.
HARVEST = (
    "Drought in southern Lorvania cuts the wheat harvest by a third",
    "Farmers in southern Lorvania expect a wheat harvest a third smaller than last year's after 41 days without "
    "rain, the farmers' union said. Agriculture minister Karin Brekke promised aid before the harvest.",
)
CUP = (
    "Tarsk Athletic win the Continental Cup with a late header",
    "Tarsk Athletic beat Morvik United 2-1 to win the Continental Cup, with a header by Jonas Brandt in the last "
    "minute. The club's first title in 31 years was celebrated in the harbour until dawn.",
)


@pytest.fixture(scope="module")
def embeddings():
    return dict(zip(("summit", "wire", "harvest", "cup"), article_embeddings([SUMMIT, WIRE, HARVEST, CUP])))


def test_an_article_joins_its_event_when_more_older_stories_than_the_candidate_places_share_its_words(embeddings):
    """Forty-five earlier summits, each reported in this year's very words, share more of the wire's distinctive
    words than this year's first report does; they are years out of reach, so they must not take the places of the
    stories that are scored."""
    summit, wire = (from_bytes(embeddings[k]) for k in ("summit", "wire"))
    freqs = DocumentFrequencies()
    earlier = []
    for year in range(1980, 1980 + StoryIndex.MAX_CANDIDATES + 5):
        story = StoryState(None, WIRE[0], date(year, 5, 14), date(year, 5, 14))
        vector = article_vector(*WIRE)
        story.add(vector, date(year, 5, 14), embedding=wire)
        freqs.add(vector)
        earlier.append(story)
    index = StoryIndex(earlier, freqs)
    this_year, opened = place(index, SUMMIT[0], article_vector(*SUMMIT), date(2026, 5, 14), embedding=summit)
    assert opened
    found, opened = place(index, WIRE[0], article_vector(*WIRE), date(2026, 5, 15), embedding=wire)
    assert not opened and found is this_year


def _bundle(source: str, text: tuple[str, str], published: date, embedding: bytes) -> ArticleBundle:
    article = Article(source=source, part=0, title=text[0], text=text[1], outlet=None, published=published,
                      language="en", published_via="metadata")
    return ArticleBundle(article=article, fingerprint="fp-" + source, signature=(1, 2, 3), bands=(),
                         mentions=(), quotes=(), new_actors=(), new_aliases=(), embedding=embedding)


def _stories_after_update(path, embeddings, monkeypatch, whole_index: bool) -> tuple[dict[str, int], int]:
    """Earlier years' summits and other news, clustered; then this year's reports in a second update. Returns each
    article's story and how many stories the second update loaded."""
    store = Store.open(str(path))
    day = date(2026, 5, 14)
    for years_ago in (30, 20, 10, 5, 2, 1):
        then = day - timedelta(days=365 * years_ago)
        store.save_article(_bundle(f"summit-{then.year}.txt", SUMMIT, then, embeddings["summit"]))
        later = then + timedelta(days=40)
        store.save_article(_bundle(f"harvest-{then.year}.txt", HARVEST, later, embeddings["harvest"]))
    store.save_article(_bundle("cup-last-month.txt", CUP, day - timedelta(days=30), embeddings["cup"]))
    store.save_article(_bundle("summit-this-year.txt", SUMMIT, day, embeddings["summit"]))
    analysis.update_stories(store)
    loaded = []
    load = analysis._story_index

    def recorded(store_, days=None):
        index = load(store_, None if whole_index else days)
        loaded.append(len(index[0].stories))
        return index

    monkeypatch.setattr(analysis, "_story_index", recorded)
    store.save_article(_bundle("wire-this-year.txt", WIRE, day + timedelta(days=1), embeddings["wire"]))
    store.save_article(_bundle("harvest-this-year.txt", HARVEST, day + timedelta(days=2), embeddings["harvest"]))
    analysis.update_stories(store)
    monkeypatch.undo()
    found = {row["source"]: row["story_id"] for row in read.articles(store)}
    store.close()
    return found, loaded[0]


def test_an_update_of_dated_articles_loads_the_stories_near_their_days_and_places_them_as_all_would(
        tmp_path, embeddings, monkeypatch):
    near, loaded_near = _stories_after_update(tmp_path / "near.db", embeddings, monkeypatch, whole_index=False)
    whole, loaded_all = _stories_after_update(tmp_path / "all.db", embeddings, monkeypatch, whole_index=True)
    assert near == whole
    assert near["wire-this-year.txt"] == near["summit-this-year.txt"]
    assert near["harvest-this-year.txt"] != near["harvest-2025.txt"]  # (a year out of reach)
    # this year's summit and last month's cup: not the earlier years' stories
    assert loaded_near == 2 and loaded_all > 2 * loaded_near
