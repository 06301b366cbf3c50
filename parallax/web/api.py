"""The JSON API under /api: the same data as the pages, plus CSV downloads of the lists."""

from __future__ import annotations

from enum import Enum
from typing import Optional

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from parallax.store import web_read
from parallax.web import pages, params
from parallax.web.pages import Site

QUOTE_FIELDS = ["id", "said_on", "published", "actor_id", "actor_name", "speaker_text", "outlet", "camp", "kind",
                "cue", "text", "statement_id", "article_id", "article_title"]
STORY_FIELDS = ["id", "title", "first_date", "last_date", "articles", "camps"]
DOWNLOAD = 10_000


class ListFormat(str, Enum):
    json = "json"
    csv = "csv"


def _json(data) -> JSONResponse:
    return JSONResponse(params.plain(data))


def _csv(rows: list[dict], fields: list[str], name: str) -> Response:
    return Response(
        params.to_csv(rows, fields),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}.csv"'},
    )


def router(site: Site) -> APIRouter:
    r = APIRouter(prefix="/api", tags=["api"])

    @r.get("/stories", summary="Stories, largest first, with coverage by camp")
    def stories(
        search: Optional[str] = Query(None, description="Words in the story title."),
        since: Optional[str] = Query(None, description="Stories still running on or after this day (YYYY-MM-DD)."),
        until: Optional[str] = Query(None, description="Stories begun on or before this day."),
        page: Optional[str] = Query(None, description="Page number (50 stories a page)."),
        format: ListFormat = Query(ListFormat.json, description="json, or csv to download every match."),
    ):
        problems: list[str] = []
        first, last = params.day(since, "since", problems), params.day(until, "until", problems)
        if format is ListFormat.csv:
            rows, _total = web_read.stories(site.store, search=params.text(search), since=first, until=last,
                                                  limit=DOWNLOAD)
            for row in pages.stories_with_camps(site, rows):
                row["camps"] = "; ".join(f"{c}: {n}" for c, n in sorted(row["camps"].items()))
            return _csv(rows, STORY_FIELDS, "stories")
        data = pages.stories_page(site, params.text(search), first, last, params.page(page))
        data.pop("colours", None)
        for row in data["stories"]:
            row.pop("bar", None)
        return _json({**data, "problems": problems})

    @r.get("/stories/{story_id}", summary="The briefing of one story, with statement ids")
    def story(story_id: int):
        data = pages.story_page(site, story_id)
        links = [
            {"actor_id": actor_id, "index": i, "statement_id": sid} for (actor_id, i), sid in data["statement_of"].items()
        ]
        return _json({"briefing": data["b"], "statement_links": links})

    @r.get("/actors", summary="The most mentioned actors")
    def actors():
        return _json(pages.actors_page(site))

    @r.get("/actors/{actor_id}", summary="One actor: spellings, outlets quoting them, statements over time")
    def actor(actor_id: str, page: Optional[str] = Query(None, description="Page of statements (50 a page).")):
        data = pages.actor_page(site, actor_id, params.page(page))
        data.pop("colours", None)
        return _json(data)

    @r.get("/statements/{statement_id}", summary="One statement and every quote reporting it")
    def statement(statement_id: int):
        data = pages.statement_page(site, statement_id)
        data.pop("colours", None)
        return _json(data)

    @r.get("/quotes", summary="Quotes matching every filter, newest first")
    def quotes(
        text: Optional[str] = Query(None, description='Words in the quote (a word also finds words it begins, from 3 letters); "a phrase" in double quotes; case-insensitive.'),
        speaker: Optional[str] = Query(None, description="Actor id or name."),
        outlet: Optional[str] = Query(None, description="Outlet name."),
        camp: Optional[str] = Query(None, description="Camp id."),
        kind: Optional[str] = Query(None, description="direct, mixed or indirect."),
        since: Optional[str] = Query(None, description="First day (YYYY-MM-DD)."),
        until: Optional[str] = Query(None, description="Last day (YYYY-MM-DD)."),
        page: Optional[str] = Query(None, description="Page number (50 quotes a page)."),
        format: ListFormat = Query(ListFormat.json, description="json, or csv to download every match."),
    ):
        raw = {"text": text, "speaker": speaker, "outlet": outlet, "camp": camp, "kind": kind, "since": since,
               "until": until}
        filters, problems = params.quote_filters(site, raw)
        if format is ListFormat.csv:
            data = pages.quotes_page(site, filters, 1, limit=DOWNLOAD)
            return _csv(data["quotes"], QUOTE_FIELDS, "quotes")
        data = pages.quotes_page(site, filters, params.page(page))
        return _json({**data, "problems": problems})

    @r.get("/articles/{article_id}", summary="One article: cleaned text, quotes, names and copies")
    def article(article_id: int):
        data = pages.article_page(site, article_id)
        return _json({"article": data["article"], "camp": data["camp"]})

    @r.get("/outlets/{name:path}", summary="One outlet: camp, volume, spelling and framing profile")
    def outlet(name: str):
        data = pages.outlet_page(site, name)
        data.pop("colour", None)
        return _json(data)

    return r
