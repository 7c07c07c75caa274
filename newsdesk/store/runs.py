"""The ``runs`` table: every job run, how it ended and what it did."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database


def start_run(db: Database, job: str, *, trigger: str, pid: int, at: str) -> int:
    """Record that a job started; returns the run's id."""
    with db.atomic():
        cursor = db.execute("INSERT INTO runs (job, trigger, pid, started_at, outcome) VALUES (?, ?, ?, ?, 'running')",
                            [job, trigger, pid, at])
    return int(cursor.lastrowid)


def finish_run(db: Database, run_id: int, *, outcome: str, at: str, counts: dict[str, Any] | None = None,
               error: str | None = None) -> None:
    """Record how a run ended (ok, error or interrupted) and what it did."""
    with db.atomic():
        db.execute("UPDATE runs SET outcome = ?, finished_at = ?, counts = ?, error = ? WHERE id = ?",
                   [outcome, at, json.dumps(counts or {}, sort_keys=True), error, run_id])


def record_skip(db: Database, job: str, *, trigger: str, pid: int, at: str, reason: str) -> None:
    """Record a trigger that did not run the job (it was already running)."""
    with db.atomic():
        db.execute("""INSERT INTO runs (job, trigger, pid, started_at, finished_at, outcome, error)
                      VALUES (?, ?, ?, ?, ?, 'skipped', ?)""", [job, trigger, pid, at, at, reason])


def close_orphaned_runs(db: Database, alive: Callable[[int], bool], *, at: str) -> int:
    """Mark 'running' rows whose process is gone as interrupted; returns how many."""
    orphans = [row[0] for row in db.execute("SELECT id, pid FROM runs WHERE outcome = 'running'")
               if row[1] is None or not alive(row[1])]
    with db.atomic():
        for run_id in orphans:
            db.execute("UPDATE runs SET outcome = 'interrupted', finished_at = ?, "
                       "error = 'the process stopped before the run finished' WHERE id = ?", [at, run_id])
    return len(orphans)


def last_runs(db: Database) -> dict[str, dict[str, Any]]:
    """The latest run of each job, and its latest run that actually ran (not skipped)."""
    latest: dict[str, dict[str, Any]] = {}
    for row in db.query("SELECT * FROM runs ORDER BY started_at, id"):
        entry = latest.setdefault(row["job"], {})
        decoded = {**row, "counts": json.loads(row["counts"])}
        entry["latest"] = decoded
        if row["outcome"] != "skipped":
            entry["last_ran"] = decoded
    return latest


def runs_of(db: Database, job: str | None = None, *, limit: int = 50) -> list[dict[str, Any]]:
    """Recent runs, newest first, of one job or all."""
    where, params = ("WHERE job = ?", [job]) if job else ("", [])
    return [{**row, "counts": json.loads(row["counts"])} for row in
            db.query(f"SELECT * FROM runs {where} ORDER BY started_at DESC, id DESC LIMIT ?", [*params, limit])]
