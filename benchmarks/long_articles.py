"""Long and hostile single articles through `parallax ingest`: time and peak memory of the process tree.

    python benchmarks/long_articles.py [--processes 1] [--only transcript line line-analysed storm]

Builds, outside the repository, from article texts of ../shared/data/article_bias_prediction concatenated:
  * transcript: a 1.3 MB ordinary article, one paragraph per line (a long hearing transcript);
  * line: a 5 MB file that is one single line (a dump without line breaks): over the default --max-chars, so
    it must fail with one clear line, fast;
  * line-analysed: the same line with --max-chars raised above it, so it is analysed in pieces;
  * storm: an article with 100,000 characters of quote marks and spaced marks.
Each is ingested next to a short good article into a fresh SQLite database; the good one must be stored.
Targets (issue 15): each under 60 s and 2 GB peak resident memory (the sum over the process tree).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import DATA, run  # noqa: E402  (same data, same way of measuring time and memory)

GOOD = ("Talks resume in Kessholm\n"
        "Foreign Minister Ilvana Brask said on Tuesday that the next round of talks would start in Kessholm.\n")


def paragraphs(limit_chars: int) -> list[str]:
    """Paragraphs of real article bodies, in file order, until they hold ``limit_chars`` characters."""
    found, total = [], 0
    with gzip.open(DATA, "rt", encoding="utf-8") as src:
        for line in src:
            body = json.loads(line).get("content_original") or ""
            for paragraph in (p.strip() for p in body.split("\n")):
                if len(paragraph.split()) >= 8:
                    found.append(paragraph)
                    total += len(paragraph) + 1
                    if total >= limit_chars:
                        return found
    return found


def run_logged(command: list[str], stderr_path: Path) -> tuple[float, float, float, int]:
    """``throughput.run`` with the command's stderr kept in a file, to read its error lines after."""
    with stderr_path.open("w") as err:
        return run(command, stderr=err)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--only", nargs="+", default=["transcript", "line", "line-analysed", "storm"])
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is not here: this benchmark needs ../shared/data (see its README)")
    work = Path(tempfile.mkdtemp(prefix="parallax-long-"))
    (work / "good.txt").write_text(GOOD, encoding="utf-8")
    texts = paragraphs(5_000_000)
    transcript, chars = [], 0
    for paragraph in texts:
        if chars >= 1_300_000:
            break
        transcript.append(paragraph)
        chars += len(paragraph) + 1
    files = {
        "transcript": ("Transcript of the hearing\n" + "\n".join(transcript) + "\n", []),
        "line": (" ".join(texts)[:5_000_000] + "\n", []),
        "line-analysed": (" ".join(texts)[:5_000_000] + "\n", ["--max-chars", "6000000"]),
        "storm": ("Storm\nBrask said the talks would resume. " + "'" * 50_000 + '" ' * 25_000 + "\n", []),
    }
    print(f"processes {args.processes}; load average before: {os.getloadavg()[0]:.1f}")
    print("| input | characters | lines | wall s | CPU s | peak MiB | exit | ingest summary |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.only:
        text, options = files[name]
        path = work / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        db, log = work / f"{name}.db", work / f"{name}.log"
        command = [sys.executable, "-m", "parallax", "--db", str(db), "ingest", str(path), str(work / "good.txt"),
                   "-q", "-j", str(args.processes), *options]
        wall, cpu, peak, code = run_logged(command, log)
        lines = log.read_text(encoding="utf-8").strip().splitlines()
        summary = re.sub(r";.*", "", lines[-1]) if lines else ""
        errors = [line for line in lines if line.startswith("error:")]
        if "Traceback" in "\n".join(lines):
            summary = "TRACEBACK: " + summary
        note = f"{summary}" + (f" / {errors[0][:110]}" if errors else "")
        print(f"| {name} | {len(text):,} | {text.count(chr(10)):,} | {wall:.1f} | {cpu:.1f} | {peak:.0f} | {code} | {note} |",
              flush=True)


if __name__ == "__main__":
    main()
