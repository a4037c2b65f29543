"""The match keys of a list's names, computed once per list content and kept on disk (DESIGN §5).

Normalizing a million listed names (labels, scripts, legal forms) takes about a minute; a night
against unchanged lists should not pay it. ``cached_name_keys`` keys the cache by a hash of the
distinct names and of the normalization code and data (``names.py``, ``clean.py``,
``translit.py``, ``thai.py``, ``wade_giles.py``, ``terms.py`` and their tables), so any change of
either builds anew. The table lives in ``<cache_dir>/keys-<hash>.parquet`` next to the blocking
indexes, written to a temporary file and renamed; an unreadable file is rebuilt, never an error.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

import polars as pl

from screener.match.index_cache import default_cache_dir
from screener.match.names import name_keys

_HERE = Path(__file__).resolve().parent
CODE = [
    _HERE / f
    for f in ("names.py", "clean.py", "translit.py", "thai.py", "wade_giles.py", "terms.py")
]


@cache
def _code_hash() -> bytes:
    digest = hashlib.sha256(pl.__version__.encode())
    for path in [*CODE, *sorted((_HERE.parent / "data").glob("*.csv"))]:
        digest.update(path.read_bytes())
    return digest.digest()


def name_key_table(names: pl.DataFrame) -> pl.DataFrame:
    """``name, key``: one row per distinct name and each of its keys (``name_keys``)."""
    distinct = names.get_column("name").unique().sort().to_list()
    return pl.DataFrame(
        {"name": distinct, "key": [list(name_keys(n)) or [""] for n in distinct]},
        schema={"name": pl.String, "key": pl.List(pl.String)},
    ).explode("key")


def cached_name_keys(names: pl.DataFrame, cache_dir: Path | None = None) -> pl.DataFrame:
    """``name_key_table(names)``, from the cache when the same names were keyed before."""
    distinct = names.get_column("name").unique().sort()
    digest = hashlib.sha256(_code_hash())
    for name in distinct:
        digest.update(name.encode("utf-8", "surrogatepass") + b"\n")
    path = (cache_dir or default_cache_dir()) / f"keys-{digest.hexdigest()[:24]}.parquet"
    if path.is_file():
        try:
            return pl.read_parquet(path)
        except Exception:  # a broken cache file is rebuilt, whatever broke it
            pass
    table = name_key_table(names)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        table.write_parquet(tmp)
        tmp.replace(path)
    except OSError:  # a read-only or full disk costs the next night a rebuild, not this one
        pass
    return table
