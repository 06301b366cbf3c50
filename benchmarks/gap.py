"""GAP coreference (Webster et al., TACL 2018), snippet-context, scored with the product's salience scorer.

    python benchmarks/gap.py FILE.tsv [--threshold P] [--errors N] [--json]

Each row's text is parsed with Parallax's spaCy pipeline; A and B become salience candidates (parallax.nlp.salience)
with every mention of their name in the text (the full name and the words of it the other name does not share);
the pronoun refers to the better-scored one when its probability reaches the threshold (stored beside the
weights, tuned on gap-validation.tsv by benchmarks/train_salience.py), else to neither. The URL is not used.

Scored as the official gap_scorer.py scores (reimplemented here): every row gives two decisions, A and B, each a
true/false positive/negative against the gold; F1 per gender of the pronoun, overall, and the bias F/M.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parallax.nlp import english_pipeline  # noqa: E402
from parallax.nlp.salience import Candidate, Scored, chained, probability, rank, weights  # noqa: E402

FEMININE = frozenset({"she", "her", "hers", "herself"})
MASCULINE = frozenset({"he", "him", "his", "himself"})
GENDERS = {"M": "male", "F": "female"}


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    pronoun: str
    pronoun_offset: int
    a: str
    a_offset: int
    a_coref: bool
    b: str
    b_offset: int
    b_coref: bool

    @property
    def gender(self) -> str:
        word = self.pronoun.lower()
        if word in FEMININE:
            return "F"
        if word in MASCULINE:
            return "M"
        raise ValueError(f"{self.id}: pronoun {self.pronoun!r} has no gender")


def read_rows(path: Path) -> list[Row]:
    def flag(value: str, row_id: str, column: str) -> bool:
        if value.strip().upper() not in ("TRUE", "FALSE"):
            raise ValueError(f"{path}: row {row_id}: {column} is {value!r}, not TRUE or FALSE")
        return value.strip().upper() == "TRUE"

    rows = []
    with path.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            rows.append(Row(r["ID"], r["Text"], r["Pronoun"], int(r["Pronoun-offset"]), r["A"], int(r["A-offset"]),
                            flag(r["A-coref"], r["ID"], "A-coref"), r["B"], int(r["B-offset"]),
                            flag(r["B-coref"], r["ID"], "B-coref")))
    return rows


def _token_at(doc, char: int) -> int:
    for t in doc:
        if t.idx <= char < t.idx + max(1, len(t.text)):
            return t.i
        if t.idx > char:
            return max(0, t.i - 1)
    return len(doc) - 1


def _span_at(doc, char: int, name: str) -> tuple[int, int]:
    span = doc.char_span(char, char + len(name), alignment_mode="expand")
    if span is None or not len(span):
        i = _token_at(doc, char)
        return i, i + 1
    return span.start, span.end


def _words(name: str) -> set[str]:
    return {w.strip(".,'\"()").lower() for w in name.split() if len(w.strip(".,'\"()")) > 1}


def name_mentions(doc, name: str, offset: int, other: str) -> tuple[tuple[int, int], ...]:
    """The given mention and every run of capitalised tokens made of the name's own words (not the other's)."""
    own = _words(name) - _words(other)
    spans = {_span_at(doc, offset, name)}
    i = 0
    while i < len(doc):
        if doc[i].text[:1].isupper() and doc[i].lower_ in own:
            j = i
            while j < len(doc) and doc[j].text[:1].isupper() and doc[j].lower_ in _words(name):
                j += 1
            spans.add((i, j))
            i = j
        else:
            i += 1
    ordered: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if ordered and s < ordered[-1][1]:
            continue
        ordered.append((s, e))
    return tuple(ordered)


def candidates(doc, row: Row) -> tuple[Candidate, Candidate]:
    return (Candidate(0, name_mentions(doc, row.a, row.a_offset, row.b)),
            Candidate(1, name_mentions(doc, row.b, row.b_offset, row.a)))


def pronoun_token(doc, row: Row):
    return doc[_token_at(doc, row.pronoun_offset)]


def parse(rows: list[Row]):
    nlp = english_pipeline()
    return list(nlp.pipe((r.text for r in rows), batch_size=64))


def ranked(doc, row: Row, w: dict[str, float] | None = None) -> list[Scored]:
    pronoun = pronoun_token(doc, row)
    return rank(doc, pronoun, chained(doc, pronoun, list(candidates(doc, row)), GENDERS[row.gender], w=w), w)


def decide(scored: list[Scored], threshold: float) -> tuple[bool, bool]:
    best = scored[0]
    chosen = best.key if probability(best.score) >= threshold else None
    return chosen == 0, chosen == 1


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, system: bool) -> None:
        if gold and system:
            self.tp += 1
        elif system:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    def f1(self) -> float:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return 100 * 2 * p * r / (p + r) if p + r else 0.0


def score_rows(rows: list[Row], decisions: list[tuple[bool, bool]]) -> dict[str, float]:
    tallies = {"overall": Tally(), "M": Tally(), "F": Tally()}
    for row, (a, b) in zip(rows, decisions):
        for tally in (tallies["overall"], tallies[row.gender]):
            tally.add(row.a_coref, a)
            tally.add(row.b_coref, b)
    m, f = tallies["M"].f1(), tallies["F"].f1()
    return {"masculine": round(m, 1), "feminine": round(f, 1), "overall": round(tallies["overall"].f1(), 1),
            "bias": round(f / m, 3) if m and f else 0.0, "rows": len(rows)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tsv", type=Path)
    parser.add_argument("--threshold", type=float, help="probability below which the answer is neither")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong rows")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.tsv.is_file():
        print(f"gap: {args.tsv}: no such file", file=sys.stderr)
        return 2
    try:
        rows = read_rows(args.tsv)
    except (ValueError, KeyError) as exc:
        print(f"gap: {args.tsv}: not a GAP file ({exc})", file=sys.stderr)
        return 2
    threshold = args.threshold if args.threshold is not None else weights()["gap_threshold"]
    docs = parse(rows)
    decisions, shown = [], 0
    for row, doc in zip(rows, docs):
        scored = ranked(doc, row)
        decision = decide(scored, threshold)
        decisions.append(decision)
        if shown < args.errors and decision != (row.a_coref, row.b_coref):
            shown += 1
            print(f"{row.id} {row.pronoun}@{row.pronoun_offset} gold A={row.a_coref} B={row.b_coref} "
                  f"got A={decision[0]} B={decision[1]}  A={row.a!r} B={row.b!r}")
            for s in scored:
                print(f"   {'AB'[s.key]} {s.score:+.2f} " + " ".join(f"{k}={v:.2g}" for k, v in s.features.items() if v))
            print("   " + row.text[max(0, row.pronoun_offset - 300):row.pronoun_offset + 60].replace("\n", " "))
    result = score_rows(rows, decisions)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.tsv.name}: {result['rows']} rows, threshold {threshold}")
        print(f"masculine F1 {result['masculine']}  feminine F1 {result['feminine']}  overall F1 {result['overall']}"
              f"  bias (F/M) {result['bias']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
