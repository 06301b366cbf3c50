"""Same statement across outlets: precision and recall of Parallax's statements on hand-labelled BASIL quote pairs.

    python benchmarks/statements.py                          # ingest BASIL into a fresh database, export, score
    python benchmarks/statements.py --db /tmp/basil.db       # the same, keeping the database (reused if it exists)
    python benchmarks/statements.py --from-export basil.json # score an existing `parallax export` of BASIL
    python benchmarks/statements.py --ceiling                # the best any partition of the labelled quotes gets

The labels (benchmarks/data/basil_statement_pairs.jsonl, procedure in basil_statement_pairs.md) name each quote
by BASIL article id and character offsets into BASIL's own text (as benchmarks/stories.py builds it). Each
labelled span is found again in the text Parallax stored for that article, and mapped to the exported quote
that overlaps it most. A pair is predicted "same statement" when both quotes are in one exported statement.
A labelled quote that no exported quote covers any more counts as predicted "not same" (and is reported).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from stories import DATA, basil_articles  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "basil_statement_pairs.jsonl"
OUTLET_NAMES = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Span:
    article: str  # BASIL id: "<triplet-uuid>_<n>"
    start: int
    end: int
    kind: str  # direct, mixed or indirect, as Parallax found it when the pair was labelled
    fingerprint: str


@dataclass(frozen=True)
class Pair:
    number: int
    a: Span
    b: Span
    same: bool
    confident: bool
    speaker_ok: bool
    sampled_as: str
    note: str | None  # occasion, repeat or notspeech: the kind of hard negative (see the labels' README)
    weight: float  # how many candidate pairs this one stands for in the sample (1 unless sampled uniformly)


def fingerprint(text: str) -> str:
    """First and last three words and a short hash of the span: enough to notice when BASIL's text moved."""
    words = text.split()
    digest = hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:10]
    return f"{' '.join(words[:3])} … {' '.join(words[-3:])} #{digest}"


def load_pairs(path: Path) -> list[Pair]:
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        spans = [Span(row[k]["article"], row[k]["start"], row[k]["end"], row[k]["kind"], row[k]["fingerprint"])
                 for k in ("a", "b")]
        pairs.append(Pair(row["pair"], *spans, row["same"], row["confident"], row["speaker_ok"], row["sampled_as"],
                          row.get("note"), row.get("weight", 1.0)))
    return pairs


def basil_input(path: Path, articles: list[dict]) -> None:
    """BASIL as JSON lines Parallax reads: one record per article, in BASIL's file order (the record's
    position is the exported article's "part")."""
    with path.open("w", encoding="utf-8") as handle:
        for a in articles:
            record = {"title": a["title"], "text": a["text"], "outlet": OUTLET_NAMES[a["outlet"]],
                      "published": a["date"].isoformat(), "url": a["url"]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def ingest_and_export(db: Path, articles: list[dict]) -> dict:
    parallax = [sys.executable, "-m", "parallax", "--db", str(db)]
    if not db.exists():
        source = db.with_suffix(".jsonl")
        basil_input(source, articles)
        # Ingest's summary goes to stderr: stdout carries only the report.
        done = subprocess.run([*parallax, "ingest", str(source), "-j", "1", "-q"], cwd=ROOT, stdout=sys.stderr)
        if done.returncode not in (0, 1):
            sys.exit(f"parallax ingest failed with exit code {done.returncode}")
    out = db.with_suffix(".export.json")
    subprocess.run([*parallax, "export", "--format", "json", "-o", str(out)], cwd=ROOT, check=True, stdout=sys.stderr)
    return json.loads(out.read_text(encoding="utf-8"))


def match_articles(export: dict, articles: list[dict]) -> dict[str, dict]:
    """BASIL id -> exported article, by URL (BASIL's are unique), else by title and date."""
    by_url = {a["url"]: a for a in export["articles"] if a.get("url")}
    by_title = {(_fold(a["title"]), a["published"]): a for a in export["articles"]}
    found = {}
    for a in articles:
        hit = by_url.get(a["url"]) or by_title.get((_fold(a["title"]), a["date"].isoformat()))
        if hit is not None:
            found[a["id"]] = hit
    return found


def _fold(text: str | None) -> str:
    return _SPACE.sub(" ", (text or "").casefold()).strip()


def locate(needle: str, haystack: str, near: int) -> tuple[int, int] | None:
    """Where `needle` (a span of BASIL's text) lies in `haystack` (Parallax's text of the same article): the
    occurrence nearest `near`, compared with runs of white space folded, since cleaning only moves spaces."""
    folded, positions = [], []
    for i, ch in enumerate(haystack):
        if ch.isspace():
            if folded and folded[-1] == " ":
                continue
            ch = " "
        folded.append(ch)
        positions.append(i)
    hay = "".join(folded)
    key = _SPACE.sub(" ", needle).strip()
    if not key:
        return None
    hits = [m.start() for m in re.finditer(re.escape(key), hay)]
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(positions[h] - near))
    return positions[best], positions[best + len(key) - 1] + 1


def quote_at(span: tuple[int, int], quotes: list[dict]) -> dict | None:
    """The exported quote (in the article's text, not its title) that overlaps the span most."""
    best, overlap = None, 0
    for q in quotes:
        if q.get("in", "text") != "text":
            continue
        shared = min(span[1], q["end"]) - max(span[0], q["start"])
        if shared > overlap:
            best, overlap = q, shared
    # Half of the labelled span must be covered: a neighbouring quote grazing it is not the same quote.
    return best if best is not None and overlap * 2 >= span[1] - span[0] else None


KINDS = ("direct-direct", "direct-indirect", "indirect-indirect")


def kind_of(pair: Pair) -> str:
    """Mixed quotes (a quoted phrase inside reported speech) count as direct: they carry the speaker's words."""
    forms = sorted("indirect" if s.kind == "indirect" else "direct" for s in (pair.a, pair.b))
    return "-".join(forms)


def labelled_quotes(pairs: list[Pair], export: dict, articles: list[dict]) -> tuple[list[tuple], Counter]:
    """For each pair, the ids of the two exported quotes it names (None for a span no exported quote covers);
    and why labelled quotes could not be found in the export."""
    texts = {a["id"]: a["text"] for a in articles}
    exported = match_articles(export, articles)
    quotes_of: dict[object, list[dict]] = {}
    for q in export["quotes"]:
        quotes_of.setdefault(q["article_id"], []).append(q)
    problems: Counter = Counter()

    def quote_id(span: Span) -> object | None:
        text = texts.get(span.article)
        if text is None:
            problems["article not in BASIL"] += 1
            return None
        piece = text[span.start:span.end]
        if fingerprint(piece) != span.fingerprint:
            problems["fingerprint differs (BASIL text changed)"] += 1
            return None
        article = exported.get(span.article)
        if article is None:
            problems["article not in export"] += 1
            return None
        where = locate(piece, article["text"], span.start)
        if where is None:
            problems["span not found in Parallax's text"] += 1
            return None
        quote = quote_at(where, quotes_of.get(article["id"], []))
        if quote is None:
            problems["no exported quote covers the span"] += 1
            return None
        return quote["id"]

    return [(quote_id(pair.a), quote_id(pair.b)) for pair in pairs], problems


def predict(pairs: list[Pair], export: dict, articles: list[dict]) -> tuple[list[bool], Counter]:
    """For each pair, whether the export puts both quotes in one statement; and why labelled quotes could not
    be found in the export (those count as not linked)."""
    found, problems = labelled_quotes(pairs, export, articles)
    statement_of = {qid: s["id"] for s in export["statements"] for qid in s["quote_ids"]}
    predicted = []
    for a, b in found:
        first, second = statement_of.get(a), statement_of.get(b)
        predicted.append(first is not None and first == second)
    return predicted, problems


def _figures(c: Counter) -> dict:
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None
    recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
    return {"pairs": round(sum(c.values()), 1), "same": round(c["tp"] + c["fn"], 1),
            **{k: round(c[k], 1) for k in ("tp", "fp", "fn")},
            "precision": round(precision, 4) if precision is not None else None,
            "recall": round(recall, 4) if recall is not None else None}


def tally(pairs: list[Pair], predicted: list[bool]) -> dict:
    """Precision and recall of "same statement" on the labelled pairs, overall and by group; and the same
    weighted by each pair's sampling weight, which estimates them over every candidate pair (see the README)."""
    counts: dict[str, Counter] = {}
    weighted: dict[str, Counter] = {}
    for pair, guess in zip(pairs, predicted):
        cell = ("t" if guess == pair.same else "f") + ("p" if guess else "n")
        kind = kind_of(pair)
        for group in ("all", kind, "confident only" if pair.confident else None,
                      "speaker right" if pair.speaker_ok else "speaker wrong", f"sampled as {pair.sampled_as}",
                      f"note {pair.note}" if pair.note else None):
            if group is not None:
                counts.setdefault(group, Counter())[cell] += 1
        for group in ("all", kind):
            weighted.setdefault(group, Counter())[cell] += pair.weight
    order = ["all", *KINDS, "confident only", "speaker right", "speaker wrong"]
    groups = sorted(counts, key=lambda g: (order.index(g) if g in order else len(order), g))
    report = {group: _figures(counts[group]) for group in groups}
    report["weighted estimate over all candidate pairs"] = {
        group: _figures(weighted[group]) for group in sorted(weighted, key=lambda g: order.index(g))}
    return report


def score(pairs: list[Pair], export: dict, articles: list[dict]) -> dict:
    predicted, problems = predict(pairs, export, articles)
    return {"pairs": len(pairs), "same": sum(p.same for p in pairs), "mapping problems": dict(problems),
            **tally(pairs, predicted)}


def ceiling(pairs: list[Pair], costs: tuple[float, ...] = (0.5, 1, 1.5, 2, 4)) -> list[dict]:
    """What a perfect judge of pairs would reach once it must put each quote into one statement, as Parallax
    does: the labels need not be transitive (two sentences of one speech are two statements, yet a third outlet's
    quote holding both is the same as each), so some labels contradict any partition. For each cost of a false
    link relative to a missed one, the partition of the labelled quotes with the least total cost is found
    exactly (branch and bound over each group of quotes the labels connect; the largest holds 13 quotes)."""
    edges: dict[tuple, dict[tuple, bool]] = {}
    for pair in pairs:
        a, b = (pair.a.article, pair.a.start, pair.a.end), (pair.b.article, pair.b.start, pair.b.end)
        edges.setdefault(a, {})[b] = pair.same
        edges.setdefault(b, {})[a] = pair.same
    groups, seen = [], set()
    for quote in edges:
        if quote not in seen:
            group, todo = [], [quote]
            while todo:
                q = todo.pop()
                if q not in seen:
                    seen.add(q)
                    group.append(q)
                    todo.extend(edges[q])
            groups.append(group)
    positives = sum(p.same for p in pairs)
    rows = []
    for cost in costs:
        missed = false = 0
        for group in groups:
            m, f = _best_partition(group, edges, cost)
            missed, false = missed + m, false + f
        found = positives - missed
        rows.append({"false link cost": cost, "missed": missed, "false links": false,
                     "precision": round(found / max(1, found + false), 4), "recall": round(found / positives, 4)})
    return rows


def _best_partition(group: list[tuple], edges: dict, cost: float) -> tuple[int, int]:
    """(missed, false) of the cheapest partition of one group: quotes are given a statement one at a time (an
    existing one or a new one), and a branch is cut once it costs as much as the best complete one."""
    best = [float("inf"), 0, 0]
    label: list[int] = []

    def extend(i: int, statements: int, missed: int, false: int) -> None:
        if missed + cost * false >= best[0]:
            return
        if i == len(group):
            best[:] = [missed + cost * false, missed, false]
            return
        for statement in range(statements + 1):
            m, f = missed, false
            for j in range(i):
                same = edges[group[i]].get(group[j])
                if same is not None:
                    together = label[j] == statement
                    m += same and not together
                    f += together and not same
            label.append(statement)
            extend(i + 1, max(statements, statement + 1), m, f)
            label.pop()

    extend(0, 0, 0, 0)
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file to ingest BASIL into (reused when it exists)")
    parser.add_argument("--from-export", type=Path, help="score this `parallax export --format json` of BASIL")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--ceiling", action="store_true", help="only the best any one-statement-per-quote "
                        "partition of the labelled quotes reaches (no ingest)")
    args = parser.parse_args()
    if args.ceiling:
        print(json.dumps(ceiling(load_pairs(args.labels)), indent=1))
        return
    if not (DATA / "basil" / "articles").exists():
        print(json.dumps({"set": "basil statements", "skipped": "BASIL not found under ../shared/data/basil"}))
        return
    articles = basil_articles()
    pairs = load_pairs(args.labels)
    if args.from_export:
        export = json.loads(args.from_export.read_text(encoding="utf-8"))
    elif args.db:
        export = ingest_and_export(args.db, articles)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            export = ingest_and_export(Path(tmp) / "basil.db", articles)
    print(json.dumps(score(pairs, export, articles), indent=1))


if __name__ == "__main__":
    main()
