"""Speaker identity on PolNeAR dev: is the actor a quote is credited to the entity that really said it?

    python benchmarks/speakers_polnear.py [--labels FILE ...] [--from-export F] [--save-export F] [--examples N] [-j N]

PolNeAR marks each attribution's Source as the local mention ("he", "the senator", "the campaign"), so
benchmarks/quotes_polnear.py can only check that the predicted mention overlaps it. Here the entity behind every
Source of dev was labelled by reading the articles (benchmarks/data/polnear_dev_speakers.jsonl, procedure in
benchmarks/data/README.md; when that file is absent the part files polnear_dev_speakers_*.jsonl are read).

The split is ingested through the real CLI and `parallax export --format json` is read, as quotes_polnear.py does,
and attributions are matched to quotes by content with its own matching (token Jaccard >= 0.5, one-to-one). On
the matched pairs whose label is confident and names an entity, the quote's speaker actor (speaker.actor_id ->
the actor's name and aliases) must be that entity: overall and by kind of the local mention (name, partial name,
pronoun, description, organisation). A name matches when the normalised full names, or an alias of either side,
are equal, or when the surnames are equal and the given names compatible (equal, an initial, a short form, or
absent on one side); a body ("Trump campaign", "Obama administration") never matches a person ("Donald Trump").
On the matched pairs whose label is a confident generic source ("officials", "a source"), the speaker must stay
unnamed (no actor). Group sources are never confident and are left out.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quotes_polnear import (  # noqa: E402  (the matching is quotes_polnear's, not a copy)
    DATA, ROOT, Predictions, gold_files, ingest_split, match, read_gold, token_ids,
)

LABELS = ROOT / "benchmarks" / "data"
KINDS = ("name", "partial name", "pronoun", "description", "organisation")
TARGETS = {"overall": 92.0, "pronoun": 88.0, "description": 75.0, "organisation": 85.0, "unnamed kept": 95.0}
# Words that make a name a body; a body is never the person it is named after.
BODY_WORDS = frozenset("""campaign administration committee party foundation center centre institute university
    council court department agency bureau office house times post news network journal press service ministry
    government commission association union fund organization organisation group inc corp company senate congress
    board team staff""".split())
TITLES = frozenset("mr mrs ms miss dr sen senator rep gov president secretary gen rev sir madam the".split())


@dataclass(frozen=True)
class Label:
    file: str
    start: int
    end: int
    text: str
    kind: str
    entity: str | None
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    confident: bool


def read_labels(paths: list[Path]) -> dict[tuple[str, int, int], Label]:
    labels: dict[tuple[str, int, int], Label] = {}
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                label = Label(row["file"], int(row["start"]), int(row["end"]), row["text"], row["kind"] or "",
                              row.get("entity"), tuple(row.get("aliases") or ()), tuple(row.get("members") or ()),
                              bool(row.get("confident")))
            except (ValueError, KeyError, TypeError) as exc:
                print(f"{path.name}:{n}: skipped, not a label row ({exc})", file=sys.stderr)
                continue
            labels[(label.file, label.start, label.end)] = label
    return labels


def default_label_files() -> list[Path]:
    whole = LABELS / "polnear_dev_speakers.jsonl"
    return [whole] if whole.is_file() else sorted(LABELS.glob("polnear_dev_speakers_*.jsonl"))


# ------------------------------------------------------------------------------------------------ names

def words(name: str) -> list[str]:
    """Lower-case ASCII words of a name, without possessives and titles ("Mr.", "Sen.", "the")."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("'s", " ").replace("’s", " ")
    out = []
    for raw in folded.replace("-", " ").replace(".", ". ").split():
        w = "".join(c for c in raw if c.isalnum())
        if w and w not in TITLES:
            out.append(w)
    return out


def is_body(name: str) -> bool:
    return bool(set(words(name)) & BODY_WORDS)


def _given_compatible(a: list[str], b: list[str]) -> bool:
    """Given names of two forms of one surname: absent on one side, equal, an initial, or a short form."""
    if not a or not b:
        return True
    x, y = a[0], b[0]
    return x == y or (min(len(x), len(y)) == 1 and x[0] == y[0]) or (
        min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)))


def same_person(a: str, b: str) -> bool:
    """One person's two forms: the same surname and compatible given names ("Donald J. Trump" / "Trump")."""
    wa, wb = words(a), words(b)
    return bool(wa and wb) and wa[-1] == wb[-1] and _given_compatible(wa[:-1], wb[:-1])


def _forms(name: str, aliases) -> set[tuple[str, ...]]:
    """The forms two labels may share exactly: the name, and aliases that are no bare surname ("Trump" is
    an alias of Donald Trump and of the Trump campaign alike); acronyms ("FBI", "S.E.C.") count."""
    keep = [name] + [a for a in aliases if len(words(a)) > 1 or is_body(a) or a.replace(".", "").isupper()]
    return {tuple(words(f)) for f in keep if words(f)}


def same_entity(gold: Label, actor: dict) -> bool:
    if gold.entity is None:
        return False
    if _forms(gold.entity, gold.aliases) & _forms(actor["name"], actor.get("aliases") or ()):
        return True
    gold_body = is_body(gold.entity) or gold.kind == "organisation"
    actor_body = actor.get("kind") not in (None, "person") or is_body(actor["name"])
    if gold_body or actor_body:
        return False  # bodies match whole; "Trump campaign" is never "Donald Trump"
    return same_person(gold.entity, actor["name"])


# ------------------------------------------------------------------------------------------------ score

def pairs_with_speakers(pairs, export: dict):
    """(file, gold attribution, predicted quote or None) for every gold attribution of the split."""
    predictions = Predictions(export)
    for txt, ann in pairs:
        raw = txt.read_text(encoding="utf-8")
        gold = read_gold(ann)
        preds = [(q, tokens) for q, tokens, _, _ in predictions.of(txt.name, raw)]
        matched = {gi: pi for gi, pi, _ in match([token_ids(raw, g.content) for g in gold], [t for _, t in preds])}
        for gi, g in enumerate(gold):
            yield txt.name, raw, g, (preds[matched[gi]][0] if gi in matched else None)


def score(pairs, export: dict, labels: dict, examples: int = 5) -> dict:
    actors = {a["id"]: a for a in export["actors"]}
    total, right, unmatched_labels = Counter(), Counter(), Counter()
    unnamed_total = unnamed_kept = 0
    errors: dict[str, list[str]] = defaultdict(list)
    labelled = 0
    calibration: dict[str, list] = {}  # via -> [resolved, right, summed confidence]
    for name, raw, gold, quote in pairs_with_speakers(pairs, export):
        if not gold.source:
            continue
        label = labels.get((name, gold.source[0][0], gold.source[-1][1]))
        if label is None:
            continue
        labelled += 1
        if quote is None:
            unmatched_labels[label.kind] += 1
            continue
        speaker = quote.get("speaker") or {}
        actor = actors.get(speaker.get("actor_id")) if speaker.get("actor_id") is not None else None
        if not label.confident or label.members:
            continue
        if label.entity is None:
            if label.kind == "generic":
                unnamed_total += 1
                unnamed_kept += actor is None
                if actor is not None and len(errors["unnamed kept"]) < examples:
                    errors["unnamed kept"].append(f"{name}: {label.text!r} credited to {actor['name']!r} "
                                                  f"(local {speaker.get('text')!r})")
            continue
        kind = label.kind if label.kind in KINDS else "other"
        total[kind] += 1
        ok = actor is not None and same_entity(label, actor)
        right[kind] += ok
        if speaker.get("via"):  # once the export carries how a speaker was resolved: is its confidence honest?
            via = calibration.setdefault(speaker["via"], [0, 0, 0.0])
            via[0] += 1
            via[1] += ok
            via[2] += float(speaker.get("confidence") or 0.0)
        if not ok and len(errors[kind]) < examples:
            got = actor["name"] if actor else None
            errors[kind].append(f"{name}: {label.text!r} is {label.entity!r}, got {got!r} "
                                f"(local {speaker.get('text')!r}) :: {quote['text'][:70]!r}")
    n, ok = sum(total.values()), sum(right.values())
    return {
        "labelled_attributions": labelled,
        "matched_named_confident": n,
        "overall": round(100 * ok / n, 1) if n else None,
        "by_kind": {k: {"n": total[k], "right": right[k], "pct": round(100 * right[k] / total[k], 1)}
                    for k in (*KINDS, "other") if total[k]},
        "unnamed": {"n": unnamed_total, "kept": unnamed_kept,
                    "pct": round(100 * unnamed_kept / unnamed_total, 1) if unnamed_total else None},
        "labelled_but_unmatched_by_kind": dict(unmatched_labels),
        "by_via": {v: {"n": n, "pct_right": round(100 * r / n, 1), "mean_confidence": round(c / n, 2)}
                   for v, (n, r, c) in sorted(calibration.items())},
        "errors": dict(errors),
    }


def print_table(result: dict) -> None:
    print(f"PolNeAR dev speaker identity: {result['labelled_attributions']} labelled attributions, "
          f"{result['matched_named_confident']} matched by content with a confident named label")
    print(f"{'kind':<16}{'n':>6}{'right':>7}{'%':>7}{'target':>8}")
    for kind, row in result["by_kind"].items():
        target = TARGETS.get(kind)
        print(f"{kind:<16}{row['n']:>6}{row['right']:>7}{row['pct']:>7}{target if target else '':>8}")
    n, ok = result["matched_named_confident"], sum(r["right"] for r in result["by_kind"].values())
    print(f"{'overall':<16}{n:>6}{ok:>7}{result['overall']!s:>7}{TARGETS['overall']:>8}")
    u = result["unnamed"]
    print(f"{'unnamed kept':<16}{u['n']:>6}{u['kept']:>7}{u['pct']!s:>7}{TARGETS['unnamed kept']:>8}")
    print("labelled attributions with no matched quote, by kind:", result["labelled_but_unmatched_by_kind"])
    for via, row in result["by_via"].items():
        print(f"  resolved via {via:<13} n={row['n']:>4}  right {row['pct_right']:>5}%  "
              f"mean confidence {row['mean_confidence']}")
    for kind, lines in result["errors"].items():
        print(f"\nerrors, {kind}:")
        for line in lines:
            print("  ", line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, nargs="+", help="label files (default: benchmarks/data)")
    parser.add_argument("--examples", type=int, default=5, help="errors shown per kind")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="ingest worker processes (default 2)")
    parser.add_argument("--save-export", type=Path, help="also write the export JSON to this file")
    parser.add_argument("--from-export", type=Path, help="score this saved export instead of ingesting again")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    if not (DATA / "dev" / "text").is_dir():
        print(f"skipped: PolNeAR data not found at {DATA / 'dev'} (see ../shared/data/polnear)", file=sys.stderr)
        return 0
    files = args.labels or default_label_files()
    missing = [str(p) for p in files if not p.is_file()]
    if not files or missing:
        print(f"no speaker labels: {', '.join(missing) or LABELS / 'polnear_dev_speakers.jsonl'} not found",
              file=sys.stderr)
        return 2
    labels = read_labels(files)
    labelled_files = {k[0] for k in labels}
    pairs = [(t, a) for t, a in gold_files("dev") if t.name in labelled_files]
    if args.from_export:
        data = json.loads(args.from_export.read_text(encoding="utf-8"))
    else:
        data, _ = ingest_split(pairs, args.jobs)
        if data is None:
            return 1
        if args.save_export:
            args.save_export.write_text(json.dumps(data), encoding="utf-8")
    result = score(pairs, data, labels, args.examples)
    print(json.dumps(result, indent=1) if args.json else "", end="\n" if args.json else "")
    if not args.json:
        print_table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
