"""Feed dates to UTC datetimes, the way feedparser reads them (both parse paths share this)."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime

from feedparser.datetimes import _parse_date


def struct_to_utc(value: time.struct_time | None) -> datetime | None:
    """A UTC struct_time (as feedparser returns) as an aware datetime; None when absent or out of range."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def parse_feed_date(raw: str | None) -> datetime | None:
    """A date as written in a feed (RFC 822, W3C-DTF and feedparser's other formats) in UTC."""
    return struct_to_utc(_parse_date(raw)) if raw else None
