"""The web app in a real browser: Playwright drives Debian's chromium against uvicorn on a free loopback port.

Every page loads with no console error and no CSP violation, links lead from a story to a statement to an
article, the actor chart draws its marks, and screenshots are saved (the story and actor pages are also copied
to /tmp/parallax-screens/ for review)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import EXAMPLES, _free_port

CHROMIUM = Path("/usr/bin/chromium")
SCREENS = Path("/tmp/parallax-screens")
HOSTILE = '<script>document.title="owned"</script><img src=x onerror="document.title=\'owned\'">'


if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")

pytestmark = pytest.mark.slow


@contextmanager
def _serving(app):
    """The app served by uvicorn on a free port of 127.0.0.1 in a thread; yields its base URL."""
    port = _free_port()
    web = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not web.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert web.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        web.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory, sample_corpus):
    tmp = tmp_path_factory.mktemp("web-browser")
    db = tmp / "corpus.db"
    hostile = tmp / "hostile.json"
    body = "Kessholm talks resumed on Monday after a week of delays.\nBrevnia Today reported the exchange in full."
    hostile.write_text(json.dumps({"title": HOSTILE, "text": body, "outlet": "Brevnia Today",
                                   "published": "2026-03-10"}), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "parallax", "--db", str(db), "ingest", str(sample_corpus), str(hostile), "--pack",
         str(EXAMPLES / "pack"), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    import sqlite3

    # The ingest strips markup from bodies: put it back, as a text that quoted HTML literally would hold it.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET text = ? WHERE title = ?", (f"{body}\n{HOSTILE}\nEnd.", HOSTILE))
    from parallax.web import create_app

    with _serving(create_app(str(db))) as url:
        yield url, tmp


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    yield page
    context.close()


def shot(page, tmp: Path, name: str, keep: bool = False) -> Path:
    path = tmp / "screens" / f"{name}.png"
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000
    if keep:
        SCREENS.mkdir(exist_ok=True)
        shutil.copy(path, SCREENS / path.name)
    return path


def ids(base: str) -> dict:
    import httpx

    story = httpx.get(f"{base}/api/stories").json()["stories"][0]["id"]
    briefing = httpx.get(f"{base}/api/stories/{story}").json()["briefing"]
    return {"story": story, "actor": briefing["speakers"][0]["actor_id"],
            "outlet": briefing["sources"][0]["outlet"], "article": briefing["sources"][0]["article_id"]}


def test_every_page_loads_without_errors(server, page):
    base, tmp = server
    found = ids(base)
    urls = {
        "stories": "/stories",
        "story": f"/stories/{found['story']}",
        "actors": "/actors",
        "actor": f"/actors/{found['actor']}",
        "quotes": "/quotes?kind=direct",
        "article": f"/articles/{found['article']}",
        "outlet": f"/outlets/{found['outlet']}",
        "api-docs": "/api/docs",
    }
    for name, url in urls.items():
        response = page.goto(base + url)
        assert response.status == 200, url
        assert page.locator("h1").first.inner_text().strip(), url
        shot(page, tmp, name, keep=name in ("story", "actor", "stories"))
    assert not page.problems, page.problems


def test_story_to_statement_to_article(server, page):
    base, _tmp = server
    page.goto(f"{base}/stories/{ids(base)['story']}")
    page.locator("a.statement-link").first.click()
    page.wait_for_url("**/statements/*")
    assert "Every report" in page.content()
    page.locator("a.article-link").first.click()
    page.wait_for_url("**/articles/*")
    target = page.url.split("#", 1)[1]
    # The quote the statement pointed at is the highlighted anchor the browser jumped to.
    assert page.locator(f"mark#{target}").count() == 1
    assert page.locator("article.text a.name, article.text a.speaker").count() > 0


def test_actor_chart_renders_marks(server, page):
    base, _tmp = server
    page.goto(f"{base}/actors/{ids(base)['actor']}")
    chart = page.locator("svg#actor-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 50
    marks = chart.locator("rect.mark")
    assert marks.count() > 0
    assert any(marks.nth(i).bounding_box()["height"] > 0 for i in range(marks.count()))
    # The small script shows the day and count under the pointer.
    chart.locator("g.column").first.hover()
    assert "reports" in page.locator("#chart-readout").inner_text()


def test_story_list_filter_script_hides_rows_and_bars_render(server, page):
    base, _tmp = server
    page.goto(f"{base}/stories")
    assert page.locator("svg.bar rect").count() >= 4
    rows = page.locator("#story-list li")
    total = rows.count()
    page.fill("input[name=search]", "drought")
    visible = sum(rows.nth(i).is_visible() for i in range(total))
    assert 1 <= visible < total


def test_pages_work_without_javascript(server, browser):
    base, _tmp = server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/quotes")
    page.fill("input[name=text]", "talks")
    page.click("button[type=submit]")
    page.wait_for_url("**/quotes?*text=talks*")
    assert page.locator("#quote-table tbody tr").count() >= 1
    context.close()


def test_hostile_text_shows_as_text_and_never_runs(server, page):
    base, _tmp = server
    import httpx

    found = httpx.get(f"{base}/api/stories", params={"search": "owned"}).json()["stories"]
    article = httpx.get(f"{base}/api/stories/{found[0]['id']}").json()["briefing"]["sources"][0]["article_id"]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for url in (f"/articles/{article}", "/stories?search=owned", f"/stories/{found[0]['id']}"):
        page.goto(base + url)
        page.wait_for_timeout(200)
        assert page.title() != "owned" and page.title().endswith("Parallax"), url
        assert page.locator("img").count() == 0, url
    assert '<script>document.title="owned"</script>' in page.locator("h1").inner_text()
    assert not dialogs


@pytest.fixture(scope="module")
def sides_server(tmp_path_factory, sample_corpus):
    """The sample corpus with its actors and outlets but none of its camps: every view uses the stories' sides."""
    tmp = tmp_path_factory.mktemp("web-sides")
    pack = tmp / "pack"
    pack.mkdir()
    for name in ("actors.yaml", "outlets.yaml"):
        shutil.copy(EXAMPLES / "pack" / name, pack / name)
    db = tmp / "p.db"
    done = subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), "ingest", str(sample_corpus), "--pack",
                           str(pack), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    from parallax.web import create_app

    with _serving(create_app(str(db))) as url:
        yield url


def test_story_list_bars_show_each_storys_sides_not_the_default_camps(sides_server, page):
    import httpx

    page.goto(f"{sides_server}/stories")
    assert not page.problems
    rows = page.locator("#story-list li")
    assert rows.count() >= 2
    drawn = 0
    for i in range(rows.count()):
        row = rows.nth(i)
        story = int(row.locator("a").first.get_attribute("href").rstrip("/").rsplit("/", 1)[-1])
        briefing = httpx.get(f"{sides_server}/api/stories/{story}").json()["briefing"]
        sides = set(briefing["camps"]) | {"Unattributed"}
        titles = [t.rsplit(":", 1)[0] for t in row.locator("svg.bar rect title").all_text_contents()]
        drawn += len(titles)
        assert set(titles) <= sides, (story, titles, briefing["camps"])
        colours = [r.get_attribute("fill") for r in row.locator("svg.bar rect").all()]
        assert len(set(colours)) == len(colours)  # each side of a bar in its own colour
    assert drawn >= 4
    assert "China: state media" not in page.content() and "Belarus: state media" not in page.content()
