"""Who "he" and "she" are: pronoun speakers on PolNeAR dev against hand labels of the entity behind each Source.

    python benchmarks/pronouns_polnear.py LABELS.jsonl [LABELS.jsonl ...] [--examples N]

LABELS are the speaker-identity labels of PolNeAR dev (benchmarks/data/README.md describes them: one row per
gold Source with its offsets, kind and the entity it stands for). Each labelled article is read from
../shared/data/polnear/data/dev/text and analysed by parallax.nlp.analyse_doc as one text (the headline line
included, so offsets are the file's own). A labelled Source counts when it is a confident "he"/"she"/"him"/"her"
with a named entity and a predicted quote's speaker mention overlaps it; it is right when the entity that speaker
resolved to is the labelled one (its name, one of its aliases, or a name sharing its last word). Reported: how
many were found, the share right, the share left unresolved, and (with --examples) some wrong ones.

A narrow check for the pronoun stage; benchmarks/speakers_polnear.py measures speaker identity over every kind.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT.parent / "shared" / "data" / "polnear" / "data" / "dev" / "text"
PRONOUNS = frozenset({"he", "she", "him", "her"})


def same_entity(predicted: str, gold: str, aliases: list[str]) -> bool:
    names = [gold, *aliases]
    p = predicted.lower().replace("’s", "").replace("'s", "").split()
    return bool(p) and any(p == n.lower().split() or p[-1] == n.lower().split()[-1] for n in names if n.split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("labels", type=Path, nargs="+")
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--timing", action="store_true",
                        help="also time spaCy, the whole NLP stage and the pronoun resolution (salience) in it")
    args = parser.parse_args()
    if not TEXTS.is_dir():
        print(f"pronouns_polnear: {TEXTS} not found (PolNeAR is not staged)", file=sys.stderr)
        return 2
    rows = defaultdict(list)
    for path in args.labels:
        try:
            for line in path.read_text(encoding="utf-8").splitlines():
                r = json.loads(line)
                if r["kind"] == "pronoun" and r["confident"] and r["entity"] and r["text"].lower() in PRONOUNS:
                    rows[r["file"]].append(r)
        except (OSError, ValueError, KeyError) as exc:
            print(f"pronouns_polnear: {path}: unreadable labels ({exc})", file=sys.stderr)
            return 2

    from parallax.nlp import analyse_doc, english_pipeline
    from parallax.nlp.speakers import SpeakerResolver

    clock = {"spacy": 0.0, "nlp": 0.0, "pronouns": 0.0}
    if args.timing and hasattr(SpeakerResolver, "_pronoun"):
        inner = SpeakerResolver._pronoun

        def timed(self, *a, **k):
            t = time.perf_counter()
            try:
                return inner(self, *a, **k)
            finally:
                clock["pronouns"] += time.perf_counter() - t

        SpeakerResolver._pronoun = timed
    nlp = english_pipeline()
    labelled = found = right = unresolved = 0
    wrong = []
    for name in sorted(rows):
        text = (TEXTS / name).read_text(encoding="utf-8")
        t0 = time.perf_counter()
        doc = nlp(text)
        t1 = time.perf_counter()
        a = analyse_doc(doc, None)
        clock["spacy"] += t1 - t0
        clock["nlp"] += time.perf_counter() - t1
        names = {e.id: e.name for e in a.entities}
        speakers = [q.speaker for q in a.quotes if q.speaker is not None and not q.in_title]
        for r in rows[name]:
            labelled += 1
            s = next((s for s in speakers if s.start < r["end"] and r["start"] < s.end), None)
            if s is None:
                continue
            found += 1
            if s.entity is None:
                unresolved += 1
            elif same_entity(names[s.entity], r["entity"], r.get("aliases", [])):
                right += 1
            else:
                wrong.append((name, r["start"], r["text"], r["entity"], names[s.entity]))
    print(f"PolNeAR dev pronoun speakers: {labelled} labelled, {found} found as a speaker mention; "
          f"right {right} ({100 * right / max(1, found):.1f}%), unresolved {unresolved}, wrong {len(wrong)}")
    if args.timing:
        print(f"timing on {len(rows)} texts: spaCy {clock['spacy']:.2f} s; analyse_doc {clock['nlp']:.2f} s "
              f"({100 * clock['nlp'] / clock['spacy']:.1f}% of spaCy); pronoun resolution in it "
              f"{clock['pronouns']:.3f} s ({100 * clock['pronouns'] / clock['spacy']:.2f}% of spaCy)")
    for w in wrong[:args.examples]:
        print("   wrong:", *w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
