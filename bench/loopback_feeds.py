"""A loopback feed farm for benchmarks: N feeds over many 127.0.0.x hosts, with added latency.

Run as a module in its own process so serving does not compete with the crawler measured:
    python bench/loopback_feeds.py --feeds 500 --items 50 --hosts 50 --latency 0.05
It prints one JSON line with the feed URLs when ready and serves until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

_SYLLABLES = ("ka", "lo", "ven", "tri", "sa", "mor", "du", "pel", "xi", "ran", "to", "bel", "qui", "nor", "est")
WORDS = sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("", "s", "ed", "ing")})  # ~900 words


def make_feed(feed_no: int, items: int, host: str) -> bytes:
    """An RSS 2.0 feed shaped like a publisher's: ~2.5 KB per item, with HTML summary and content.

    That is the mean item size of the real feeds in ../shared/corpus/feeds/real, so the parse
    cost per item (feedparser's ~1,100 items/s there) is what a real crawl pays.
    """
    rng = random.Random(feed_no)
    now = datetime(2026, 11, 24, tzinfo=UTC)

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    entries = []
    for i in range(items):
        title = words(9).capitalize()
        link = f"http://{host}/f{feed_no}/story-{i}.html?utm_source=rss"
        date = format_datetime(now - timedelta(hours=feed_no % 24 + i * 3), usegmt=True)
        summary = f"<p>{words(35)} <a href='{link}'>Read more</a></p>"
        paragraphs = "".join(f"<p>{words(18)} <strong>{words(3)}</strong> {words(18)} "
                             f"<a href='http://{host}/tag/{rng.choice(WORDS)}'>{words(2)}</a>.</p>" for _ in range(5))
        content = f"<figure><img src='http://{host}/img/{feed_no}-{i}.jpg' alt='{words(4)}'/></figure>{paragraphs}"
        categories = "".join(f"<category>{rng.choice(WORDS)}</category>" for _ in range(3))
        entries.append(
            f"<item><title>{escape(title)}</title><link>{link}</link><guid isPermaLink='false'>f{feed_no}-{i}</guid>"
            f"<pubDate>{date}</pubDate><dc:creator>{words(2).title()}</dc:creator>{categories}"
            f"<description>{escape(summary)}</description>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
        )
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
            f"xmlns:content='http://purl.org/rss/1.0/modules/content/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
            f"<channel><title>Bench feed {feed_no}</title>"
            f"<link>http://{host}/</link><description>bench</description>{''.join(entries)}</channel></rss>").encode()


async def serve(feeds: int, items: int, hosts: int, latency: float, port: int) -> None:
    bodies: dict[tuple[str, str], tuple[bytes, str]] = {}
    urls = []
    for n in range(feeds):
        host = f"127.0.0.{2 + n % hosts}"
        body = make_feed(n, items, f"{host}:{port}")
        bodies[(host, f"/f{n}.xml")] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
        urls.append(f"http://{host}:{port}/f{n}.xml")

    def handler_for(host: str):
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    lines = head.decode("latin-1").split("\r\n")
                    path = lines[0].split(" ")[1]
                    headers = {k.lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:] if l)}
                    await asyncio.sleep(latency)
                    found = bodies.get((host, path))
                    if found is None:
                        writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                    elif headers.get("if-none-match") == found[1]:
                        writer.write(f"HTTP/1.1 304 Not Modified\r\nETag: {found[1]}\r\nContent-Length: 0\r\n\r\n".encode())
                    else:
                        writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\n"
                                     f"ETag: {found[1]}\r\nContent-Length: {len(found[0])}\r\n\r\n".encode() + found[0])
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError, IndexError):
                pass
            finally:
                writer.close()
        return handle

    servers = [await asyncio.start_server(handler_for(f"127.0.0.{2 + h}"), f"127.0.0.{2 + h}", port, backlog=512)
               for h in range(hosts)]
    print(json.dumps({"urls": urls}), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--port", type=int, default=18080)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.feeds, args.items, args.hosts, args.latency, args.port))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
