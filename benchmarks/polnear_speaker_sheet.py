"""Worksheet for labelling who is behind every Source of PolNeAR (see benchmarks/data/README.md).

Prints one JSON line per attribution that has a Source span: the article file, the span's offsets and text, and
the paragraph around it, with empty label fields (kind, entity, confident) for a reader to fill in. Only the
offsets, the span text and the labels are kept in benchmarks/data; the article text stays in ../shared/data.

    python benchmarks/polnear_speaker_sheet.py --split dev > /tmp/sheet.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "polnear" / "data"


def sources(ann: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the Source of every attribution relation, in text order; discontinuous spans
    are taken from their first piece to their last."""
    spans: dict[str, tuple[int, int, str]] = {}
    found = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            label, _, where = parts[1].partition(" ")
            if label == "Source":
                pieces = [p.split() for p in where.split(";")]
                spans[parts[0]] = (int(pieces[0][0]), int(pieces[-1][-1]), parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            for arg in parts[1].split():
                role, _, ref = arg.partition(":")
                if role == "Source" and ref in spans:
                    found.append(spans[ref])
    return sorted(set(found))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()
    base = DATA / args.split
    if not base.is_dir():
        print(f"skipped: PolNeAR data not found at {base}", file=sys.stderr)
        return 2
    for txt in sorted((base / "text").glob("*.txt")):
        anns = sorted((base / "attributions").glob(txt.stem + "_*.ann"))
        if not anns:
            continue
        text = txt.read_text(encoding="utf-8")
        for start, end, span in sources(anns[0].read_text(encoding="utf-8")):
            left = text.rfind("\n", 0, start) + 1
            right = text.find("\n", end)
            print(json.dumps({"file": txt.name, "start": start, "end": end, "text": span,
                              "context": text[left:right if right >= 0 else len(text)],
                              "kind": None, "entity": None, "confident": None}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
