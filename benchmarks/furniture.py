"""Page furniture in real articles: what the cleaner drops from the held-out articles of article_bias_prediction,
what recurs there and is kept, and what quotes and named people a database ingested earlier took from the lines
today's cleaner drops.

    PYTHONPATH=$PWD python benchmarks/furniture.py                      # the 1,300 test articles (media split)
    PYTHONPATH=$PWD python benchmarks/furniture.py --split train --sample 60
    PYTHONPATH=$PWD python benchmarks/furniture.py --write-dump DUMP    # the test articles as a JSONL dump
    PYTHONPATH=$PWD python benchmarks/furniture.py --db sqlite:///DB    # DB: such a dump, ingested by any commit

The cleaner's rules were written looking at the train split only; the test split's 1,300 articles (29 outlets)
are the held-out measure. Dropped lines are counted as the cleaner sees them (after normalising, before headlines
and dates are taken out). A line kept that recurs verbatim in RECURRING or more articles is printed with its count:
the furniture still missed, or a byline, a section label or a quote that several columns share, for a reader to
judge. ``--sample`` prints dropped lines at random: the check that no reported paragraph goes.

With ``--db``, each stored article's text is split into its lines again, and the quotes and the mentions of named
people or organisations inside a line that ``is_boilerplate`` now drops are counted: on a database ingested before
a change to the rules, what a reader saw then and no longer will.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from throughput import DATA, dump_line

from parallax.ingest import clean
from parallax.store import schema as t
from parallax.store.db import Store

RECURRING = 5


def split_records(split: str) -> list[dict]:
    """The articles of one split of the media split, in the file's order."""
    listed = (DATA.parent / "splits" / "media" / f"{split}.tsv").read_text().split("\n")[1:]
    ids = {line.split("\t")[0] for line in listed if line}
    with gzip.open(DATA, "rt", encoding="utf-8") as src:
        return [record for record in map(json.loads, src) if record["ID"] in ids]


def cleaning(records: list[dict], sample: int) -> None:
    lines = dropped = 0
    kept: Counter[str] = Counter()
    gone: list[str] = []
    for record in records:
        for line in set(clean.paragraphs(record.get("content_original") or "")):
            lines += 1
            if clean.is_boilerplate(line):
                dropped += 1
                gone.append(line)
            else:
                kept[line] += 1
    print(f"{len(records):,} articles, {lines:,} distinct lines per article; dropped as furniture: {dropped:,} "
          f"({100 * dropped / max(lines, 1):.1f}%)")
    recurring = [(n, line) for line, n in kept.most_common() if n >= RECURRING]
    print(f"kept lines recurring in {RECURRING} or more articles: {len(recurring)} "
          f"({sum(n for n, _line in recurring):,} occurrences)")
    for n, line in recurring:
        print(f"  {n:5} | {line[:150]}")
    if sample:
        print(f"{sample} dropped lines at random:")
        for line in random.Random(0).sample(gone, min(sample, len(gone))):
            print(f"  | {line[:150]}")


def taken_from_furniture(db: str) -> None:
    store = Store.open(db)
    with store.engine.connect() as conn:
        texts = {row.id: row.text for row in conn.execute(select(t.articles.c.id, t.articles.c.text))}
        quotes = list(conn.execute(select(t.quotes.c.article_id, t.quotes.c.start, t.quotes.c.end, t.quotes.c.text,
                                          t.quotes.c.actor_id).where(t.quotes.c.in_title.is_(False))))
        mentions = list(conn.execute(select(t.mentions.c.article_id, t.mentions.c.start, t.mentions.c.end,
                                            t.mentions.c.text, t.mentions.c.actor_id)))
    furniture: dict[int, list[tuple[int, int]]] = {}
    for article_id, text in texts.items():
        at = 0
        for line in (text or "").split("\n"):
            if clean.is_boilerplate(line):
                furniture.setdefault(article_id, []).append((at, at + len(line)))
            at += len(line) + 1

    def inside(row) -> bool:
        return any(start <= row.start and row.end <= end for start, end in furniture.get(row.article_id, ()))

    bad_quotes = [row for row in quotes if inside(row)]
    bad_mentions = [row for row in mentions if inside(row)]
    print(f"{len(texts):,} articles: {sum(map(len, furniture.values())):,} stored lines are furniture now")
    print(f"quotes inside them: {len(bad_quotes):,} of {len(quotes):,} "
          f"({sum(row.actor_id is not None for row in bad_quotes):,} credited to a speaker)")
    named = {row.actor_id for row in bad_mentions if row.actor_id}
    elsewhere = {row.actor_id for row in mentions if row.actor_id and not inside(row)}
    print(f"mentions inside them: {len(bad_mentions):,} of {len(mentions):,}, naming {len(named):,} actors, "
          f"{len(named - elsewhere):,} of them named nowhere else: {', '.join(sorted(named - elsewhere)[:40])}")
    for (text, actor), n in Counter((row.text, row.actor_id) for row in bad_mentions).most_common(15):
        print(f"  {n:5} | {text} -> {actor}")
    for row in bad_quotes[:10]:
        print(f"  quote | {row.actor_id} | {row.text[:110]}")


def write_dump(records: list[dict], path: Path) -> None:
    """The articles as a JSONL dump for `parallax ingest`, as benchmarks/throughput.py writes its own."""
    with path.open("w", encoding="utf-8") as out:
        out.writelines(map(dump_line, records))
    print(f"{len(records):,} articles in {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="test", choices=("train", "valid", "test"))
    parser.add_argument("--sample", type=int, default=0, help="print this many dropped lines at random")
    parser.add_argument("--db", help="count the quotes and mentions this database took from furniture")
    parser.add_argument("--write-dump", type=Path, help="write the split's articles as a JSONL dump and stop")
    args = parser.parse_args()
    if args.db:
        return taken_from_furniture(args.db)
    if not DATA.exists():
        sys.exit(f"{DATA.parent} not found: this benchmark needs ../shared/data")
    records = split_records(args.split)
    if args.write_dump:
        return write_dump(records, args.write_dump)
    cleaning(records, args.sample)


if __name__ == "__main__":
    main()
