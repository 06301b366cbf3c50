"""What naming a story's sides needs from the store: each resolved name with a few words either side (enough to
tell "talks in Istanbul" from "Istanbul said"), by article, with the story each article is in."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, select

from parallax.store import schema as t
from parallax.store.db import Store

CHUNK = 900  # article ids per query: far below any database's limit on bound parameters


def mention_windows(
    store: Store, article_ids: list[int] | None, width: int
) -> dict[int, tuple[int | None, list[tuple[str, str, str]]]]:
    """article id -> (story id, [(actor id, ``width`` characters before the name, ``width`` after)]), for the
    given articles or, with None, every article in a story."""
    m, a = t.mentions, t.articles
    low = case((m.c.start > width, m.c.start - width), else_=0)
    query = (
        select(m.c.article_id, a.c.story_id, m.c.actor_id,
               func.substr(a.c.text, low + 1, m.c.start - low).label("before"),
               func.substr(a.c.text, m.c.end + 1, width).label("after"))
        .join(a, a.c.id == m.c.article_id)
        .where(m.c.actor_id.is_not(None))
        .order_by(m.c.article_id, m.c.start)
    )
    found: dict[int, tuple[int | None, list]] = {}
    batches = [None] if article_ids is None else [article_ids[i:i + CHUNK] for i in range(0, len(article_ids), CHUNK)]
    with store.engine.connect() as conn:
        for batch in batches:
            where = a.c.story_id.is_not(None) if batch is None else m.c.article_id.in_(batch)
            for row in conn.execute(query.where(where)):
                found.setdefault(row.article_id, (row.story_id, []))[1].append((row.actor_id, row.before or "",
                                                                                 row.after or ""))
    return found


def story_sizes(store: Store) -> dict[int, int]:
    """Articles per story."""
    sizes: dict[int, int] = defaultdict(int)
    query = select(t.articles.c.story_id, func.count()).where(t.articles.c.story_id.is_not(None)) \
        .group_by(t.articles.c.story_id)
    with store.engine.connect() as conn:
        for story_id, n in conn.execute(query):
            sizes[story_id] = n
    return dict(sizes)
