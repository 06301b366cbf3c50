"""Resident memory and CPU time of a process and everything it started, read from /proc.

Cheap enough to sample every 50-100 ms beside the run it measures. The sampler shares the machine with that run,
and a run keeping both cores busy loses in wall time whatever the sampler takes: listing all of /proc for each
sample, and parsing each process's status file, took 3.7% of a core at 50 ms with 67 processes on the machine.
A ``Tree`` looks for new processes every REDISCOVER seconds only (the ingest's workers and Ray's actors live for
the whole run, and one started in between is found within that) and reads statm for each sample: under 1% of a
core at 50 ms, and 0.7% for Ray's watcher at 100 ms where it took 2.4% (stop 30, benchmarks/RESULTS.md).
"""

from __future__ import annotations

import os
import time

REDISCOVER = 2.0
_PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2**20
_TICKS = os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """``root`` and every process below it that is alive now (a thread's children are listed by that thread)."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue  # gone since its parent listed it
        found.append(pid)
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo.extend(int(child) for child in f.read().split())
            except OSError:
                continue
    return found


def rss_mib(pid: int) -> float:
    """Resident memory (0 for a process gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE_MIB
    except (OSError, IndexError, ValueError):
        return 0.0


class Tree:
    """A process and those below it, looked for again every REDISCOVER seconds."""

    def __init__(self, root: int):
        self.root = root
        self._pids: list[int] = []
        self._found = float("-inf")

    def pids(self) -> list[int]:
        if time.monotonic() - self._found >= REDISCOVER:
            self._pids, self._found = descendants(self.root), time.monotonic()
        return self._pids

    def rss_mib(self) -> float:
        """Resident memory of them all now."""
        return sum(rss_mib(pid) for pid in self.pids())


def cpu_s(pid: int) -> float:
    """User and system CPU seconds so far (0 for a process gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return 0.0
