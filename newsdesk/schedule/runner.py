"""Run one job under its lock and record it in the ``runs`` table, with a log line at each end."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.schedule.lock import JobLock, holder, lock_path
from newsdesk.store import open_db
from newsdesk.store.runs import close_orphaned_runs, finish_run, record_skip, start_run

log = logging.getLogger("newsdesk.schedule")

Job = Callable[[Settings, Database, threading.Event], dict[str, Any]]


@dataclass(frozen=True)
class RunResult:
    """How a run ended: ok, error, skipped (already running) or interrupted (asked to stop)."""

    job: str
    outcome: str
    seconds: float = 0.0
    counts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def process_alive(pid: int) -> bool:
    """Whether a process with this pid exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_job(name: str, job: Job, settings: Settings, *, trigger: str = "manual",
            stop: threading.Event | None = None) -> RunResult:
    """Run ``job`` now unless another run of it holds its lock (then record the skip).

    Any exception the job raises is recorded as the run's error and logged; it does not escape,
    so a scheduler goes on with its other runs. Ctrl+C records the run as interrupted and re-raises.
    """
    stop = stop or threading.Event()
    db = open_db(settings.db_path)
    try:
        now = to_iso(utc_now())
        close_orphaned_runs(db, process_alive, at=now)
        with JobLock(lock_path(settings.db_path, name)) as lock:
            if not lock.acquired:
                reason = f"{name} was already running (pid {holder(lock.path)})"
                record_skip(db, name, trigger=trigger, pid=os.getpid(), at=now, reason=reason)
                log.warning("%s skipped: %s", name, reason)
                return RunResult(name, "skipped", error=reason)
            return _run_locked(db, name, job, settings, trigger, stop)
    finally:
        db.close()


def _run_locked(db: Database, name: str, job: Job, settings: Settings, trigger: str,
                stop: threading.Event) -> RunResult:
    run_id = start_run(db, name, trigger=trigger, pid=os.getpid(), at=to_iso(utc_now()))
    log.info("%s started (%s)", name, trigger)
    started = time.monotonic()
    try:
        counts = job(settings, db, stop)
    except KeyboardInterrupt:
        finish_run(db, run_id, outcome="interrupted", at=to_iso(utc_now()), error="interrupted (Ctrl+C)")
        log.warning("%s interrupted", name)
        raise
    except Exception as exc:  # noqa: BLE001 (any failure of a job is recorded; the scheduler goes on)
        error = f"{type(exc).__name__}: {exc}"
        finish_run(db, run_id, outcome="error", at=to_iso(utc_now()), error=error)
        log.error("%s failed after %.1f s: %s", name, time.monotonic() - started, error,
                  exc_info=log.isEnabledFor(logging.DEBUG))
        return RunResult(name, "error", time.monotonic() - started, error=error)
    outcome = "interrupted" if stop.is_set() else "ok"
    finish_run(db, run_id, outcome=outcome, at=to_iso(utc_now()), counts=counts,
               error="stopped early; the next run completes the work" if outcome == "interrupted" else None)
    seconds = time.monotonic() - started
    log.info("%s %s in %.1f s: %s", name, outcome, seconds, ", ".join(f"{k} {v}" for k, v in counts.items()
                                                                       if not isinstance(v, list)))
    return RunResult(name, outcome, seconds, counts)
