"""Crawl benchmark: `newsdesk crawl` against 500 loopback feeds vs a sequential feedparser loop.

    python bench/crawl.py [--feeds 500] [--items 50] [--hosts 50] [--latency 0.05]

Prints feeds/s, items/s and peak memory for newsdesk's crawl (first run, then all-304 run),
for a sequential fetch-and-feedparser.parse loop over the same feeds, the ratio, and parse
throughput on its own. Traffic stays on 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import httpx

ROOT = Path(__file__).resolve().parents[1]


def start_farm(args: argparse.Namespace) -> tuple[subprocess.Popen, list[str]]:
    farm = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "loopback_feeds.py"), "--feeds", str(args.feeds), "--items",
         str(args.items), "--hosts", str(args.hosts), "--latency", str(args.latency), "--port", str(args.port)],
        stdout=subprocess.PIPE, text=True,
    )
    urls = json.loads(farm.stdout.readline())["urls"]
    return farm, urls


def run_newsdesk_crawl(workdir: Path, label: str) -> dict:
    """One `newsdesk crawl --force --json` in a child process; returns its figures and peak RSS."""
    env = {**os.environ, "NEWSDESK_DB": str(workdir / "bench.db"), "NEWSDESK_CONFIG": str(workdir / "newsdesk.toml")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "newsdesk.cli", "crawl", "--force", "--json"], env=env,
                         capture_output=True, text=True, check=True, cwd=workdir)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = max(after.ru_maxrss, before.ru_maxrss) / 1024
    cpu_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)  # the command and its parsers
    totals = json.loads(out.stdout)["totals"]
    print(f"newsdesk crawl ({label}): {totals['sources']} feeds in {elapsed:.2f} s "
          f"({totals['elapsed_s']:.2f} s crawling, the rest is interpreter start-up) = "
          f"{totals['sources'] / elapsed:.1f} feeds/s, {totals['seen'] / elapsed:.0f} items/s, "
          f"new {totals['new']}, not modified {totals['not_modified']}, failed {totals['failed']}, "
          f"peak RSS {peak_mb:.0f} MB (process, incl. interpreter)")
    per_item = f", {cpu_s / totals['seen'] * 1e6:.0f} us per item" if totals["seen"] else ""
    print(f"  CPU time of the command and its parser processes: {cpu_s:.1f} s in {elapsed:.1f} s "
          f"= {cpu_s / elapsed:.2f} of this machine's {os.cpu_count()} cores{per_item}")
    return {"elapsed": elapsed, "feeds_per_s": totals["sources"] / elapsed, **totals}


def sequential_loop(urls: list[str]) -> tuple[float, list[bytes]]:
    bodies, items = [], 0
    started = time.perf_counter()
    with httpx.Client() as client:
        for url in urls:
            body = client.get(url).content
            bodies.append(body)
            items += len(feedparser.parse(io.BytesIO(body)).entries)
    elapsed = time.perf_counter() - started
    print(f"sequential fetch + feedparser.parse: {len(urls)} feeds in {elapsed:.2f} s = "
          f"{len(urls) / elapsed:.1f} feeds/s, {items / elapsed:.0f} items/s")
    return len(urls) / elapsed, bodies


def httpx_floor(urls: list[str], connections: int, per_host: int) -> float:
    """500 conditional GETs answered 304 by httpx alone, under the crawl's limits: the client's own floor."""
    with httpx.Client() as client:
        etags = {url: client.get(url).headers["etag"] for url in urls}

    async def run() -> float:
        overall = asyncio.Semaphore(connections)
        hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=connections)) as client:
            async def one(url: str) -> None:
                async with hosts[urlsplit(url).netloc], overall:
                    await client.get(url, headers={"If-None-Match": etags[url]})

            started = time.perf_counter()
            await asyncio.gather(*(one(url) for url in urls))
            return time.perf_counter() - started

    return asyncio.run(run())


def parse_throughput(bodies: list[bytes]) -> None:
    from newsdesk.parse.feed import parse_feed

    for name, parse in (("feedparser.parse", lambda b: feedparser.parse(io.BytesIO(b)).entries),
                        ("newsdesk parse_feed", lambda b: parse_feed(b).entries)):
        started = time.perf_counter()
        items = sum(len(parse(b)) for b in bodies)
        print(f"parse only, {name}: {items / (time.perf_counter() - started):.0f} items/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--port", type=int, default=18080)
    args = parser.parse_args()
    farm, urls = start_farm(args)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            (workdir / "newsdesk.toml").write_text("[fetch]\nallow_private_networks = true\n")
            env = {**os.environ, "NEWSDESK_DB": str(workdir / "bench.db"), "NEWSDESK_CONFIG": str(workdir / "newsdesk.toml")}
            opml = "".join(f'<outline type="rss" text="f{i}" xmlUrl="{u}"/>' for i, u in enumerate(urls))
            (workdir / "feeds.opml").write_text(f"<opml version='2.0'><body>{opml}</body></opml>")
            subprocess.run([sys.executable, "-m", "newsdesk.cli", "sources", "import-opml", "feeds.opml"],
                           env=env, check=True, cwd=workdir, capture_output=True)
            first = run_newsdesk_crawl(workdir, "first run")
            second = run_newsdesk_crawl(workdir, "second run, all 304")
            from newsdesk.config import FetchSettings

            limits = FetchSettings()
            connections = limits.concurrency
            print(f"latency bound for the second run ({connections} connections x {args.latency * 1000:.0f} ms): "
                  f"{args.feeds * args.latency / connections:.2f} s (measured {second['elapsed_s']:.2f} s crawling); "
                  f"httpx alone under the same limits: {httpx_floor(urls, connections, limits.per_host_concurrency):.2f} s")
        seq_rate, bodies = sequential_loop(urls)
        print(f"ratio newsdesk/sequential (first run, feeds/s): {first['feeds_per_s'] / seq_rate:.1f}x")
        parse_throughput(bodies)
    finally:
        farm.terminate()
        farm.wait(timeout=10)


if __name__ == "__main__":
    main()
