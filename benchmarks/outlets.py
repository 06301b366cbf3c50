"""Outlet attribution: the share of articles that get an outlet when the input has URLs but no outlet field.

    python benchmarks/outlets.py                 # all 37,554 articles of article_bias_prediction
    python benchmarks/outlets.py --limit 5000    # the first 5,000
    python benchmarks/outlets.py --also DIR      # also the decision with another packs directory (an older pack)

Each article of ../shared/data/article_bias_prediction is read as a JSON row holding only its title, body and URL
(the dataset's "source" and "source_url" fields are dropped), through the same reader, cleaning and outlet
decision as `parallax ingest` with the shipped packs. Reported, before and after the URL's host is used:
  * named: the article has an outlet at all (a credit line or dateline in the text, a pack outlet, a host);
  * in pack: the outlet is one the shipped outlets pack knows (so it has a country, an ownership and a camp);
  * agree: of the articles whose dataset "source" name the pack also knows, the share given that same outlet.
"before" is the decision ingest made until now (text credits only, names folded through the pack); "after" is
the decision made now; with --also, "after (DIR)" is the decision made now with the packs in DIR.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parallax.analysis.camps import OutletDirectory  # noqa: E402
from parallax.ingest import prepare  # noqa: E402
from parallax.ingest.readers import Record, record_document  # noqa: E402
from parallax.knowledge.packs import load_pack, load_shipped  # noqa: E402
from parallax.model import ItemError  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "article_bias_prediction" / "articles.jsonl.gz"


def rows(limit: int | None):
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--also", default=None, help="a packs directory to compare with the shipped packs")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    pack = load_shipped()
    directory = OutletDirectory(pack.outlets, pack.camps)
    other = None
    if args.also:
        also = load_pack(args.also)
        other = OutletDirectory(also.outlets, also.camps)
    counts: Counter = Counter()
    unmatched_hosts: Counter = Counter()
    started = time.perf_counter()
    for row in rows(args.limit):
        counts["rows"] += 1
        obj = {"title": row["title"], "text": row["content_original"], "url": row["url"]}
        prepared = prepare(Record(record_document(row["ID"], obj), index=0))
        if isinstance(prepared, ItemError):
            counts["no article"] += 1
            continue
        article = prepared[0]
        counts["articles"] += 1
        before = directory.canonical_name(article.outlet)
        after, _via = directory.name_for(article.outlet, article.outlet_via, article.url)
        gold = directory.outlet(row["source"])
        decisions = [("before", before, directory), ("after", after, directory)]
        if other is not None:
            decisions.append(("after*", other.name_for(article.outlet, article.outlet_via, article.url)[0], other))
        for label, name, where in decisions:
            known = where.outlet(name)
            counts[f"{label} named"] += name is not None
            counts[f"{label} in pack"] += known is not None
            if gold is not None:
                counts[f"{label} agree"] += known is not None and known.id == gold.id
        counts["gold in pack"] += gold is not None
        if directory.outlet(after) is None:
            unmatched_hosts[after] += 1
    seconds = time.perf_counter() - started
    n = counts["articles"]
    print(f"{counts['rows']} rows, {n} articles ({counts['no article']} with no article text), {seconds:.0f} s")
    print(f"{'':8} {'named':>8} {'in pack':>8} {'agree':>8}")
    for label in ("before", "after", "after*") if other is not None else ("before", "after"):
        agree = counts[f"{label} agree"] / counts["gold in pack"] if counts["gold in pack"] else 0.0
        print(f"{label:8} {counts[f'{label} named'] / n:8.1%} {counts[f'{label} in pack'] / n:8.1%} {agree:8.1%}")
    if other is not None:
        print(f"after* = after, with the packs of {args.also}")
    print(f"dataset source names the pack knows: {counts['gold in pack']} articles")
    print("most frequent outlets not in the pack:", ", ".join(f"{h} ({c})" for h, c in unmatched_hosts.most_common(15)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
