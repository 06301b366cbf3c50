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

from parallax.nlp.embeddings import Embedder, model_files


def embedder(threads: int, spinning: bool) -> Embedder:
    made = Embedder(threads)
    if spinning:  # the same session as Embedder makes, with onnxruntime's default
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "1")
        made._session = ort.InferenceSession(str(model_files()[0]), options, providers=["CPUExecutionProvider"])
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--quotes", type=int, default=1500)
    parser.add_argument("--offset", type=int, default=200000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as conn:
        texts = [row[0] for row in conn.execute("select text from quotes where text != '' order by id limit ? offset ?",
                                                (args.quotes, args.offset))]
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
            print(f"| {round_} | {setting} | {cpu:.2f} | {wall:.2f} | {float(np.abs(vectors - reference).max()):.1e} |",
                  flush=True)


if __name__ == "__main__":
    main()
