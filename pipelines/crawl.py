"""The crawl job: fetch every due source's feed, parse, normalise, store, link copies, fetch full text.

One failing source never stops the crawl: its failure is recorded on its row and in
``fetches``, its next attempt is pushed back, and the others go on.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import random
import signal
import sqlite3
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.errors import CrawlStopped, ExtractionError, FeedParseError, FetchError, StoreError
from newsdesk.fetch.client import Fetcher, Response
from newsdesk.fetch.politeness import NextFetch, after_failure, after_success, parse_retry_after
from newsdesk.fetch.robots import RobotsCache
from newsdesk.models import Article, ParsedFeed, Source
from newsdesk.normalise.clean import normalise_entry
from newsdesk.parse.article import extract_article_text
from newsdesk.parse.feed import parse_feed
from newsdesk.schedule.lock import release_inherited_locks
from newsdesk.store.articles import (
    article_urls,
    awaiting_text,
    items_published_since,
    set_extracted_content,
    upsert_articles,
)
from newsdesk.store.db import bulk_writes
from newsdesk.store.fetches import FetchRecord, record_fetch
from newsdesk.store.group_commit import GroupCommit
from newsdesk.store.search_index import index_new_articles
from newsdesk.store.sources import due_sources, find_source_by_url, list_sources, update_source
from newsdesk.store.syndication import link_syndicated_copies

log = logging.getLogger(__name__)

_RETRY_AFTER_STATUSES = {429, 503}
PR_SET_PDEATHSIG = 1
_WEEK = timedelta(days=7)


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
    syndicated: int = 0
    extracted: int = 0
    extraction_failed: int = 0
    error: str | None = None
    error_kind: str | None = None
    warning: str | None = None
    retry_after_s: int | None = None
    parked: bool = False


@dataclass
class CrawlReport:
    """The whole crawl: one result per source and the totals."""

    results: list[SourceResult] = field(default_factory=list)
    skipped_not_due: int = 0

    @property
    def abandoned(self) -> int:
        """Sources not fetched because the crawl was asked to stop (left for the next crawl)."""
        return sum(r.outcome == "abandoned" for r in self.results)

    @property
    def totals(self) -> dict[str, int]:
        """Sums over all sources."""
        return {
            "sources": len(self.results) - self.abandoned,
            "failed": sum(r.outcome == "error" for r in self.results),
            "not_modified": sum(r.outcome == "not_modified" for r in self.results),
            "seen": sum(r.seen for r in self.results),
            "new": sum(r.new for r in self.results),
            "updated": sum(r.updated for r in self.results),
            "duplicates": sum(r.duplicates for r in self.results),
            "syndicated": sum(r.syndicated for r in self.results),
            "extracted": sum(r.extracted for r in self.results),
            "extraction_failed": sum(r.extraction_failed for r in self.results),
            "skipped_not_due": self.skipped_not_due,
            "abandoned": self.abandoned,
        }


def select_sources(
    db: Database, *, source_id: int | None = None, tag: str | None = None, force: bool = False,
    now: datetime | None = None, ignore_retry_after: bool = False,
) -> tuple[list[Source], int]:
    """The sources to crawl and how many active ones were skipped as not yet due.

    An explicit ``source_id`` ignores the schedule and parking; ``force`` ignores the
    minimum interval and backoff but not parking; otherwise only due sources are taken. Both
    still honour a server's Retry-After unless ``ignore_retry_after``.
    """
    moment = to_iso(now or utc_now())
    active = [s for s in list_sources(db, tag=tag, active_only=True) if source_id in (None, s.id)]
    if source_id is not None or force:
        chosen = [s for s in active if (source_id is not None or s.parked_at is None)
                  and (ignore_retry_after or not s.retry_after_until or s.retry_after_until <= moment)]
        return chosen, len(active) - len(chosen)
    due = due_sources(db, moment, tag=tag)
    return due, len(active) - len(due)


def crawl(
    settings: Settings,
    db: Database,
    sources: list[Source],
    *,
    full_text: bool | None = None,
    on_done: Callable[[SourceResult], None] | None = None,
    rng: random.Random | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> CrawlReport:
    """Crawl the given sources concurrently and store what they hold.

    ``should_stop`` is asked before each source starts: once it says yes, requests in flight
    finish and are stored, and the sources not started are left for the next crawl.
    """
    return asyncio.run(crawl_async(settings, db, sources, full_text=full_text, on_done=on_done, rng=rng,
                                   should_stop=should_stop))


async def crawl_async(
    settings: Settings,
    db: Database,
    sources: list[Source],
    *,
    full_text: bool | None = None,
    on_done: Callable[[SourceResult], None] | None = None,
    rng: random.Random | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> CrawlReport:
    """The async form of ``crawl``, for callers that already run an event loop."""
    report = CrawlReport()
    rng = rng or random.Random()
    workers = min(os.cpu_count() or 1, len(sources))
    # Parsing is CPU work: from the main thread it runs in forked worker processes while this one
    # fetches and stores. A crawl started from another thread (the scheduler's) parses inline
    # instead: forking a process that runs other threads can copy a lock some thread holds.
    in_main_thread = threading.current_thread() is threading.main_thread()
    pool: Executor = ProcessPoolExecutor(max_workers=workers, initializer=_start_parser_worker,
                                         initargs=(os.getpid(),)) if workers > 1 and in_main_thread \
        else _InlineExecutor()
    with pool as parsers, bulk_writes(db):
        async with Fetcher(settings.fetch, should_stop=should_stop) as fetcher:
            robots = RobotsCache(fetcher, settings.fetch.effective_user_agent())
            writer = GroupCommit(db)

            async def run_one(source: Source) -> None:
                wants_text = full_text if full_text is not None else (
                    source.full_text if source.full_text is not None else settings.fetch.full_text
                )
                job = _SourceCrawl(writer, fetcher, robots, parsers, settings, source, wants_text, rng)
                result = await job.run()
                report.results.append(result)
                if on_done is not None:
                    on_done(result)

            await asyncio.gather(*(run_one(source) for source in sources))
        linked = link_syndicated_copies(db)
        index_new_articles(db)
    for result in report.results:
        result.syndicated = linked[result.source_id]
    report.results.sort(key=lambda r: r.source_id)
    return report


def _start_parser_worker(parent_pid: int) -> None:
    """In each forked parser process: end with the crawl, even if it is killed (SIGKILL gives it no
    chance to stop its workers), and hold none of its job locks meanwhile."""
    release_inherited_locks()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # Linux: the kernel signals us when the parent dies
    except (OSError, AttributeError):
        log.debug("crawl: no prctl here; a parser process may outlive a killed crawl")
    if os.getppid() != parent_pid:  # the crawl died before prctl took effect
        os._exit(0)


class _InlineExecutor(Executor):
    """Runs the work in this process (a pool is not worth starting for one feed)."""

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the awaiting caller, which decides
            future.set_exception(exc)
        return future


@dataclass(frozen=True)
class _Parsed:
    feed: ParsedFeed
    articles: list[Article]


def parse_and_normalise(
    body: bytes, url: str, headers: Mapping[str, str], source_id: int, fetched_at: datetime
) -> _Parsed:
    """Feed bytes → normalised articles (pure; runs in a worker process)."""
    feed = parse_feed(body, url=url, headers=headers)
    articles = [normalise_entry(e, source_id=source_id, feed_url=url, fetched_at=fetched_at) for e in feed.entries]
    return _Parsed(ParsedFeed(feed.title, feed.site_url, [], feed.format, feed.warning), articles)


class _SourceCrawl:
    """Everything that happens to one source in one crawl."""

    def __init__(self, writer: GroupCommit, fetcher: Fetcher, robots: RobotsCache, parsers: Executor,
                 settings: Settings, source: Source, full_text: bool, rng: random.Random) -> None:
        self.writer, self.db, self.fetcher, self.robots = writer, writer.db, fetcher, robots
        self.parsers, self.settings = parsers, settings
        self.source, self.full_text, self.rng = source, full_text, rng
        self.result = SourceResult(source_id=source.id, name=source.name)

    async def run(self) -> SourceResult:
        started = utc_now()
        response: Response | None = None
        parsed: _Parsed | None = None
        try:
            response = await self.fetcher.get(self.source.url, headers=_conditional_headers(self.source))
            if response.status == 200:
                parsed = await asyncio.get_running_loop().run_in_executor(
                    self.parsers, parse_and_normalise, response.body, response.url, response.headers,
                    self.source.id, started,
                )
        except CrawlStopped:
            self.result.outcome = "abandoned"  # not a failure: nothing recorded, due again next crawl
            return self.result
        except (FetchError, FeedParseError) as exc:
            self.result.outcome, self.result.error, self.result.error_kind = "error", one_line(str(exc)), exc.kind
        except Exception as exc:  # noqa: BLE001 (anything else a hostile feed provokes is this source's failure)
            self.result.outcome, self.result.error = "error", _unexpected("fetch or parse", self.source, exc)
            self.result.error_kind = "unexpected"
        try:
            new_ids = await self.writer.write(lambda: self._store(response, parsed, started))
        except (sqlite3.Error, StoreError) as exc:  # a full disk, a read-only file: nothing of it is stored
            self.result.outcome, self.result.error_kind = "error", "store_error"
            self.result.error = one_line(f"store: could not save {self.source.url}: {exc}")
            return self.result
        except Exception as exc:  # noqa: BLE001 (the source's write failed whole: nothing of it is stored)
            self.result.outcome, self.result.error = "error", _unexpected("store", self.source, exc)
            self.result.error_kind = "unexpected"
            return self.result
        if self.full_text:  # new articles, then up to TEXTS_PER_CRAWL an interrupted crawl left without their page
            known = set(new_ids)
            left_over = [i for i in awaiting_text(self.db, self.source.id, limit=TEXTS_PER_CRAWL) if i not in known]
            if new_ids or left_over:
                await self._fetch_full_text((*new_ids, *left_over))
        return self.result

    def _store(self, response: Response | None, parsed: _Parsed | None, started: datetime) -> tuple[str, ...]:
        """The source's articles, its next fetch time and its fetch row (one write: all or nothing)."""
        new_ids: tuple[str, ...] = ()
        if response is not None and self.result.error is None:
            try:
                with self.db.atomic():  # a savepoint: a failure undoes this source's articles, not its fetch row
                    new_ids = self._apply(response, parsed, started)
            except Exception as exc:  # noqa: BLE001 (e.g. text SQLite refuses): this source's failure only
                if not self.db.conn.in_transaction:
                    raise  # it ended the whole transaction (a full disk): nothing can be recorded in it
                self.result.outcome = "error"
                self.result.error = one_line(str(exc)) if isinstance(exc, StoreError) else \
                    _unexpected("store", self.source, exc)
        self._reschedule(started, response)
        record_fetch(
            self.db,
            FetchRecord(
                source_id=self.source.id,
                url=self.source.url,
                started_at=to_iso(started),
                duration_ms=response.elapsed_ms if response else _ms_since(started),
                outcome=self.result.outcome,
                http_status=self.result.http_status,
                items_seen=self.result.seen,
                items_new=self.result.new,
                items_updated=self.result.updated,
                error=self.result.error or self.result.warning,
                error_kind=self.result.error_kind,
            ),
        )
        return new_ids

    def _apply(self, response: Response, parsed: _Parsed | None, now: datetime) -> tuple[str, ...]:
        """Act on the response; returns the ids of newly stored articles."""
        result, source = self.result, self.source
        result.http_status = response.status
        if response.permanent_redirect and not find_source_by_url(self.db, response.permanent_redirect):
            update_source(self.db, source.id, url=response.permanent_redirect)
        if response.status == 304:
            result.outcome = "not_modified"
            return ()
        if response.status == 410:
            update_source(self.db, source.id, active=0, deactivated_reason=f"410 Gone at {to_iso(now)}")
            result.error = f"fetch: {source.url} is gone (410); source deactivated"
            return ()
        if response.status >= 400:
            result.error, result.error_kind = f"fetch: {source.url} answered HTTP {response.status}", "http_status"
            return ()
        if parsed is None:
            result.error = f"fetch: {source.url} answered HTTP {response.status}, expected 200"
            return ()
        articles, feed = parsed.articles, parsed.feed
        counts = upsert_articles(self.db, articles, now=to_iso(now), index=False)  # indexed at the crawl's end
        result.outcome, result.seen, result.warning = "ok", len(articles), feed.warning
        result.new, result.updated, result.duplicates = counts.new, counts.updated, counts.duplicates
        changes: dict[str, object] = {
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
        }
        if feed.site_url and not source.site_url:
            changes["site_url"] = feed.site_url
        if feed.title and source.name == source.url:
            changes["name"] = feed.title
        update_source(self.db, source.id, **changes)
        return counts.new_ids

    def _reschedule(self, now: datetime, response: Response | None) -> None:
        fetch = self.settings.fetch
        if self.result.outcome in ("ok", "not_modified"):
            plan = after_success(now, fetch, items_published_since(self.db, self.source.id, to_iso(now - _WEEK)))
            update_source(self.db, self.source.id, last_success_at=to_iso(now), last_error=None, parked_at=None,
                          retry_after_until=None, **_schedule(plan, now))
            return
        retry_after = None
        if response is not None and response.status in _RETRY_AFTER_STATUSES:
            cap = timedelta(minutes=fetch.max_retry_after_minutes)
            retry_after = parse_retry_after(response.headers.get("retry-after"), now, cap=cap)
            self.result.retry_after_s = int(retry_after.total_seconds()) if retry_after is not None else None
        plan = after_failure(now, self.source.error_streak, fetch, self.rng, retry_after)
        self.result.parked = plan.park
        update_source(self.db, self.source.id, last_error=self.result.error,
                      parked_at=to_iso(now) if plan.park else None, **_schedule(plan, now),
                      retry_after_until=to_iso(now + retry_after) if retry_after else None)

    async def _fetch_full_text(self, article_ids: tuple[str, ...]) -> None:
        await asyncio.gather(*(self._extract_one(article_id, url) for article_id, url in
                               article_urls(self.db, article_ids)))

    async def _extract_one(self, article_id: str, url: str) -> None:
        now = to_iso(utc_now())
        error: str | None = None
        text = None
        try:
            if not await self.robots.allowed(url):
                raise ExtractionError(f"extract: robots.txt disallows {url}")
            page = await self.fetcher.get(url, headers={"Accept": "text/html,application/xhtml+xml"})
            if page.status != 200:
                raise ExtractionError(f"extract: {url} answered HTTP {page.status}")
            text = extract_article_text(page.body, url=page.url)
        except CrawlStopped:
            return  # nothing recorded: a later crawl fetches the page (awaiting_text)
        except (FetchError, ExtractionError) as exc:
            error = one_line(str(exc))
        except Exception as exc:  # noqa: BLE001 (a hostile page is this article's failure, recorded on it)
            error = _unexpected(f"full text of {url}", self.source, exc)
        set_extracted_content(self.db, article_id, text, error=error, at=now)
        if error is None:
            self.result.extracted += 1
        else:
            self.result.extraction_failed += 1


MAX_ERROR_CHARS = 300
TEXTS_PER_CRAWL = 50  # pages an interrupted crawl left unfetched, fetched per source by each later crawl


def one_line(text: str) -> str:
    """An error message as one storable line: no line breaks, no lone surrogates, at most 300 characters."""
    flat = " ".join(text.encode("utf-8", "replace").decode("utf-8").split())
    return flat if len(flat) <= MAX_ERROR_CHARS else flat[: MAX_ERROR_CHARS - 1] + "…"


def _unexpected(stage: str, source: Source, exc: BaseException) -> str:
    """The one-line reason recorded on the source; the traceback goes to the debug log."""
    log.debug("crawl: %s of %s failed unexpectedly", stage, source.url, exc_info=exc)
    return one_line(f"{stage}: {source.url} failed unexpectedly: {type(exc).__name__}: {exc}")


def _schedule(plan: NextFetch, now: datetime) -> dict[str, object]:
    return {"next_fetch_at": to_iso(plan.next_fetch_at), "error_streak": plan.error_streak,
            "last_fetched_at": to_iso(now)}


def _conditional_headers(source: Source) -> dict[str, str]:
    headers = {
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, */*;q=0.8"
    }
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    return headers


def _ms_since(started: datetime) -> int:
    return int((utc_now() - started).total_seconds() * 1000)
