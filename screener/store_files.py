"""Files a run writes outside the database (Parquet): complete under their final name or absent.

Each set is written in a staging folder inside the output folder (same file system), fsynced, then
each file is renamed over its final name (`os.replace` is atomic). A process killed midway leaves
only its staging folder, which the next export removes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

from screener.store_lock import is_alive

STAGING_PREFIX = ".screener-export-"


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder's renames) to disk, so a power cut keeps what a rename shows."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_staging(out: Path) -> None:
    """Staging folders of exports whose process is gone (killed midway)."""
    for folder in out.glob(f"{STAGING_PREFIX}*"):
        pid = folder.name.removeprefix(STAGING_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not is_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def staged(out: Path, names: Sequence[str], tag: str) -> Iterator[dict[str, Path]]:
    """Temporary paths for `names`; when the block ends without error, each file is fsynced and
    renamed to `out/<name>`. The staging folder is removed in every case."""
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out)
    staging = out / f"{STAGING_PREFIX}{os.getpid()}-{tag}"
    staging.mkdir()
    try:
        paths = {name: staging / name for name in names}
        yield paths
        for path in paths.values():
            fsync_path(path)
        for name, path in paths.items():
            os.replace(path, out / name)
        fsync_path(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["STAGING_PREFIX", "fsync_path", "remove_stale_staging", "staged"]
