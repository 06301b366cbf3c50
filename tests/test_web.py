"""The web app through FastAPI's TestClient on the sample corpus: every page and API route, the token rules,
the security headers, and article text that tries to run script."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import warnings
from html.parser import HTMLParser

import pytest

from conftest import EXAMPLES

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)
fastapi = pytest.importorskip("fastapi", reason="fastapi is not installed (pip install -e .)")
from fastapi.testclient import TestClient  # noqa: E402

from parallax.web import create_app  # noqa: E402

HOSTILE_TITLE = 'Talks <script>alert("t")</script> resume <img src=x onerror=alert(1)>'
HOSTILE_BODY = (
    'Kessholm talks resumed on Monday. <script>document.title="owned"</script>\n'
    '"We will never accept <img src=x onerror=alert(2)> as a partner," Arkady Volostny said.\n'
    'Brevnia Today reported the exchange.'
)


def parallax(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_corpus):
    tmp = tmp_path_factory.mktemp("web")
    db = tmp / "corpus.db"
    hostile = tmp / "hostile.json"
    import json

    hostile.write_text(json.dumps({"title": HOSTILE_TITLE, "text": HOSTILE_BODY, "outlet": "Brevnia Today",
                                   "published": "2026-03-10"}), encoding="utf-8")
    done = parallax(db, "ingest", str(sample_corpus), str(hostile), "--pack", str(EXAMPLES / "pack"), "-q")
    assert done.returncode == 0, done.stderr
    # The ingest strips markup from bodies; a text that kept it (a plain-text dump quoting HTML) must still be
    # shown as text, so the stored body is set to the hostile one, its quote span moved to match.
    import sqlite3

    with sqlite3.connect(db) as conn:
        (article_id,) = conn.execute("SELECT id FROM articles WHERE title = ?", (HOSTILE_TITLE,)).fetchone()
        quoted = HOSTILE_BODY.index("We will never")
        end = HOSTILE_BODY.index(',"', quoted)
        conn.execute("UPDATE articles SET text = ? WHERE id = ?", (HOSTILE_BODY, article_id))
        conn.execute('UPDATE quotes SET start = ?, "end" = ?, text = ? WHERE article_id = ?',
                     (quoted, end, HOSTILE_BODY[quoted:end], article_id))
    return db


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(str(db)))


@pytest.fixture(scope="module")
def api(client):
    """Ids to visit, read from the API itself."""
    stories = client.get("/api/stories").json()["stories"]
    main = stories[0]
    briefing = client.get(f"/api/stories/{main['id']}").json()["briefing"]
    speaker = briefing["speakers"][0]
    quotes = client.get("/api/quotes", params={"text": "onerror"}).json()["quotes"]
    return {"story": main, "briefing": briefing, "actor": speaker["actor_id"], "hostile_quotes": quotes}


class Tags(HTMLParser):
    """Collects what a strict CSP would block: script without src, style elements, style and on* attributes."""

    def __init__(self):
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if (tag == "script" and "src" not in names) or tag == "style":
            self.inline.append(tag)
        self.inline += [f"{tag}[{n}]" for n in names if n == "style" or n.startswith("on")]


def links(html: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({re.escape(prefix)}[^"#?]+)', html)


def test_story_list_shows_every_story_with_a_coverage_bar_by_camp(client):
    page = client.get("/stories")
    assert page.status_code == 200
    assert "Brevnia says it is ready for Aldmark-hosted talks" in page.text
    assert page.text.count('<svg class="bar"') >= 4
    assert "Brevnian side" in page.text and "Dravenian side" in page.text
    assert client.get("/").text == page.text


def test_story_list_search_and_date_filters(client):
    found = client.get("/stories", params={"search": "drought"}).text
    assert "drought emergency" in found and "Aldmark-hosted talks" not in found
    # a date filter keeps out every dated story; a story none of whose articles has a date stays listed
    later = client.get("/stories", params={"since": "2099-01-01"}).text
    assert "drought emergency" not in later and "Aldmark-hosted talks" not in later
    assert "No stories match" in client.get("/stories", params={"since": "2099-01-01", "search": "talks"}).text
    bad = client.get("/stories", params={"since": "next week"})
    assert bad.status_code == 200 and "not a date" in bad.text


def test_story_page_has_camps_side_by_side_statements_timeline_and_sources(client, api):
    page = client.get(f"/stories/{api['story']['id']}").text
    for heading in ("Camps side by side", "Key statements by speaker", "Timeline", "Sources"):
        assert f"<h2>{heading}</h2>" in page
    assert page.count('<section class="camp">') >= 2
    assert "Blindspot" in page or "No blindspot" in page
    assert links(page, "/statements/") and links(page, "/articles/") and links(page, "/actors/")
    key = page[page.index('class="key-actors"'):]
    assert '<a href="/actors/maren-holtvik">Maren Holtvik</a>' in key[: key.index("</p>")]


def test_story_to_statement_to_article(client, api):
    story = client.get(f"/stories/{api['story']['id']}").text
    statement = client.get(links(story, "/statements/")[0])
    assert statement.status_code == 200 and "Every report" in statement.text
    article = client.get(links(statement.text, "/articles/")[0])
    assert article.status_code == 200 and '<mark class="quote' in article.text


def test_actor_page_has_a_chart_with_marks_and_the_statements(client, api):
    page = client.get(f"/actors/{api['actor']}").text
    assert 'id="actor-chart"' in page and '<rect class="mark"' in page
    assert "Outlets quoting them" in page and "Written as" in page
    assert links(page, "/statements/")
    assert client.get("/actors/no-such-actor").status_code == 404


def test_actor_list_links_to_actor_pages(client):
    page = client.get("/actors").text
    assert len(links(page, "/actors/")) >= 10


def test_quote_search_filters(client, api):
    every = client.get("/api/quotes").json()
    assert every["total"] > 50
    direct = client.get("/api/quotes", params={"kind": "direct"}).json()
    assert 0 < direct["total"] < every["total"] and {q["kind"] for q in direct["quotes"]} == {"direct"}
    by_speaker = client.get("/api/quotes", params={"speaker": api["actor"]}).json()
    assert by_speaker["total"] and {q["actor_id"] for q in by_speaker["quotes"]} == {api["actor"]}
    by_surname = client.get("/api/quotes", params={"speaker": "Volostny"}).json()
    assert by_surname["total"] and {q["actor_id"] for q in by_surname["quotes"]} == {"arkady-volostny"}
    camp = client.get("/api/quotes", params={"camp": "dravenian-side"}).json()
    assert camp["total"] and {q["camp"] for q in camp["quotes"]} == {"Dravenian side"}
    outlet = client.get("/api/quotes", params={"outlet": "radio dravenia"}).json()
    assert outlet["total"] and {q["outlet"] for q in outlet["quotes"]} == {"Radio Dravenia"}
    dated = client.get("/api/quotes", params={"since": "2026-03-01", "until": "2026-03-03"}).json()
    assert all("2026-03-01" <= (q["said_on"] or q["published"]) <= "2026-03-03" for q in dated["quotes"])
    assert client.get("/api/quotes", params={"text": "100%_"}).json()["total"] == 0
    page = client.get("/quotes", params={"kind": "direct", "camp": "brevnian-side"})
    assert page.status_code == 200 and 'id="quote-table"' in page.text


def test_article_page_highlights_quotes_speakers_and_names_with_links(client, api):
    briefing = api["briefing"]
    article_id = briefing["sources"][0]["article_id"]
    page = client.get(f"/articles/{article_id}").text
    assert re.search(r'<mark class="quote \w+" id="q-\d+">', page)
    assert re.search(r'<a class="(speaker|name)" href="/actors/[^"]+">', page)
    assert client.get("/articles/999999").status_code == 404


def test_outlet_page_shows_camp_volume_and_profiles(client):
    page = client.get("/outlets/Radio Dravenia").text
    assert "Dravenian side" in page and "Volume" in page and "Spelling profile" in page and "Framing profile" in page
    data = client.get("/api/outlets/Radio Dravenia").json()
    assert data["camp"] == "Dravenian side" and data["volume"]["articles"] >= 4
    assert client.get("/outlets/No Such Outlet").status_code == 404


def test_api_mirrors_the_pages(client, api):
    story_id = api["story"]["id"]
    assert api["briefing"]["story_id"] == story_id and api["briefing"]["sources"]
    assert client.get(f"/api/actors/{api['actor']}").json()["actor"]["id"] == api["actor"]
    statement = client.get("/api/quotes", params={"speaker": api["actor"]}).json()["quotes"][0]["statement_id"]
    assert client.get(f"/api/statements/{statement}").json()["statement"]["quotes"]
    assert client.get(f"/api/articles/{api['briefing']['sources'][0]['article_id']}").json()["article"]["text"]
    assert len(client.get("/api/actors").json()["actors"]) >= 10
    assert client.get("/api/stories/424242").status_code == 404
    spec = client.get("/api/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/quotes", "/api/actors/{actor_id}"} <= set(spec["paths"])
    docs = client.get("/api/docs").text
    assert "/api/quotes" in docs and "<script" not in docs.replace('<script src="/static/parallax.js" defer></script>', "")


def test_csv_downloads(client):
    quotes = client.get("/api/quotes", params={"kind": "direct", "format": "csv"})
    assert quotes.headers["content-type"].startswith("text/csv")
    assert "attachment" in quotes.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(quotes.text)))
    assert len(rows) == client.get("/api/quotes", params={"kind": "direct"}).json()["total"]
    assert {r["kind"] for r in rows} == {"direct"}
    stories = list(csv.DictReader(io.StringIO(client.get("/api/stories", params={"format": "csv"}).text)))
    assert len(stories) >= 4 and "Brevnian side" in " ".join(r["camps"] for r in stories)


def test_hostile_article_shows_script_and_img_as_text(client, api):
    assert api["hostile_quotes"], "the hostile article's quote was not found"
    article_id = api["hostile_quotes"][0]["article_id"]
    for url in (f"/articles/{article_id}", "/quotes?text=onerror", "/stories?search=resume",
                f"/statements/{api['hostile_quotes'][0]['statement_id']}" if api["hostile_quotes"][0]["statement_id"] else "/quotes"):
        page = client.get(url).text
        assert "<script>alert" not in page and "<script>document" not in page and "<img src=x" not in page, url
    page = client.get(f"/articles/{article_id}").text
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in page or "&lt;script&gt;alert(&quot;t&quot;)" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert client.get(f"/api/articles/{article_id}").json()["article"]["title"] == HOSTILE_TITLE


def test_security_headers_on_every_response(client):
    for url in ("/stories", "/api/stories", "/static/parallax.css", "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script_or_style(client, api):
    for url in ("/stories", f"/stories/{api['story']['id']}", f"/actors/{api['actor']}", "/quotes", "/actors"):
        tags = Tags()
        tags.feed(client.get(url).text)
        assert not tags.inline, (url, tags.inline)


def test_read_only(client):
    assert client.post("/stories").status_code == 405
    assert client.delete("/api/stories/1").status_code == 405


def test_token_rules(db):
    guarded = TestClient(create_app(str(db), token="s3cret"))
    assert guarded.get("/stories").status_code == 401
    assert guarded.get("/api/stories").status_code == 401
    assert guarded.get("/static/parallax.css").status_code == 401
    assert guarded.get("/stories", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/stories", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert guarded.get("/stories?token=wrong", follow_redirects=False).status_code == 401
    entry = guarded.get("/stories?search=talks&token=s3cret", follow_redirects=False)
    assert entry.status_code == 303 and "token" not in entry.headers["location"]
    assert entry.headers["location"] == "/stories?search=talks"
    assert "HttpOnly" in entry.headers["set-cookie"]
    # The cookie set by ?token= lets the browser through afterwards.
    assert guarded.get("/api/stories").status_code == 200
    assert guarded.get("/stories", follow_redirects=True).status_code == 200
    other = TestClient(create_app(str(db), token="s3cret"))
    other.cookies.set("parallax_token", "wrong")
    assert other.get("/stories").status_code == 401


def test_serve_refuses_a_public_address_without_a_token(db, monkeypatch):
    monkeypatch.delenv("PARALLAX_TOKEN", raising=False)
    refused = parallax(db, "serve", "--host", "0.0.0.0", "--port", "1")
    assert refused.returncode == 2 and "--token" in refused.stderr
    missing = parallax(db.parent / "nothing-here.db", "serve")
    assert missing.returncode == 2 and "no such database" in missing.stderr


def test_a_headline_quote_is_listed_as_in_the_headline_and_not_marked_in_the_text(client, db):
    import sqlite3

    with sqlite3.connect(db) as conn:
        article_id, quote_id = conn.execute(
            "SELECT q.article_id, q.id FROM quotes q JOIN articles a ON a.id = q.article_id "
            "WHERE q.in_title AND a.title LIKE 'Volostny:%'").fetchone()
    page = client.get(f"/articles/{article_id}").text
    listed = page[page.index('<ol class="quotes">'):]
    assert "(in the headline)" in listed and f'href="#q-{quote_id}"' not in listed
    assert f'id="q-{quote_id}"' not in page  # nothing in the body is marked at the title's offsets
