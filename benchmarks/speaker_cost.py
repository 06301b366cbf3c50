"""CPU seconds of the entity model and of speaker resolution against spaCy, on PolNeAR dev (issue 11's cost claim).

    PYTHONPATH=. python benchmarks/speaker_cost.py [--label NAME] [--repeat 3]

Each dev text is read and cleaned as ingest does (title apart), parsed with the pipeline ingest runs, then timed
with ``time.process_time`` (CPU, so neighbours' load counts less than in wall time): ``build_entities`` on every
Doc, and ``analyse_doc`` (with its headline) on fresh Docs, of which the time spent in resolving speakers
(``parallax.nlp._speaker``: phrase narrowing, resolution, ``via``) is summed apart; then the names of each
article are linked to actors (``parallax.nlp.actors.resolve``, the registry learning as it goes). The least of
``--repeat`` runs is reported; compare two checkouts by running the script with each on PYTHONPATH, in turns.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import parallax.nlp as nlp_stage
from parallax.ingest import prepare
from parallax.ingest.readers import read_bytes
from parallax.nlp.entities import build_entities

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "data" / "dev" / "text"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    articles = []
    for path in sorted(DATA.glob("*.txt")):
        for record in read_bytes(path.name, path.read_bytes(), "text"):
            found = prepare(record)
            articles.extend(found if isinstance(found, list) else [])
    nlp = nlp_stage.english_pipeline()
    clock = time.process_time
    texts = [a.text for a in articles]
    list(nlp.pipe(texts[:5]))  # warm up
    t0 = clock()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = clock() - t0
    titles = list(nlp.pipe([a.title or "" for a in articles], batch_size=32))
    spent = [0.0]
    speaker = nlp_stage._speaker

    def timed(*a, **k):
        t = clock()
        try:
            return speaker(*a, **k)
        finally:
            spent[0] += clock() - t

    nlp_stage._speaker = timed
    entities, wholes, resolution = [], [], []
    for _ in range(args.repeat):
        t0 = clock()
        for doc in docs:
            build_entities(doc)
        entities.append(clock() - t0)
        fresh = list(nlp.pipe(texts, batch_size=32))  # analyse_doc caches on user_data
        spent[0] = 0.0
        t0 = clock()
        for doc, title in zip(fresh, titles):
            nlp_stage.analyse_doc(doc, None, title)
        wholes.append(clock() - t0)
        resolution.append(spent[0])
    e, w, s = min(entities), min(wholes), min(resolution)
    a = min(actor_resolution(articles, fresh, titles) for _ in range(args.repeat))
    print(f"{args.label}: {len(texts)} texts; spaCy {parse:.2f} s; entity model {e:.2f} s ({100 * e / parse:.1f}%); "
          f"speaker resolution {s:.2f} s ({100 * s / parse:.1f}%); actor resolution {a:.2f} s "
          f"({100 * a / parse:.1f}%); together {100 * (e + s + a) / parse:.1f}%; "
          f"whole analyse_doc {w:.2f} s ({100 * w / parse:.1f}%)")
    return 0


def actor_resolution(articles, docs, titles) -> float:
    """CPU seconds of linking every article's names to actors (the registry of a fresh database with the shipped
    packs, learning each article's new actors as ingest does), as ingest's storing step runs it."""
    import tempfile

    from parallax.app import Parallax
    from parallax.nlp.actors import resolve

    analyses = [nlp_stage.analyse_doc(doc, None, title) for doc, title in zip(docs, titles)]
    with tempfile.TemporaryDirectory() as folder:
        engine = Parallax(str(Path(folder) / "cost.db"))
        registry = engine._registry()
        t0 = time.process_time()
        for article, analysis in zip(articles, analyses):
            resolve(analysis, registry, article.published)
        spent = time.process_time() - t0
        engine.close()
    return spent


if __name__ == "__main__":
    raise SystemExit(main())
