"""Worker processes for large batches: tokenizing, normalising and neighbour search.

Two processes, started on first use with ``forkserver`` (safe when the caller
runs threads, as Streamlit does) and kept for the life of the process. Work
goes to them only when a batch is large and the machine has idle cores
(:func:`cores_free`); otherwise, and if the processes cannot start or die
(``__main__`` that cannot be re-imported, some notebooks), callers do the
work in their own process, with the same result. Tasks are module-level
functions of modules the workers import once (see ``_PRELOAD``), over plain
data: no MeCab tagger ever crosses a process boundary.
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
from typing import TypeVar

__all__ = ["WORKERS", "chunks", "cores_free", "map_pieces", "map_in_workers", "task_size"]

WORKERS = 2
_PRELOAD = ["analysis.text", "analysis.neighbours"]

_log = logging.getLogger(__name__)
_pool: ProcessPoolExecutor | None = None
_pool_broken = False
_pool_lock = threading.Lock()

T = TypeVar("T")
R = TypeVar("R")


def cores_free() -> bool:
    """True if worker processes would get cores of their own (load below cores - 0.5).

    On a machine already busy with other work, two more processes only add
    the cost of sending data back and forth.
    """
    try:
        load = os.getloadavg()[0]
    except OSError:  # not available on this platform
        return True
    return load < (os.cpu_count() or 1) - 0.5


def task_size(n: int, most: int) -> int:
    """Items per task: at most ``most``, in a multiple of :data:`WORKERS` tasks of equal size.

    Five tasks of 10,000 on two workers keep one worker idle for the last;
    six of 8,334 keep both busy to the end.

    >>> task_size(50_000, 10_000), task_size(30_000, 10_000), task_size(100_000, 10_000)
    (8334, 7500, 10000)
    """
    rounds = max(2, -(-n // (WORKERS * most)))  # >= 2 tasks per worker
    return max(1, -(-n // (rounds * WORKERS)))


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` cut into consecutive pieces of ``size`` (the last may be shorter)."""
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextmanager
def _without_script_main() -> Iterator[None]:
    """While processes start, ``__main__`` is a blank module if it is a script run by path.

    A new process first re-runs the parent's ``__main__`` script (multiprocessing's
    "main fixup"). Under ``streamlit run`` and ``AppTest`` that script is a page
    (``app.py``): the forkserver and each worker would run the page in bare mode,
    and a page that stops for sign-in crashes the worker, so every batch fell back
    to this process. Modules run with ``-m`` (a ``__spec__``) are left as they are.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None or not hasattr(main, "__file__"):
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _executor() -> ProcessPoolExecutor | None:
    global _pool, _pool_broken
    with _pool_lock:
        if _pool is None and not _pool_broken:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=context)
            atexit.register(pool.shutdown, wait=False, cancel_futures=True)
            try:
                # Start the forkserver and every worker now (back-to-back submits each
                # start one), so no process starts later with the script as __main__.
                with _without_script_main():
                    for started in [pool.submit(os.getpid) for _ in range(WORKERS)]:
                        started.result()
            except (BrokenProcessPool, OSError, RuntimeError):
                pool.shutdown(wait=False, cancel_futures=True)
                _pool_broken = True
                _log.warning("worker processes unavailable; working in this process")
                return None
            _pool = pool
        return _pool


def _forget_pool() -> None:
    global _pool, _pool_broken
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool, _pool_broken = None, True
    _log.warning("worker processes unavailable; working in this process")


def map_in_workers(task: Callable[[T], R], items: Iterable[T]) -> list[R] | None:
    """``[task(item) for item in items]`` in the worker processes, in order.

    None if the processes are not available (then the caller works in its
    own process); after a failure they are not tried again.
    """
    pool = _executor()
    if pool is None:
        return None
    try:
        return list(pool.map(task, items))
    except (BrokenProcessPool, OSError, RuntimeError):
        _forget_pool()
        return None


def map_pieces(
    task: Callable[[Sequence[T]], R], items: Sequence[T], *, threshold: int, most: int
) -> list[R]:
    """``task`` of each consecutive piece of ``items``, in order: one result per piece.

    Above ``threshold`` items, with cores free, the pieces hold at most ``most``
    items (:func:`task_size`) and the worker processes take them; otherwise, or
    if the workers are not available, this process takes ``items`` as one piece.
    Callers join the pieces' results, which must not depend on where items were cut.
    """
    if len(items) > threshold and cores_free():
        done = map_in_workers(task, chunks(items, task_size(len(items), most)))
        if done is not None:
            return done
    return [task(items)]
