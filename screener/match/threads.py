"""A compiled loop (numba, ``nogil``) over a range, run in pieces on threads."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

THREADS = 2  # this machine's cores: the nightly job's budget
T = TypeVar("T")


def piece_runs(n: int, run: Callable[[int, int, int], T]) -> list[T]:
    """``run(t, lo, hi)`` over ``THREADS`` consecutive pieces ``t`` of ``range(n)``, each on its
    own thread, the results in order: the same pieces for the same ``n``."""
    cuts = np.linspace(0, n, THREADS + 1).astype(np.int64).tolist()
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda t: run(t, cuts[t], cuts[t + 1]), range(THREADS)))


def split_runs(n: int, run: Callable[[int, int], T]) -> list[T]:
    """``run(lo, hi)`` over ``THREADS`` consecutive pieces of ``range(n)`` (``piece_runs``)."""
    return piece_runs(n, lambda _, lo, hi: run(lo, hi))
