"""Running the NLP stage over a stream of articles, in this process or in a pool of worker processes.

Workers parse and analyse whole batches (spaCy and the quote/speaker stages both run in parallel) and send
back plain ``Analysis`` objects, in input order. Our own pool rather than spaCy's ``n_process``: when the
consumer stops early (an error while storing, Ctrl-C) spaCy's workers stay blocked on a full pipe and the
run hangs; a pool we own is terminated. An article whose analysis fails is reported, never fatal to the run.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from datetime import date
from itertools import islice
from typing import Iterable, Iterator

from parallax.model import Analysis

# (text, publication date) or (text, publication date, headline): the headline is parsed as a Doc of its own,
# since ingest keeps it out of the text, and its quotes come back marked ``in_title``.
Item = tuple[str, date | None] | tuple[str, date | None, str | None]
# An analysed item: the Analysis, or the reason it could not be analysed.
Result = Analysis | str

IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: enough to keep it busy, bounded memory


def _analyse_batch(items: list[Item]) -> list[Result]:
    from parallax.nlp import analyse_doc, english_pipeline

    nlp = english_pipeline()
    results: list[Result] = []
    titles = nlp.pipe([(item[2] or "") if len(item) > 2 else "" for item in items])
    for (doc, published), title in zip(nlp.pipe(((item[0], item[1]) for item in items), as_tuples=True), titles):
        try:
            results.append(analyse_doc(doc, published, title if len(title) else None))
        except Exception as exc:  # a bug on one odd text must not cost the other articles
            results.append(f"analysis failed ({exc.__class__.__name__}: {exc})")
    return results


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def analyse_stream(items: Iterable[Item], *, n_process: int = 1, batch_size: int = 32) -> Iterator[Result]:
    """Analyse (text, publication date[, headline]) items, yielding one result per item in input order.

    Items are pulled lazily, so the caller may decide on the next item after seeing earlier results.
    """
    if n_process <= 1:
        for batch in _batches(items, batch_size):
            yield from _analyse_batch(batch)
        return
    # "spawn": workers start clean instead of inheriting this process's threads and open database handles.
    pool = multiprocessing.get_context("spawn").Pool(n_process)
    try:
        pending: deque = deque()
        batches = _batches(items, batch_size)
        for batch in islice(batches, n_process * IN_FLIGHT_PER_WORKER):
            pending.append(pool.apply_async(_analyse_batch, (batch,)))
        while pending:
            results = pending.popleft().get()
            following = next(batches, None)
            if following is not None:
                pending.append(pool.apply_async(_analyse_batch, (following,)))
            yield from results
        pool.close()
    finally:
        pool.terminate()
        pool.join()
