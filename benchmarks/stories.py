"""Story clustering: B-cubed precision/recall/F1 and ARI on BASIL and NeuS, and the time to cluster 10,000 articles.

    python benchmarks/stories.py                      # every set below
    python benchmarks/stories.py --only neus-tune     # the NeuS train and val stories (what is tuned on)
    python benchmarks/stories.py --no-embeddings      # TF-IDF only, as before embeddings
    python benchmarks/stories.py --set MIXED_UNDATED_JOIN_THRESHOLD=0.3   # try another constant of stories.py

Articles go through the same code as `parallax ingest` after NLP: `article_vector` (title and body terms; no
actors here, since the NLP stage is not run), the sentence embedding of title and lead (`embeddings.lead_text`,
computed once and cached under ~/.cache/parallax-benchmarks, as ingest stores it once per article) and `place`
on a `StoryIndex`, oldest first as ingest does.
  * basil (../shared/data/basil): 300 full articles, 100 events of 3 outlets, dated. Tuned on.
  * neus (../shared/data/neus/lrc_roundup_probe/test): the 307 test roundups of 3 title+lead snippets (921),
    undated, clustered in a fixed shuffled order (grouped order would flatter the method). Never tuned on.
  * neus-tune: the 2,759 train and val roundups in 9 groups of about 307 (the size of the test split), each
    group clustered on its own; the mean B-cubed over the groups. What the NeuS constants are tuned on.
  * roundups (../shared/data/neus/raw_crawled): 506 dated roundups, all sides' articles (title and first
    paragraphs), dated by their roundup, oldest first.
  * roundups-tune, roundups-held-out: the roundups before 15 July 2021 (what the dated rules are tuned on) and
    after it (never tuned on).
  * roundups-events: the same roundups scored against the events within Parallax's stories (a story split where
    its coverage pauses, as the briefing lists its steps) rather than against the stories themselves.
  * topics: the same roundups, topic by topic (each topic tag with two or more roundups clustered on its own):
    are events of one topic told apart? The mean B-cubed over topics.
  * speed: the first 10,000 articles with a body of ../shared/data/article_bias_prediction, in date order;
    the time counts vectors and assignment only (reading the gzip and the embeddings, computed at ingest, is
    not counted).
"""

from __future__ import annotations

import argparse
import ast
import gzip
import hashlib
import json
import os
import random
import sys
import time
from collections import Counter
from datetime import date
from math import comb
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parallax.analysis import stories as st  # noqa: E402
from parallax.analysis.events import story_events  # noqa: E402
from parallax.nlp import embeddings  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "parallax-benchmarks"
EMBED = True  # --no-embeddings: TF-IDF only


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


def embed(items: list[tuple]) -> list[np.ndarray | None]:
    """The embedding of each (title, text, ...) item as ingest stores it (float16), cached on disk by content."""
    if not EMBED:
        return [None] * len(items)
    texts = [embeddings.lead_text(item[0], item[1]) for item in items]
    key = hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = CACHE / f"{embeddings.MODEL_ID}-{key}.npy"
    if path.exists():
        vectors = np.load(path)
    else:
        started = time.process_time()
        vectors = embeddings.embedder().embed(texts).astype(np.float16)
        print(json.dumps({"embedded": len(texts), "cpu seconds": round(time.process_time() - started, 1)}),
              file=sys.stderr, flush=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return [v.astype(np.float32) if v.any() else None for v in vectors]


def cluster(items: list[tuple[str, str, date | None]], vectors: list | None = None) -> list[int]:
    """Story number of each (title, text, published) item, fed in the given order."""
    index = st.StoryIndex([], st.DocumentFrequencies())
    numbers: dict[int, int] = {}
    labels = []
    vectors = vectors if vectors is not None else [None] * len(items)
    stories, alone = [], []
    for (title, text, published), vector in zip(items, vectors):
        terms = st.article_vector(title, text)
        story, opened = st.place(index, title, terms, published, embedding=vector)
        stories.append(story)
        if opened and published is None:
            alone.append((len(stories) - 1, (story, terms, vector)))
    # as at the end of an update (parallax.analysis.update): undated articles left alone look again (only their
    # vectors are kept, as there, so that the speed run's peak memory is the index's)
    for (k, _placed), story in zip(alone, index.recheck([placed for _k, placed in alone])):
        stories[k] = story
    for story in stories:
        labels.append(numbers.setdefault(id(story), len(numbers)))
    return labels


def events_within(items: list[tuple[str, str, date | None]], stories: list[int]) -> list[tuple[int, int]]:
    """(story, event) of each item: each story split into its events as the briefing shows them
    (`parallax.analysis.events.story_events`: a pause of more than 4 days in its coverage starts a new event)."""
    members: dict[int, list[dict]] = {}
    for i, ((title, text, published), story) in enumerate(zip(items, stories)):
        members.setdefault(story, []).append({"id": i, "title": title, "text": text, "published": published})
    labels: list[tuple[int, int]] = [(0, 0)] * len(items)
    for story, articles in members.items():
        for number, event in enumerate(story_events(articles)):
            for i in event.article_ids:
                labels[i] = (story, number)
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


def neus_stories(splits: tuple[str, ...]) -> list[tuple[str, list[tuple[str, str, None]]]]:
    """(story id, its three title+lead snippets) of the NeuS roundups of the given splits, in file order."""
    found = []
    for split in splits:
        path = DATA / "neus" / "lrc_roundup_probe" / f"{split}.source"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            snippets = []
            for snippet in line.split(" [SEP] "):
                title, _, lead = snippet.partition("ARTICLE=>")
                snippets.append((title.replace("TITLE=>", "").strip(), lead.strip(), None))
            found.append((f"{split}-{n}", snippets))
    return found


def shuffled(stories: list[tuple[str, list]], seed: int = 7) -> tuple[list, list]:
    rows = [(item, story) for story, items in stories for item in items]
    random.Random(seed).shuffle(rows)
    return [r[0] for r in rows], [r[1] for r in rows]


def neus() -> tuple[list, list]:
    return shuffled(neus_stories(("test",)))


def neus_groups() -> list[tuple[list, list]]:
    """The train and val roundups in groups the size of the test split, each shuffled on its own."""
    stories = neus_stories(("train", "val"))
    size = 307
    return [shuffled(stories[k:k + size]) for k in range(0, len(stories), size)]


def roundup_rows() -> list[dict]:
    """Every side's article of the raw roundups: roundup id, topic, date, title, text (first paragraphs)."""
    rows = []
    path = DATA / "neus" / "raw_crawled" / "headline_11_2021-10-19_crawled_all.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        day = date.fromisoformat(record["date"][:10])
        for side in ("left", "center", "right"):
            news = record["news"].get(side)
            if not news or not news.get("newsTitle"):
                continue
            rows.append({"story": record["id"], "topic": record["topic"], "date": day, "title": news["newsTitle"],
                         "text": "\n".join(news.get("newBody") or [])})
    rows.sort(key=lambda r: (r["date"], r["title"], r["story"]))
    return rows


TUNE_UNTIL = date(2021, 7, 15)  # the roundups before this day are what the dated rules are tuned on


def roundups(period: str = "all") -> tuple[list, list]:
    """The raw roundups, all of them or one period: "tune" (April to mid-July 2021) or "held-out" (the rest)."""
    rows = roundup_rows()
    if period != "all":
        rows = [r for r in rows if (r["date"] < TUNE_UNTIL) == (period == "tune")]
    return [(r["title"], r["text"], r["date"]) for r in rows], [r["story"] for r in rows]


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


def quality(name: str, loader, events: bool = False) -> dict:
    items, gold = loader()
    vectors = embed(items)
    started = time.perf_counter()
    predicted = cluster(items, vectors)
    seconds = time.perf_counter() - started
    if events:
        predicted = events_within(items, predicted)
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


def mean_quality(name: str, groups: list[tuple[list, list]]) -> dict:
    """Each group clustered on its own; B-cubed averaged over groups (each group counts once)."""
    everything = [item for items, _gold in groups for item in items]
    vectors = embed(everything)
    scores, at = [], 0
    for items, gold in groups:
        predicted = cluster(items, vectors[at:at + len(items)])
        at += len(items)
        scores.append(bcubed(gold, predicted))
    return {
        "set": name,
        "groups": len(groups),
        "items": len(everything),
        **{k: round(sum(s[k] for s in scores) / len(scores), 4) for k in ("precision", "recall", "f1")},
        "min f1": round(min(s["f1"] for s in scores), 4),
    }


def topic_groups() -> list[tuple[list, list]]:
    by_topic: dict[str, list[dict]] = {}
    for row in roundup_rows():
        by_topic.setdefault(row["topic"], []).append(row)
    return [
        ([(r["title"], r["text"], r["date"]) for r in rows], [r["story"] for r in rows])
        for _topic, rows in sorted(by_topic.items())
        if len({r["story"] for r in rows}) >= 2
    ]


def speed(n: int) -> dict:
    items = scale(n)
    vectors = embed(items)
    before = _memory_mib("VmRSS")
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # the peak (VmHWM) starts again from here
    started, cpu = time.perf_counter(), time.process_time()
    predicted = cluster(items, vectors)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = _memory_mib("VmHWM")
    sizes = Counter(predicted)
    return {
        "set": "article_bias_prediction",
        "items": len(items),
        "predicted clusters": len(sizes),
        "largest cluster": max(sizes.values()),
        "seconds": round(seconds, 1),
        "cpu seconds": round(cpu, 1),  # what counts on a shared machine
        "articles per second": round(len(items) / seconds, 1),
        # what clustering adds to the process at its peak (the articles and their embeddings are loaded before)
        "clustering peak MiB": max(0, peak - before),
    }


def _memory_mib(field: str) -> int:
    with open("/proc/self/status") as status:
        return int(status.read().split(field + ":")[1].split()[0]) // 1024


SETS = {
    "basil": ("basil", lambda _n: quality("basil", basil)),
    "neus": ("neus", lambda _n: quality("neus test", neus)),
    "neus-tune": ("neus", lambda _n: mean_quality("neus train+val", neus_groups())),
    "roundups": ("neus", lambda _n: quality("neus raw roundups", roundups)),
    "topics": ("neus", lambda _n: mean_quality("neus roundups by topic", topic_groups())),
    "roundups-tune": ("neus", lambda _n: quality("neus raw roundups, tune period", lambda: roundups("tune"))),
    "roundups-held-out": ("neus", lambda _n: quality("neus raw roundups, held out", lambda: roundups("held-out"))),
    "roundups-events": ("neus", lambda _n: quality("neus raw roundups as events within stories", roundups, True)),
    "speed": ("article_bias_prediction", speed),
}


def main() -> None:
    global EMBED
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--no-embeddings", action="store_true", help="TF-IDF only (no sentence embeddings)")
    parser.add_argument("--set", nargs="+", default=[], metavar="NAME=VALUE",
                        help="override a constant of parallax/analysis/stories.py, e.g. JOIN_THRESHOLD=0.12")
    parser.add_argument("--articles", type=int, default=10_000, help="articles for the speed run")
    args = parser.parse_args()
    EMBED = not args.no_embeddings
    for assignment in args.set:
        name, _, value = assignment.partition("=")
        if not hasattr(st, name):
            parser.error(f"stories.py has no constant {name}")
        setattr(st, name, type(getattr(st, name))(value))
    for name in args.only:
        folder, run = SETS[name]
        if not (DATA / folder).exists():
            print(json.dumps({"set": name, "skipped": "data not found under ../shared/data"}))
            continue
        print(json.dumps(run(args.articles)), flush=True)


if __name__ == "__main__":
    main()
