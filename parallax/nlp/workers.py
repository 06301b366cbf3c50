"""Worker processes for the NLP stage that lose nothing when one of them dies or hangs.

Each worker takes one batch at a time and sends back one result per item as soon as it has it, so the parent
always knows which item a worker is on. The pieces of a long article go out one per batch, so that every worker
takes a share of it, and are put together here in piece order (``article.LongArticle``). When a worker dies
(killed, out of memory, a crash in native code) or overruns its item's time budget many times over (its own
timer should have fired first), the parent kills it, records that one item as failed, starts a fresh worker and
hands the rest of the batch on. A worker parses a batch's articles together, so when it dies with several of them
unfinished the one to blame is not known: the rest of the batch then goes to the next worker to be done one item
at a time, which finds it. Results come back in input order.

Our own processes rather than ``multiprocessing.Pool`` or ``ProcessPoolExecutor``: a Pool waits forever for the
task of a worker that died, and an executor fails every task in flight with the one that broke it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Iterable, Iterator

from parallax.nlp.budget import article_seconds
from parallax.nlp.article import Item, LongArticle, Piece, Result, analyse_batch, analyse_task
from parallax.nlp.batching import evened

# The parent's last resort, for a worker stuck where its own CPU timer cannot interrupt it: wall seconds past
# OVERLOAD times an item's budget (in CPU seconds: a busy machine gives a worker a fraction of a core).
OVERLOAD = 5
GRACE = 30.0
BATCHES_AHEAD_PER_WORKER = 2  # batches read ahead of the one being yielded (and one more per worker, see
# parallax.nlp.batching): workers stay busy, memory bounded
_POLL = 1.0  # seconds between checks on the time of busy workers
MAX_FAILED_STARTS = 3  # workers that die before they are ready: the run cannot go on


def _serve(conn, time_budget: float | None) -> None:
    """A worker's life: load the pipeline, then analyse the batches it is sent until it is sent None, or until
    its parent is gone (killed: nobody is left to answer, and a traceback would only litter the run's log)."""
    # Ctrl-C reaches the whole process group: the parent decides what it means, and stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _analyse_until_told(conn, time_budget)
    except (EOFError, BrokenPipeError, ConnectionResetError):
        return
    # Told to stop, with every result sent: leave without tearing down the interpreter. Freeing the pipeline's
    # objects one by one took 0.35 s per worker, and the parent waits for its workers before the analysis.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _analyse_until_told(conn, time_budget: float | None) -> None:
    from parallax.nlp import english_pipeline

    try:
        nlp = english_pipeline()
    except Exception as exc:  # no model installed: the parent says so and stops the run
        conn.send(("broken", str(exc)))
        return
    conn.send("ready")
    while (message := conn.recv()) is not None:
        tasks, alone = message
        if alone or any(isinstance(task, Piece) for task in tasks):
            results = (analyse_task(nlp, task, time_budget) for task in tasks)
        else:
            results = analyse_batch(nlp, tasks, time_budget)
        for result in results:
            try:
                conn.send(result)
            except Exception as exc:  # a result that cannot be pickled must still answer for its item
                conn.send(f"analysis failed (result could not be sent: {exc.__class__.__name__}: {exc})")


@dataclass
class _Batch:
    items: list[Item | Piece]
    results: list[Result] = field(default_factory=list)
    sent: int = 0  # results already yielded
    alone: bool = False  # to be analysed one item at a time (a worker died on it with several left)


class _Worker:
    def __init__(self, context, time_budget: float | None):
        self.time_budget = time_budget
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, time_budget), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.batch: _Batch | None = None
        self.since = 0.0  # when the worker started its current item
        self.told_to_stop = False

    def give(self, batch: _Batch) -> bool:
        """Send it the rest of ``batch``; False when the worker is gone (its death is noticed later)."""
        try:
            self.conn.send((batch.items[len(batch.results):], batch.alone))
        except OSError:
            return False
        self.batch = batch
        self.since = time.monotonic()
        return True

    def overdue(self, now: float) -> float | None:
        """The budget the current item has overrun, if it has."""
        if not self.ready or self.batch is None:
            return None
        task = self.batch.items[len(self.batch.results)]
        text = task.text if isinstance(task, Piece) else task[0]
        seconds = article_seconds(len(text), self.time_budget)
        return seconds if seconds is not None and now - self.since > OVERLOAD * seconds + GRACE else None

    def receive(self) -> None:
        """Take every message waiting; raises EOFError/OSError when the worker is gone."""
        while self.conn.poll():
            message = self.conn.recv()
            if isinstance(message, tuple) and message[0] == "broken":
                raise RuntimeError(message[1])
            if message == "ready":
                self.ready = True
                self.since = time.monotonic()
                continue
            assert self.batch is not None
            self.batch.results.append(message)
            self.since = time.monotonic()
            if len(self.batch.results) == len(self.batch.items):
                self.batch = None

    def ask_to_stop(self) -> None:
        """Tell an idle worker to leave (``stop`` then waits for it): several told at once leave side by side."""
        if self.told_to_stop:
            return
        self.told_to_stop = True
        try:
            self.conn.send(None)
        except OSError:
            pass

    def stop(self, *, kill: bool = False) -> None:
        if not kill and self.process.is_alive():
            self.ask_to_stop()
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _death(process) -> str:
    process.join(1)  # a closed pipe may be seen a moment before the exit
    code = process.exitcode
    return f"killed (signal {-code})" if code is not None and code < 0 else f"stopped (exit code {code})"


def analyse_in_workers(
    items: Iterable[Item], *, n_process: int, batch_size: int, time_budget: float | None
) -> Iterator[Result]:
    long_articles: deque[LongArticle | None] = deque()  # for every item sent out, in order: split or not

    def batches() -> Iterator[list[Item | Piece]]:
        batch: list[Item | Piece] = []
        for item in items:
            long = LongArticle.of(item)
            long_articles.append(long)
            if long is None:
                batch.append(item)
                if len(batch) < batch_size:
                    continue
            if batch:
                yield batch
                batch = []
            if long is not None:
                yield from ([piece] for piece in long.pieces)  # each piece to the next free worker
        if batch:
            yield batch

    results = _in_workers(evened(batches(), n_process), n_process=n_process, time_budget=time_budget)
    for result in results:
        long = long_articles.popleft()
        yield result if long is None else long.assemble_embedded([result] + [next(results) for _ in long.pieces[1:]])


def _in_workers(
    batches: Iterator[list[Item | Piece]], *, n_process: int, time_budget: float | None
) -> Iterator[Result]:
    """One result per task of ``batches``, in order."""
    # "spawn": workers start clean instead of inheriting this process's threads and open database handles.
    context = multiprocessing.get_context("spawn")
    order: deque[_Batch] = deque()  # every batch not yet fully yielded, in input order
    waiting: deque[_Batch] = deque()  # batches (or what is left of them) no worker has
    workers: list[_Worker] = []
    exhausted = False
    failed_starts = 0
    try:
        workers = [_Worker(context, time_budget) for _ in range(n_process)]
        while True:
            for worker in workers:
                if worker.batch is not None:
                    continue
                if not waiting and not exhausted and len(order) < n_process * BATCHES_AHEAD_PER_WORKER:
                    batch = next(batches, None)
                    if batch:
                        order.append(_Batch(batch))
                        waiting.append(order[-1])
                    else:
                        exhausted = True
                # a worker that died idle keeps no batch: it is replaced below and the batch waits for another
                if waiting and worker.give(waiting[0]):
                    waiting.popleft()
            # (workers are given their next batch first: they work while the caller stores these)
            while order and len(order[0].results) > order[0].sent:
                head = order[0]
                head.sent += 1
                yield head.results[head.sent - 1]
                if head.sent == len(head.items):
                    order.popleft()
            if not order:
                if exhausted:
                    return
                continue  # the window was full when the workers were served: read on
            busy = [w for w in workers if w.batch is not None or not w.ready]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=_POLL)
            now = time.monotonic()
            for i, worker in enumerate(workers):
                reason = None
                try:
                    worker.receive()
                except (EOFError, OSError):
                    reason = f"the worker process analysing it was {_death(worker.process)}"
                if reason is None and not worker.process.is_alive():
                    try:
                        worker.receive()  # what it sent before it died
                    except (EOFError, OSError):
                        pass
                    reason = f"the worker process analysing it was {_death(worker.process)}"
                overrun = worker.overdue(now) if reason is None else None
                if overrun is not None:
                    reason = f"still running at {OVERLOAD} times its time budget of {overrun:g} s (the worker was stopped)"
                if reason is None:
                    continue
                batch = worker.batch
                worker.stop(kill=True)
                if not worker.ready:  # it died loading the model: its batch was never started
                    failed_starts += 1
                    if failed_starts >= MAX_FAILED_STARTS:
                        raise RuntimeError(
                            f"NLP worker processes cannot start: the last was {_death(worker.process)}")
                    if batch is not None:
                        waiting.appendleft(batch)
                    workers[i] = _Worker(context, time_budget)
                    continue
                failed_starts = 0
                workers[i] = _Worker(context, time_budget)
                if batch is not None:
                    if batch.alone or len(batch.items) - len(batch.results) == 1:
                        batch.results.append(reason)  # the item it was on; the rest go to another worker
                    batch.alone = True
                    if len(batch.results) < len(batch.items):
                        waiting.appendleft(batch)
    finally:
        idle = [worker for worker in workers if worker.batch is None]  # a busy one would finish its batch first
        for worker in idle:
            worker.ask_to_stop()
        for worker in workers:
            worker.stop(kill=worker not in idle)
