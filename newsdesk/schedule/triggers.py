"""The jobs' schedules: cron expressions from the config, their next fire times, and missed runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from tzlocal import get_localzone

from newsdesk.config import ScheduleSettings
from newsdesk.errors import ConfigError

RUN_AT_FIRST_START = ("crawl",)  # a job that has never run at all runs at once (the others wait their turn)


@dataclass(frozen=True)
class Schedule:
    """A job's trigger, and the cron expression it came from."""

    job: str
    expression: str
    trigger: BaseTrigger


def zone(settings: ScheduleSettings) -> tzinfo:
    """The configured time zone, else the machine's."""
    if not settings.timezone:
        return get_localzone()
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"config: [schedule] timezone {settings.timezone!r} is not a known time zone") from exc


def schedules(settings: ScheduleSettings) -> list[Schedule]:
    """One schedule per job that has a cron expression (an empty one turns the job off)."""
    found = []
    for job in ("crawl", "briefing", "retrain"):
        expression = getattr(settings, job).strip()
        if not expression:
            continue
        try:
            trigger = CronTrigger.from_crontab(expression, timezone=zone(settings))
        except ValueError as exc:
            raise ConfigError(f"config: [schedule] {job} = {expression!r} is not a cron expression "
                              f"like '*/30 * * * *' ({exc})") from exc
        found.append(Schedule(job, expression, trigger))
    return found


def next_fire(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """When the trigger fires next after ``now``."""
    return trigger.get_next_fire_time(None, now)


def missed(job: str, trigger: BaseTrigger, last_start: datetime | None, now: datetime) -> bool:
    """Whether a fire time passed since the job last ran (downtime): if so it runs once at start,
    however many fire times were missed (coalesced)."""
    if last_start is None:
        return job in RUN_AT_FIRST_START
    upcoming = trigger.get_next_fire_time(None, last_start + timedelta(seconds=1))
    return upcoming is not None and upcoming <= now
