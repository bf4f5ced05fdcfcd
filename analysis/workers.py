"""Worker processes for large batches: tokenizing, normalising and neighbour search.

Up to :data:`WORKERS` processes, started on first use with ``forkserver`` (safe
when the caller runs threads, as Streamlit does) and kept for the life of the
process. How many take part is the caller's ``n_jobs`` (:func:`jobs_for`):
``None`` means every core (at most :data:`WORKERS`) for a batch above the
caller's threshold and this process alone for a smaller one, ``1`` always this
process, ``2`` two processes whatever the size. The pool has as many processes
as the largest ``n_jobs`` asked for so far. If the processes cannot start or
die (``__main__`` that cannot be re-imported, some notebooks), callers do the
work in their own process, with the same result. Tasks are functions of
modules the workers import once (see ``_PRELOAD``), over plain data: no MeCab
tagger ever crosses a process boundary.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import cache
from typing import TypeVar

__all__ = [
    "WORKERS",
    "chunks",
    "jobs_for",
    "map_in_workers",
    "map_pieces",
    "soon",
    "start_soon",
    "task_size",
]

WORKERS = 2  # most worker processes: each holds a tagger and token caches of its own
_PRELOAD = ["analysis.text", "analysis.neighbours", "analysis.label_words"]

_log = logging.getLogger(__name__)
_pool: ProcessPoolExecutor | None = None
_pool_broken = False
_pool_lock = threading.Lock()

T = TypeVar("T")
R = TypeVar("R")


def jobs_for(n_jobs: int | None, n: int, *, threshold: int) -> int:
    """Processes that share a batch of ``n`` items (1: the caller's own process).

    ``n_jobs=None`` gives every core, at most :data:`WORKERS`, when ``n`` is
    above ``threshold``, and 1 otherwise; a number gives that many, at most
    :data:`WORKERS` and at most ``n``.

    >>> jobs_for(1, 50_000, threshold=20_000), jobs_for(2, 3, threshold=20_000)
    (1, 2)
    >>> jobs_for(None, 100, threshold=20_000)
    1
    """
    if n_jobs is None:
        return min(os.cpu_count() or 1, WORKERS) if n > threshold else 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs < 1:
        raise ValueError(f"n_jobs must be None or a whole number of 1 or more, got {n_jobs!r}")
    return max(1, min(n_jobs, WORKERS, n))


def task_size(n: int, most: int, jobs: int = WORKERS) -> int:
    """Items per task: at most ``most``, in a multiple of ``jobs`` tasks of equal size.

    Five tasks of 10,000 on two workers keep one worker idle for the last;
    six of 8,334 keep both busy to the end.

    >>> task_size(50_000, 10_000), task_size(30_000, 10_000), task_size(100_000, 10_000)
    (8334, 7500, 10000)
    """
    rounds = max(2, -(-n // (jobs * most)))  # >= 2 tasks per worker
    return max(1, -(-n // (rounds * jobs)))


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` cut into consecutive pieces of ``size`` (the last may be shorter)."""
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextmanager
def _without_script_main() -> Iterator[None]:
    """While processes start, ``__main__`` is a blank module.

    A new process first re-runs or re-imports the parent's ``__main__``
    (multiprocessing's "main fixup"); the tasks here never need it. Under
    ``streamlit run`` and ``AppTest`` that is a page (``app.py``): the forkserver and
    each worker would run the page in bare mode, and a page that stops for sign-in
    crashes the worker, so every batch fell back to this process. A module run with
    ``-m`` (``python -m bench.tokenize_bench``, a user's own tool) would be imported
    again in each worker, with everything it imports: 0.3 s more before the first task.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _executor(size: int) -> ProcessPoolExecutor | None:
    """The pool, with at least ``size`` processes (a smaller one is replaced)."""
    global _pool, _pool_broken
    with _pool_lock:
        if _pool_broken:
            return None
        if _pool is not None and getattr(_pool, "_max_workers", WORKERS) >= size:
            return _pool
        if _pool is not None:
            _pool.shutdown(wait=False)  # tasks already given to it still finish
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        pool = ProcessPoolExecutor(max_workers=size, mp_context=context)
        atexit.register(pool.shutdown, wait=False, cancel_futures=True)
        try:
            # Start the forkserver and every worker now (back-to-back submits each
            # start one), so no process starts later with the script as __main__.
            with _without_script_main():
                for started in [pool.submit(os.getpid) for _ in range(size)]:
                    started.result()
        except (BrokenProcessPool, OSError, RuntimeError):
            pool.shutdown(wait=False, cancel_futures=True)
            _pool, _pool_broken = None, True
            _log.warning("worker processes unavailable; working in this process")
            return None
        _pool = pool
        return _pool


def start_soon(jobs: int = WORKERS) -> threading.Thread:
    """Start ``jobs`` worker processes in a background thread and return at once.

    For a caller that knows a large batch is coming (the command line, once it has
    read a large file): the processes start while it goes on with its own work,
    instead of when the batch arrives. The first task waits for them as usual
    (the pool's lock); if they cannot start, the batch runs in the caller's process.
    """
    thread = threading.Thread(
        target=_executor, args=(max(1, min(jobs, WORKERS)),), name="kakehashi-workers", daemon=True
    )
    thread.start()
    return thread


def soon(task: Callable[[], R], *, background: bool = True) -> Callable[[], R]:
    """``task()`` begun now in a thread of its own; call the result to wait for its value.

    For work that goes to the worker processes: the thread only waits for them,
    so this process goes on with its own work meanwhile. The value, or the error
    ``task`` raised, comes back from the call. With ``background=False`` (work
    this process would do itself, where a thread only competes with the caller),
    ``task`` runs when the result is called.

    >>> value = soon(lambda: 6 * 7)
    >>> value(), value()
    (42, 42)
    """
    if not background:
        return cache(task)
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            outcome.append((True, task()))
        except BaseException as error:  # handed to the caller, raised there
            outcome.append((False, error))

    thread = threading.Thread(target=run, name="kakehashi-soon", daemon=True)
    thread.start()

    def result() -> R:
        thread.join()
        ok, value = outcome[0]
        if not ok:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    return result


def _forget_pool() -> None:
    global _pool, _pool_broken
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool, _pool_broken = None, True
    _log.warning("worker processes unavailable; working in this process")


def map_in_workers(
    task: Callable[[T], R], items: Iterable[T], *, jobs: int = WORKERS
) -> list[R] | None:
    """``[task(item) for item in items]`` in ``jobs`` worker processes, in order.

    None if the processes are not available (then the caller works in its
    own process); after a failure they are not tried again.
    """
    pool = _executor(max(1, min(jobs, WORKERS)))
    if pool is None:
        return None
    try:
        return list(pool.map(task, items))
    except (BrokenProcessPool, OSError, RuntimeError):
        _forget_pool()
        return None


def map_pieces(
    task: Callable[[Sequence[T]], R],
    items: Sequence[T],
    *,
    threshold: int,
    most: int,
    n_jobs: int | None = None,
) -> list[R]:
    """``task`` of each consecutive piece of ``items``, in order: one result per piece.

    When more than one process is to share the work (:func:`jobs_for` of
    ``n_jobs``, ``len(items)`` and ``threshold``), the pieces hold at most
    ``most`` items (:func:`task_size`) and the worker processes take them;
    otherwise, or if the workers are not available, this process takes
    ``items`` as one piece. Callers join the pieces' results, which must not
    depend on where items were cut.
    """
    jobs = jobs_for(n_jobs, len(items), threshold=threshold)
    if jobs > 1:
        size = task_size(len(items), most, jobs)
        done = map_in_workers(task, chunks(items, size), jobs=jobs)
        if done is not None:
            return done
    return [task(items)]
