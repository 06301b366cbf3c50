"""The HTML pages: each renders one template with the data from parallax.web.pages."""

from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from parallax.web import pages, params
from parallax.web.pages import Site


def router(site: Site, env: Environment) -> APIRouter:
    r = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    def render(template: str, request: Request, **data) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(request=request, **data))

    @r.get("/")
    @r.get("/stories")
    def stories(request: Request, search: Optional[str] = None, since: Optional[str] = None,
                until: Optional[str] = None, page: Optional[str] = None):
        problems: list[str] = []
        first, last = params.day(since, "since", problems), params.day(until, "until", problems)
        data = pages.stories_page(site, params.text(search), first, last, params.page(page))
        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
        return render("stories.html", request, problems=problems, base_query=query, **data)

    @r.get("/stories/{story_id}")
    def story(request: Request, story_id: int):
        return render("story.html", request, **pages.story_page(site, story_id))

    @r.get("/actors")
    def actors(request: Request):
        return render("actors.html", request, **pages.actors_page(site))

    @r.get("/actors/{actor_id}")
    def actor(request: Request, actor_id: str, page: Optional[str] = None):
        return render("actor.html", request, **pages.actor_page(site, actor_id, params.page(page)))

    @r.get("/statements/{statement_id}")
    def statement(request: Request, statement_id: int):
        return render("statement.html", request, **pages.statement_page(site, statement_id))

    @r.get("/quotes")
    def quotes(request: Request, page: Optional[str] = None):
        filters, problems = params.quote_filters(site, dict(request.query_params))
        data = pages.quotes_page(site, filters, params.page(page))
        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
        return render("quotes.html", request, problems=problems, raw=dict(request.query_params),
                      base_query=query, **data)

    @r.get("/articles/{article_id}")
    def article(request: Request, article_id: int):
        return render("article.html", request, **pages.article_page(site, article_id))

    @r.get("/outlets/{name:path}")
    def outlet(request: Request, name: str):
        return render("outlet.html", request, **pages.outlet_page(site, name))

    @r.get("/api/docs")
    def api_docs(request: Request):
        return render("api_docs.html", request, spec=request.app.openapi())

    return r
