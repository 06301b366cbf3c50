"""Bring the derived layer up to date after an ingest: new articles into stories, new quotes into
statements. Only what is new is processed; each article's story assignment is its own transaction, so an
interruption here is simply resumed by the next run."""

from __future__ import annotations

from dataclasses import dataclass

from parallax.analysis.statements import StatementIndex, StatementState
from parallax.analysis.stories import (
    DocumentFrequencies,
    StoryIndex,
    StoryState,
    article_vector,
    place,
)
from parallax.analysis.stories import terms as content_terms
from parallax.store import derived
from parallax.store.db import Store


@dataclass(frozen=True)
class UpdateSummary:
    articles_clustered: int
    stories_opened: int
    quotes_placed: int


def update(store: Store) -> UpdateSummary:
    clustered, opened = update_stories(store)
    placed = update_statements(store)
    return UpdateSummary(clustered, opened, placed)


def update_stories(store: Store) -> tuple[int, int]:
    pending = derived.unclustered_articles(store)
    if not pending:
        return 0, 0
    freqs = DocumentFrequencies()
    for vector in derived.article_vectors(store):
        freqs.add(vector)
    states = {}
    for row in derived.story_rows(store):
        states[row["id"]] = StoryState(
            row["id"],
            row["title"],
            row["first_date"],
            row["last_date"],
            dict(row["centroid"]),
            row["size"],
            row["title_score"],
        )
    index = StoryIndex(list(states.values()), freqs)
    opened = 0
    for article in pending:
        vector = article_vector(article["title"], article["text"], article["actor_ids"])
        story, new = place(index, article["title"], vector, article["published"])
        opened += new
        story.id = derived.save_story_assignment(
            store,
            article["id"],
            vector,
            {
                "id": story.id,
                "title": story.title,
                "first_date": story.first_date,
                "last_date": story.last_date,
                "centroid": story.centroid,
                "size": story.size,
                "title_score": story.title_score,
            },
        )
    return len(pending), opened


def update_statements(store: Store) -> int:
    pending = derived.unplaced_quotes(store)
    if not pending:
        return 0
    known = []
    rows = {}
    for row in derived.statement_rows(store):
        state = StatementState(row["id"], row["actor_id"], row["said_on"], row["text"])
        for text in row["texts"]:
            state.texts.append(text)
            state.wordings.append(frozenset(content_terms(text)))
        known.append(state)
        rows[id(state)] = row
    index = StatementIndex(known)
    placements = []
    for quote in pending:
        state, _new = index.place(quote["actor_id"], quote["text"], quote["said_on"])
        row = rows.setdefault(
            id(state), {"id": None, "actor_id": state.actor_id, "said_on": state.said_on, "text": state.text}
        )
        placements.append((quote["id"], row))
    derived.place_quotes(store, placements)
    return len(pending)
