"""A per-job lock that a crashed process cannot leave stuck.

An exclusive ``flock`` on a file beside the database: the kernel releases it when the holding
process ends, however it ends (even SIGKILL or a power cut), so there is no stale lock to clean
up. The file records the holder's pid and start time, for ``newsdesk status``.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

_HELD: set[int] = set()  # descriptors of the locks this process holds


def release_inherited_locks() -> None:
    """In a forked worker process: close the lock descriptors it inherited.

    A lock is held while any descriptor of it is open, forked copies included; a worker that
    outlives a killed parent (SIGKILL) would otherwise keep the job locked.
    """
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass  # already closed in this process: nothing is held through it
    _HELD.clear()


class JobLock:
    """``with JobLock(path) as lock: if lock.acquired: ...`` (never blocks)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.acquired = False
        self._fd: int | None = None

    def __enter__(self) -> JobLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return self
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd, self.acquired = fd, True
        _HELD.add(fd)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is not None:
            _HELD.discard(self._fd)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd, self.acquired = None, False


def lock_path(db_path: Path, job: str) -> Path:
    """Where a job's lock file lives: beside the database."""
    return db_path.with_name(f"{db_path.name}.{job}.lock")


def holder(path: Path) -> int | None:
    """The pid holding the lock, or None when nobody holds it (a shared probe, released at once)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        text = os.read(fd, 32).decode(errors="replace").strip()
        return int(text) if text.isdigit() else -1
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
