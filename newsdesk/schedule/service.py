"""``newsdesk schedule``: the jobs on their schedules, in the foreground, until SIGTERM or SIGINT.

APScheduler fires the triggers; every run goes through ``run_job`` (lock, runs table, log). A
trigger that fires while its job still runs is recorded as skipped. Fire times missed while the
service was down are coalesced into one run at start. On SIGTERM or SIGINT the stop event is set,
the running jobs end at their next clean point, and the service exits; a second signal kills it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from newsdesk.clock import from_iso, utc_now
from newsdesk.config import Settings
from newsdesk.schedule.runner import Job, run_job
from newsdesk.schedule.signals import stop_on_signals
from newsdesk.schedule.triggers import Schedule, missed, next_fire, zone
from newsdesk.store import open_db
from newsdesk.store.runs import last_runs

log = logging.getLogger("newsdesk.schedule")


class Service:
    """The scheduler around ``run_job``; ``start``, then ``stop`` (or ``serve`` for both with signals)."""

    def __init__(self, settings: Settings, jobs: Mapping[str, Job], schedules: list[Schedule]) -> None:
        self.settings, self.jobs, self.schedules = settings, jobs, schedules
        self.stopping = threading.Event()
        self.scheduler = BackgroundScheduler(
            timezone=zone(settings.schedule),
            job_defaults={"coalesce": True, "max_instances": 10, "misfire_grace_time": None})

    def start(self, now: datetime | None = None) -> None:
        """Add every schedule, catch up on runs missed while down, start firing."""
        now = now or utc_now()
        db = open_db(self.settings.db_path)
        try:
            history = last_runs(db)
        finally:
            db.close()
        for schedule in self.schedules:
            self.scheduler.add_job(self._fire, schedule.trigger, args=[schedule.job, "schedule"], id=schedule.job,
                                   name=schedule.job)
            last = history.get(schedule.job, {}).get("last_ran")
            if missed(schedule.job, schedule.trigger, from_iso(last["started_at"]) if last else None, now):
                self.scheduler.add_job(self._fire, "date", run_date=now, args=[schedule.job, "catch-up"],
                                       id=f"{schedule.job}-catch-up", name=f"{schedule.job} (catch-up)")
            log.info("%s scheduled '%s'; next run %s", schedule.job, schedule.expression,
                     next_fire(schedule.trigger, now))
        self.scheduler.start()

    def _fire(self, job: str, trigger: str) -> None:
        if not self.stopping.is_set():
            run_job(job, self.jobs[job], self.settings, trigger=trigger, stop=self.stopping)

    def stop(self) -> None:
        """Ask running jobs to stop at their next clean point, wait for them, stop firing."""
        self.stopping.set()
        self.scheduler.shutdown(wait=True)

    def serve(self) -> None:
        """Start, block until SIGTERM or SIGINT, then stop cleanly."""
        with stop_on_signals(self.stopping, lambda name: log.info(
                "%s received: finishing the current step, then exiting", name)):
            self.start()
            log.info("newsdesk schedule running (pid %s); SIGTERM or Ctrl+C stops it", os.getpid())
            while not self.stopping.wait(timeout=1.0):
                pass
            self.stop()
        log.info("newsdesk schedule stopped")
