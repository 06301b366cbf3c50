"""Quote extraction and speakers scored on PolNeAR (Newell, Margolin & Ruths, LREC 2018).

    python benchmarks/quotes_polnear.py [--split dev|train] [--limit N] [--json] [--no-timing] [--examples N] [-j N]

Ingests the .txt files of a split through the real CLI into a fresh SQLite database, reads
`parallax export --format json`, and scores the quotes against the gold attributions (the alphabetically
first .ann of each article):

* content F1 at token Jaccard >= 0.5, one-to-one matching (the primary figure), and exact content F1
  (the same word tokens, punctuation ignored);
* speaker-mention accuracy on matched pairs: the predicted local mention overlaps the gold Source span
  (pairs whose gold relation has a Source);
* recall on the quote-mark subset (gold content holding a double quotation mark, or '' as some archives
  write it);
* missed and spurious attributions by cue type.

Ingest moves the headline line to the title and may clean lines, so export offsets refer to the cleaned text
(or, for quotes exported with "in": "title", to the title): every cleaned paragraph, and the title, is located in
the raw file and offsets are mapped back through it (a paragraph that cleaning changed cannot be located; its
quotes are scored by their text only and their speakers count as wrong).

Gold content is the union of all the Content spans of a relation: PolNeAR writes a discontinuous content
('"A," he said, "B."') as one span with ';'-separated pieces, and in a few relations as a second Content2 span.
Then the quote, cue and speaker stages are timed against the bare spaCy pipeline on the same cleaned texts.
The test split is held out and cannot be chosen here.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "polnear" / "data"
WORD = re.compile(r"\w+")
DOUBLE_MARKS = "\"“”"

# Cue types for the error breakdown: the last word of the cue, grouped by what kind of attribution it is.
CUE_TYPES = {
    "say": "say", "says": "say", "said": "say", "saying": "say",
    "according": "according to",
    "told": "tell", "tell": "tell", "tells": "tell", "telling": "tell",
}
BELIEF = set("think thinks thought believe believes believed feel feels felt know knows knew expect expects expected "
             "hope hopes hoped want wants wanted plan plans planned fear fears feared worry worried doubt "
             "doubts doubted consider considers considered see sees saw view views viewed".split())
NOMINAL_HINT = re.compile(r"(?:ion|ment|ent|ance|ence|ism|ies|cy|claims?|statements?|remarks?|comments?|views?|"
                          r"poll|polls|survey|report|reports|charges?|promises?|pledges?|vows?|warnings?|"
                          r"argument|position|belief|plan)$")


def cue_type(cue: str | None, kind: str | None = None) -> str:
    if not cue:
        return "no cue" if kind != "direct" else "no cue (direct)"
    words = cue.lower().split()
    if "according" in words:
        return "according to"
    last = WORD.findall(cue.lower())
    last_word = last[-1] if last else ""
    if last_word in CUE_TYPES:
        return CUE_TYPES[last_word]
    if last_word in BELIEF:
        return "belief/intention"
    if last_word.endswith(("ed", "s", "ing")) and not NOMINAL_HINT.search(last_word):
        return "other verb"
    if NOMINAL_HINT.search(last_word):
        return "nominal"
    return "other"


# --------------------------------------------------------------------------------------------------- gold

@dataclass
class Attribution:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: str | None = None
    text: str = ""


def _spans(field_text: str) -> list[tuple[int, int]]:
    out = []
    for piece in field_text.split(";"):
        a, b = piece.split()
        out.append((int(a), int(b)))
    return out


def read_gold(ann: Path) -> list[Attribution]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    relations = []
    for line in ann.read_text(encoding="utf-8").split("\n"):
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(offsets), parts[2] if len(parts) > 2 else "")
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) > 1:
                relations.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    gold = []
    for rel in relations:
        # "Content2" (brat's name for a second argument of the same role) continues the first
        contents = [spans[ref] for role, ref in rel.items() if role.rstrip("0123456789") == "Content" and ref in spans]
        if not contents:
            continue
        source = spans.get(rel.get("Source", ""))
        cue = spans.get(rel.get("Cue", ""))
        pieces = sorted(p for c in contents for p in c[1])
        gold.append(Attribution(pieces, source[1] if source else [], cue[2] if cue else None,
                                " ".join(c[2] for c in contents)))
    return gold


def gold_files(split: str) -> list[tuple[Path, Path]]:
    texts = sorted((DATA / split / "text").glob("*.txt"))
    anns = sorted((DATA / split / "attributions").glob("*.ann"))
    by_stem: dict[str, Path] = {}
    for ann in anns:  # the alphabetically first annotation of each article
        stem = ann.stem.rsplit("_", 1)[0]
        by_stem.setdefault(stem, ann)
    return [(t, by_stem[t.stem]) for t in texts if t.stem in by_stem]


# ------------------------------------------------------------------------------------------ predictions

_SPACE_LIKE = set("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t ")
_DROPPED = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\r")


def _normalised(raw: str) -> tuple[str, list[int]]:
    """The raw text with the ingest's character clean-up (plain single spaces, no invisible characters),
    and for every character of it the raw offset it came from."""
    chars, where = [], []
    for i, ch in enumerate(raw):
        if ch in _DROPPED or (ord(ch) < 32 and ch != "\n") or ch == "\x7f":
            continue
        if ch in _SPACE_LIKE:
            if chars and chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        where.append(i)
    where.append(len(raw))
    return "".join(chars), where


def offset_map(raw: str, clean: str) -> list[tuple[int, int, list[int]]]:
    """(clean start, clean end, raw offsets of its characters) of every cleaned paragraph found in the raw text."""
    norm, where = _normalised(raw)
    out, cursor, pos = [], 0, 0
    for line in clean.split("\n"):
        found = norm.find(line, cursor) if line.strip() else -1
        if found >= 0:
            out.append((pos, pos + len(line), where[found:found + len(line) + 1]))
            cursor = found + len(line)
        pos += len(line) + 1
    return out


def title_map(raw: str, title: str) -> list[tuple[int, int, list[int]]]:
    """The offset map of an article's title (its headline, maybe shortened with "…"), found in the raw file's
    first lines; empty when ingest took the title from elsewhere."""
    head = title.rstrip("…").rstrip()
    norm, where = _normalised(raw[:max(len(title) * 2, 400)])
    found = norm.find(head) if head else -1
    return [(0, len(head), where[found:found + len(head) + 1])] if found >= 0 else []


def to_raw(mapping, start: int, end: int) -> tuple[int, int] | None:
    for c_start, c_end, raw_at in mapping:
        if c_start <= start and end <= c_end:
            return raw_at[start - c_start], raw_at[end - c_start - 1] + 1 if end > start else raw_at[start - c_start]
    return None


def token_ids(raw: str, spans: list[tuple[int, int]]) -> frozenset[int]:
    """Word-token ids (start offsets) of the raw text covered by the spans."""
    return frozenset(m.start() for a, b in spans for m in WORD.finditer(raw, a, b))


def predicted_spans(clean: str, quote: dict) -> list[tuple[int, int]]:
    """Clean-text pieces of a quote: one range, or the parts of a discontinuous quote (cue cut out)."""
    start, end, text = quote["start"], quote["end"], quote["text"]
    if clean[start:end] == text:
        return [(start, end)]
    region = [(m.start() + start, m.end() + start, m.group().lower()) for m in WORD.finditer(clean[start:end])]
    words = [w.lower() for w in WORD.findall(text)]
    matcher = difflib.SequenceMatcher(a=[r[2] for r in region], b=words, autojunk=False)
    return [(region[b.a][0], region[b.a + b.size - 1][1]) for b in matcher.get_matching_blocks() if b.size]


# ------------------------------------------------------------------------------------------------ score

def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def match(gold: list[frozenset[int]], pred: list[frozenset[int]]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching by descending Jaccard, pairs at >= 0.5 only."""
    pairs = sorted(((jaccard(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
                    if g & p), reverse=True)
    used_g, used_p, out = set(), set(), []
    for j, gi, pi in pairs:
        if j < 0.5:
            break
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi, j))
    return out


def f1(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(100 * p, 1), "recall": round(100 * r, 1),
            "f1": round(100 * (2 * p * r / (p + r) if p + r else 0.0), 1)}


class Predictions:
    """An export's quotes for each raw PolNeAR file, mapped back to that file's offsets."""

    def __init__(self, export: dict):
        self.by_source: dict[str, list[dict]] = defaultdict(list)
        for art in export["articles"]:
            self.by_source[Path(art["source"]).name].append(art)
        self.quotes_by_article: dict[int, list[dict]] = defaultdict(list)
        for q in export["quotes"]:
            self.quotes_by_article[q["article_id"]].append(q)

    def of(self, name: str, raw: str) -> list[tuple[dict, frozenset[int], tuple[int, int] | None, bool]]:
        """(quote, its word tokens in ``raw``, its speaker's raw span or None, whether its offsets mapped) for
        every exported quote of the file ``name``, in file order; a quote whose offsets do not map is found by
        its text."""
        found = []
        for art in sorted(self.by_source.get(name, []), key=lambda a: a["part"]):
            body_map, head_map = offset_map(raw, art["text"]), title_map(raw, art["title"] or "")
            for q in sorted(self.quotes_by_article[art["id"]], key=lambda q: q["start"]):
                # a headline quote's offsets refer to the title (export field "in", added after version 1)
                in_title = q.get("in") == "title"
                clean, mapping = (art["title"], head_map) if in_title else (art["text"], body_map)
                pieces = [to_raw(mapping, a, b) for a, b in predicted_spans(clean, q)]
                mapped = not any(p is None for p in pieces)
                if not mapped:
                    pieces = _locate_text(raw, q["text"])
                sp = q["speaker"]
                speaker = to_raw(mapping, sp["start"], sp["end"]) if sp and sp.get("start") is not None else None
                found.append((q, token_ids(raw, [p for p in pieces if p]), speaker, mapped))
        return found


def score(pairs: list[tuple[Path, Path]], export: dict, examples: int = 0, cue: str | None = None) -> dict:
    predictions = Predictions(export)

    n_gold = n_pred = tp = exact = 0
    speaker_total = speaker_ok = marks_total = marks_found = unmapped = headline_gold = headline_found = 0
    missed, spurious, gold_by_type, missed_cues = Counter(), Counter(), Counter(), Counter()
    kinds_tp, kinds_pred = Counter(), Counter()
    samples: dict[str, list[str]] = {"missed": [], "missed with quote marks": [], "spurious": [], "speaker": []}
    for txt, ann in pairs:
        raw = txt.read_text(encoding="utf-8")
        first_line_end = raw.find("\n") if "\n" in raw else len(raw)
        gold = read_gold(ann)
        g_tokens = [token_ids(raw, g.content) for g in gold]
        found = predictions.of(txt.name, raw)
        unmapped += sum(not mapped for *_, mapped in found)
        preds = [(q, tokens, speaker) for q, tokens, speaker, _ in found]
        p_tokens = [t for _, t, _ in preds]
        matched = match(g_tokens, p_tokens)
        n_gold += len(gold)
        n_pred += len(preds)
        tp += len(matched)
        got_g = {gi for gi, _, _ in matched}
        got_p = {pi for _, pi, _ in matched}
        for gi, pi, _ in matched:
            kinds_tp[preds[pi][0]["kind"]] += 1
            if g_tokens[gi] == p_tokens[pi]:
                exact += 1
            if gold[gi].source:
                speaker_total += 1
                s = preds[pi][2]
                if s is not None and any(s[0] < b and a < s[1] for a, b in gold[gi].source):
                    speaker_ok += 1
                elif len(samples["speaker"]) < examples:
                    src = " / ".join(raw[a:b] for a, b in gold[gi].source)
                    samples["speaker"].append(f"{txt.name}: gold {src!r} got {(preds[pi][0]['speaker'] or {}).get('text')!r}"
                                              f" cue {preds[pi][0]['cue']!r} :: {preds[pi][0]['text'][:90]!r}")
        for gi, g in enumerate(gold):
            kind = cue_type(g.cue)
            gold_by_type[kind] += 1
            text = " ".join(raw[a:b] for a, b in g.content)
            if g.content and g.content[0][1] <= first_line_end:
                headline_gold += 1
                headline_found += gi in got_g
            if any(m in text for m in DOUBLE_MARKS) or "''" in text:
                marks_total += 1
                marks_found += gi in got_g
                if gi not in got_g and len(samples["missed with quote marks"]) < examples:
                    samples["missed with quote marks"].append(f"{txt.name}: [{g.cue}] {text[:160]!r}")
            if gi not in got_g:
                missed[kind] += 1
                missed_cues[(g.cue or "").lower()] += 1
                if len(samples["missed"]) < examples and (cue is None or (g.cue or "").lower() == cue):
                    samples["missed"].append(f"{txt.name}: [{g.cue}] {text[:140]!r}")
        for pi, (q, _, _) in enumerate(preds):
            kinds_pred[q["kind"]] += 1
            if pi not in got_p:
                spurious[cue_type(q["cue"], q["kind"])] += 1
                if len(samples["spurious"]) < examples:
                    samples["spurious"].append(f"{txt.name}: [{q['cue']}|{q['kind']}] {q['text'][:140]!r}")
    jac = f1(tp, n_pred, n_gold)
    return {
        "articles": len(pairs), "gold": n_gold, "predicted": n_pred, "matched": tp,
        "content_jaccard50": jac, "content_exact": f1(exact, n_pred, n_gold),
        "speaker_accuracy_on_matched": round(100 * speaker_ok / speaker_total, 1) if speaker_total else None,
        "speaker_pairs": speaker_total,
        "quote_mark_recall": round(100 * marks_found / marks_total, 1) if marks_total else None,
        "quote_mark_gold": marks_total,
        "gold_in_headline": headline_gold, "headline_matched": headline_found, "predicted_unmapped": unmapped,
        "precision_by_kind": {k: round(100 * kinds_tp[k] / kinds_pred[k], 1) for k in sorted(kinds_pred)},
        "by_cue_type": {k: {"gold": gold_by_type.get(k, 0), "missed": missed.get(k, 0),
                            "spurious": spurious.get(k, 0)}
                        for k in sorted(set(gold_by_type) | set(spurious), key=lambda k: -gold_by_type.get(k, 0))},
        "most_missed_cues": missed_cues.most_common(30),
        "examples": samples if examples else None,
    }


def _locate_text(raw: str, text: str) -> list[tuple[int, int]]:
    """A quote from a paragraph cleaning changed: found by its first words in the raw text, if anywhere."""
    head = text[:40]
    at = raw.find(head) if head else -1
    return [(at, at + len(text))] if at >= 0 else []


# ----------------------------------------------------------------------------------------------- timing

def timing(texts: list[str]) -> dict:
    """Seconds for bare nlp.pipe, and for entities and for quotes+cues+speakers on the parsed Docs."""
    sys.path.insert(0, str(ROOT))
    from parallax.nlp import analyse_doc, english_pipeline
    from parallax.nlp.entities import build_entities

    nlp = english_pipeline()  # what ingest runs: spaCy with the line-break rule before the parser
    list(nlp.pipe(texts[:5]))  # warm up
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        build_entities(doc)
    entities = time.perf_counter() - t0
    docs = list(nlp.pipe(texts, batch_size=32))  # fresh Docs: analyse_doc caches on user_data
    t0 = time.perf_counter()
    for doc in docs:
        analyse_doc(doc, None)
    whole = time.perf_counter() - t0
    stages = max(0.0, whole - entities)
    return {"texts": len(texts), "spacy_seconds": round(parse, 2), "entities_seconds": round(entities, 2),
            "quotes_cues_speakers_seconds": round(stages, 2),
            "quotes_cues_speakers_pct_of_spacy": round(100 * stages / parse, 1) if parse else None,
            "nlp_stage_pct_of_spacy": round(100 * whole / parse, 1) if parse else None}


# ------------------------------------------------------------------------------------------------- main

def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *args],
                          capture_output=True, text=True, env=env)


def print_table(result: dict, split: str) -> None:
    j, e = result["content_jaccard50"], result["content_exact"]
    print(f"PolNeAR {split}: {result['articles']} articles, {result['gold']} gold attributions, "
          f"{result['predicted']} predicted, {result['matched']} matched")
    print(f"{'measure':<44}{'P':>7}{'R':>7}{'F1':>7}")
    print(f"{'content, token Jaccard >= 0.5 (primary)':<44}{j['precision']:>7}{j['recall']:>7}{j['f1']:>7}")
    print(f"{'content, exact tokens':<44}{e['precision']:>7}{e['recall']:>7}{e['f1']:>7}")
    print(f"{'speaker mention accuracy on matched':<44}{result['speaker_accuracy_on_matched']!s:>21}"
          f"  (of {result['speaker_pairs']})")
    print(f"{'recall on the quote-mark subset':<44}{result['quote_mark_recall']!s:>21}"
          f"  (of {result['quote_mark_gold']})")
    print(f"precision by kind: {result['precision_by_kind']}; gold in headlines: {result['gold_in_headline']}"
          f" ({result['headline_matched']} matched);"
          f" predicted outside located paragraphs: {result['predicted_unmapped']}")
    print(f"\n{'cue type':<20}{'gold':>7}{'missed':>8}{'spurious':>10}")
    for kind, row in result["by_cue_type"].items():
        print(f"{kind:<20}{row['gold']:>7}{row['missed']:>8}{row['spurious']:>10}")
    print("most missed cues:", ", ".join(f"{c or '-'} {n}" for c, n in result["most_missed_cues"]))
    t = result.get("timing")
    if t:
        print(f"\ntiming on {t['texts']} texts: spaCy {t['spacy_seconds']} s; entities {t['entities_seconds']} s; "
              f"quotes+cues+speakers {t['quotes_cues_speakers_seconds']} s "
              f"= {t['quotes_cues_speakers_pct_of_spacy']}% of spaCy (whole NLP stage {t['nlp_stage_pct_of_spacy']}%)")
    for name, lines in (result.get("examples") or {}).items():
        print(f"\n{name}:")
        for line in lines:
            print("  ", line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "train"], default="dev", help="the test split is held out")
    parser.add_argument("--limit", type=int, default=0, help="score every k-th article so that about N are used")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--no-timing", action="store_true", help="skip the stage timing")
    parser.add_argument("--examples", type=int, default=0, help="print up to N examples of each error")
    parser.add_argument("--cue", help="only show missed examples with this gold cue")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="ingest worker processes (default 2)")
    parser.add_argument("--save-export", type=Path, help="also write the export JSON to this file")
    parser.add_argument("--from-export", type=Path, help="score this saved export instead of ingesting again")
    args = parser.parse_args(argv)

    if not (DATA / args.split / "text").is_dir():
        print(f"skipped: PolNeAR data not found at {DATA / args.split} (see ../shared/data/polnear)",
              file=sys.stderr)
        return 0
    pairs = gold_files(args.split)
    if args.limit and args.limit < len(pairs):
        step = len(pairs) / args.limit
        pairs = [pairs[int(i * step)] for i in range(args.limit)]
    if args.from_export:
        data, ingest_seconds = json.loads(args.from_export.read_text(encoding="utf-8")), 0.0
    else:
        data, ingest_seconds = ingest_split(pairs, args.jobs)
        if data is None:
            return 1
        if args.save_export:
            args.save_export.write_text(json.dumps(data), encoding="utf-8")
    result = score(pairs, data, args.examples, args.cue)
    result["ingest_seconds"] = round(ingest_seconds, 1)
    if not args.no_timing:
        result["timing"] = timing([a["text"] for a in data["articles"] if a["language"] == "en"])
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_table(result, args.split)
    return 0


def ingest_split(pairs: list[tuple[Path, Path]], jobs: int) -> tuple[dict | None, float]:
    """The export of a fresh database holding the split's texts, ingested through the CLI."""
    with tempfile.TemporaryDirectory(prefix="parallax-polnear-") as tmp:
        corpus = Path(tmp) / "text"
        corpus.mkdir()
        for txt, _ in pairs:
            (corpus / txt.name).symlink_to(txt)
        db = Path(tmp) / "polnear.db"
        t0 = time.perf_counter()
        ingest = run_cli(db, "ingest", str(corpus), "-q", "-j", str(max(1, jobs)))
        ingest_seconds = time.perf_counter() - t0
        if ingest.returncode not in (0, 1):
            print(ingest.stderr, file=sys.stderr)
            return None, ingest_seconds
        export = run_cli(db, "export", "--format", "json")
        if export.returncode != 0:
            print(export.stderr, file=sys.stderr)
            return None, ingest_seconds
        return json.loads(export.stdout), ingest_seconds


if __name__ == "__main__":
    raise SystemExit(main())
