"""What the pages show, gathered from the store and the analysis layer (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from newsdesk.analyse.trends import rising_entities, series_by_key, weekly_series
from newsdesk.analyse.weeks import week_bounds, weeks_ending
from newsdesk.store.stories import list_stories, story_members
from newsdesk.store.trends import cached_weekly_by, cached_weekly_entity_counts, cached_weekly_volume


@dataclass(frozen=True)
class Overview:
    """The overview's figures for a period of weeks ending with a given week."""

    weeks: list[str]
    volume: list[dict[str, Any]]
    by_theme: dict[str, list[dict[str, Any]]]
    top_stories: list[dict[str, Any]]
    rising: list[dict[str, Any]]


def overview(db: Database, week: str, weeks: int = 12) -> Overview:
    """Weekly volume and sentiment, per theme, top stories of the last 4 weeks and this week's rising entities."""
    mondays = weeks_ending(week, weeks)
    start, end = f"{mondays[0]}T00:00:00Z", week_bounds(week)[1]
    volume = weekly_series(cached_weekly_volume(db, start, end), mondays)
    by_theme = series_by_key(cached_weekly_by(db, "theme", start, end), mondays)
    recent_start = f"{mondays[-4]}T00:00:00Z" if len(mondays) >= 4 else start
    nine = weeks_ending(week, 9)
    rising = rising_entities(cached_weekly_entity_counts(db, f"{nine[0]}T00:00:00Z", end), nine[-1], nine[:-1])
    return Overview(mondays, volume, by_theme, list_stories(db, start=recent_start, end=end, limit=10),
                    [r.__dict__ for r in rising])


def stories(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    """Relevant stories, highest impact first."""
    return list_stories(db, limit=limit)


def story_articles(db: Database, story_id: str) -> list[dict[str, Any]]:
    """A story's articles per outlet, in time order."""
    return story_members(db, story_id)
