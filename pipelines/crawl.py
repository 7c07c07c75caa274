"""The crawl job: fetch every due source's feed, parse, normalise and store its items.

One failing source never stops the crawl: its failure is recorded on its row and
in ``fetches``, and the others go on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.errors import FeedParseError, FetchError, StoreError
from newsdesk.fetch.client import Fetcher, Response
from newsdesk.models import Source
from newsdesk.normalise.clean import normalise_entry
from newsdesk.parse.feed import parse_feed
from newsdesk.store.articles import upsert_articles
from newsdesk.store.fetches import FetchRecord, record_fetch
from newsdesk.store.sources import find_source_by_url, list_sources, record_source_failure, update_source


@dataclass
class SourceResult:
    """How one source's crawl went."""

    source_id: int
    name: str
    outcome: str = "error"
    http_status: int | None = None
    seen: int = 0
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    error: str | None = None
    warning: str | None = None


@dataclass
class CrawlReport:
    """The whole crawl: one result per source and the totals."""

    results: list[SourceResult] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        """Sums over all sources."""
        return {
            "sources": len(self.results),
            "failed": sum(r.outcome == "error" for r in self.results),
            "not_modified": sum(r.outcome == "not_modified" for r in self.results),
            "seen": sum(r.seen for r in self.results),
            "new": sum(r.new for r in self.results),
            "updated": sum(r.updated for r in self.results),
            "duplicates": sum(r.duplicates for r in self.results),
        }


def select_sources(db: Database, *, source_id: int | None = None, tag: str | None = None) -> list[Source]:
    """The active sources to crawl, optionally one id or one tag."""
    sources = list_sources(db, tag=tag, active_only=True)
    if source_id is not None:
        sources = [s for s in sources if s.id == source_id]
    return sources


def crawl(
    settings: Settings,
    db: Database,
    sources: list[Source],
    *,
    on_done: Callable[[SourceResult], None] | None = None,
) -> CrawlReport:
    """Crawl the given sources concurrently and store what they hold."""
    return asyncio.run(crawl_async(settings, db, sources, on_done=on_done))


async def crawl_async(
    settings: Settings,
    db: Database,
    sources: list[Source],
    *,
    on_done: Callable[[SourceResult], None] | None = None,
) -> CrawlReport:
    """The async form of ``crawl``, for callers that already run an event loop."""
    report = CrawlReport()
    async with Fetcher(settings.fetch) as fetcher:

        async def run_one(source: Source) -> None:
            result = await _crawl_source(db, fetcher, source)
            report.results.append(result)
            if on_done is not None:
                on_done(result)

        await asyncio.gather(*(run_one(source) for source in sources))
    report.results.sort(key=lambda r: r.source_id)
    return report


async def _crawl_source(db: Database, fetcher: Fetcher, source: Source) -> SourceResult:
    result = SourceResult(source_id=source.id, name=source.name)
    started = utc_now()
    response: Response | None = None
    try:
        response = await fetcher.get(source.url, headers=_conditional_headers(source))
        _handle_response(db, source, response, result)
    except (FetchError, FeedParseError, StoreError) as exc:
        result.outcome, result.error = "error", str(exc)
    if result.outcome == "error":
        _record_failure(db, source, result)
    record_fetch(
        db,
        FetchRecord(
            source_id=source.id,
            url=source.url,
            started_at=to_iso(started),
            duration_ms=response.elapsed_ms if response else int((utc_now() - started).total_seconds() * 1000),
            outcome=result.outcome,
            http_status=result.http_status,
            items_seen=result.seen,
            items_new=result.new,
            items_updated=result.updated,
            error=result.error or result.warning,
        ),
    )
    return result


def _conditional_headers(source: Source) -> dict[str, str]:
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    return headers


def _handle_response(db: Database, source: Source, response: Response, result: SourceResult) -> None:
    result.http_status = response.status
    now = utc_now()
    if response.permanent_redirect and not find_source_by_url(db, response.permanent_redirect):
        update_source(db, source.id, url=response.permanent_redirect)
    if response.status == 304:
        result.outcome = "not_modified"
        update_source(db, source.id, last_fetched_at=to_iso(now), last_success_at=to_iso(now), error_streak=0)
        return
    if response.status == 410:
        update_source(db, source.id, active=0, deactivated_reason=f"410 Gone at {to_iso(now)}")
        result.error = f"fetch: {source.url} is gone (410); source deactivated"
        return
    if response.status >= 400:
        result.error = f"fetch: {source.url} answered HTTP {response.status}"
        return
    parsed = parse_feed(response.body, url=response.url, headers=response.headers)
    articles = [
        normalise_entry(entry, source_id=source.id, feed_url=response.url, fetched_at=now)
        for entry in parsed.entries
    ]
    counts = upsert_articles(db, articles, now=to_iso(now))
    result.outcome, result.seen, result.warning = "ok", len(articles), parsed.warning
    result.new, result.updated, result.duplicates = counts.new, counts.updated, counts.duplicates
    changes = {
        "etag": response.headers.get("etag"),
        "last_modified": response.headers.get("last-modified"),
        "last_fetched_at": to_iso(now),
        "last_success_at": to_iso(now),
        "error_streak": 0,
        "parked_at": None,
        "last_error": None,
    }
    if parsed.site_url and not source.site_url:
        changes["site_url"] = parsed.site_url
    if parsed.title and source.name == source.url:
        changes["name"] = parsed.title
    update_source(db, source.id, **changes)


def _record_failure(db: Database, source: Source, result: SourceResult) -> None:
    record_source_failure(db, source.id, error=result.error or "unknown error", at=to_iso(utc_now()))
