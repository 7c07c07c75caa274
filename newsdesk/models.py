"""The records that flow between stages: feed entries, articles, sources, fetches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    """One item as a feed states it, before normalisation (any of it may be missing)."""

    guid: str | None
    link: str | None
    title: str
    summary_html: str
    content_html: str
    author: str | None
    published_raw: str | None
    published: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    """What a feed's bytes held: its metadata, its entries and any parse warning."""

    title: str
    site_url: str | None
    entries: list[Entry]
    format: str
    warning: str | None = None


@dataclass(frozen=True)
class Article:
    """A normalised item, ready to store; ``id`` is stable across re-crawls."""

    id: str
    source_id: int
    guid: str
    url: str
    canonical_url: str
    title: str
    summary: str
    summary_html: str
    content: str
    author: str | None
    published_at: str
    published_raw: str | None
    fetched_at: str
    content_hash: str
    date_missing: bool = False
    date_clamped: bool = False
    simhash: str | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Source:
    """A feed we follow."""

    id: int
    url: str
    name: str
    tags: list[str] = field(default_factory=list)
    site_url: str | None = None
    active: bool = True
    full_text: bool | None = None
    etag: str | None = None
    last_modified: str | None = None
    error_streak: int = 0
    parked_at: str | None = None
    next_fetch_at: str | None = None
    retry_after_until: str | None = None  # the server's own Retry-After: honoured even by --force


@dataclass(frozen=True)
class UpsertCounts:
    """How a batch of articles landed in the store."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    new_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryRow:
    """A story as stored: aggregates over its articles, and its centroid for further assignment."""

    id: str
    title: str
    first_seen: str
    last_seen: str
    article_count: int
    outlet_count: int
    relevant: bool
    themes: list[str]
    mean_sentiment: float | None
    entities: list[dict[str, str]]
    segments: list[str]
    event_type: str
    impact: float
    impact_components: dict[str, float]
    centroid: dict[str, float]


BUILTIN_THEMES = ("labour", "legal", "technology", "business")
SENTIMENTS = ("negative", "neutral", "positive")
# What the segment facet holds: segments of the industry, then the stakeholders (people whose work is at stake).
INDUSTRY_SEGMENTS = ("film", "tv/streaming", "music", "games", "publishing", "advertising")
STAKEHOLDERS = ("actors/performers", "writers", "vfx/animation artists", "voice actors", "musicians", "crew")


@dataclass(frozen=True)
class ThemeDefinition:
    """A theme a user adds in config: its name, what it means, the phrases that signal it, example headlines."""

    name: str
    description: str
    phrases: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
