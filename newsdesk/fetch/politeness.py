"""When to fetch a source next: minimum interval, Retry-After, backoff with jitter, parking."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from newsdesk.config import FetchSettings


def parse_retry_after(value: str | None, now: datetime, *, cap: timedelta) -> timedelta | None:
    """Retry-After as a delay: delta-seconds or an HTTP date, clamped to [0, cap]; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit alone accepts "²" and other scripts' digits
        seconds = int(value)
        delay = cap if seconds >= cap.total_seconds() else timedelta(seconds=seconds)  # no overflow
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            return None
        delay = when - now
    return max(timedelta(0), min(delay, cap))


def backoff_delay(streak: int, settings: FetchSettings, rng: random.Random) -> timedelta:
    """Exponential backoff after ``streak`` consecutive failures, capped, with jitter (50–100 %)."""
    base = settings.backoff_base_minutes * 2 ** max(streak - 1, 0)
    capped = min(base, settings.backoff_max_minutes)
    return timedelta(minutes=capped * rng.uniform(0.5, 1.0))


@dataclass(frozen=True)
class NextFetch:
    """What a fetch outcome means for the source's schedule."""

    next_fetch_at: datetime
    error_streak: int
    park: bool


def poll_interval(items_last_week: int, settings: FetchSettings) -> timedelta:
    """How long to wait before polling a source again, from how often it publishes.

    A week divided by the items it published in the last week (as Miniflux does), kept within
    [min_interval_minutes, max_interval_minutes]: a wire that publishes 300 items a week is polled
    every 34 minutes, a monthly newsletter once a day.
    """
    minutes = 7 * 24 * 60 / items_last_week if items_last_week > 0 else float(settings.max_interval_minutes)
    return timedelta(minutes=min(max(minutes, settings.min_interval_minutes), settings.max_interval_minutes))


def after_success(now: datetime, settings: FetchSettings, items_last_week: int | None = None) -> NextFetch:
    """A good fetch (200 or 304): the streak resets; the next poll follows the source's pace when
    ``adaptive_polling`` is on, else the minimum interval."""
    if settings.adaptive_polling and items_last_week is not None:
        return NextFetch(now + poll_interval(items_last_week, settings), 0, False)
    return NextFetch(now + timedelta(minutes=settings.min_interval_minutes), 0, False)


def after_failure(
    now: datetime, previous_streak: int, settings: FetchSettings, rng: random.Random,
    retry_after: timedelta | None = None,
) -> NextFetch:
    """A failed fetch: back off (never sooner than Retry-After) and park after too many in a row."""
    streak = previous_streak + 1
    delay = max(backoff_delay(streak, settings, rng), retry_after or timedelta(0))
    return NextFetch(now + delay, streak, streak >= settings.park_after_failures)
