"""A feed of N near-identical items (default 10,000) crawled from a loopback server: how long each
write transaction holds the lock (storing the feed, then linking syndicated copies).

    python bench/near_duplicates.py [--items 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout, for its loopback test server

import newsdesk.store.group_commit as group_commit  # noqa: E402
import pipelines.crawl as crawl_module  # noqa: E402
from newsdesk.config import Settings  # noqa: E402
from newsdesk.store import open_db  # noqa: E402
from newsdesk.store.sources import add_source  # noqa: E402
from tests.feedserver import FeedServer, Route  # noqa: E402

BODY = "Performers and studios negotiate over AI replicas and consent in the new contract talks. " * 8


def feed(items: int) -> bytes:
    entries = "".join(f"<item><guid>n{i}</guid><link>https://near.example/{i}</link><title>Update {i}: AI talks "
                      f"continue</title><pubDate>Mon, 30 Nov 2026 10:{i % 60:02d}:00 GMT</pubDate>"
                      f"<description>{BODY} {i}</description></item>" for i in range(items))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>N</title>{entries}</channel></rss>".encode()


def timed(function, into: list[float]):  # noqa: ANN001, ANN201
    def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            into.append(time.perf_counter() - started)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    stores: list[float] = []
    links: list[float] = []
    group_commit.GroupCommit._commit_queued = timed(group_commit.GroupCommit._commit_queued, stores)
    crawl_module.link_syndicated_copies = timed(crawl_module.link_syndicated_copies, links)
    with tempfile.TemporaryDirectory() as folder, FeedServer() as server:
        db = open_db(Path(folder) / "near.db")
        server.routes["/near.xml"] = Route(feed(args.items), headers={"Content-Type": "application/rss+xml"})
        source = add_source(db, server.url("/near.xml"))
        settings = Settings().replace("fetch", allow_private_networks=True, max_body_bytes=200_000_000, timeout=120.0)
        started = time.perf_counter()
        crawl_module.crawl(settings, db, [source])
        elapsed = time.perf_counter() - started
        stored = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    print(f"{args.items:,} near-identical items: crawl {elapsed:.2f} s, {stored:,} stored")
    print(f"  storing the feed: longest write transaction {max(stores):.2f} s ({len(stores)} transactions)")
    print(f"  linking copies: {sum(links):.2f} s in batches of 5,000 (one transaction each)")


if __name__ == "__main__":
    main()
