"""The SSRF guard, tested on its address checks and on redirects to 127.0.0.1: no packet leaves loopback."""

from __future__ import annotations

import asyncio
import ipaddress

import httpcore
import httpx
import pytest

from newsdesk.config import FetchSettings, Settings
from newsdesk.errors import BlockedURLError
from newsdesk.fetch.client import Fetcher
from newsdesk.fetch.guard import GuardedBackend, check_url, is_public_address
from newsdesk.store.sources import add_source
from pipelines.crawl import crawl
from tests.feedserver import FeedServer, Route

REFUSED = [
    "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "100.127.255.254", "0.0.0.0", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.2.1",
    "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
    "::ffff:169.254.169.254", "2002:7f00:0001::1", "2002:a00:1::1", "2001:db8::1",
]
ALLOWED = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::1", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address):
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/feed", "http://2130706433/feed", "http://0x7f000001/", "http://017700000001/",
    "http://[::ffff:127.0.0.1]/", "http://[::1]:8080/", "http://localhost/feed", "http://169.254.169.254/latest/meta-data/",
    "http://10.1.2.3/", "http://[fd00::1]/",
])
def test_check_url_refuses_every_spelling_of_a_private_address(url):
    with pytest.raises(BlockedURLError, match="resolves to"):
        asyncio.run(check_url(url, allow_private=False))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.example/feed", "gopher://x/", "javascript:alert(1)", "http:///nohost"])
def test_check_url_refuses_other_schemes(url):
    with pytest.raises(BlockedURLError):
        asyncio.run(check_url(url, allow_private=True))


def test_private_addresses_pass_when_the_config_allows_them():
    asyncio.run(check_url("http://127.0.0.1/feed", allow_private=True))


def test_redirect_to_loopback_is_refused_before_connecting():
    with FeedServer() as server:
        server.routes["/feed"] = Route(b"<rss/>")

        def first_hop(request: httpx.Request) -> httpx.Response:
            # A public-looking first hop, answered in memory: it redirects to our loopback server.
            return httpx.Response(302, headers={"Location": server.url("/feed")}, stream=httpx.ByteStream(b""))

        async def fetch() -> None:
            async with Fetcher(FetchSettings(), transport=httpx.MockTransport(first_hop)) as fetcher:
                await fetcher.get("http://93.184.216.34/feed")

        with pytest.raises(BlockedURLError, match="127.0.0.1.*loopback"):
            asyncio.run(fetch())
        assert server.hits == []


def test_backend_refuses_to_connect_to_loopback_even_if_asked_directly():
    with FeedServer() as server:
        async def connect() -> None:
            await GuardedBackend(allow_private=False).connect_tcp("127.0.0.1", server.port)

        with pytest.raises(httpcore.ConnectError, match="loopback"):
            asyncio.run(connect())
        assert server.hits == []


def test_crawl_with_the_guard_on_records_the_refusal_and_sends_nothing(db):
    with FeedServer() as server:
        server.routes["/feed"] = Route(b"<rss/>")
        source = add_source(db, server.url("/feed"))
        report = crawl(Settings(), db, [source])
        assert "resolves to 127.0.0.1 (loopback)" in report.results[0].error
        assert "allow_private_networks" in report.results[0].error
        assert server.hits == []
        row = next(db.query("SELECT outcome, error FROM fetches"))
        assert row["outcome"] == "error" and "refused" in row["error"]
