"""Reading the weak links and near misses that name resolution kept for review (table ``link_reviews``)."""

from __future__ import annotations

from sqlalchemy import select

from parallax.store import schema as t
from parallax.store.db import Store


def link_reviews(store: Store, below: float = 1.0) -> list[dict]:
    """Weak links (and names left unlinked that had a candidate) with a confidence under ``below``, least sure
    first, each with the article and outlet it was read in."""
    r, a = t.link_reviews, t.articles
    query = (
        select(r.c.text, r.c.actor_id, r.c.candidate_id, r.c.linked, r.c.confidence, r.c.evidence,
               r.c.article_id, a.c.source, a.c.outlet, a.c.title)
        .join(a, a.c.id == r.c.article_id)
        .where(r.c.confidence < below)
        .order_by(r.c.confidence, r.c.text, r.c.article_id)
    )
    with store.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
