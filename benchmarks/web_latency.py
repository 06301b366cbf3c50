"""Web latency: story and actor pages on a database of 20,000 articles.

The real ingest runs at a few articles a second here, so the database is filled by ingesting the sample corpus
and a few hundred real articles (../shared/data/article_bias_prediction), then replicating the analysed rows in
SQL: each replica gets new ids and sources, its own stories and statements, and dates shifted by one day a
replica, with quotes, mentions and copies kept pointing at the replica's own rows. Actors are shared, so the most
quoted actors of the corpus become heavy pages (thousands of quotes): the worst case for the actor page.

    python benchmarks/web_latency.py [--articles 20000] [--real 200] [--requests 100] [--db FILE]

Times requests through FastAPI's TestClient (in-process, no network), after one warm-up request per page.
The story and actor pages keep their data until the database changes; "(cold)" rebuilds it on every request.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "article_bias_prediction" / "articles.jsonl.gz"

from parallax.app import Parallax  # noqa: E402
from parallax.store import schema as t  # noqa: E402


def real_articles(n: int, folder: Path) -> Path | None:
    """The first n articles with a body, as a JSON lines file the ingest reads."""
    if n <= 0 or not DATA.exists():
        return None
    out = folder / "real.jsonl"
    kept = 0
    with gzip.open(DATA, "rt", encoding="utf-8") as handle, out.open("w", encoding="utf-8") as sink:
        for line in handle:
            record = json.loads(line)
            body = (record.get("content_original") or "").strip()
            if len(body.split()) < 80:
                continue
            sink.write(json.dumps({"title": record["title"], "text": body, "outlet": record.get("source"),
                                   "published": record.get("date"), "url": record.get("url")}) + "\n")
            kept += 1
            if kept == n:
                break
    return out


def replicate(db: str, target: int) -> dict:
    """Copy the analysed rows until the database holds `target` articles (SQLite)."""
    engine = Parallax(db)
    store = engine.store
    with store.engine.begin() as conn:
        base = conn.execute(select(func.count()).select_from(t.articles)).scalar()
        top = {name: conn.execute(select(func.max(table.c.id))).scalar() or 0
               for name, table in (("a", t.articles), ("s", t.stories), ("st", t.statements), ("q", t.quotes),
                                   ("m", t.mentions), ("c", t.copies))}
        replicas = max(0, -(-(target - base) // base))
        for k in range(1, replicas + 1):
            left = target - base * k
            limit = min(base, left)
            if limit <= 0:
                break
            o = {key: (value + 1) * k for key, value in top.items()}
            conn.execute(text(
                "INSERT INTO stories (id, title, first_date, last_date, centroid, size, title_score) "
                "SELECT id + :s, title, date(first_date, :shift), date(last_date, :shift), centroid, size, title_score "
                "FROM stories WHERE id <= :smax"), {"s": o["s"], "shift": f"+{k} days", "smax": top["s"]})
            conn.execute(text(
                "INSERT INTO articles (id, source, part, outlet, title, published, language, url, text, fingerprint, "
                "signature, vector, story_id, ingested_at) "
                "SELECT id + :a, source || '#r' || :k, part, outlet, title, date(published, :shift), language, url, "
                "text, fingerprint || ':' || :k, signature, vector, story_id + :s, ingested_at "
                "FROM articles WHERE id <= :amax ORDER BY id LIMIT :limit"),
                {"a": o["a"], "k": k, "s": o["s"], "shift": f"+{k} days", "amax": top["a"], "limit": limit})
            conn.execute(text(
                "INSERT INTO statements (id, actor_id, said_on, text) "
                "SELECT id + :st, actor_id, date(said_on, :shift), text FROM statements WHERE id <= :stmax"),
                {"st": o["st"], "shift": f"+{k} days", "stmax": top["st"]})
            conn.execute(text(
                "INSERT INTO quotes (id, article_id, start, \"end\", text, kind, cue, said_on, speaker_text, "
                "speaker_start, speaker_end, actor_id, statement_id) "
                "SELECT q.id + :q, q.article_id + :a, q.start, q.\"end\", q.text, q.kind, q.cue, date(q.said_on, :shift), "
                "q.speaker_text, q.speaker_start, q.speaker_end, q.actor_id, q.statement_id + :st "
                "FROM quotes q WHERE q.id <= :qmax AND q.article_id + :a IN (SELECT id FROM articles)"),
                {"q": o["q"], "a": o["a"], "st": o["st"], "shift": f"+{k} days", "qmax": top["q"]})
            conn.execute(text(
                "INSERT INTO mentions (id, article_id, start, \"end\", text, actor_id) "
                "SELECT m.id + :m, m.article_id + :a, m.start, m.\"end\", m.text, m.actor_id FROM mentions m "
                "WHERE m.id <= :mmax AND m.article_id + :a IN (SELECT id FROM articles)"),
                {"m": o["m"], "a": o["a"], "mmax": top["m"]})
            conn.execute(text(
                "INSERT INTO copies (id, article_id, source, part, outlet, published, similarity) "
                "SELECT c.id + :c, c.article_id + :a, c.source || '#r' || :k, c.part, c.outlet, "
                "date(c.published, :shift), c.similarity FROM copies c "
                "WHERE c.id <= :cmax AND c.article_id + :a IN (SELECT id FROM articles)"),
                {"c": o["c"], "a": o["a"], "k": k, "shift": f"+{k} days", "cmax": top["c"]})
        counts = {name: conn.execute(select(func.count()).select_from(table)).scalar()
                  for name, table in (("articles", t.articles), ("stories", t.stories), ("quotes", t.quotes),
                                      ("mentions", t.mentions), ("statements", t.statements), ("copies", t.copies))}
    with store.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
    engine.close()
    return counts


def timed(client, url: str, n: int, before=None, label: str = "") -> dict:
    client.get(url)  # warm-up: template compilation, first connection
    times = []
    for _ in range(n):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {"url": url + label, "n": n, "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (n - 1))], 1), "max_ms": round(times[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--real", type=int, default=200, help="real articles ingested before replication")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--db", help="reuse (or build) this SQLite file")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    folder = Path(tempfile.mkdtemp(prefix="parallax-web-bench-"))
    db = args.db or str(folder / "web.db")
    engine = Parallax(db)
    fresh = engine.store.count(t.articles) == 0
    engine.close()
    if fresh:
        start = time.perf_counter()
        engine = Parallax(db)
        engine.add_packs([ROOT / "examples" / "pack"])
        sources = [str(ROOT / "examples" / "corpus")]
        real = real_articles(args.real, folder)
        if real:
            sources.append(str(real))
        report = engine.ingest(sources)
        engine.close()
        print(f"ingested {report.stored} articles in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        start = time.perf_counter()
        counts = replicate(db, args.articles)
        print(f"replicated to {counts} in {time.perf_counter() - start:.0f} s", file=sys.stderr)

    from fastapi.testclient import TestClient

    from parallax.web import create_app

    engine = Parallax(db)
    with engine.store.engine.connect() as conn:
        counts = {name: conn.execute(select(func.count()).select_from(table)).scalar()
                  for name, table in (("articles", t.articles), ("stories", t.stories), ("quotes", t.quotes),
                                      ("statements", t.statements))}
        # The largest story and the most quoted actor: the heaviest pages of their kind.
        story = conn.execute(
            select(t.articles.c.story_id).where(t.articles.c.story_id.is_not(None))
            .group_by(t.articles.c.story_id).order_by(func.count().desc()).limit(1)).scalar()
        actor, quoted = conn.execute(
            select(t.quotes.c.actor_id, func.count()).where(t.quotes.c.actor_id.is_not(None))
            .group_by(t.quotes.c.actor_id).order_by(func.count().desc()).limit(1)).one()
        story_size = conn.execute(select(func.count()).where(t.articles.c.story_id == story)).scalar()
    engine.close()
    app = create_app(db)
    client = TestClient(app)
    site = app.state.site
    results = [
        timed(client, f"/stories/{story}", args.requests),
        # Cold: the briefing rebuilt on every request, as on the first view after an ingest.
        timed(client, f"/stories/{story}", args.requests, before=site.forget, label=" (cold)"),
        timed(client, f"/actors/{actor}", args.requests),
        # Cold: counted again on every request, as on the first view after an ingest.
        timed(client, f"/actors/{actor}", args.requests, before=site.forget, label=" (cold)"),
        timed(client, f"/api/actors/{actor}", args.requests, before=site.forget, label=" (cold)"),
        timed(client, "/stories", args.requests),
        timed(client, "/quotes", 20),
        timed(client, "/quotes?text=ceasefire", 20),
        timed(client, "/quotes?text=%22peace+talks%22", 20),
        timed(client, "/quotes?text=said", 20),
    ]
    print(json.dumps({"database": counts, "story": {"id": story, "articles": story_size},
                      "actor": {"id": actor, "quotes": quoted}, "results": results}, indent=1))


if __name__ == "__main__":
    main()
