"""Aggregate queries for trends, rising entities and the impact matrix (weeks start on Monday, UTC)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from newsdesk.store import facts
from newsdesk.store.cache import cached
from newsdesk.store.facts import FactFilter

_WEEK = "date(a.published_at, '-6 days', 'weekday 1')"  # the Monday of the article's ISO week
_DAY = "date(a.published_at)"
_PERIODS = {"week": _WEEK, "day": _DAY}
_RELEVANT = "JOIN enrichments e ON e.article_id = a.id AND (e.relevant = 1 OR :all_articles)"


def weekly_volume(db: Database, start: str, end: str, *, relevant_only: bool = True,
                  period: str = "week") -> list[dict[str, Any]]:
    """Per week (or day): articles, stories, and sentiment sums (n, sum, sum of squares)."""
    return list(db.query(
        f"""SELECT {_PERIODS[period]} AS week, COUNT(*) AS articles, COUNT(DISTINCT m.story_id) AS stories,
                   SUM(e.sentiment_score) AS sentiment_sum, SUM(e.sentiment_score * e.sentiment_score) AS sentiment_sq
            FROM articles a {_RELEVANT} LEFT JOIN article_stories m ON m.article_id = a.id
            WHERE a.published_at >= :start AND a.published_at < :end AND a.duplicate_of IS NULL
            GROUP BY week ORDER BY week""",
        {"start": start, "end": end, "all_articles": int(not relevant_only)}))


def weekly_by(db: Database, dimension: str, start: str, end: str, *, relevant_only: bool = True,
              period: str = "week") -> list[dict[str, Any]]:
    """Per week (or day) and theme, segment or source: articles and sentiment sums."""
    joins = {
        "theme": ("JOIN article_themes d ON d.article_id = a.id", "d.theme"),
        "segment": ("JOIN article_segments d ON d.article_id = a.id", "d.segment"),
        "source": ("JOIN sources d ON d.id = a.source_id", "d.name"),
    }
    join, key = joins[dimension]
    return list(db.query(
        f"""SELECT {_PERIODS[period]} AS week, {key} AS key, COUNT(*) AS articles,
                   COUNT(DISTINCT m.story_id) AS stories, SUM(e.sentiment_score) AS sentiment_sum,
                   SUM(e.sentiment_score * e.sentiment_score) AS sentiment_sq
            FROM articles a {_RELEVANT} {join} LEFT JOIN article_stories m ON m.article_id = a.id
            WHERE a.published_at >= :start AND a.published_at < :end AND a.duplicate_of IS NULL
            GROUP BY week, key ORDER BY week, key""",
        {"start": start, "end": end, "all_articles": int(not relevant_only)}))


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
