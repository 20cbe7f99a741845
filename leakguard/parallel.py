"""Spread a scan over worker processes.

Work is handed out in small batches so a few huge files cannot leave a core
idle; each worker builds its own ``Engine`` from the rules (cheap) so nothing
unpicklable crosses a process boundary. ``scan_units`` hands out a known list
of units whose work the workers fetch themselves (batches of commits: each
worker runs its own ``git log``). ``scan_produced`` hands out items as this
process makes them (files as a folder is listed, the per-file sections of a
shallow clone's one commit), sized so that small scans never start a worker.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from leakguard.models import Fragment, Skipped
from leakguard.scan import Engine, EngineSettings, ScanResult, scan

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext
    from multiprocessing.pool import AsyncResult

Unit = TypeVar("Unit")
Producer = Callable[[Sequence[Unit]], Iterable["Fragment | Skipped"]]


class _Job(NamedTuple):
    """What each worker is started with (a named tuple: importing dataclasses
    costs a folder scan's start-up 7 ms)."""

    settings: EngineSettings
    produce: Producer[Any]


def _context() -> BaseContext:
    """Worker processes by fork where there is one. (multiprocessing is
    imported here: a scan small enough for one process never needs it.)"""
    import multiprocessing

    return multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# Starting worker processes costs ~40 ms (fork, then each worker's imports,
# compiled regexes and scanner databases) and saves half of what follows, at
# ~40 MB/s a core: measured on the requests (0.5 MB) and boto3 (1 MB) trees, one
# process finished 15-20% sooner. Below this many bytes, one process scans.
PARALLEL_AFTER = 4 * 1024 * 1024


def batches(units: Sequence[Unit], size: int) -> Iterator[Sequence[Unit]]:
    for start in range(0, len(units), size):
        yield units[start : start + size]


# A worker process scans many batches with one engine; this holds it for the
# life of that process only (never set in the parent).
_worker: tuple[Engine, Callable[[Sequence[object]], Iterable[Fragment | Skipped]]] | None = None


def _start_worker(job: _Job) -> None:
    global _worker
    _worker = (Engine.from_settings(job.settings), job.produce)


def _scan_batch(batch: Sequence[object]) -> tuple[int, ScanResult]:
    assert _worker is not None, "worker started without an engine"
    engine, produce = _worker
    return len(batch), scan(engine, produce(batch))


def scan_units(
    settings: EngineSettings,
    units: Sequence[Unit],
    produce: Producer[Unit],
    *,
    jobs: int,
    batch_size: int = 32,
    on_part: Callable[[int, ScanResult], None] | None = None,
) -> ScanResult:
    """Scan what ``produce`` makes of each batch of ``units``, in ``jobs``
    processes (or in this one when there is a batch or less). ``on_part``
    hears of each finished batch (its size and result), for progress
    displays."""
    total = ScanResult()
    if jobs <= 1 or len(units) <= batch_size:
        engine = Engine.from_settings(settings)
        for batch in batches(units, batch_size):
            part = scan(engine, produce(batch))
            total.merge(part)
            if on_part:
                on_part(len(batch), part)
        return total
    context = _context()
    work = list(batches(units, batch_size))
    with context.Pool(jobs, _start_worker, (_Job(settings, produce),)) as pool:
        for size, part in pool.imap_unordered(_scan_batch, work):
            total.merge(part)
            if on_part:
                on_part(size, part)
    return total


# Work made in this process travels to workers in batches of at most this many
# bytes. Each batch costs this process ~0.6 ms (handing it out, taking its
# result back): 1 MB batches took it 0.77 CPU-s of a 316 MB folder scan on two
# cores, 4 MB ones 0.65 (2.88 -> 2.76 s). Batches shrink towards the end.
BATCH_BYTES = 4 * 1024 * 1024
SMALLEST_BATCH = 256 * 1024


def scan_produced(
    settings: EngineSettings,
    items: Iterable[Unit],
    produce: Producer[Unit],
    *,
    size_of: Callable[[Unit], int],
    jobs: int,
    on_part: Callable[[int, ScanResult], None] | None = None,
) -> ScanResult:
    """Scan what ``produce`` makes of ``items`` that are made in this process
    (files as a folder is listed, the sections of a commit's patch): in this
    process, or once they pass
    ``PARALLEL_AFTER`` bytes by ``size_of``, handed out to ``jobs`` workers in
    batches of up to ``BATCH_BYTES``. The items are made in this thread, so an
    error making them (git failing) is raised here like anywhere else.
    ``on_part`` hears of each scanned batch (as 0 units done: the units are
    the caller's)."""
    pending = iter(items)
    head: list[Unit] = []
    size = 0
    for item in pending:
        head.append(item)
        size += size_of(item)
        if jobs > 1 and size > PARALLEL_AFTER:
            break
    else:  # all of it made, and small (or one job): scan it here
        part = scan(Engine.from_settings(settings), produce(head))
        if on_part:
            on_part(0, part)
        return part
    total = ScanResult()

    def take(result: ScanResult) -> None:
        total.merge(result)
        if on_part:
            on_part(0, result)

    context = _context()
    with context.Pool(jobs, _start_worker, (_Job(settings, produce),)) as pool:
        running: deque[AsyncResult[tuple[int, ScanResult]]] = deque()
        for batch in _batches(itertools.chain(head, pending), size_of, jobs):
            running.append(pool.apply_async(_scan_batch, (batch,)))
            while len(running) > 2 * jobs:  # bounded: items are made faster than scanned
                take(running.popleft().get()[1])
        while running:
            take(running.popleft().get()[1])
    return total


def _batches(
    items: Iterable[Unit], size_of: Callable[[Unit], int], jobs: int
) -> Iterator[list[Unit]]:
    """``items`` in batches of ``BATCH_BYTES``, made ahead of those handed
    out so that the end is seen coming: from there a batch is a share of what
    is left (guided self-scheduling), so the workers finish together rather
    than one scanning a last big batch alone. Made ahead: a few batches'
    worth, bounded, since items may be text in memory."""
    lookahead = 2 * min(jobs, 4) * BATCH_BYTES
    ahead: deque[tuple[Unit, int]] = deque()
    buffered = 0
    pending = iter(items)
    exhausted = False
    while True:
        if not exhausted and buffered < lookahead:
            for item in pending:
                size = size_of(item)
                ahead.append((item, size))
                buffered += size
                if buffered >= lookahead:
                    break
            else:
                exhausted = True
        if not ahead:
            return
        target = BATCH_BYTES
        if exhausted:
            target = max(SMALLEST_BATCH, min(BATCH_BYTES, buffered // (2 * jobs)))
        batch: list[Unit] = []
        taken = 0
        while ahead and (not batch or taken < target):
            item, size = ahead.popleft()
            batch.append(item)
            taken += size
        buffered -= taken
        yield batch
