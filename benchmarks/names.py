"""Name resolution benchmark: real public figures and places against the shipped packs.

Cases come from benchmarks/names_cases.yaml (transliteration variants, mangled first names, typos, surnames
with and without context, title-only descriptions on a date, places and organisations, and names that must
NOT link to any pack actor), plus one- and two-letter typos of pack surnames made here with a fixed seed.

    PYTHONPATH=. python benchmarks/names.py [--verbose]

Reports accuracy (the expected actor, or no pack actor for a negative), link precision (links to the
right actor / all links to pack actors) and the abstention rate (no link at all).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import yaml

from parallax.knowledge.names import alias_key
from parallax.knowledge.packs import load_shipped
from parallax.knowledge.registry import Registry
from parallax.model import Entity
from parallax.nlp.actors import link
from parallax.nlp.roles import resolve_description

CASES = Path(__file__).with_name("names_cases.yaml")
DEFAULT_DATE = date(2025, 6, 1)
SEED = 20250601


def _case(category: str, raw) -> dict:
    if isinstance(raw, list):
        return {"category": category, "text": raw[0], "expect": raw[1]}
    return {"category": category, **raw}


def load_cases(path: Path = CASES) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [_case(category, raw) for category, items in data.items() for raw in items]


def _typo(word: str, rng: random.Random, edits: int) -> str:
    """Swap, drop or double a letter inside the word (never the first), as rewriting tools do."""
    letters = list(word)
    for _ in range(edits):
        i = rng.randrange(1, len(letters) - 1)
        op = rng.choice(("swap", "drop", "double", "vowel"))
        if op == "swap":
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
        elif op == "drop":
            del letters[i]
        elif op == "double":
            letters.insert(i, letters[i])
        else:
            letters[i] = rng.choice("aeiou") if letters[i] in "aeiou" else letters[i]
    return "".join(letters)


def typo_cases(actors, rng: random.Random, per_kind: int = 90) -> list[dict]:
    """Surname typos of pack people: one letter wrong in surnames of 6+ letters, two in 9+ letters."""
    people = sorted((a for a in actors if a.kind == "person" and len(a.name.split()) >= 2), key=lambda a: a.id)
    cases = []
    for edits, min_len, count in ((1, 6, per_kind), (2, 9, per_kind // 2)):
        pool = [a for a in people if len(a.name.split()[-1]) >= min_len]
        for actor in rng.sample(pool, min(count, len(pool))):
            *first, last = actor.name.split()
            garbled = _typo(last, rng, edits)
            if alias_key(garbled) == alias_key(last):
                continue  # the typo happened to be an ordinary variant
            cases.append({"category": f"typo{edits}_generated", "text": " ".join([*first, garbled]),
                          "expect": actor.id})
    return cases


def run(cases: list[dict], registry: Registry) -> list[dict]:
    results = []
    for case in cases:
        on = case.get("date") or DEFAULT_DATE
        if "description" in case:
            got = resolve_description(case["description"], [], registry.actors, on)
        else:
            entity = Entity(id=0, name=case["text"], kind=case.get("kind", "person"),
                            descriptors=frozenset(case.get("context", ())))
            got, _score = link(entity, registry, on)
        results.append({**case, "got": got})
    return results


def score(results: list[dict]) -> dict:
    total = len(results)
    right = sum(r["got"] == r["expect"] for r in results)
    links = [r for r in results if r["got"] is not None]
    good_links = sum(r["got"] == r["expect"] for r in links)
    return {
        "cases": total,
        "accuracy": right / total if total else 0.0,
        "link_precision": good_links / len(links) if links else 1.0,
        "abstention": (total - len(links)) / total if total else 0.0,
        "negatives": sum(r["expect"] is None for r in results),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="print every wrong case")
    args = parser.parse_args(argv)
    pack = load_shipped()
    registry = Registry.of(list(pack.actors))
    cases = load_cases() + typo_cases(pack.actors, random.Random(SEED))
    started = time.perf_counter()
    results = run(cases, registry)
    elapsed = time.perf_counter() - started
    overall = score(results)
    by_category = defaultdict(list)
    for r in results:
        by_category[r["category"]].append(r)
    print(f"pack actors: {len(pack.actors)}  cases: {overall['cases']}  negatives: {overall['negatives']}")
    print(f"{'category':22} {'cases':>5} {'accuracy':>9} {'precision':>9} {'abstain':>8}")
    for category, rows in by_category.items():
        s = score(rows)
        print(f"{category:22} {s['cases']:5d} {s['accuracy']:9.3f} {s['link_precision']:9.3f} {s['abstention']:8.3f}")
    print(f"{'ALL':22} {overall['cases']:5d} {overall['accuracy']:9.3f} {overall['link_precision']:9.3f} "
          f"{overall['abstention']:8.3f}")
    print(f"resolution time: {1000 * elapsed / max(1, len(results)):.2f} ms per case")
    wrong = [r for r in results if r["got"] != r["expect"]]
    kinds = Counter("wrong link" if r["got"] else "missed" for r in wrong)
    print(f"errors: {dict(kinds)}")
    if args.verbose:
        for r in wrong:
            print(f"  [{r['category']}] {r.get('text') or r.get('description')!r}: expected {r['expect']}, got {r['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
