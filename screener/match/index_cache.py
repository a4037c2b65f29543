"""The blocking index of a list version, built once and cached on disk (DESIGN §5).

The cache key is a hash of the listed keys themselves (and of the blocking module), so any change
of the list, of its normalization or of the blocking code builds a new index; a night that
screens against an unchanged list loads the index instead of building it. The index lives in
``<cache_dir>/<hash>/``, ``cache_dir`` being ``$SCREENER_CACHE/index`` or
``~/.cache/screener/index``. ``Blocker.save`` writes atomically; a missing or unreadable
index is rebuilt, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from screener.match import align, align_batch, blocking, bound, typos
from screener.match.blocking import Blocker
from screener.match.terms import WORDS_FILE


def default_cache_dir() -> Path:
    """``$SCREENER_CACHE/index``, else ``~/.cache/screener/index``."""
    root = os.environ.get("SCREENER_CACHE")
    return Path(root) / "index" if root else Path.home() / ".cache" / "screener" / "index"


def keys_hash(keys: Sequence[str]) -> str:
    """A hash of the keys in order (``_k`` indexes them), the blocking and scoring code and the word
    classes it weighs words by."""
    digest = hashlib.sha256(Path(blocking.__file__).read_bytes())
    digest.update(Path(typos.__file__).read_bytes())
    # the variant and skeleton hashes the index holds; read, not imported: numba loads on the
    # first blocking call only
    for kernel in ("typo_kernel.py", "skeleton_kernel.py"):
        digest.update(Path(typos.__file__).with_name(kernel).read_bytes())
    digest.update(Path(bound.__file__).read_bytes())
    digest.update(Path(align_batch.__file__).read_bytes())  # the class factors words weigh by
    digest.update(pl.__version__.encode())  # the index is built by polars' own operations
    digest.update(Path(align.__file__).read_bytes())  # the bound follows the scorer
    digest.update(WORDS_FILE.read_bytes())
    for key in keys:
        digest.update(key.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:24]


def cached_blocker(keys: Sequence[str], cache_dir: Path | None = None) -> Blocker:
    """The index of ``keys``: loaded from the cache when there, else built and saved."""
    directory = (cache_dir or default_cache_dir()) / keys_hash(keys)
    if directory.is_dir():
        try:
            blocker = Blocker.load(directory)
            if blocker.size.row(0)[0] == len(keys):
                return blocker
        except Exception:  # a broken cache is rebuilt, whatever broke it
            pass
    blocker = Blocker.build(keys)
    # atomic: a crash leaves no partial index; a read-only or full disk costs a rebuild next time
    with contextlib.suppress(OSError):
        blocker.save(directory)
    return blocker
