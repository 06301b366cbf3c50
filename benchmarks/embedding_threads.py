"""The sentence embedder's cost on real quotes, by threads and by how its idle threads wait.

    PYTHONPATH=$PWD python benchmarks/embedding_threads.py DB [--quotes 1500] [--offset 200000] [--rounds 2]

DB is a Parallax SQLite file with quotes (the local part of `benchmarks/firehose.py` was used). For 1 thread, and
for 2 threads with the pool's idle threads spinning (onnxruntime's default) and waiting (what `Embedder` sets):
CPU seconds and wall time to embed the same quotes, and the largest difference from the 1-thread vectors. The
rounds alternate, so a change in the machine's load falls on every setting alike.
"""

from __future__ import annotations

import argparse
import sqlite3
import time

import numpy as np
import onnxruntime as ort

from parallax.nlp.embeddings import Embedder, model_files, session_options


def embedder(threads: int, spinning: bool) -> Embedder:
    made = Embedder(threads)
    if spinning:  # the same session as Embedder makes, but with onnxruntime's default
        made._session = ort.InferenceSession(str(model_files()[0]), session_options(threads, spinning=True),
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
        for threads, spinning in ((1, False), (2, True), (2, False)):
            model = embedder(threads, spinning)
            wall, cpu = time.perf_counter(), time.process_time()
            vectors = model.embed(texts)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            reference = vectors if reference is None else reference
            setting = f"{threads} thread{'s' if threads > 1 else ''}" + (
                (", spinning" if spinning else ", waiting") if threads > 1 else "")
            difference = float(np.abs(vectors - reference).max())
            print(f"| {round_} | {setting} | {cpu:.2f} | {wall:.2f} | {difference:.1e} |", flush=True)


if __name__ == "__main__":
    main()
