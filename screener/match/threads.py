"""A compiled loop (numba, ``nogil``) over a range, run in pieces on threads.

The threads are kept for the life of the process (``pool``), not started per loop: a new
thread's first allocations take fresh memory (glibc gives it an arena of its own), and a
blocking call runs some thirty loops. A forked child starts its own pools."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

THREADS = 2  # this machine's cores: the nightly job's budget
T = TypeVar("T")
_POOLS: dict[str, ThreadPoolExecutor] = {}
_STARTING = threading.Lock()  # two threads asking for a new pool at once start one


def pool(name: str, workers: int = THREADS) -> ThreadPoolExecutor:
    """The process's pool ``name`` of ``workers`` threads, started on first use. Tasks of one
    pool must not wait on tasks of the same pool: loops use ``"loops"``, callers of loops
    their own."""
    with _STARTING:
        if name not in _POOLS:
            _POOLS[name] = ThreadPoolExecutor(workers, thread_name_prefix=f"screener-{name}")
        return _POOLS[name]


def _forget() -> None:
    """In a forked child: none of the parent's threads, nor a lock one of them held."""
    global _STARTING
    _POOLS.clear()
    _STARTING = threading.Lock()


os.register_at_fork(after_in_child=_forget)


def piece_runs(n: int, run: Callable[[int, int, int], T]) -> list[T]:
    """``run(t, lo, hi)`` over ``THREADS`` consecutive pieces ``t`` of ``range(n)``, each on its
    own thread, the results in order: the same pieces for the same ``n``."""
    cuts = np.linspace(0, n, THREADS + 1).astype(np.int64).tolist()
    return list(pool("loops").map(lambda t: run(t, cuts[t], cuts[t + 1]), range(THREADS)))


def split_runs(n: int, run: Callable[[int, int], T]) -> list[T]:
    """``run(lo, hi)`` over ``THREADS`` consecutive pieces of ``range(n)`` (``piece_runs``)."""
    return piece_runs(n, lambda _, lo, hi: run(lo, hi))
