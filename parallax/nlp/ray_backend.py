"""Running the NLP stage on a Ray cluster: the driver reads and cleans, Ray actors parse and analyse.

Each actor loads the spaCy pipeline once and analyses batches of cleaned articles with the same per-item function
as local workers (``parallax.nlp.article.analyse_batch``: parsed together, embedded in one call, each article's
time budget its own), so the time budget of one article holds on the cluster
as it does here (an actor runs its tasks in its main thread, where the CPU timer can interrupt an article).

- Backpressure: at most ``BATCHES_AHEAD_PER_WORKER`` batches per actor are read and not yet handed back to the
  caller (in flight, or done and waiting for an earlier one), and one more is read ahead to see where the input
  ends (``parallax.nlp.batching``), so memory is flat however long the input is.
- Order: results are collected as they complete and handed back in input order, the order a local run stores
  them in: the same articles get the same ids and story clustering sees them in the same order.
- Faults: when the actor holding a batch dies (killed, out of memory, a crash in native code) or overruns the
  batch's time budget many times over, a fresh actor takes its place and the batch is run once more; a batch
  that fails twice answers for each of its items with one line, and every other batch goes on.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

from parallax.nlp.article import Item, Result, analyse_batch
from parallax.nlp.batching import batches
from parallax.nlp.budget import article_seconds
from parallax.nlp.workers import GRACE, OVERLOAD

BATCHES_AHEAD_PER_WORKER = 3  # batches per actor read ahead: two queued on it, one waiting to be yielded
QUEUED_PER_WORKER = 2  # batches queued on one actor, so it starts the next while the driver stores the last
ATTEMPTS = 2  # a batch whose actor dies is run once more, then its items fail
START_TIMEOUT = 300.0  # seconds for the actors to load spaCy (a busy cluster may start them late)
_POLL = 1.0


class RayUnavailable(RuntimeError):
    """Ray cannot be used for this run: not installed, no cluster at the address, or no worker starts."""


def connect(address: str, *, num_cpus: int | None = None) -> bool:
    """Join the Ray cluster at ``address`` ("auto": the one running on this machine; "local": start one for
    this run; else host:port or ray://host:port). Raises RayUnavailable with the reason. False when this process
    had joined a cluster already (its caller set Ray up and leaves it), else True: ``disconnect`` when done."""
    if "ray" not in sys.modules and importlib.util.find_spec("ray") is None or sys.modules.get("ray", 0) is None:
        raise RayUnavailable("--ray needs Ray, which is not installed: pip install 'parallax[ray]'")
    if address not in ("auto", "local"):
        _probe(address)
    # Ray reads these when it is imported
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if address not in ("auto", "local") and "RAY_AUTH_MODE" not in os.environ and _token_available():
        # `ray start` turns token authentication on, and Ray finds the token by itself for "auto" only
        os.environ["RAY_AUTH_MODE"] = "token"
    import ray

    if ray.is_initialized():
        return False
    options: dict = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR",
                     "address": address}
    if address == "local":
        options["num_cpus"] = num_cpus
    try:
        ray.init(**options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise RayUnavailable(f"no Ray cluster at {address} ({reason})") from None
    return True


def disconnect() -> None:
    """Leave the cluster ``connect`` joined: the driver's part of Ray (and with "local" the whole private cluster,
    its object store included) is not kept through the story and statement analysis that follows."""
    import ray

    ray.shutdown()


def _token_available() -> bool:
    return bool(os.environ.get("RAY_AUTH_TOKEN") or os.environ.get("RAY_AUTH_TOKEN_PATH")
                or os.path.exists(os.path.expanduser("~/.ray/auth_token")))


def _probe(address: str) -> None:
    """Fail in seconds when nothing listens at the address: Ray itself retries for minutes."""
    hostport = address.split("://", 1)[-1]
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise RayUnavailable(f"--ray {address}: expected auto, local, HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as exc:
        raise RayUnavailable(f"no Ray cluster at {address} ({exc.strerror or exc})") from None


class NlpActor:
    """One Ray actor: the spaCy pipeline, loaded once, and the analysis of the batches it is sent."""

    def __init__(self, time_budget: float | None):
        from parallax.nlp import english_pipeline

        self.nlp = english_pipeline()
        self.time_budget = time_budget

    def ready(self) -> bool:
        return True

    def analyse(self, items: list[Item]) -> list[Result]:
        return list(analyse_batch(self.nlp, items, self.time_budget))


@dataclass
class _Batch:
    items: list[Item]
    attempts: int = 0
    budget: float | None = None  # wall seconds after which its actor is taken for stuck
    results: list[Result] | None = None


def analyse_on_ray(
    items: Iterable[Item], *, workers: int | None = None, batch_size: int = 32, time_budget: float | None = None
) -> Iterator[Result]:
    """Analyse items on the connected Ray cluster, yielding one result per item in input order.

    ``workers``: actors to start (default: one per CPU of the cluster). Call ``connect`` first.
    """
    import ray
    from ray.exceptions import RayActorError, RayError

    if workers is None:
        workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
    remote = ray.remote(num_cpus=1, max_restarts=0)(NlpActor)
    actors = [remote.remote(time_budget) for _ in range(workers)]
    starting = [a.ready.remote() for a in actors]  # answered once each has loaded spaCy

    source = batches(items, batch_size, workers)
    order: deque[_Batch] = deque()  # every batch not yet yielded, in input order
    retry: deque[_Batch] = deque()  # batches whose actor died, to run again
    running: dict = {}  # object ref -> (batch, actor slot, the actor, when it was sent)
    load = [0] * workers  # batches queued on each actor
    exhausted = False
    try:
        while True:
            # hand out work: retries first, then new batches while the window has room
            for slot in sorted(range(workers), key=lambda s: load[s]):
                while load[slot] < QUEUED_PER_WORKER:
                    if retry:
                        batch = retry.popleft()
                    elif not exhausted and len(order) < workers * BATCHES_AHEAD_PER_WORKER:
                        chunk = next(source, None)
                        if chunk is None:
                            exhausted = True
                            break
                        batch = _Batch(chunk, budget=_wall_budget(chunk, time_budget))
                        order.append(batch)
                    else:
                        break
                    batch.attempts += 1
                    actor = actors[slot]
                    running[actor.analyse.remote(batch.items)] = (batch, slot, actor, time.monotonic())
                    load[slot] += 1
            if starting:
                # The first batches were read, cleaned and queued on the actors while they loaded spaCy (an
                # actor takes its tasks once it is ready); nothing is stored before every one of them is.
                _started(ray, starting, workers)
                starting = []
                now = time.monotonic()
                running = {ref: (batch, slot, actor, now) for ref, (batch, slot, actor, _sent) in running.items()}
            while order and order[0].results is not None:
                yield from order.popleft().results
            if not order:
                if exhausted:
                    return
                continue
            done, _ = ray.wait(list(running), num_returns=1, timeout=_POLL)
            for ref in done:
                batch, slot, actor, _sent = running.pop(ref)
                if actors[slot] is actor:
                    load[slot] -= 1
                try:
                    batch.results = ray.get(ref)
                except RayActorError as exc:
                    if actors[slot] is actor:  # the first of its batches to report the death replaces it
                        _kill(ray, [actor])
                        actors[slot] = remote.remote(time_budget)
                        load[slot] = 0
                    _again(batch, _reason(exc), retry)
                except RayError as exc:  # the task failed but its actor lives (a result Ray could not move)
                    _again(batch, _reason(exc), retry)
            now = time.monotonic()
            for batch, slot, actor, sent in list(running.values()):
                # queued behind another batch, so give it two budgets before taking its actor for stuck
                if batch.budget is not None and now - sent > QUEUED_PER_WORKER * batch.budget:
                    _kill(ray, [actor])  # its tasks fail with RayActorError: replaced and retried above
    finally:
        _kill(ray, actors)


def _started(ray, starting: list, workers: int) -> None:
    """Wait for the actors to have loaded spaCy; raises RayUnavailable when they cannot."""
    from ray.exceptions import GetTimeoutError, RayError

    try:
        ray.get(starting, timeout=START_TIMEOUT)
    except GetTimeoutError:
        raise RayUnavailable(f"Ray workers did not start within {START_TIMEOUT:g} s "
                             f"(does the cluster have {workers} free CPUs?)") from None
    except RayError as exc:
        raise RayUnavailable(f"Ray workers cannot start: {_reason(exc)}") from None


def _wall_budget(chunk: list[Item], time_budget: float | None) -> float | None:
    seconds = [article_seconds(len(item[0]), time_budget) for item in chunk]
    if any(s is None for s in seconds):
        return None
    return OVERLOAD * sum(seconds) + GRACE  # type: ignore[arg-type]


def _again(batch: _Batch, reason: str, retry: deque[_Batch]) -> None:
    if batch.attempts < ATTEMPTS:
        retry.append(batch)
    else:
        batch.results = [f"analysis failed twice on Ray workers ({reason})"] * len(batch.items)


_COLOURS = re.compile(r"\x1b\[[0-9;]*m")  # Ray colours the task names in its messages


def _reason(exc: Exception) -> str:
    """One line: Ray's first line, or, when its message carries the traceback of an error raised on a worker
    (an actor that could not load spaCy), that error's own last line, which says what the user can fix."""
    lines = [line.strip() for line in _COLOURS.sub("", str(exc)).splitlines() if line.strip()]
    raised_on_worker = any(line.startswith('File "') for line in lines)
    said = (lines[-1] if raised_on_worker else lines[0]) if lines else exc.__class__.__name__
    return f"{exc.__class__.__name__}: {said}"[:300]


def _kill(ray, actors: list) -> None:
    for actor in actors:
        try:
            ray.kill(actor, no_restart=True)
        except Exception:  # already gone
            pass
