"""Read queries behind the web pages and the JSON API. Rows come out as plain dicts.

Every list query takes a limit and returns the total beside the page, so no page ever loads a whole table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlalchemy import String, and_, cast, func, or_, select

from parallax.store import fulltext, read
from parallax.store import schema as t
from parallax.store.db import Store, chunks

MAX_PAGE = 10_000  # downloads take up to this many rows; pages ask for fewer


def dict_rows(conn, query) -> list[dict]:
    return [dict(row._mapping) for row in conn.execute(query)]


def like_pattern(text: str) -> str:
    """A LIKE pattern matching the text anywhere, with the user's own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_PAGE)), max(0, int(offset))


# -- stories ---------------------------------------------------------------------------------------


def stories(
    store: Store,
    *,
    search: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict], int]:
    """Stories with their article counts, largest first, and how many match in all.

    A date filter keeps the stories whose span overlaps the days asked for.
    """
    limit, offset = _page(limit, offset)
    s, a = t.stories, t.articles
    size = (
        select(a.c.story_id, func.count().label("articles"))
        .where(a.c.story_id.is_not(None))
        .group_by(a.c.story_id)
        .subquery()
    )
    conditions = []
    if search:
        conditions.append(func.lower(s.c.title).like(like_pattern(search), escape="\\"))
    if since is not None:
        conditions.append(or_(s.c.last_date >= since, s.c.last_date.is_(None)))
    if until is not None:
        conditions.append(or_(s.c.first_date <= until, s.c.first_date.is_(None)))
    where = and_(*conditions) if conditions else and_(True)
    query = (
        select(s.c.id, s.c.title, s.c.first_date, s.c.last_date, func.coalesce(size.c.articles, 0).label("articles"))
        .outerjoin(size, size.c.story_id == s.c.id)
        .where(where)
        .order_by(func.coalesce(size.c.articles, 0).desc(), s.c.id)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        rows = dict_rows(conn, query)
        total = conn.execute(select(func.count()).select_from(s).where(where)).scalar() or 0
    return rows, total


def story_outlets(store: Store, story_ids: list[int]) -> dict[int, dict[str, int]]:
    """Articles per credited outlet (copies included) for some stories: the input of the coverage bars."""
    if not story_ids:
        return {}
    a, c = t.articles, t.copies
    found: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    own = select(a.c.story_id, a.c.outlet, func.count()).where(a.c.story_id.in_(story_ids)).group_by(a.c.story_id, a.c.outlet)
    copied = (
        select(a.c.story_id, c.c.outlet, func.count())
        .join(a, a.c.id == c.c.article_id)
        .where(a.c.story_id.in_(story_ids))
        .group_by(a.c.story_id, c.c.outlet)
    )
    with store.engine.connect() as conn:
        for query in (own, copied):
            for story_id, outlet, n in conn.execute(query):
                found[story_id][outlet or ""] += n
    return {k: dict(v) for k, v in found.items()}


def statement_ids(store: Store, story_id: int) -> dict[tuple[str, str], int]:
    """(actor id, wording) -> statement id, for the quotes of one story: links from a briefing's statements."""
    q, a = t.quotes, t.articles
    query = (
        select(q.c.actor_id, q.c.text, q.c.statement_id)
        .join(a, a.c.id == q.c.article_id)
        .where(a.c.story_id == story_id, q.c.statement_id.is_not(None))
    )
    with store.engine.connect() as conn:
        return {(actor, text): sid for actor, text, sid in conn.execute(query)}


# -- actors and statements -------------------------------------------------------------------------


def copy_outlets(store: Store, article_ids: list[int]) -> dict[int, list[str]]:
    """The outlets that carried a stored copy of each article."""
    found: dict[int, list[str]] = defaultdict(list)
    if not article_ids:
        return found
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(set(article_ids))):
            query = select(t.copies.c.article_id, t.copies.c.outlet).where(t.copies.c.article_id.in_(chunk))
            for article_id, outlet in conn.execute(query.order_by(t.copies.c.id)):
                found[article_id].append(outlet or "")
    return found


def statement(store: Store, statement_id: int) -> dict | None:
    """One statement with every quote that reports it (outlet, date, article)."""
    s, q, a = t.statements, t.quotes, t.articles
    with store.engine.connect() as conn:
        found = dict_rows(
            conn,
            select(s, t.actors.c.name.label("actor_name"))
            .outerjoin(t.actors, t.actors.c.id == s.c.actor_id)
            .where(s.c.id == statement_id),
        )
        if not found:
            return None
        row = found[0]
        row["quotes"] = dict_rows(
            conn,
            select(
                q.c.id, q.c.article_id, q.c.text, q.c.kind, q.c.cue, q.c.said_on, q.c.speaker_text,
                a.c.outlet, a.c.published, a.c.title.label("article_title"), a.c.story_id,
            )
            .join(a, a.c.id == q.c.article_id)
            .where(q.c.statement_id == statement_id)
            .order_by(a.c.published, q.c.id),
        )
    return row


# -- quotes ----------------------------------------------------------------------------------------


def search_quotes(
    store: Store,
    *,
    text: str | None = None,
    actor_id: str | None = None,
    outlets: list[str] | None = None,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict], int]:
    """Quotes matching every filter given, newest first, and how many match in all.

    `text` is a full-text search of the wording (parallax.store.fulltext: words, prefixes, "phrases");
    `outlets` is a list of credited names (a camp is passed as the outlets in it).
    """
    limit, offset = _page(limit, offset)
    q, a = t.quotes, t.articles
    conditions = read.quote_filters(actor_id=actor_id or None, kind=kind or None, since=since, until=until)
    if outlets is not None:
        conditions.append(func.lower(a.c.outlet).in_([o.lower() for o in outlets] or [""]))
    day = read.quote_day()
    with store.engine.connect() as conn:
        if text:
            conditions.append(fulltext.matches(conn, text))
        where = and_(*conditions) if conditions else and_(True)
        query = (
            select(
                q.c.id, q.c.article_id, q.c.text, q.c.kind, q.c.cue, q.c.said_on, q.c.actor_id, q.c.speaker_text,
                q.c.statement_id, q.c.form, q.c.speaker_via, q.c.speaker_confidence, a.c.outlet, a.c.published,
                a.c.title.label("article_title"), t.actors.c.name.label("actor_name"),
            )
            .join(a, a.c.id == q.c.article_id)
            .outerjoin(t.actors, t.actors.c.id == q.c.actor_id)
            .where(where)
            .order_by(day.desc(), q.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        counted = select(func.count()).select_from(q.join(a, a.c.id == q.c.article_id)).where(where)
        return dict_rows(conn, query), conn.execute(counted).scalar() or 0


# -- articles --------------------------------------------------------------------------------------


def article(store: Store, article_id: int) -> dict | None:
    """One article with its quotes, resolved and unresolved names, and copies."""
    a, q, m = t.articles, t.quotes, t.mentions
    with store.engine.connect() as conn:
        found = dict_rows(
            conn,
            select(a.c.id, a.c.source, a.c.part, a.c.outlet, a.c.title, a.c.published, a.c.language, a.c.url,
                   a.c.text, a.c.story_id).where(a.c.id == article_id),
        )
        if not found:
            return None
        row = found[0]
        row["quotes"] = dict_rows(
            conn,
            select(q.c.id, q.c.start, q.c.end, q.c.text, q.c.kind, q.c.cue, q.c.said_on, q.c.speaker_text,
                   q.c.speaker_start, q.c.speaker_end, q.c.actor_id, q.c.statement_id, q.c.in_title, q.c.form,
                   q.c.speaker_via, q.c.speaker_confidence, t.actors.c.name.label("actor_name"))
            .outerjoin(t.actors, t.actors.c.id == q.c.actor_id)
            .where(q.c.article_id == article_id)
            .order_by(q.c.start),
        )
        row["mentions"] = dict_rows(
            conn,
            select(m.c.start, m.c.end, m.c.text, m.c.actor_id, t.actors.c.name.label("actor_name"))
            .outerjoin(t.actors, t.actors.c.id == m.c.actor_id)
            .where(m.c.article_id == article_id)
            .order_by(m.c.start),
        )
        row["copies"] = dict_rows(
            conn,
            select(t.copies.c.source, t.copies.c.outlet, t.copies.c.published, t.copies.c.similarity)
            .where(t.copies.c.article_id == article_id)
            .order_by(t.copies.c.id),
        )
    return row


# -- outlets ---------------------------------------------------------------------------------------


def outlet_volume(store: Store, outlet: str) -> dict:
    """Articles (own and copies) by month, quote counts by kind, and the actors it quotes most."""
    a, c, q = t.articles, t.copies, t.quotes
    name = outlet.lower()
    month = func.substr(cast(a.c.published, String), 1, 7)
    with store.engine.connect() as conn:
        months = {
            m: n
            for m, n in conn.execute(
                select(month, func.count()).where(func.lower(a.c.outlet) == name).group_by(month).order_by(month)
            )
        }
        articles = sum(months.values())
        copies = conn.execute(select(func.count()).select_from(c).where(func.lower(c.c.outlet) == name)).scalar()
        kinds = dict(
            conn.execute(
                select(q.c.kind, func.count()).join(a, a.c.id == q.c.article_id)
                .where(func.lower(a.c.outlet) == name).group_by(q.c.kind)
            ).all()
        )
        speakers = dict_rows(
            conn,
            select(q.c.actor_id, t.actors.c.name, func.count().label("quotes"))
            .join(a, a.c.id == q.c.article_id)
            .join(t.actors, t.actors.c.id == q.c.actor_id)
            .where(func.lower(a.c.outlet) == name)
            .group_by(q.c.actor_id, t.actors.c.name)
            .order_by(func.count().desc(), t.actors.c.name)
            .limit(15),
        )
        languages = dict(
            conn.execute(select(a.c.language, func.count()).where(func.lower(a.c.outlet) == name).group_by(a.c.language)).all()
        )
    return {
        "articles": articles,
        "copies": copies or 0,
        "months": [(m or "undated", n) for m, n in months.items()],
        "quote_kinds": kinds,
        "speakers": speakers,
        "languages": languages,
    }


def outlet_articles(store: Store, outlet: str, *, limit: int = 50, offset: int = 0, with_text: bool = False) -> list[dict]:
    """The outlet's latest articles (text only when asked: the framing profile reads it)."""
    limit, offset = _page(limit, offset)
    a = t.articles
    columns = [a.c.id, a.c.title, a.c.published, a.c.language, a.c.story_id] + ([a.c.text] if with_text else [])
    query = (
        select(*columns)
        .where(func.lower(a.c.outlet) == outlet.lower())
        .order_by(a.c.published.desc(), a.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        return dict_rows(conn, query)


def outlet_mentions(store: Store, article_ids: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    """(start, end, actor_id) of the resolved names in some articles (chunked for SQLite's parameter cap)."""
    found: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    m = t.mentions
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(set(article_ids))):
            query = (
                select(m.c.article_id, m.c.start, m.c.end, m.c.actor_id)
                .where(m.c.actor_id.is_not(None), m.c.article_id.in_(chunk))
                .order_by(m.c.article_id, m.c.start)
            )
            for article_id, start, end, actor_id in conn.execute(query):
                found[article_id].append((start, end, actor_id))
    return dict(found)


def quoted_spans(store: Store, article_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    q = t.quotes
    with store.engine.connect() as conn:
        for chunk in chunks(sorted(set(article_ids))):
            for article_id, start, end in conn.execute(select(q.c.article_id, q.c.start, q.c.end).where(q.c.article_id.in_(chunk), q.c.in_title.is_(False))):
                found[article_id].append((start, end))
    return dict(found)


def data_version(store: Store) -> tuple:
    """Changes whenever an ingest, a correction or a camp edit changed what pages show: the key of page caches.

    Only primary-key maxima and tiny tables: a scan of the articles table would cost more than the cache saves.
    """
    with store.engine.connect() as conn:
        maxima = conn.execute(
            select(
                select(func.max(t.articles.c.id)).scalar_subquery(),
                select(func.max(t.stories.c.id)).scalar_subquery(),
                select(func.max(t.statements.c.id)).scalar_subquery(),
                select(func.max(t.quotes.c.id)).scalar_subquery(),
                select(func.max(t.copies.c.id)).scalar_subquery(),
                select(func.max(t.corrections.c.id)).scalar_subquery(),
            )
        ).one()
        # Camps are few; their rules are compared whole, since an edit may change only the rule.
        camps = conn.execute(select(t.camps).order_by(t.camps.c.id)).all()
        story_camps = conn.execute(select(t.story_camps).order_by(t.story_camps.c.story_id, t.story_camps.c.id)).all()
        outlets = conn.execute(select(func.count()).select_from(t.outlets)).scalar()
    rules = tuple(json.dumps(list(row), sort_keys=True, default=str) for row in (*camps, *story_camps))
    return (*maxima, rules, outlets)
