"""One writer per database file: an advisory lock beside it, waited for with a timeout.

DuckDB lets one process hold a file read-write and refuses every other open (read-only too) with an
IOException about a lock. A writable `Store` first takes `<db>.lock` (``flock``, so the kernel
releases it when the holder exits or is killed) and writes its pid and start time there; a second
writer waits for it, a reader or a writer that gives up gets `busy_message`. The lock file is never
deleted: deleting a lock file lets two processes lock two different files.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import duckdb

from screener.errors import StoreError

T = TypeVar("T")

# flock locks belong to an open file: one per process and lock file, counted, so a process may open
# the same database writable twice (tests, nested commands) without waiting for itself.
_held: dict[Path, tuple[int, int]] = {}  # lock path -> (fd, count)
_guard = threading.Lock()


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def is_lock_conflict(exc: BaseException) -> bool:
    """DuckDB's refusal to open a file another process holds."""
    return isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(db: Path) -> dict[str, object]:
    """What the writing run wrote into the lock file ({} when unreadable or stale)."""
    try:
        info = json.loads(lock_path(db).read_text("utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    pid = info.get("pid") if isinstance(info, dict) else None
    return info if isinstance(pid, int) and is_alive(pid) else {}


def busy_message(db: Path, exc: BaseException | None = None, waited: float = 0.0) -> str:
    """Who holds the database, from the lock file or else DuckDB's own message, and the fix."""
    holder = _holder(db)
    found = re.search(r"held in (.*) \(PID (\d+)\)", str(exc or ""))
    duck_pid = int(found.group(2)) if found else None
    after = f" (waited {waited:.0f} s)" if waited >= 1 else ""
    if holder and (duck_pid is None or duck_pid == holder["pid"]):
        return (
            f"database {db} is being written by another screener run (pid {holder['pid']},"
            f" since {holder.get('since', '?')}){after}; try again later"
            + (" or raise --wait" if waited >= 1 else "")
        )
    who = f"pid {duck_pid}, {found.group(1)}" if found else "another process"
    return (
        f"database {db} is open in another process ({who}){after}; DuckDB allows one writer"
        " and no reader beside it; close that process or try again later"
    )


def retry_busy(
    open_it: Callable[[], T], db: Path, deadline: float, *, started: float | None = None
) -> T:
    """Call `open_it` until DuckDB stops refusing it for a lock or `deadline` (monotonic) passes."""
    started = time.monotonic() if started is None else started
    pause = 0.05
    while True:
        try:
            return open_it()
        except duckdb.Error as exc:
            if not is_lock_conflict(exc):
                raise
            if time.monotonic() >= deadline:
                raise StoreError(busy_message(db, exc, time.monotonic() - started)) from None
        time.sleep(min(pause, max(deadline - time.monotonic(), 0.0)))
        pause = min(pause * 2, 1.0)


def acquire(db: Path, deadline: float, *, started: float | None = None) -> Path:
    """Take the write lock of `db`, waiting until `deadline` (monotonic); returns the lock path."""
    path = lock_path(db).resolve()
    with _guard:
        if path in _held:
            fd, count = _held[path]
            _held[path] = (fd, count + 1)
            return path
    started = time.monotonic() if started is None else started
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot create the lock file {path} beside the database: {exc}") from exc
    pause = 0.05
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreError(busy_message(db, None, time.monotonic() - started)) from None
        time.sleep(min(pause, max(deadline - time.monotonic(), 0.0)))
        pause = min(pause * 2, 1.0)
    since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps({"pid": os.getpid(), "since": since}).encode(), 0)
    with _guard:
        _held[path] = (fd, 1)
    return path


def release(path: Path) -> None:
    """Give back one hold of a lock `acquire` returned; the last one unlocks the file."""
    with _guard:
        fd, count = _held[path]
        if count > 1:
            _held[path] = (fd, count - 1)
            return
        del _held[path]
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
    os.close(fd)  # closing the only descriptor releases the flock


__all__ = [
    "acquire",
    "busy_message",
    "is_alive",
    "is_lock_conflict",
    "lock_path",
    "release",
    "retry_busy",
]
