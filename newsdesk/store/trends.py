"""Aggregate queries for trends, rising entities and the impact matrix (weeks start on Monday, UTC)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from newsdesk.store import facts
from newsdesk.store.cache import cached
from newsdesk.store.facts import FactFilter

_WEEK = "date(a.published_at, '-6 days', 'weekday 1')"  # the Monday of the article's ISO week


def _filter(start: str, end: str, relevant_only: bool) -> FactFilter:
    return FactFilter(start=start[:10], end=end[:10], relevant_only=relevant_only)


def weekly_volume(db: Database, start: str, end: str, *, relevant_only: bool = True,
                  period: str = "week") -> list[dict[str, Any]]:
    """Per week (or day): articles, stories, and sentiment sums (n, sum, sum of squares), from the facts."""
    return facts.weekly(db, _filter(start, end, relevant_only), period=period)


def weekly_by(db: Database, dimension: str, start: str, end: str, *, relevant_only: bool = True,
              period: str = "week") -> list[dict[str, Any]]:
    """Per week (or day) and theme, segment or source: articles and sentiment sums, from the facts."""
    return facts.weekly(db, _filter(start, end, relevant_only), by=dimension, period=period)


def _days(start: str, end: str) -> FactFilter:
    """A relevant-articles filter over whole days, from ISO bounds at midnight UTC (week bounds)."""
    return FactFilter(start=start[:10], end=end[:10])


def weekly_entity_counts(db: Database, start: str, end: str) -> list[dict[str, Any]]:
    """Per week and entity: how many relevant articles named it."""
    return facts.entity_weekly(db, _days(start, end))


def matrix_cells(db: Database, start: str, end: str) -> list[dict[str, Any]]:
    """Per segment and theme over a period: relevant articles and sentiment sums."""
    return facts.matrix(db, _days(start, end))


def cached_weekly_volume(db: Database, start: str, end: str, *, relevant_only: bool = True,
                         period: str = "week") -> list[dict[str, Any]]:
    """``weekly_volume``, materialised until the data changes."""
    return cached(db, f"volume:{period}:{start}:{end}:{relevant_only}",
                  lambda: weekly_volume(db, start, end, relevant_only=relevant_only, period=period))


def cached_weekly_by(db: Database, dimension: str, start: str, end: str, *, relevant_only: bool = True,
                     period: str = "week") -> list[dict[str, Any]]:
    """``weekly_by``, materialised until the data changes."""
    return cached(db, f"by:{period}:{dimension}:{start}:{end}:{relevant_only}",
                  lambda: weekly_by(db, dimension, start, end, relevant_only=relevant_only, period=period))


def cached_weekly_entity_counts(db: Database, start: str, end: str) -> list[dict[str, Any]]:
    """``weekly_entity_counts`` (relevant articles), materialised until the data changes."""
    return cached(db, f"weekly_entities:{start}:{end}", lambda: weekly_entity_counts(db, start, end))


def cached_matrix_cells(db: Database, start: str, end: str) -> list[dict[str, Any]]:
    """``matrix_cells``, materialised until the data changes."""
    return cached(db, f"matrix:{start}:{end}", lambda: matrix_cells(db, start, end))


def weekly_titles(db: Database, start: str, end: str) -> list[dict[str, Any]]:
    """Week and headline of every relevant article in the range (for rising terms)."""
    return list(db.query(
        f"""SELECT {_WEEK} AS week, a.title FROM articles a
            JOIN enrichments e ON e.article_id = a.id AND e.relevant = 1
            WHERE a.published_at >= :start AND a.published_at < :end AND a.duplicate_of IS NULL""",
        {"start": start, "end": end}))
