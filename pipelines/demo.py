"""The demo job: serve the bundled sample on 127.0.0.1 and crawl it through the real fetch path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from sqlite_utils import Database

from newsdesk.clock import utc_now
from newsdesk.config import Settings
from newsdesk.models import Source
from newsdesk.sample.outlets import OUTLETS, feed_path
from newsdesk.sample.server import DEFAULT_PORT, serve_sample
from newsdesk.store.sources import add_source, list_sources, update_source
from pipelines.crawl import CrawlReport, SourceResult, crawl

SAMPLE_TAG = "sample"


def run_demo(
    settings: Settings,
    db: Database,
    *,
    now: datetime | None = None,
    port: int = DEFAULT_PORT,
    on_done: Callable[[SourceResult], None] | None = None,
) -> CrawlReport:
    """Serve the sample as of ``now`` and crawl it into ``db``; running it again adds nothing."""
    with serve_sample(now or utc_now(), port=port) as base_url:
        sources = ensure_sample_sources(db, base_url)
        # The sample lives on loopback, which the SSRF guard refuses by default.
        demo_settings = settings.replace("fetch", allow_private_networks=True)
        return crawl(demo_settings, db, sources, on_done=on_done)


def ensure_sample_sources(db: Database, base_url: str) -> list[Source]:
    """One source per sample outlet, pointing at ``base_url`` (updated if the port changed)."""
    existing = {urlsplit(s.url).path: s for s in list_sources(db, tag=SAMPLE_TAG)}
    for outlet in OUTLETS:
        url = base_url + feed_path(outlet)
        source = existing.get(feed_path(outlet))
        if source is None:
            add_source(db, url, name=outlet.name, tags=[SAMPLE_TAG, outlet.format], full_text=True)
        elif source.url != url:
            update_source(db, source.id, url=url, active=1)
    return list_sources(db, tag=SAMPLE_TAG)
