"""Fit the weights of the salience scorer (parallax/nlp/salience_weights.json) on GAP.

    python benchmarks/train_salience.py [--train gap-development.tsv] [--tune gap-validation.tsv] [--write]

Recipe: every GAP development row gives two examples, candidate A and candidate B, with the features
parallax.nlp.salience computes for them (the same code the product runs) and the gold label (does the pronoun
refer to it). A logistic regression with an L2 penalty is fitted to them by Newton's method (numpy only, no new
dependency). The reporting features (last_speaker, continues_voice, speaker_turns, paragraph_distance,
newcomer) are always zero in GAP and keep the hand-set weights already in the file. Then the probability
threshold below which the answer is "neither" is chosen on gap-validation (the best overall F1 on a 0.05 grid).
``--write`` stores both.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gap import decide, parse, ranked, read_rows, score_rows  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "gap"
WEIGHTS = ROOT / "parallax" / "nlp" / "salience_weights.json"
# The rule priors the first round chains with (any sensible start gives the same second round).
PRIOR = {"bias": -1.0, "role_subj": 1.0, "main_subject": 0.5, "embedded": -0.5, "parallel": 0.5, "nearest": 0.5,
         "coargument": -3.0, "sentence_distance": -0.7, "mentions": 0.3}
HAND_SET = ("last_speaker", "continues_voice", "speaker_turns", "paragraph_distance", "newcomer")


def examples(rows, docs, w: dict[str, float]) -> tuple[list[dict[str, float]], list[int]]:
    """Features do not depend on the weights, except through the earlier pronouns chained by them."""
    features, labels = [], []
    for row, doc in zip(rows, docs):
        for s in ranked(doc, row, w):
            features.append(s.features)
            labels.append(int(row.a_coref if s.key == 0 else row.b_coref))
    return features, labels


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Logistic regression by Newton's method; the last column is the bias, not penalised."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, default=DATA / "gap-development.tsv")
    parser.add_argument("--tune", type=Path, default=DATA / "gap-validation.tsv")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    stored = json.loads(WEIGHTS.read_text())
    train_rows = read_rows(args.train)
    train_docs = parse(train_rows)
    new = PRIOR
    for _ in range(args.rounds):  # chain with the weights of the round before, then refit
        features, labels = examples(train_rows, train_docs, new)
        names = sorted({k for f in features for k in f} - set(HAND_SET))
        x = np.array([[f.get(n, 0.0) for n in names] + [1.0] for f in features])
        w = fit(x, np.array(labels, dtype=float), args.l2)
        learned = {n: round(float(v), 4) for n, v in zip(names, w[:-1])}
        learned["bias"] = round(float(w[-1]), 4)
        new = {**learned, **{k: stored["weights"][k] for k in HAND_SET if k in stored["weights"]}}
    print("weights:", json.dumps(learned, indent=1))

    rows = read_rows(args.tune)
    docs = parse(rows)
    scored = [ranked(doc, row, new) for row, doc in zip(rows, docs)]
    best = max((score_rows(rows, [decide(s, t) for s in scored])["overall"], -abs(t - 0.5), t)
               for t in np.arange(0.05, 1.0, 0.05).round(2))
    threshold = float(best[2])
    print(f"tuned threshold {threshold}: {score_rows(rows, [decide(s, threshold) for s in scored])}")
    if args.write:
        stored["weights"] = new
        stored["weights"]["gap_threshold"] = threshold
        stored["recipe"] = (f"benchmarks/train_salience.py --l2 {args.l2} --rounds {args.rounds} --write: logistic regression on "
                            f"{args.train.name} ({len(labels)} candidate examples, {args.rounds} rounds of chaining earlier "
                            f"pronouns with the weights of the round before), threshold on {args.tune.name}")
        WEIGHTS.write_text(json.dumps(stored, indent=1) + "\n")
        print(f"written to {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
