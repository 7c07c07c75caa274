"""ISO weeks: '2026-W47' to UTC bounds and back."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from newsdesk.clock import to_iso
from newsdesk.errors import NewsdeskError

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class WeekError(NewsdeskError):
    """A week is not written like 2026-W47."""


def week_bounds(week: str) -> tuple[str, str]:
    """[Monday 00:00, next Monday 00:00) of an ISO week, as ISO UTC strings."""
    match = _WEEK.match(week.strip())
    if not match:
        raise WeekError(f"week: {week!r} is not an ISO week like 2026-W47")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError as exc:
        raise WeekError(f"week: {week!r} does not exist ({exc})") from exc
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return to_iso(start), to_iso(start + timedelta(days=7))


def week_of(moment: datetime) -> str:
    """The ISO week of a moment, like 2026-W47."""
    year, week, _ = moment.astimezone(UTC).isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(week: str) -> str:
    """The date (YYYY-MM-DD) of an ISO week's Monday."""
    return week_bounds(week)[0][:10]


def weeks_ending(week: str, count: int) -> list[str]:
    """The Mondays (YYYY-MM-DD) of ``count`` weeks ending with ``week``, oldest first."""
    monday = date.fromisoformat(monday_of(week))
    return [(monday - timedelta(weeks=i)).isoformat() for i in range(count - 1, -1, -1)]


def days_ending(week: str, weeks: int) -> list[str]:
    """Every date (YYYY-MM-DD) of ``weeks`` weeks ending with ``week``, oldest first."""
    first = date.fromisoformat(weeks_ending(week, weeks)[0])
    return [(first + timedelta(days=i)).isoformat() for i in range(7 * weeks)]


def mondays_between(start: str, end: str) -> list[str]:
    """The Mondays (YYYY-MM-DD) of every week touching the days [start, end), oldest first."""
    first = date.fromisoformat(start)
    first -= timedelta(days=first.weekday())
    last = date.fromisoformat(end) - timedelta(days=1)
    return [(first + timedelta(weeks=i)).isoformat() for i in range((last - first).days // 7 + 1)]
