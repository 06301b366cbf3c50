"""Reading URLs against a real HTTP server on 127.0.0.1: pages, feeds, and every way a fetch fails."""

from __future__ import annotations

import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from parallax.ingest import Limits, Record, prepare, read_sources
from parallax.ingest import fetch as fetch_module
from parallax.ingest.fetch import FetchError, is_public_address
from parallax.model import ItemError

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Talks resume in Ostmark</title>
<meta property="og:site_name" content="Velgrad Herald">
<meta property="article:published_time" content="2026-03-04"></head><body><article>
<h1>Talks resume in Ostmark</h1>
<p>Negotiators from Valdoria and Korvany met in Ostmark on Wednesday for a fourth round of talks.</p>
<p>“We are ready to discuss a ceasefire,” Foreign Minister Anton Brisk told reporters after the session.</p>
<p>Korvanian officials said they would answer the proposal by the end of the week.</p>
</article></body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Northern Wire</title>
<entry><title>Brisk arrives in Ostmark</title><link href="https://wire.example/a"/><updated>2026-03-04T08:00:00Z</updated>
<content type="html">&lt;p&gt;Foreign Minister Anton Brisk arrived in Ostmark on Wednesday morning for the talks.&lt;/p&gt;</content></entry>
<entry><title>Korvany answers</title><link href="https://wire.example/b"/><updated>2026-03-05T08:00:00Z</updated>
<content type="html">&lt;p&gt;Korvany answered the proposal on Thursday, its foreign ministry said in a statement.&lt;/p&gt;</content></entry>
</feed>"""

HUGE = 50 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, body: bytes, content_type: str, status: int = 200, length: int | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # noqa: N802 (http.server's naming)
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _route(self):
        path = self.path
        self.server.seen_agents.append(self.headers.get("User-Agent"))
        if path == "/article":
            self._send(PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/feed":
            self._send(FEED.encode(), "application/atom+xml")
        elif path == "/slow":
            time.sleep(2)
            self._send(PAGE.encode(), "text/html")
        elif path == "/trickle":  # headers at once, then a byte every 0.1 s: each read is quick
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        elif path.startswith("/loop"):
            n = int(path[5:] or 0)
            self._redirect(f"/loop{n + 1}")
        elif path == "/moved":
            self._redirect("/article")
        elif path == "/to-localhost":
            self._redirect(f"http://localhost:{self.server.server_address[1]}/article")
        elif path == "/huge-declared":
            self._send(b"x" * 1024, "text/html", length=HUGE)
        elif path == "/huge-streamed":  # no Content-Length: only counting while streaming catches it
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            for _ in range(HUGE // len(chunk)):
                self.wfile.write(chunk)
            self.close_connection = True
        elif path == "/empty-page":
            self._send(b"<html><body><nav>Home</nav></body></html>", "text/html")
        else:
            self._send(b"not here", "text/plain", status=404)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.seen_agents = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd
    httpd.shutdown()
    httpd.server_close()


FAST = Limits(timeout=0.5, max_redirects=5, max_bytes=1024 * 1024)


def read(*urls, **kwargs):
    kwargs.setdefault("allow_private", True)
    kwargs.setdefault("limits", FAST)
    return list(read_sources(list(urls), **kwargs))


def only_error(items) -> ItemError:
    errs = [item for item in items if isinstance(item, ItemError)]
    assert len(errs) == 1, items
    return errs[0]


def test_article_page(server):
    base, httpd = server
    [record] = read(f"{base}/article")
    [article] = prepare(record)
    assert article.source == f"{base}/article" and article.url == f"{base}/article"
    assert article.outlet == "Velgrad Herald" and article.published == date(2026, 3, 4)
    assert article.text.startswith("Negotiators from Valdoria")
    assert httpd.seen_agents[-1].startswith("Parallax/0.1")


def test_feed_url(server):
    base, _ = server
    records = read(f"{base}/feed")
    articles = [a for r in records for a in prepare(r)]
    assert [(a.title, a.part, a.outlet) for a in articles] == [
        ("Brisk arrives in Ostmark", 0, "Northern Wire"), ("Korvany answers", 1, "Northern Wire")]
    assert articles[1].published == date(2026, 3, 5)


def test_redirect_followed_and_source_kept(server):
    base, _ = server
    [record] = read(f"{base}/moved")
    assert record.document.source == f"{base}/moved"
    assert record.document.url == f"{base}/article"


def test_timeout(server):
    base, _ = server
    started = time.monotonic()
    items = read(f"{base}/slow", f"{base}/article")
    assert "timed out" in only_error(items).reason
    assert time.monotonic() - started < 1.8  # did not wait for the server's 2 s
    assert isinstance(items[-1], Record)


def test_trickling_server_is_cut_at_the_deadline(server):
    base, _ = server
    started = time.monotonic()
    error = only_error(read(f"{base}/trickle"))
    assert "timed out" in error.reason
    assert time.monotonic() - started < 3


def test_endless_redirects(server):
    base, _ = server
    error = only_error(read(f"{base}/loop"))
    assert error.item == f"{base}/loop"
    assert error.reason == "too many redirects (more than 5)"


def test_too_large_by_content_length(server):
    base, _ = server
    error = only_error(read(f"{base}/huge-declared", limits=Limits(timeout=5)))
    assert error.reason == "too large (50 MB > 20 MB)"


def test_too_large_while_streaming(server):
    base, _ = server
    started = time.monotonic()
    error = only_error(read(f"{base}/huge-streamed", limits=Limits(timeout=5, max_bytes=1024 * 1024)))
    assert error.reason == "too large (more than 1 MB)"
    assert time.monotonic() - started < 4


def test_http_error_status(server):
    base, _ = server
    assert "404" in only_error(read(f"{base}/nowhere")).reason


def test_page_without_article_text(server):
    base, _ = server
    items = read(f"{base}/empty-page")
    results = [item if isinstance(item, ItemError) else prepare(item) for item in items]
    [error] = [r for r in results if isinstance(r, ItemError)]
    assert "no article text" in error.reason


def test_private_address_refused_by_default(server):
    base, _ = server
    items = list(read_sources([f"{base}/article"], limits=FAST))
    error = only_error(items)
    assert error.item == f"{base}/article"
    assert "private or local address" in error.reason and "127.0.0.1" in error.reason


def test_every_redirect_hop_is_checked(server, monkeypatch):
    """A public page that redirects to a local one is refused at the second hop."""
    base, _ = server
    checked = []

    def check_host(url):
        checked.append(url)
        if "//localhost" in url:
            raise FetchError("refused: localhost resolves to a private or local address (127.0.0.1)")

    monkeypatch.setattr(fetch_module, "check_host", check_host)
    error = only_error(list(read_sources([f"{base}/to-localhost"], limits=FAST)))
    assert "refused" in error.reason
    assert len(checked) == 2 and "localhost" in checked[1]


def test_unresolvable_host():
    error = only_error(list(read_sources(["http://no-such-host.invalid/a"], limits=FAST)))
    assert "cannot resolve" in error.reason


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.10", False), ("169.254.169.254", False),
    ("224.0.0.1", False), ("0.0.0.0", False), ("::1", False), ("fe80::1", False), ("::ffff:127.0.0.1", False),
    ("100.64.0.1", False), ("8.8.8.8", True), ("2001:4860:4860::8888", True),
])
def test_public_address_classification(address, public):
    assert is_public_address(address) is public
