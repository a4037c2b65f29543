"""A compiled loop (numba, ``nogil``) over a range, run in pieces on threads."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

THREADS = 2  # this machine's cores: the nightly job's budget
T = TypeVar("T")


def split_runs(n: int, run: Callable[[int, int], T]) -> list[T]:
    """``run(lo, hi)`` over ``THREADS`` consecutive pieces of ``range(n)``, each on its own
    thread, the results in order."""
    cuts = np.linspace(0, n, THREADS + 1).astype(np.int64).tolist()
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda i: run(cuts[i], cuts[i + 1]), range(THREADS)))
