"""Hostile input for `parallax ingest`: does bad input ever stop a run, lose a good item or run away?

Every case is one hostile item of a format the reader accepts (.txt .md .html .json .jsonl .csv .rss .atom, or
standard input): random bytes, truncated and deeply nested HTML, malformed JSON/CSV/feeds, huge lines,
punctuation storms, mixed encodings, control characters, NULs, BOMs, right-to-left marks, XML entity bombs.
Cases are generated from (seed, case number) alone, so any case can be rebuilt (`--only N`).

Cases run in batches: a folder of --batch hostile files between two good articles (named to sort first and
last), plus one hostile case on standard input. Most batches run in-process through the library
(`Parallax.ingest`, one spaCy model for the whole run) inside a worker process the driver kills when one item
takes longer than --timeout; every --cli-every-th batch runs through the real CLI (`python -m parallax ingest
DIR - -q`) instead. Checked per batch: no traceback (CLI stderr, or an exception out of `ingest`), exit code 0
or 1 (CLI), both good articles stored, every error one line, no file content leaking from an XML entity; per
case: seconds (in-process, from the progress callback with spaCy batches of one) and the worker's peak RSS. The
stories and statements of a whole batch, brought up to date after its last case, are timed apart (their limit is
--analysis-timeout): they are the batch's cost, not a case's.

    python benchmarks/fuzz_ingest.py --cases 10000            # the full run (RESULTS.md)
    python benchmarks/fuzz_ingest.py --cases 300 --batch 50   # a quick look
    python benchmarks/fuzz_ingest.py --only 1234 --keep /tmp/case   # rebuild one case to look at it

Exit code 0 when every check held, 1 otherwise; failures are listed with their case numbers.
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import os
import random
import resource
import select
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Two control articles in words the hostile cases never use, so neither can pass for a copy of anything else.
GOOD = ("""{title}

Harbour engineers in {place} finished repairing the northern breakwater on Friday, three weeks ahead of plan.
"The winter storms will not close this port again," chief engineer Odile Marrant told the regional council.
Fishing crews welcomed the news, and the ferry company said its timetable would return to normal in April.
""", """{title}

The orchestra of {place} opened its spring season with a symphony written by a schoolteacher from the valley.
"I wrote most of it at night, after marking homework," composer Tobiah Rennick said before the premiere.
Tickets for the remaining concerts sold out within hours, the box office said, and a recording is planned.
""")
PLACES = ("Verrin", "Calsport", "Mollow", "Hythe Ferrant", "Dunmere", "Astrick", "Pellow Bay", "Crane Hollow")
SECRET = "root:x:0:0"  # what /etc/passwd would show if an XML entity were expanded from a file

PROSE = (
    "Foreign Minister Ilvana Brask said on Tuesday that talks would resume in Kessholm next week. "
    "\"We will not leave the table first,\" she told reporters. The corridor from Velgorod stayed closed. "
    "Officials in Stolgrad said the exchange of prisoners could begin on Monday, according to the mediator."
)
WEIRD = ["\x00", "\ufeff", "\u202e", "\u202d", "\u200f", "\u200e", "\u2066", "\u2069", "\u200b", "\u2063",
         "\x1b[31m", "\x07", "\x0c", "\r", "\x85", "\u2028", "\u2029", "\ud800", "\U0001f600", "\u0301" * 40,
         "\ufffd", "\x7f", "\u00ad", "\ufdd0", "\U000e0001"]
STORM = ['"', "*", "“", "”", "'", "-", ".", "=", "_", "~", "#", "!", "?", "…", "«", "»", "(", ")", "[", "/", "\\"]
EXTENSIONS = (".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".rss", ".atom")


@dataclass(frozen=True)
class Case:
    number: int
    kind: str
    ext: str  # ".stdin" for standard input
    data: bytes


def _prose(rng: random.Random, words: int) -> str:
    pool = PROSE.split()
    return " ".join(rng.choice(pool) for _ in range(words))


def _sprinkle(rng: random.Random, text: str, n: int) -> str:
    chars = list(text)
    for _ in range(n):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(WEIRD))
    return "".join(chars)


def _encode(rng: random.Random, text: str) -> bytes:
    """Text in a random, often wrong or mixed, encoding."""
    how = rng.randrange(9)
    if how == 0:
        return text.encode("utf-16", errors="surrogatepass")
    if how == 1:
        return text.encode("utf-16-le", errors="surrogatepass")  # no BOM
    if how == 2:
        return codecs.BOM_UTF8 + text.encode("utf-8", errors="surrogatepass")
    if how == 3:
        return text.encode("cp1251", errors="replace")
    if how == 4:
        return text.encode("latin-1", errors="replace")
    if how == 5:  # halves in different encodings
        cut = len(text) // 2
        return text[:cut].encode("utf-8", errors="surrogatepass") + text[cut:].encode("cp1252", errors="replace")
    if how == 6:  # invalid and overlong UTF-8 sequences inside valid text
        raw = bytearray(text.encode("utf-8", errors="surrogatepass"))
        for _ in range(rng.randrange(1, 20)):
            raw[rng.randrange(len(raw) + 1):0] = rng.choice([b"\xc0\xaf", b"\xed\xa0\x80", b"\xff", b"\xf8\x88\x80\x80\x80", b"\xe2\x82"])
        return bytes(raw)
    if how == 7:
        return text.encode("shift_jis", errors="replace")
    return text.encode("utf-8", errors="surrogatepass")


def _article_html(rng: random.Random) -> str:
    paragraphs = "".join(f"<p>{_prose(rng, rng.randrange(10, 60))}</p>" for _ in range(rng.randrange(1, 8)))
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{_prose(rng, 6)}</title></head>"
            f"<body><article><h1>{_prose(rng, 6)}</h1>{paragraphs}</article></body></html>")


def _random_bytes(rng, size):
    return rng.randbytes(rng.randrange(1, size + 1)), rng.choice(EXTENSIONS)


def _noisy_text(rng, size):
    text = _sprinkle(rng, _prose(rng, max(1, size // 8)), rng.randrange(1, 200))
    return _encode(rng, text), rng.choice((".txt", ".md"))


def _html(rng, size):
    page = _article_html(rng)
    how = rng.randrange(7)
    if how == 0:
        page = page[: rng.randrange(len(page))]  # truncated anywhere, inside a tag too
    elif how == 1:
        depth = rng.randrange(100, max(101, size // 6))
        page = "<html><body>" + "<div>" * depth + _prose(rng, 50) + "</div>" * rng.randrange(depth)
    elif how == 2:
        page = page.replace("<p>", "<p " + "a=\"" * rng.randrange(1, 3000) + ">", 1)
    elif how == 3:
        page = page.replace("<article>", rng.choice(["<script>", "<style>", "<!--", "<![CDATA[", "<textarea>"]), 1)
    elif how == 4:
        page = "<p>" * rng.randrange(1, max(2, size // 3))
    elif how == 5:
        page = page.replace("<h1>", "<h1>" + "&#" + "9" * rng.randrange(5, 40) + ";" + "&amp;" * rng.randrange(500), 1)
    else:
        page = _sprinkle(rng, page, rng.randrange(1, 100))
    return _encode(rng, page) if rng.random() < 0.3 else page.encode("utf-8", errors="surrogatepass"), ".html"


def _json(rng, size):
    article = {"title": _prose(rng, 6), "text": _prose(rng, rng.randrange(10, 200)), "outlet": "Velgrad Herald",
               "published": "2026-03-04"}
    how = rng.randrange(10)
    if how == 0:
        raw = json.dumps(article)
        text = raw[: rng.randrange(len(raw))]
    elif how == 1:
        depth = rng.randrange(10, max(11, size // 2))
        text = rng.choice(["[", "{\"a\":"]) * depth + rng.choice(["", "1", "]" * depth])
    elif how == 2:
        text = json.dumps({"articles": [rng.choice([article, 1, None, "x", [], {}, {"text": 5}, {"text": ["a"]},
                                                    {"title": None}, {"text": {"name": "x"}}, {"date": 1e300}])
                                        for _ in range(rng.randrange(1, 12))]})
    elif how == 3:
        text = json.dumps({**article, "published": rng.choice([1e300, -1, 2**70, "9999-99-99", True, [], 1e11])})
    elif how == 4:
        text = "{\"text\": " + "1" * rng.randrange(1, 5000) + "e99999}"
    elif how == 5:
        text = json.dumps(article).replace("\"text\"", "\"text\": null, \"text\"")
    elif how == 6:
        text = json.dumps({**article, "text": _sprinkle(rng, article["text"], 50)}, ensure_ascii=rng.random() < 0.5)
    elif how == 7:
        text = "NaN" if rng.random() < 0.5 else "[" + ",".join(["Infinity"] * 10) + "]"
    elif how == 8:
        text = json.dumps([article] * rng.randrange(1, 8))[:-rng.randrange(1, 3)]
    else:
        text = json.dumps({**article, "text": "<div>" * 2000 + article["text"]})
    return _encode(rng, text) if rng.random() < 0.2 else text.encode("utf-8", errors="surrogatepass"), ".json"


def _jsonl(rng, size):
    lines = []
    for _ in range(rng.randrange(1, 12)):
        how = rng.randrange(8)
        record = {"title": _prose(rng, 5), "text": _prose(rng, rng.randrange(5, 80))}
        if how == 0:
            lines.append(json.dumps(record)[: rng.randrange(1, 40)])
        elif how == 1:
            lines.append("")
        elif how == 2:
            lines.append("[" * rng.randrange(1, 3000))
        elif how == 3:
            lines.append(json.dumps({"text": _prose(rng, max(10, size // 6))}))
        elif how == 4:
            lines.append(_sprinkle(rng, json.dumps(record), 5))
        elif how == 5:
            lines.append(json.dumps(rng.choice([1, "x", None, [], {"text": 3}, {"title": ""}])))
        else:
            lines.append(json.dumps(record, ensure_ascii=False))
    joint = rng.choice(["\n", "\r\n", "\r", "\x0b", "\u2028", "\x00"])
    return joint.join(lines).encode("utf-8", errors="surrogatepass"), ".jsonl"


def _csv(rng, size):
    header = rng.choice(["title,text", "title;text;date", "text", "headline\tbody", "title,text" + ",x" * 2000,
                         "\ufefftitle,text", "title,url", ""])
    delimiter = max(",;\t", key=header.count) if header else ","
    rows = [header]
    for _ in range(rng.randrange(0, 12)):
        how = rng.randrange(7)
        cells = [_prose(rng, 5), _prose(rng, rng.randrange(5, 60))]
        if how == 0:
            cells[1] = "\"" + cells[1]  # unclosed quote
        elif how == 1:
            cells[1] = "\"" + _prose(rng, max(10, size // 6)).replace("\"", "\"\"") + "\""
        elif how == 2:
            cells = cells * rng.randrange(2, 200)
        elif how == 3:
            cells[1] = _sprinkle(rng, cells[1], 10)
        elif how == 4:
            cells = ["=cmd|' /C calc'!A0", "@SUM(1)"]
        elif how == 5:
            cells = [""]
        else:
            cells[1] = "\"" + cells[1].replace("\"", "\"\"") + "\""
        rows.append(delimiter.join(cells))
    text = rng.choice(["\n", "\r\n", "\r"]).join(rows)
    return _encode(rng, text) if rng.random() < 0.2 else text.encode("utf-8", errors="surrogatepass"), ".csv"


def _feed(rng, size):
    item = (f"<item><title>{_prose(rng, 5)}</title><link>https://x.example/{rng.randrange(10**6)}</link>"
            f"<description>{_prose(rng, rng.randrange(5, 80))}</description><pubDate>Tue, 03 Mar 2026 10:00:00 GMT"
            "</pubDate></item>")
    feed = f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>{item * rng.randrange(1, 6)}</channel></rss>"
    how = rng.randrange(9)
    ext = rng.choice((".rss", ".atom"))
    if how == 0:
        feed = feed[: rng.randrange(len(feed))]
    elif how == 1:  # entity expansion ("billion laughs"): 10**depth copies if a parser expanded it
        depth = rng.randrange(3, 10)
        entities = "<!ENTITY e0 \"lol\">" + "".join(f"<!ENTITY e{i} \"{f'&e{i - 1};' * 10}\">" for i in range(1, depth))
        feed = feed.replace("<rss", f"<!DOCTYPE rss [{entities}]><rss", 1)
        feed = feed.replace("<description>", f"<description>&e{depth - 1};", 1)
    elif how == 2:  # an external entity must never be read from the disk
        feed = feed.replace("<rss", "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><rss", 1)
        feed = feed.replace("<description>", "<description>&xxe;", 1)
    elif how == 3:
        feed = feed.replace("<channel>", "<channel>" + "<item>" * rng.randrange(10, max(11, size // 6)), 1)
    elif how == 4:
        feed = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>W</title>"
                + f"<entry><title>{_prose(rng, 5)}</title><content type=\"html\">&lt;p&gt;{_prose(rng, 40)}"
                + "</content></entry>" * rng.randrange(1, 5))[: rng.randrange(50, 2000)]
    elif how == 5:
        feed = feed.replace("<description>", "<description><![CDATA[" + "<div>" * rng.randrange(1, 5000), 1)
    elif how == 6:
        feed = feed.replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"x-nonsense\"?>")
    elif how == 7:
        feed = _sprinkle(rng, feed, rng.randrange(1, 50))
    else:
        feed = feed.replace("<description>", "<description>" + "&amp;lt;" * rng.randrange(1, 5000), 1)
    return _encode(rng, feed) if rng.random() < 0.2 else feed.encode("utf-8", errors="surrogatepass"), ext


def _huge_line(rng, size):
    return _prose(rng, rng.randrange(size // 8, size // 5)).encode(), rng.choice((".txt", ".md", ".html", ".json"))


def _storm(rng, size):
    mark = rng.choice(STORM)
    run = mark * rng.randrange(500, max(501, size))
    text = f"{_prose(rng, 30)}\n{_prose(rng, 10)} {run} {_prose(rng, 10)}\n{_prose(rng, 20)}"
    ext = rng.choice((".txt", ".md", ".json", ".html"))
    if ext == ".json":
        text = json.dumps({"title": "Storm", "text": text})
    elif ext == ".html":
        text = f"<html><body><article><p>{text}</p></article></body></html>"
    return text.encode("utf-8"), ext


def _markdown(rng, size):
    how = rng.randrange(4)
    n = rng.randrange(10, max(11, size // 4))
    text = [("**" * n) + _prose(rng, 20), "[" * n + "](" * n + _prose(rng, 20), "#" * n + " " + _prose(rng, 10),
            "\n".join("  " * i + "- " + _prose(rng, 3) for i in range(min(n, 3000)))][how]
    return text.encode("utf-8"), ".md"


KINDS = {  # kind: (generator, weight, size cap name)
    "random-bytes": (_random_bytes, 10, "small"),
    "noisy-text": (_noisy_text, 12, "small"),
    "html": (_html, 14, "small"),
    "json": (_json, 12, "small"),
    "jsonl": (_jsonl, 10, "small"),
    "csv": (_csv, 10, "small"),
    "feed": (_feed, 12, "small"),
    "markdown": (_markdown, 6, "small"),
    "huge-line": (_huge_line, 1, "huge"),
    "storm": (_storm, 4, "storm"),
}


def make_case(seed: int, number: int, sizes: dict[str, int], stdin: bool = False) -> Case:
    rng = random.Random(f"{seed}:{number}")
    names = list(KINDS)
    kind = rng.choices(names, weights=[KINDS[k][1] for k in names])[0]
    generate, _weight, cap = KINDS[kind]
    data, ext = generate(rng, sizes[cap])
    if len(data) > sizes[cap]:
        data = data[: sizes[cap]]  # cut anywhere: a truncated file is one more hostile input
    return Case(number, kind, ".stdin" if stdin else ext, data)


# -- running one batch ----------------------------------------------------------------------------------

GOOD_FIRST, GOOD_LAST = "000-good.txt", "zzz-good.txt"


def good_titles(batch: int) -> tuple[str, str]:
    return (f"Breakwater repaired in record time, batch {batch}", f"A schoolteacher's symphony opens the season, batch {batch}")


def write_batch(folder: Path, batch: int, cases: list[Case]) -> Path | None:
    folder.mkdir(parents=True)
    first, last = good_titles(batch)
    (folder / GOOD_FIRST).write_text(GOOD[0].format(title=first, place=PLACES[batch % len(PLACES)]))
    (folder / GOOD_LAST).write_text(GOOD[1].format(title=last, place=PLACES[(batch + 3) % len(PLACES)]))
    stdin = None
    for case in cases:
        if case.ext == ".stdin":
            stdin = folder.parent / f"stdin-{case.number:06d}"
            stdin.write_bytes(case.data)
        else:
            (folder / f"case-{case.number:06d}{case.ext}").write_bytes(case.data)
    return stdin


def case_of(item: str) -> int | None:
    """The case number in an item name (a path, "path (line 3)", or "<stdin>" -> None)."""
    name = item.rsplit("/", 1)[-1]
    if name.startswith("case-"):
        return int(name[5:11])
    return None


def stored_titles(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT title FROM articles")}


def leaked(db: Path) -> bool:
    with sqlite3.connect(db) as conn:
        return any(SECRET in (row[0] or "") + (row[1] or "")
                   for row in conn.execute("SELECT title, text FROM articles"))


def worker() -> None:
    """Run batches sent as JSON lines on stdin; report every settled item and the end of each batch."""
    sys.path.insert(0, str(ROOT))
    from parallax.app import Parallax

    out = sys.stdout
    # Load spaCy, the language models and the HTML extractor before the first case is timed.
    with tempfile.TemporaryDirectory() as warm:
        (Path(warm) / "a.html").write_text(f"<html><body><p>{GOOD[0].format(title='Warm', place='Verrin')}</p></body></html>")
        engine = Parallax(str(Path(warm) / "w.db"))
        engine.ingest([warm])
        engine.close()
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        job = json.loads(line)
        engine = Parallax(job["db"])
        last = time.monotonic()
        analysing_since = None

        def note(item: str, status: str) -> None:
            nonlocal last, analysing_since
            now = time.monotonic()
            if status == "analysing":
                analysing_since = now
            out.write(json.dumps({"item": item, "status": status, "seconds": now - last}) + "\n")
            out.flush()
            last = now

        stdin = io.TextIOWrapper(io.BytesIO(Path(job["stdin"]).read_bytes())) if job["stdin"] else None
        sources = [job["folder"]] + (["-"] if stdin else [])
        crashed = None
        started = time.monotonic()
        try:
            report = engine.ingest(sources, stdin=stdin, progress=note, batch_size=1)
            errors = [f"{e.item}: {e.reason}" for e in report.errors]
        except BaseException as exc:  # noqa: BLE001 - the very thing this benchmark looks for
            crashed, errors = f"{exc.__class__.__name__}: {exc}", []
        finally:
            engine.close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        now = time.monotonic()
        out.write(json.dumps({"done": True, "crashed": crashed, "errors": errors, "peak": peak,
                              "seconds": now - started,
                              "analysis": now - analysing_since if analysing_since else 0.0}) + "\n")
        out.flush()


STARTUP = 600  # seconds a worker may take to load everything (a loaded machine is slow)


class Worker:
    def __init__(self):
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, bufsize=0)
        self.pending = b""  # read from the pipe but not yet a whole line
        ready = self._line(STARTUP)
        if not ready or not json.loads(ready).get("ready"):
            raise RuntimeError(f"the fuzz worker did not start within {STARTUP} s")

    def _line(self, timeout: float) -> bytes | None:
        """The next line the worker wrote; None when none came within `timeout`, b"" when it died. Lines are
        split here from raw reads: a buffered reader would hold lines that select() then cannot see."""
        while b"\n" not in self.pending:
            ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                return b""
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line

    def run(self, job: dict, timeout: float, analysis_timeout: float) -> tuple[list[dict], dict | None]:
        """Events of one batch and its end, or (events so far, None) when one item ran past ``timeout``, or the
        analysis after the last item (stories and statements of the whole batch) past ``analysis_timeout``."""
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()
        events: list[dict] = []
        while True:
            analysing = bool(events) and events[-1]["status"] == "analysing"
            line = self._line(analysis_timeout if analysing else timeout)
            if line is None:
                return events, None
            if not line:
                return events, {"done": True, "crashed": f"worker died (exit {self.proc.wait()})", "errors": [],
                                "peak": 0, "seconds": 0}
            event = json.loads(line)
            if event.get("done"):
                return events, event
            events.append(event)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


@dataclass
class Tally:
    cases: int = 0
    batches: int = 0
    cli_batches: int = 0
    tracebacks: int = 0
    good_lost: int = 0
    bad_exit: int = 0
    multiline_errors: int = 0
    leaks: int = 0
    slow: int = 0  # cases over the time limit
    worst_case_seconds: float = 0.0
    worst_case: int | None = None
    peak_bytes: int = 0
    slowest_cli_batch: float = 0.0  # seconds
    slowest_analysis: float = 0.0  # seconds of stories and statements after a batch's last case (in-process)
    slow_analyses: int = 0  # analyses over --analysis-timeout
    seconds_by_kind: dict = None  # kind -> [cases timed, total seconds]

    def __post_init__(self):
        self.seconds_by_kind = {}


def run_in_process(work: Worker | None, folder: Path, db: Path, stdin: Path | None, batch: int, cases: list[Case],
                   args, tally: Tally, failures: list[str]) -> Worker | None:
    """One batch through the library in the worker. A case that runs past the timeout is recorded, its file
    removed and the batch run again on the same database (what is stored is skipped as unchanged), so one
    runaway case costs no other case its turn."""
    stdin_number = next((c.number for c in cases if c.ext == ".stdin"), None)
    while True:
        work = work or Worker()
        job = {"folder": str(folder), "db": str(db), "stdin": str(stdin) if stdin else None}
        events, end = work.run(job, args.timeout, args.analysis_timeout)
        for e in events:
            number = stdin_number if e["item"] in ("-", "<stdin>") else case_of(e["item"])
            if e["status"] in ("unchanged", "analysing"):
                continue
            kind = next((c.kind for c in cases if c.number == number), "control")
            timed = tally.seconds_by_kind.setdefault(kind, [0, 0.0])
            timed[0] += 1
            timed[1] = round(timed[1] + e["seconds"], 2)
            if number is not None and e["seconds"] > tally.worst_case_seconds:
                tally.worst_case_seconds, tally.worst_case = e["seconds"], number
            if e["seconds"] > args.timeout:
                tally.slow += 1
                failures.append(f"case {number}: {e['seconds']:.1f} s")
        if end is not None:
            break
        work.stop()
        work = None
        if events and events[-1]["status"] == "analysing":
            tally.slow_analyses += 1
            failures.append(f"batch {batch}: the analysis after the last case took over {args.analysis_timeout:g} s")
            return None
        # The item in flight: the first file in reading order (sorted names, then stdin) not yet settled.
        settled = {e["item"].split(" (")[0] for e in events}
        files = sorted(p for p in folder.iterdir())
        pending = [p for p in files if str(p) not in settled and p.name.startswith("case-")]
        tally.slow += 1
        if pending:
            culprit = pending[0]
            failures.append(f"case {case_of(culprit.name)} (batch {batch}): no progress for {args.timeout:g} s")
            culprit.unlink()
        elif stdin is not None:
            failures.append(f"case {stdin_number} (batch {batch}, stdin): no progress for {args.timeout:g} s")
            stdin = None
        else:
            failures.append(f"batch {batch}: no progress for {args.timeout:g} s after the last case")
            return None
    if end["crashed"]:
        tally.tracebacks += 1
        failures.append(f"batch {batch}: ingest raised {end['crashed'][:300]}")
        work.stop()
        return None
    tally.peak_bytes = max(tally.peak_bytes, end["peak"])
    tally.slowest_analysis = max(tally.slowest_analysis, round(end.get("analysis", 0.0), 1))
    for error in end["errors"]:
        if "\n" in error or "Traceback" in error:
            tally.multiline_errors += 1
            failures.append(f"batch {batch}: error message over several lines: {error[:200]!r}")
    check_stored(db, batch, tally, failures)
    return work


def check_stored(db: Path, batch: int, tally: Tally, failures: list[str]) -> None:
    titles = stored_titles(db)
    missing = [t for t in good_titles(batch) if t not in titles]
    if missing:
        tally.good_lost += len(missing)
        failures.append(f"batch {batch}: good article(s) lost: {missing}")
    if leaked(db):
        tally.leaks += 1
        failures.append(f"batch {batch}: a stored text holds the content of /etc/passwd")


def run_cli(folder: Path, db: Path, stdin: Path | None, batch: int, cases: list[Case], args, tally: Tally,
            failures: list[str]) -> None:
    tally.cli_batches += 1
    command = [sys.executable, "-m", "parallax", "--db", str(db), "ingest", str(folder), *(["-"] if stdin else []), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    started = time.monotonic()
    with open(stdin or os.devnull, "rb") as given, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, stdin=given, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        watchdog = threading.Timer(args.cli_limit, proc.kill)
        watchdog.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)  # the rusage of this process alone: its peak memory
        finally:
            watchdog.cancel()
        code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    seconds = time.monotonic() - started
    tally.peak_bytes = max(tally.peak_bytes, usage.ru_maxrss * 1024)
    if "Traceback" in stderr:
        tally.tracebacks += 1
        failures.append(f"batch {batch} (CLI): traceback: {stderr[stderr.index('Traceback'):][:400]!r}")
    if code not in (0, 1):
        tally.bad_exit += 1
        killed = f" (killed after {args.cli_limit:g} s)" if code == -9 else ""
        failures.append(f"batch {batch} (CLI): exit code {code}{killed}")
    for line in stderr.splitlines():
        if not line.startswith("error: ") and "articles stored" not in line:
            tally.multiline_errors += 1
            failures.append(f"batch {batch} (CLI): a stderr line that is neither an error nor the summary: {line[:200]!r}")
            break
    # The CLI gives no per-item times (the in-process batches do): its batches are timed whole, and killed only
    # past --cli-limit.
    tally.slowest_cli_batch = max(tally.slowest_cli_batch, round(seconds, 1))
    check_stored(db, batch, tally, failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--batch", type=int, default=100, help="hostile cases per ingest")
    parser.add_argument("--cli-every", type=int, default=5, help="every N-th batch runs through the CLI (0: never)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one case may take")
    parser.add_argument("--analysis-timeout", type=float, default=300.0,
                        help="seconds the stories and statements of a whole batch may take after its last case")
    parser.add_argument("--cli-limit", type=float, default=900.0, help="seconds before a CLI batch is killed")
    parser.add_argument("--small", type=int, default=6_000, help="largest ordinary case, bytes")
    parser.add_argument("--storm", type=int, default=5_000, help="largest punctuation-storm case, bytes")
    parser.add_argument("--huge", type=int, default=100_000, help="largest huge-line case, bytes")
    parser.add_argument("--summary", type=Path, help="write the running tally here after every batch")
    parser.add_argument("--only", type=int, help="build this case number only (with --keep)")
    parser.add_argument("--keep", type=Path, help="write the cases here and keep them")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return 0
    sizes = {"small": args.small, "storm": args.storm, "huge": args.huge}
    if args.only is not None:
        case = make_case(args.seed, args.only, sizes)
        target = args.keep or Path(".")
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"case-{case.number:06d}{case.ext}"
        path.write_bytes(case.data)
        print(f"{path}: {case.kind}, {len(case.data)} bytes")
        return 0

    tally, failures = Tally(), []
    scratch = Path(tempfile.mkdtemp(prefix="parallax-fuzz-"))
    work: Worker | None = None
    started = time.monotonic()
    try:
        for batch, first in enumerate(range(0, args.cases, args.batch)):
            numbers = range(first, min(args.cases, first + args.batch))
            cases = [make_case(args.seed, n, sizes, stdin=(n == first)) for n in numbers]
            base = (args.keep or scratch) / f"batch-{batch:04d}"
            stdin = write_batch(base / "items", batch, cases)
            db = base / "fuzz.db"
            if args.cli_every and batch % args.cli_every == args.cli_every - 1:
                run_cli(base / "items", db, stdin, batch, cases, args, tally, failures)
            else:
                work = run_in_process(work, base / "items", db, stdin, batch, cases, args, tally, failures)
            tally.cases += len(cases)
            tally.batches += 1
            if not args.keep:
                shutil.rmtree(base, ignore_errors=True)
            print(f"batch {batch}: {tally.cases} cases, {len(failures)} failures, "
                  f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
            if args.summary:
                args.summary.write_text(json.dumps({**tally.__dict__, "seconds": round(time.monotonic() - started),
                                                    "failures": failures}, indent=1))
    finally:
        if work is not None:
            work.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.monotonic() - started
    print(json.dumps({**tally.__dict__, "seed": args.seed, "batch": args.batch, "seconds": round(elapsed, 1),
                      "peak_mb": round(tally.peak_bytes / 2**20), "failures": len(failures)}, indent=1))
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
