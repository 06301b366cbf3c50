"""Worksheet for labelling BASIL quote pairs as the same statement or not (see data/basil_statement_pairs.md).

    python benchmarks/statement_pairs_sheet.py --export /tmp/basil.export.json > /tmp/pairs_sheet.jsonl
    python benchmarks/statement_pairs_sheet.py --export /tmp/basil.export.json --text > /tmp/pairs_sheet.txt

Candidates are pairs of quotes credited to the same actor in two outlets' articles on one BASIL event. The
sheet holds every pair Parallax links as one statement, and a fixed-seed sample of the others: the most
similar wordings (likely restatements Parallax missed), pairs of middling similarity (hard negatives: same
speaker, same event, different content), pairs where a speaker was found through a pronoun or a description
(the credit may be wrong), a random remainder, and last a uniform sample of the unlinked pairs left over, each
weighted by how many pairs it stands for (so the benchmark can estimate precision and recall over all
candidates). Similarity here is this script's own crude word and number overlap, not Parallax's matcher, so
the sample does not only look where Parallax looks.
Each row carries the quotes as offsets into BASIL's text; the --text rendering shows each quote in its
paragraph (and the one before, for pronouns) for the reader. Nothing of it is meant for the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements import fingerprint, locate, match_articles  # noqa: E402
from stories import basil_articles  # noqa: E402

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_NUMBER = re.compile(r"\d[\d,.]*")
_COMMON = frozenset("""
    a an the this that these those which who whom what it its they them their we us our you your i me my he him
    his she her and or but so if then than as of at by for from in into on to with about over be am is are was
    were been being have has had do does did will would should can could may might must not no there here said
    says say also very just only such more most all any some one because when
""".split())
PRONOUNS = frozenset("he she they it his her their we i you who".split())


def terms(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _COMMON and len(w) > 2}


def similarity(x: str, y: str) -> float:
    """Crude overlap of two wordings: the better of Jaccard and containment of the shorter, plus a bonus for
    each shared number."""
    a, b = terms(x), terms(y)
    if not a or not b:
        return 0.0
    shared = len(a & b)
    numbers = set(_NUMBER.findall(x)) & set(_NUMBER.findall(y))
    return max(shared / len(a | b), shared / min(len(a), len(b)) * min(1.0, min(len(a), len(b)) / 4)) \
        + 0.1 * len(numbers)


def vague(quote: dict) -> bool:
    text = quote["speaker"]["text"].lower()
    return text.split()[0] in PRONOUNS or text.startswith(("the ", "a ", "an "))


def candidates(export: dict, articles: list[dict]) -> tuple[list[dict], dict]:
    exported = match_articles(export, articles)
    basil_of = {v["id"]: k for k, v in exported.items()}
    info = {a["id"]: a for a in articles}
    statement_of = {qid: s["id"] for s in export["statements"] for qid in s["quote_ids"]}
    groups: dict[tuple, list[dict]] = defaultdict(list)
    quotes = {q["id"]: q for q in export["quotes"]}
    for q in export["quotes"]:
        if q.get("in", "text") != "text" or not q["speaker"] or not q["speaker"]["actor_id"]:
            continue
        groups[(info[basil_of[q["article_id"]]]["event"], q["speaker"]["actor_id"])].append(q)
    pairs, seen = [], set()

    def add(q1: dict, q2: dict) -> None:
        key = tuple(sorted((q1["id"], q2["id"])))
        b1, b2 = basil_of[q1["article_id"]], basil_of[q2["article_id"]]
        if key in seen or b1 == b2 or info[b1]["event"] != info[b2]["event"]:
            return
        seen.add(key)
        linked = statement_of.get(q1["id"]) is not None and statement_of.get(q1["id"]) == statement_of.get(q2["id"])
        pairs.append({"q": key, "linked": linked, "sim": round(similarity(q1["text"], q2["text"]), 3),
                      "vague": vague(q1) or vague(q2),
                      "group": (info[b1]["event"], q1["speaker"]["actor_id"] or q2["speaker"]["actor_id"] or "")})

    for qs in groups.values():
        for i, q1 in enumerate(qs):
            for q2 in qs[i + 1:]:
                add(q1, q2)
    # Parallax may link quotes whose credited actors differ (a vague speaker rescued by its wording).
    members: dict[int, list[dict]] = defaultdict(list)
    for qid, sid in statement_of.items():
        if quotes[qid].get("in", "text") == "text" and quotes[qid]["speaker"]:
            members[sid].append(quotes[qid])
    for qs in members.values():
        for i, q1 in enumerate(qs):
            for q2 in qs[i + 1:]:
                add(q1, q2)
    return pairs, {"quotes": quotes, "basil_of": basil_of, "exported": exported, "info": info}


def sample(pairs: list[dict], seed: int, overlap: int, hard: int, doubt: int, rest: int, uniform: int) -> list[dict]:
    """Every linked pair, the targeted strata, then a uniform sample of the unlinked pairs left over. Each
    uniform pair stands for (pairs left over / uniform) pairs: its weight, which lets the benchmark estimate
    precision and recall over every candidate pair and not only over the targeted ones."""
    rng = random.Random(seed)
    chosen = [dict(p, sampled_as="linked") for p in pairs if p["linked"]]
    pool = [p for p in pairs if not p["linked"]]
    rng.shuffle(pool)
    per_group: dict[tuple, int] = defaultdict(int)

    def take(rows: list[dict], n: int, label: str, cap: int) -> None:
        for p in rows:
            if n == 0:
                return
            if p.get("sampled_as") or per_group[p["group"]] >= cap:
                continue
            p["sampled_as"] = label
            per_group[p["group"]] += 1
            chosen.append(p)
            n -= 1

    take(sorted(pool, key=lambda p: -p["sim"]), overlap, "overlap", 4)
    take([p for p in pool if 0.12 <= p["sim"] < 0.45], hard, "hard_negative", 3)
    take([p for p in pool if p["vague"]], doubt, "speaker_doubt", 2)
    take(pool, rest, "random", 2)
    left = [p for p in pool if not p.get("sampled_as")]
    for p in random.Random(seed + 1).sample(left, min(uniform, len(left))):
        p.update(sampled_as="uniform", weight=len(left) / min(uniform, len(left)))
        chosen.append(p)
    return chosen


def sheet_rows(chosen: list[dict], ctx: dict) -> list[dict]:
    rows = []
    # The uniform stratum was added after the others had been labelled: it is numbered after them.
    order = sorted(chosen, key=lambda p: (p["sampled_as"] == "uniform", p["group"], p["q"]))
    for number, p in enumerate(order, start=1):
        row = {"pair": number, "event": p["group"][0], "speaker": p["group"][1], "parallax_linked": p["linked"],
               "sampled_as": p["sampled_as"], "similarity": p["sim"], "weight": p.get("weight", 1.0)}
        for side, qid in zip("ab", p["q"]):
            q = ctx["quotes"][qid]
            basil_id = ctx["basil_of"][q["article_id"]]
            article = ctx["exported"][basil_id]
            text = ctx["info"][basil_id]["text"]
            where = locate(article["text"][q["start"]:q["end"]], text, q["start"])
            if where is None:
                break
            row[side] = {"article": basil_id, "start": where[0], "end": where[1], "kind": q["kind"],
                         "fingerprint": fingerprint(text[where[0]:where[1]]), "quote_id": qid,
                         "speaker_text": q["speaker"]["text"], "speaker_actor": q["speaker"]["actor_id"]}
        else:
            rows.append(row)
    return rows


def _context(span: dict, text: str, with_previous: bool) -> str:
    para_start = text.rfind("\n", 0, span["start"]) + 1
    start = text.rfind("\n", 0, max(para_start - 1, 0)) + 1 if with_previous and para_start else para_start
    para_end = text.find("\n", span["end"])
    para_end = len(text) if para_end < 0 else para_end
    return f"{text[start:span['start']]}[[{text[span['start']:span['end']]}]]{text[span['end']:para_end]}"


def render(rows: list[dict], info: dict) -> str:
    """The reading sheet: per event and speaker, each quote once in its paragraph (with the paragraph before
    when the speaker is a pronoun or a description), then that group's pairs."""
    out, groups = [], defaultdict(list)
    for row in rows:
        groups[(row["event"], row["speaker"])].append(row)
    for (event, speaker), members in groups.items():
        out.append(f"## event {event[:8]} speaker {speaker}")
        shown = set()
        for row in members:
            for side in "ab":
                s = row[side]
                if s["quote_id"] in shown:
                    continue
                shown.add(s["quote_id"])
                a = info[s["article"]]
                with_previous = s["speaker_text"].lower().split()[0] in PRONOUNS or \
                    s["speaker_text"].lower().startswith("the ")
                out.append(f"q{s['quote_id']} {a['outlet']} {s['kind']} spk '{s['speaker_text']}'->"
                           f"{s['speaker_actor']}: {_context(s, a['text'], with_previous)}")
        for row in members:
            out.append(f"PAIR {row['pair']}: q{row['a']['quote_id']} ~ q{row['b']['quote_id']}  "
                       f"[{row['sampled_as']}, linked={row['parallax_linked']}, sim={row['similarity']}]")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", type=Path, required=True, help="`parallax export --format json` of BASIL")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--overlap", type=int, default=90)
    parser.add_argument("--hard", type=int, default=70)
    parser.add_argument("--doubt", type=int, default=25)
    parser.add_argument("--rest", type=int, default=25)
    parser.add_argument("--uniform", type=int, default=100)
    parser.add_argument("--text", action="store_true", help="print the reading sheet instead of JSON lines")
    args = parser.parse_args()
    articles = basil_articles()
    pairs, ctx = candidates(json.loads(args.export.read_text(encoding="utf-8")), articles)
    rows = sheet_rows(sample(pairs, args.seed, args.overlap, args.hard, args.doubt, args.rest, args.uniform), ctx)
    if args.text:
        print(render(rows, ctx["info"]))
    else:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    print(f"{len(pairs)} candidate pairs, {len(rows)} on the sheet", file=sys.stderr)


if __name__ == "__main__":
    main()
