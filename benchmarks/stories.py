"""Story clustering: B-cubed precision/recall/F1 and ARI on BASIL and NeuS, and the time to cluster 10,000 articles.

    python benchmarks/stories.py                      # BASIL, NeuS and the 10k timing
    python benchmarks/stories.py --only basil neus    # quality only
    python benchmarks/stories.py --threshold 0.12     # try another join threshold

Articles go through the same code as `parallax ingest` after NLP: `article_vector` (title and body terms; no
actors here, since the NLP stage is not run) and `place` on a `StoryIndex`, oldest first as ingest does.
  * BASIL (../shared/data/basil): 300 full articles, 100 events of 3 outlets, dated.
  * NeuS (../shared/data/neus/lrc_roundup_probe, all splits): 3,066 AllSides roundups of 3 title+lead snippets,
    undated, so the snippets are clustered in a fixed shuffled order (grouped order would flatter the method).
  * Speed: the first 10,000 articles with a body of ../shared/data/article_bias_prediction, in date order;
    the time counts vectors and assignment only (reading the gzip is not counted).
Both quality sets are used for tuning (neither is held out).
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import random
import sys
import time
from collections import Counter
from datetime import date
from math import comb
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parallax.analysis import stories as st  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def bcubed(gold: list, predicted: list) -> dict[str, float]:
    """B-cubed precision and recall averaged over items (Bagga and Baldwin), computed through cluster sizes."""
    pair = Counter(zip(gold, predicted))
    gold_size, pred_size = Counter(gold), Counter(predicted)
    n = len(gold)
    p = sum(c * c / pred_size[pl] for (gl, pl), c in pair.items()) / n
    r = sum(c * c / gold_size[gl] for (gl, pl), c in pair.items()) / n
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def adjusted_rand(gold: list, predicted: list) -> float:
    pair = Counter(zip(gold, predicted))
    n = len(gold)
    index = sum(comb(c, 2) for c in pair.values())
    a = sum(comb(c, 2) for c in Counter(gold).values())
    b = sum(comb(c, 2) for c in Counter(predicted).values())
    expected = a * b / comb(n, 2)
    top = (a + b) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


def cluster(items: list[tuple[str, str, date | None]]) -> list[int]:
    """Story number of each (title, text, published) item, fed in the given order."""
    index = st.StoryIndex([], st.DocumentFrequencies())
    numbers: dict[int, int] = {}
    labels = []
    for title, text, published in items:
        story, _opened = st.place(index, title, st.article_vector(title, text), published)
        labels.append(numbers.setdefault(id(story), len(numbers)))
    return labels


def basil_articles() -> list[dict]:
    """BASIL's 300 articles in file order: id ("<triplet-uuid>_<n>", as BASIL names its files), event, outlet
    code (fox, nyt, hpo), date, url, title and text (sentences joined by spaces, paragraphs by newlines; the
    offsets of benchmarks/data/basil_statement_pairs.jsonl refer to this text)."""
    rows = []
    for path in sorted((DATA / "basil" / "articles").glob("*/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = record["body-paragraphs"]
        if isinstance(paragraphs, str):
            paragraphs = ast.literal_eval(paragraphs)
        text = "\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paragraphs)
        rows.append({"id": path.stem, "event": record["triplet-uuid"], "outlet": record["source"].lower(),
                     "date": date.fromisoformat(record["date"][:10]), "url": record.get("url"),
                     "title": record["title"], "text": text})
    return rows


def basil() -> tuple[list, list]:
    rows = sorted(basil_articles(), key=lambda r: (r["date"], r["title"]))
    return [(r["title"], r["text"], r["date"]) for r in rows], [r["event"] for r in rows]


def neus() -> tuple[list, list]:
    rows = []
    for split in ("train", "val", "test"):
        path = DATA / "neus" / "lrc_roundup_probe" / f"{split}.source"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            for snippet in line.split(" [SEP] "):
                title, _, lead = snippet.partition("ARTICLE=>")
                rows.append((title.replace("TITLE=>", "").strip(), lead.strip(), None, f"{split}-{n}"))
    random.Random(7).shuffle(rows)
    return [r[:3] for r in rows], [r[3] for r in rows]


def scale(n: int) -> list[tuple[str, str, date | None]]:
    rows = []
    with gzip.open(DATA / "article_bias_prediction" / "articles.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            body = (record.get("content_original") or "").strip()
            if len(body.split()) < 50:
                continue
            try:
                day = date.fromisoformat(record["date"][:10])
            except (TypeError, ValueError):
                day = None
            rows.append((day, record["title"], body))
            if len(rows) == n:
                break
    rows.sort(key=lambda r: (r[0] is None, r[0] or date.min))
    return [(title, body, day) for day, title, body in rows]


def quality(name: str, loader) -> dict:
    items, gold = loader()
    started = time.perf_counter()
    predicted = cluster(items)
    seconds = time.perf_counter() - started
    scores = bcubed(gold, predicted)
    return {
        "set": name,
        "items": len(items),
        "gold clusters": len(set(gold)),
        "predicted clusters": len(set(predicted)),
        **{k: round(v, 4) for k, v in scores.items()},
        "ari": round(adjusted_rand(gold, predicted), 4),
        "seconds": round(seconds, 2),
    }


def speed(n: int) -> dict:
    items = scale(n)
    started = time.perf_counter()
    predicted = cluster(items)
    seconds = time.perf_counter() - started
    sizes = Counter(predicted)
    return {
        "set": "article_bias_prediction",
        "items": len(items),
        "predicted clusters": len(sizes),
        "largest cluster": max(sizes.values()),
        "seconds": round(seconds, 1),
        "articles per second": round(len(items) / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=["basil", "neus", "speed"], default=["basil", "neus", "speed"])
    parser.add_argument("--threshold", type=float, default=None, help="join threshold for dated articles")
    parser.add_argument("--undated-threshold", type=float, default=None, help="join threshold for undated ones")
    parser.add_argument("--articles", type=int, default=10_000, help="articles for the speed run")
    args = parser.parse_args()
    if args.threshold is not None:
        st.JOIN_THRESHOLD = args.threshold
    if args.undated_threshold is not None:
        st.UNDATED_JOIN_THRESHOLD = args.undated_threshold
    for name in args.only:
        if not (DATA / {"basil": "basil", "neus": "neus", "speed": "article_bias_prediction"}[name]).exists():
            print(json.dumps({"set": name, "skipped": "data not found under ../shared/data"}))
            continue
        if name == "speed":
            print(json.dumps(speed(args.articles)), flush=True)
        else:
            print(json.dumps(quality(name, basil if name == "basil" else neus)), flush=True)


if __name__ == "__main__":
    main()
