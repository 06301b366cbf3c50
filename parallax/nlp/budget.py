"""What one article may cost the NLP stage: text the tokenizer can take, pieces of bounded size, and time.

- ``neutralise``: spaCy's tokenizer strips prefixes one character at a time and searches the rest of the token
  again after each, so a run of thousands of quote marks, asterisks or '=' takes quadratic time (8,000 characters,
  8 s). Such runs carry no words; they become spaces of the same length in the text given to spaCy, so every
  offset stays where it was and the stored text keeps the original characters.
- ``pieces``: an article longer than ``PIECE_CHARS`` is parsed piece by piece, cut after a line break (a
  paragraph), else after a sentence end, else at a space; memory stays that of one piece, spaCy's 1,000,000
  character limit is never reached, and the quote passes' work per piece stays small.
- ``time_limit``: a deadline for one piece (an ordinary article is one), in CPU seconds of the process analysing
  it (so that on a busy machine the same article gets the same verdict, and its pieces the same whichever worker
  takes them), raised as ``BudgetExceeded`` by a SIGPROF timer where the process allows one (the main thread;
  workers run their tasks there) and checked after parsing and after analysis everywhere.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

# Text parsed as one spaCy Doc at most. Big enough that an ordinary article is one piece, small enough that a
# piece parses in seconds and its Doc takes tens of MB.
PIECE_CHARS = 100_000
# Characters of cleaned text one article may have (--max-chars, PARALLAX_MAX_CHARS). Parsing costs about a
# minute per million characters on one core; beyond this an item is more likely a dump than an article.
MAX_CHARS = 2_000_000
# Default CPU seconds for one article of up to PIECE_CHARS characters; each piece of a longer one gets this much
# (about ten times what a piece of ordinary news text takes).
TIME_BUDGET = 60.0

# Punctuation storms: eight or more marks in a row with no letter, digit or space ("''", "********",
# "=====") or eight or more groups of marks separated by spaces alone ('" " " " " " " "', "- - - - - - - -").
# Prose never has either ('."”', "?!", ': ..." — “' are far shorter). Tokenising a run of marks takes time
# quadratic in its length; a spaced one is linear but makes a token of each mark, which the parser takes
# several times longer over than over words.
_MARK = r"(?:[^\w\s]|_)"
_STORM = re.compile(rf"{_MARK}{{8,}}|(?:{_MARK}+[^\S\n]+){{7,}}{_MARK}+")
# Where a line with no break may be cut: after a sentence end (and any closing marks) followed by a space.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s")


class BudgetExceeded(BaseException):
    """One article used up its time budget.

    A BaseException, like KeyboardInterrupt, so that the analysis' own ``except Exception`` guards (an odd
    headline must not cost the article its body) do not swallow it."""


def neutralise(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` with punctuation storms replaced by spaces of the same length, and the (start, end) of each."""
    runs = tuple(m.span() for m in _STORM.finditer(text))
    if not runs:
        return text, runs
    parts, at = [], 0
    for start, end in runs:
        parts += [text[at:start], " " * (end - start)]
        at = end
    parts.append(text[at:])
    return "".join(parts), runs


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) ranges that cover ``text`` in order, each at most ``limit`` characters long.

    A piece ends just after the last line break that fits; a line longer than ``limit`` is cut after its last
    sentence end that fits, else after its last space, else at ``limit`` itself (a run of letters with no space
    has no better place).
    """
    if limit < 2:
        raise ValueError("a piece must hold at least two characters")
    ranges: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = window.rfind("\n") + 1
        if cut == 0:
            ends = [m.end() for m in _SENTENCE_END.finditer(window)]
            cut = ends[-1] if ends else max(window.rfind(" "), window.rfind("\t")) + 1
        if cut == 0:
            cut = limit
        ranges.append((start, start + cut))
        start += cut
    ranges.append((start, len(text)))
    return ranges


def article_seconds(length: int, budget: float | None) -> float | None:
    """The time an article of ``length`` characters may take: ``budget`` for every PIECE_CHARS begun."""
    if budget is None or budget <= 0:
        return None
    return budget * max(1, -(-length // PIECE_CHARS))


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class Deadline:
    """The moment an article's time is up; ``check`` raises once it has passed."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.at = None if seconds is None else time.process_time() + seconds

    def check(self) -> None:
        if self.at is not None and time.process_time() > self.at:
            raise BudgetExceeded(f"took longer than its time budget of {self.seconds:g} s of CPU time")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[Deadline]:
    """Run the block with a deadline in CPU seconds: interrupted by a timer where one can be set, else checked
    by the caller.

    ``None`` or a non-positive value means no limit. Timers do not nest: the block must not start another.
    """
    deadline = Deadline(seconds if seconds and seconds > 0 else None)
    if deadline.at is None or not _can_alarm():
        yield deadline
        return

    def expire(_signum, _frame):
        raise BudgetExceeded(f"took longer than its time budget of {deadline.seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expire)
    # repeating, in case a library catches the first one: a CPU second later it fires again
    signal.setitimer(signal.ITIMER_PROF, deadline.seconds, 1.0)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
