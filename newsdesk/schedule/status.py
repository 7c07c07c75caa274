"""What ``newsdesk status`` reports: each job's last and next run, whether it runs now, and the
sources that need attention."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from newsdesk.clock import to_iso
from newsdesk.config import Settings
from newsdesk.schedule.lock import holder, lock_path
from newsdesk.schedule.triggers import next_fire, schedules
from newsdesk.store.runs import last_runs, runs_of
from newsdesk.store.sources import source_health
from newsdesk.store.watches import outbox_health

JOB_NAMES = ("crawl", "briefing", "retrain")


def status(settings: Settings, db: Database, now: datetime) -> dict[str, Any]:
    """Jobs and unhealthy sources, JSON-ready; ``healthy`` is false when a job's last run failed
    or a source is parked or failing."""
    planned = {s.job: s for s in schedules(settings.schedule)}
    history = last_runs(db)
    jobs = []
    for name in JOB_NAMES:
        schedule = planned.get(name)
        upcoming = next_fire(schedule.trigger, now) if schedule else None
        ran = history.get(name, {})
        jobs.append({
            "job": name,
            "schedule": schedule.expression if schedule else None,
            "next_run": to_iso(upcoming) if upcoming else None,
            "running_pid": holder(lock_path(settings.db_path, name)),
            "last_run": ran.get("last_ran"),
            "last_trigger": ran.get("latest"),
        })
    unhealthy = [{"id": s["id"], "name": s["name"], "url": s["url"], "error_streak": s["error_streak"],
                  "parked_at": s["parked_at"], "active": bool(s["active"]),
                  "last_error": s["last_error"] or s["deactivated_reason"], "last_success_at": s["last_success_at"]}
                 for s in source_health(db) if (s["error_streak"] or s["parked_at"] or not s["active"])
                 and not s["url"].startswith("archive:")]  # a backfill's outlets are never crawled
    failing_jobs = [j["job"] for j in jobs if j["last_run"] and j["last_run"]["outcome"] == "error"]
    alerts = outbox_health(db)
    return {"now": to_iso(now), "database": str(settings.db_path), "jobs": jobs, "unhealthy_sources": unhealthy,
            "alerts": alerts, "recent_runs": runs_of(db, limit=10),
            "healthy": not failing_jobs and not unhealthy and not alerts["retrying"] and not alerts["gave_up"]}
