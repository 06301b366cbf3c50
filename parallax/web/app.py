"""The web application: `create_app(db, token)` gives a read-only FastAPI app over one Parallax database.

HTML pages (parallax.web.views) and the JSON API (parallax.web.api) are built from the same page data
(parallax.web.pages); security headers and the access token are one middleware (parallax.web.security).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.exc import DatabaseError
from starlette.exceptions import HTTPException as StarletteHTTPException

from parallax import __version__
from parallax.app import Parallax
from parallax.report.briefing import UNSURE_BELOW, as_said
from parallax.store.errors import StoreError, describe_failure
from parallax.web import api, views
from parallax.web.pages import NotFound, Site
from parallax.web.security import Guard

STATIC = Path(__file__).parent / "static"


def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("parallax.web", "templates"),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = lambda d: d.isoformat() if d else "undated"
    env.filters["said"] = as_said
    env.globals["UNSURE_BELOW"] = UNSURE_BELOW
    return env


class _App(FastAPI):
    """FastAPI with the guard outermost: Starlette puts its own error middleware (which answers 500s) outside
    every added middleware, so a guard added the usual way would leave 500 pages without security headers
    and let them through without the token check."""

    guard_token: str | None = None

    def build_middleware_stack(self):
        return Guard(super().build_middleware_stack(), token=self.guard_token)


def create_app(db: str, token: str | None = None) -> FastAPI:
    """A read-only app over the database `db` (SQLite path or SQLAlchemy URL); with a token, every request
    must carry it."""
    engine = Parallax(db)
    site = Site(engine.store)
    env = templates()

    @asynccontextmanager
    async def lifespan(_app):
        yield
        engine.close()

    app = _App(
        lifespan=lifespan,
        title="Parallax",
        version=__version__,
        description="Who said what, when, reported by whom: stories, statements, actors, quotes, articles and "
        "outlets of one Parallax database, read-only.",
        # Swagger UI and ReDoc load scripts from a CDN: the API is documented at /api/docs, server-rendered.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.site = site
    app.state.templates = env
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router(site))
    app.include_router(views.router(site, env))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return _error(request, env, 404, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, env, exc.status_code, str(exc.detail))

    async def database_failed(request: Request, exc: Exception):
        # Handled here, not raised on: the server's log gets one line naming the database and the reason.
        message, unavailable = describe_failure(db, exc)
        logging.getLogger("uvicorn.error").warning("%s %s: %s", request.method, request.url.path, message)
        return _error(request, env, 503 if unavailable else 500,
                      "the database is unavailable just now; try again later" if unavailable
                      else "the database cannot be read")

    app.add_exception_handler(StoreError, database_failed)
    app.add_exception_handler(DatabaseError, database_failed)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # Our own page instead of Starlette's plain text; the exception is still raised on to the server's log.
        return _error(request, env, 500, "the server failed to build this page")

    app.guard_token = token
    return app


def _error(request: Request, env: Environment, status: int, message: str):
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    html = env.get_template("error.html").render(status=status, message=message, request=request)
    return HTMLResponse(html, status_code=status)
