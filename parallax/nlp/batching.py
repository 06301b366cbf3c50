"""Cutting a stream of articles into the batches that worker processes or Ray actors take one at a time.

A batch is the unit a worker takes, so when the input runs out one worker may still be parsing a whole batch
(about 8 s of CPU for 32 news articles) while the others wait idle. The last batches therefore go out smaller
and smaller (guided self-scheduling: each takes a share of what is left), so the workers finish together. To
know where the end is, one batch per worker is read ahead of what is handed out. (On the 500 articles of
benchmarks/throughput.py the stage ends only 0.3-0.8 s sooner: their cut into batches of 32 happened to end
nearly even already.)
"""

from __future__ import annotations

from collections import deque
from itertools import islice
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")

SHARES_PER_WORKER = 2  # a tail batch takes 1/(2 x workers) of what is left: small ones last, a few large first


def batches(items: Iterable[T], batch_size: int, workers: int) -> Iterator[list[T]]:
    """``items`` in lists of ``batch_size``, except the last ``workers`` lists' worth, handed out in shrinking
    lists, down to one item, when there are several workers to keep busy to the end."""
    source = iter(items)
    return evened(iter(lambda: list(islice(source, batch_size)), []), workers)


def evened(stream: Iterator[list[T]], workers: int) -> Iterator[list[T]]:
    """The lists of ``stream`` as they are, but for the last ``workers`` ones: what they hold goes out in
    shrinking lists instead. A one-item list (a piece of a long article) is passed on alone, as it was."""
    if workers <= 1:
        yield from stream
        return
    ahead: deque[list[T]] = deque()
    for batch in stream:
        ahead.append(batch)
        if len(ahead) > workers:
            yield ahead.popleft()
    left = sum(len(b) for b in ahead)
    run: list[T] = []  # the items of consecutive batches, cut afresh
    for batch in [*ahead, []]:
        if len(batch) > 1:
            run.extend(batch)
            continue
        while run:
            size = max(1, -(-left // (SHARES_PER_WORKER * workers)))
            piece, run = run[:size], run[size:]
            yield piece
            left -= len(piece)
        if batch:
            yield batch
            left -= 1
