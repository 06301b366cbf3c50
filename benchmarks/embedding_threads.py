"""The sentence embedder's cost on real quotes, by threads and by how they share the work.

    PYTHONPATH=$PWD python benchmarks/embedding_threads.py DB [--quotes 1500] [--offset 200000] [--rounds 2]

DB is a Parallax SQLite file with quotes (the local part of `benchmarks/firehose.py` was used). For 1 thread; for
2 threads inside the model, each batch split over them, with the pool's idle threads spinning (onnxruntime's
default) and waiting; and for 2 batches at once on one thread each (what `Embedder(2)` does): CPU seconds and wall
time to embed the same quotes, and the largest difference from the 1-thread vectors. The rounds alternate, so a
change in the machine's load falls on every setting alike.
"""

from __future__ import annotations

import argparse
import sqlite3
import time

import numpy as np
import onnxruntime as ort

from parallax.nlp.embeddings import Embedder, model_files, session_options

SETTINGS = {  # name: (threads inside the model, whether idle ones spin, batches at once)
    "1 thread": (1, False, 1),
    "2 threads in the model, spinning": (2, True, 1),
    "2 threads in the model, waiting": (2, False, 1),
    "2 batches at once": (1, False, 2),
}


def embedder(inside: int, spinning: bool, at_once: int) -> Embedder:
    made = Embedder(at_once)
    if inside > 1:  # the same model, its session computing each batch on several threads
        made._session = ort.InferenceSession(str(model_files()[0]), session_options(inside, spinning),
                                             providers=["CPUExecutionProvider"])
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--quotes", type=int, default=1500)
    parser.add_argument("--offset", type=int, default=200000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as conn:
        query = "select text from quotes where text != '' order by id limit ? offset ?"
        texts = [row[0] for row in conn.execute(query, (args.quotes, args.offset))]
    print(f"{len(texts)} quotes, {np.mean([len(t) for t in texts]):.0f} characters on average")
    print("| round | setting | CPU s | wall s | largest difference |")
    print("|---:|---|---:|---:|---:|")
    reference = None
    for round_ in range(1, args.rounds + 1):
        for setting, (inside, spinning, at_once) in SETTINGS.items():
            model = embedder(inside, spinning, at_once)
            wall, cpu = time.perf_counter(), time.process_time()
            vectors = model.embed(texts)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            reference = vectors if reference is None else reference
            difference = float(np.abs(vectors - reference).max())
            print(f"| {round_} | {setting} | {cpu:.2f} | {wall:.2f} | {difference:.1e} |", flush=True)


if __name__ == "__main__":
    main()
