"""Entities rising in one week, among the articles a filter selects (shared by dashboard and briefing)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from newsdesk.analyse.trends import rising_entities
from newsdesk.store import facts
from newsdesk.store.facts import FactFilter

TRAILING_WEEKS = 8


def rising_in_week(db: Database, f: FactFilter, monday: str) -> list[dict[str, Any]]:
    """Entities bursting in the week starting ``monday`` against the eight weeks before it
    (counting only the filter's articles, and none after the filter's end)."""
    first = date.fromisoformat(monday)
    trailing = [(first - timedelta(weeks=i)).isoformat() for i in range(TRAILING_WEEKS, 0, -1)]
    window = replace(f, start=trailing[0], end=min(f.end, (first + timedelta(weeks=1)).isoformat()))
    return [r.__dict__ for r in rising_entities(facts.entity_weekly(db, window), monday, trailing)]
