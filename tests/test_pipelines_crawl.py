"""The crawler against a real HTTP server on 127.0.0.1: what is stored and what is recorded."""

from __future__ import annotations

import gzip
import json
import random
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import brotli
import pytest

from newsdesk.clock import from_iso, utc_now
from newsdesk.config import Settings
from newsdesk.store.sources import add_source, get_source, retry_source
from pipelines.crawl import crawl, select_sources
from tests.feedserver import FeedServer, Route

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


def rss(*items: tuple[str | None, str, str, str | None], extra: str = "") -> bytes:
    """An RSS 2.0 feed of (guid, link, title, pubDate) items."""
    body = "".join(
        "<item>"
        + (f"<guid isPermaLink='false'>{guid}</guid>" if guid else "")
        + f"<link>{link}</link><title>{title}</title>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + "<description>Performers win consent rules for digital replicas in the new contract.</description></item>"
        for guid, link, title, date in items
    )
    return (f"<?xml version='1.0' encoding='utf-8'?>{extra}<rss version='2.0'><channel><title>Test feed</title>"
            f"<link>https://site.example/</link>{body}</channel></rss>").encode()


def _date(days_ago: float = 1) -> str:
    return format_datetime(datetime.now(UTC) - timedelta(days=days_ago), usegmt=True)


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture
def loopback_settings() -> Settings:
    """The test server is on 127.0.0.1, so these tests allow private networks; the guard has its own tests."""
    return Settings().replace("fetch", allow_private_networks=True, timeout=2.0, connect_timeout=1.0,
                              max_body_bytes=1_000_000)


def _crawl(settings, db, *source_ids, **kwargs):
    from newsdesk.store.sources import get_source as get

    return crawl(settings, db, [get(db, i) for i in source_ids], rng=random.Random(7), **kwargs)


def _count(db, where: str = "1", args=()) -> int:
    return db.execute(f"SELECT COUNT(*) FROM articles WHERE {where}", list(args)).fetchone()[0]


def _last_fetch(db, source_id: int) -> dict:
    return next(db.query("SELECT * FROM fetches WHERE source_id = ? ORDER BY id DESC LIMIT 1", [source_id]))


# --- formats -----------------------------------------------------------------------------------

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
<id>urn:x</id><updated>2026-11-20T00:00:00Z</updated>
<entry><title>Studio signs AI deal</title><link href="https://atom.example/1"/><id>urn:1</id><updated>2026-11-20T10:00:00Z</updated><summary>s</summary></entry>
<entry><title>Union ratifies contract</title><link href="https://atom.example/2"/><id>urn:2</id><updated>2026-11-21T10:00:00Z</updated><summary>t</summary></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link><description>d</description></channel>
<item rdf:about="https://rdf.example/a"><title>Voice actors protest</title><link>https://rdf.example/a</link><dc:date>2026-11-19T08:00:00Z</dc:date></item>
<item rdf:about="https://rdf.example/b"><title>Label sues AI firm</title><link>https://rdf.example/b</link><dc:date>2026-11-20T08:00:00Z</dc:date></item>
<item rdf:about="https://rdf.example/c"><title>Game studio tests AI</title><link>https://rdf.example/c</link></item>
</rdf:RDF>"""

JSONFEED = json.dumps({"version": "https://jsonfeed.org/version/1", "title": "J", "items": [
    {"id": "j1", "url": "https://json.example/1", "title": "Dubbing pilot", "content_text": "Text one.",
     "date_published": "2026-11-20T08:00:00Z"},
    {"id": "j2", "url": "https://json.example/2", "title": "Replica law", "content_html": "<p>Text two.</p>"},
]}).encode()


@pytest.mark.parametrize("path, body, content_type, expected", [
    ("/rss.xml", rss(("g1", "https://rss.example/1", "One", _date()), ("g2", "https://rss.example/2", "Two", _date(2))),
     "application/rss+xml", 2),
    ("/atom.xml", ATOM, "application/atom+xml", 2),
    ("/rdf.xml", RDF, "application/rdf+xml", 3),
    ("/feed.json", JSONFEED, "application/feed+json", 2),
])
def test_each_format_is_stored(server, db, loopback_settings, path, body, content_type, expected):
    server.routes[path] = Route(body, headers={"Content-Type": content_type})
    source = add_source(db, server.url(path))
    report = _crawl(loopback_settings, db, source.id)
    assert report.results[0].outcome == "ok", report.results[0].error
    assert _count(db) == expected
    fetch = _last_fetch(db, source.id)
    assert (fetch["outcome"], fetch["http_status"], fetch["items_seen"], fetch["items_new"]) == ("ok", 200, expected, expected)
    assert get_source(db, source.id).name == "Test feed" if path == "/rss.xml" else True


def test_user_agent_names_newsdesk_and_contact(server, db, loopback_settings):
    server.routes["/f"] = Route(rss(("g", "https://x.example/1", "t", _date())), headers=RSS_TYPE)
    settings = loopback_settings.replace("fetch", contact_url="https://contact.example/us")
    _crawl(settings, db, add_source(db, server.url("/f")).id)
    agent = server.hits_for("/f")[0].headers["user-agent"]
    assert agent.startswith("newsdesk/") and "https://contact.example/us" in agent


# --- conditional GET and status codes ---------------------------------------------------------

def test_etag_304_means_no_parse_and_no_writes(server, db, loopback_settings):
    body = rss(("g1", "https://x.example/1", "One", _date()))

    def conditional(headers):
        if headers.get("if-none-match") == '"v1"':
            return Route(status=304, headers={"ETag": '"v1"'})
        return Route(body, headers={**RSS_TYPE, "ETag": '"v1"'})

    server.routes["/f"] = conditional
    source = add_source(db, server.url("/f"))
    _crawl(loopback_settings, db, source.id)
    before = db.execute("SELECT * FROM articles").fetchall()
    report = _crawl(loopback_settings, db, source.id)
    assert report.results[0].outcome == "not_modified"
    assert server.hits_for("/f")[1].headers["if-none-match"] == '"v1"'
    assert db.execute("SELECT * FROM articles").fetchall() == before
    assert _last_fetch(db, source.id)["outcome"] == "not_modified"


def test_last_modified_is_sent_back(server, db, loopback_settings):
    stamp = "Mon, 23 Nov 2026 10:00:00 GMT"
    server.routes["/f"] = Route(rss(("g", "https://x.example/1", "t", _date())), headers={**RSS_TYPE, "Last-Modified": stamp})
    source = add_source(db, server.url("/f"))
    _crawl(loopback_settings, db, source.id)
    _crawl(loopback_settings, db, source.id)
    assert server.hits_for("/f")[1].headers["if-modified-since"] == stamp


@pytest.mark.parametrize("status", [500, 404])
def test_error_status_is_recorded_and_backs_off(server, db, loopback_settings, status):
    server.routes["/f"] = Route(b"oops", status=status)
    source = add_source(db, server.url("/f"))
    started = utc_now()
    report = _crawl(loopback_settings, db, source.id)
    assert report.results[0].outcome == "error" and f"HTTP {status}" in report.results[0].error
    fetch = _last_fetch(db, source.id)
    assert (fetch["outcome"], fetch["http_status"]) == ("error", status)
    after = get_source(db, source.id)
    assert after.error_streak == 1 and after.parked_at is None
    assert from_iso(after.next_fetch_at) >= started + timedelta(minutes=2.5)  # 5 min base, jitter >= 50 %


def test_410_deactivates_with_reason(server, db, loopback_settings):
    server.routes["/f"] = Route(b"", status=410)
    source = add_source(db, server.url("/f"))
    _crawl(loopback_settings, db, source.id)
    row = next(db["sources"].rows_where("id = ?", [source.id]))
    assert row["active"] == 0 and "410" in row["deactivated_reason"]
    assert select_sources(db)[0] == []


def test_permanent_redirect_updates_the_feed_url(server, db, loopback_settings):
    server.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    server.routes["/new"] = Route(rss(("g", "https://x.example/1", "t", _date())), headers=RSS_TYPE)
    source = add_source(db, server.url("/old"))
    _crawl(loopback_settings, db, source.id)
    assert get_source(db, source.id).url == server.url("/new")
    assert _count(db) == 1


def test_temporary_redirect_keeps_the_feed_url(server, db, loopback_settings):
    server.routes["/old"] = Route(status=302, headers={"Location": "/new"})
    server.routes["/new"] = Route(rss(("g", "https://x.example/1", "t", _date())), headers=RSS_TYPE)
    source = add_source(db, server.url("/old"))
    _crawl(loopback_settings, db, source.id)
    assert get_source(db, source.id).url == server.url("/old")


@pytest.mark.parametrize("retry_after, expected_seconds", [
    ("3600", 3600),
    ("http-date-in-2-hours", 7200),
    ("999999", 360 * 60),  # capped by max_retry_after_minutes
])
def test_429_honours_retry_after_in_both_forms(server, db, loopback_settings, retry_after, expected_seconds):
    if retry_after == "http-date-in-2-hours":
        retry_after = format_datetime(datetime.now(UTC) + timedelta(hours=2), usegmt=True)
    server.routes["/f"] = Route(b"slow down", status=429, headers={"Retry-After": retry_after})
    source = add_source(db, server.url("/f"))
    started = utc_now()
    report = _crawl(loopback_settings, db, source.id)
    assert report.results[0].retry_after_s == pytest.approx(expected_seconds, abs=5)
    next_fetch = from_iso(get_source(db, source.id).next_fetch_at)
    assert next_fetch >= started + timedelta(seconds=expected_seconds - 5)
    assert select_sources(db)[0] == []  # not due until then


def test_three_failures_park_the_source_until_retry(server, db, loopback_settings):
    server.routes["/f"] = Route(b"", status=503)
    source = add_source(db, server.url("/f"))
    for _ in range(3):
        report = _crawl(loopback_settings, db, source.id)
    assert report.results[0].parked
    assert get_source(db, source.id).parked_at is not None
    assert select_sources(db)[0] == []
    assert select_sources(db, force=True)[0] == []  # --force ignores backoff, not parking
    assert [s.id for s in select_sources(db, source_id=source.id)[0]] == [source.id]
    retry_source(db, source.id)
    assert get_source(db, source.id).error_streak == 0
    assert [s.id for s in select_sources(db)[0]] == [source.id]


def test_success_resets_the_streak_and_sets_the_minimum_interval(server, db, loopback_settings):
    state = {"fail": True}
    server.routes["/f"] = lambda h: Route(b"", status=500) if state["fail"] else Route(
        rss(("g", "https://x.example/1", "t", _date())), headers=RSS_TYPE)
    source = add_source(db, server.url("/f"))
    _crawl(loopback_settings, db, source.id)
    state["fail"] = False
    started = utc_now()
    _crawl(loopback_settings, db, source.id)
    after = get_source(db, source.id)
    assert after.error_streak == 0
    assert from_iso(after.next_fetch_at) >= started + timedelta(minutes=15)


# --- limits against hostile servers ------------------------------------------------------------

def test_server_slower_than_the_deadline(server, db, loopback_settings):
    server.routes["/slow"] = Route(rss(("g", "https://x.example/1", "t", _date())), delay=3.0)
    source = add_source(db, server.url("/slow"))
    settings = loopback_settings.replace("fetch", timeout=1.0)
    started = time.monotonic()
    report = _crawl(settings, db, source.id)
    assert time.monotonic() - started < 2.5
    assert "did not finish within 1 s" in report.results[0].error


def test_one_byte_a_second_drip_hits_the_wall_clock_deadline(server, db, loopback_settings):
    server.routes["/drip"] = Route(rss(("g", "https://x.example/1", "t", _date())), drip=0.2, headers=RSS_TYPE)
    source = add_source(db, server.url("/drip"))
    settings = loopback_settings.replace("fetch", timeout=1.0)
    started = time.monotonic()
    report = _crawl(settings, db, source.id)
    assert time.monotonic() - started < 2.5
    assert "did not finish within 1 s" in report.results[0].error
    assert _count(db) == 0


def test_oversized_body_is_refused(server, db, loopback_settings):
    server.routes["/big"] = Route(b"<rss>" + b" " * 2_000_000, headers=RSS_TYPE)
    source = add_source(db, server.url("/big"))
    report = _crawl(loopback_settings, db, source.id)
    assert "1000000-byte cap" in report.results[0].error


def test_gzip_bomb_is_stopped_at_the_cap(server, db, loopback_settings):
    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)
    assert len(bomb) < 300_000
    server.routes["/bomb"] = Route(bomb, headers={**RSS_TYPE, "Content-Encoding": "gzip"})
    source = add_source(db, server.url("/bomb"))
    report = _crawl(loopback_settings, db, source.id)
    assert "body passed the 1000000-byte cap" in report.results[0].error


@pytest.mark.parametrize("encoding, compress", [("gzip", gzip.compress), ("br", brotli.compress)])
def test_compressed_feeds_are_decoded(server, db, loopback_settings, encoding, compress):
    body = rss(("g", "https://x.example/1", "Compressed", _date()))
    server.routes["/c"] = Route(compress(body), headers={**RSS_TYPE, "Content-Encoding": encoding})
    source = add_source(db, server.url("/c"))
    _crawl(loopback_settings, db, source.id)
    assert "br" in server.hits_for("/c")[0].headers["accept-encoding"]
    assert _count(db, "title = 'Compressed'") == 1


def test_redirect_loop_is_detected(server, db, loopback_settings):
    server.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    server.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    report = _crawl(loopback_settings, db, add_source(db, server.url("/a")).id)
    assert "redirect loop" in report.results[0].error
    assert len(server.hits) == 2


def test_too_many_redirects(server, db, loopback_settings):
    for i in range(8):
        server.routes[f"/r{i}"] = Route(status=307, headers={"Location": f"/r{i + 1}"})
    report = _crawl(loopback_settings, db, add_source(db, server.url("/r0")).id)
    assert "more than 5 redirects" in report.results[0].error
    assert len(server.hits) == 6


# --- parsing hostile or broken feeds -------------------------------------------------------------

def test_malformed_xml_keeps_the_items_that_parsed(server, db, loopback_settings):
    body = rss(("g1", "https://x.example/1", "Good one", _date()), ("g2", "https://x.example/2", "Good two", _date()))
    server.routes["/broken"] = Route(body.replace(b"</channel></rss>", b"<item><title>unclosed & broken"), headers=RSS_TYPE)
    source = add_source(db, server.url("/broken"))
    report = _crawl(loopback_settings, db, source.id)
    assert report.results[0].outcome == "ok"
    assert report.results[0].warning  # the bozo warning is recorded
    assert _count(db, "title LIKE 'Good%'") == 2
    assert _last_fetch(db, source.id)["error"]


def test_wrong_declared_charset(server, db, loopback_settings):
    body = rss(("g", "https://x.example/1", "Café über naïve", _date())).replace(b"encoding='utf-8'", b"")
    server.routes["/cs"] = Route(body.decode().encode("latin-1"), headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    source = add_source(db, server.url("/cs"))
    report = _crawl(loopback_settings, db, source.id)
    assert report.results[0].outcome == "ok"
    (title,) = db.execute("SELECT title FROM articles").fetchone()
    assert title.startswith("Caf") and "ber" in title


def test_entity_expansion_bomb_does_not_expand(server, db, loopback_settings):
    laughs = ("<!DOCTYPE rss [<!ENTITY a 'aaaaaaaaaa'>"
              + "".join(f"<!ENTITY {chr(98 + i)} '{('&' + chr(97 + i) + ';') * 10}'>" for i in range(8)) + "]>")
    body = rss(("g", "https://x.example/1", "&i;", _date())).replace(b"<rss", laughs.encode() + b"<rss", 1)
    server.routes["/lol"] = Route(body, headers=RSS_TYPE)
    report = _crawl(loopback_settings, db, add_source(db, server.url("/lol")).id)
    longest = db.execute("SELECT MAX(length(title) + length(summary)) FROM articles").fetchone()[0] or 0
    assert longest < 10_000
    assert report.results[0].outcome in ("ok", "error")


def test_external_entity_is_not_resolved(server, db, loopback_settings, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doctype = f"<!DOCTYPE rss [<!ENTITY xxe SYSTEM 'file://{secret}'>]>"
    body = rss(("g", "https://x.example/1", "&xxe; title", _date())).replace(b"<rss", doctype.encode() + b"<rss", 1)
    server.routes["/xxe"] = Route(body, headers=RSS_TYPE)
    _crawl(loopback_settings, db, add_source(db, server.url("/xxe")).id)
    stored = " ".join(str(v) for row in db.execute("SELECT * FROM articles") for v in row)
    assert "TOP-SECRET-CONTENT" not in stored


# --- normalisation and dedup -----------------------------------------------------------------------

def test_duplicate_guids_in_one_feed_are_one_article(server, db, loopback_settings):
    server.routes["/d"] = Route(rss(("same", "https://x.example/1", "First", _date()),
                                    ("same", "https://x.example/1", "First again", _date())), headers=RSS_TYPE)
    _crawl(loopback_settings, db, add_source(db, server.url("/d")).id)
    assert _count(db) == 1


def test_rotating_guids_do_not_multiply(server, db, loopback_settings):
    counter = {"n": 0}

    def rotating(headers):
        counter["n"] += 1
        n = counter["n"]
        return Route(rss((f"guid-{n}-a", "https://x.example/a", "A", _date()),
                         (f"guid-{n}-b", "https://x.example/b?utm_source=rss", "B", _date())), headers=RSS_TYPE)

    server.routes["/rot"] = rotating
    source = add_source(db, server.url("/rot"))
    for _ in range(3):
        report = _crawl(loopback_settings, db, source.id)
    assert _count(db) == 2
    assert report.results[0].new == 0


def test_recrawl_updates_changed_content_in_place(server, db, loopback_settings):
    state = {"title": "Original"}
    server.routes["/u"] = lambda h: Route(rss(("g", "https://x.example/1", state["title"], _date())), headers=RSS_TYPE)
    source = add_source(db, server.url("/u"))
    _crawl(loopback_settings, db, source.id)
    state["title"] = "Corrected"
    report = _crawl(loopback_settings, db, source.id)
    assert report.results[0].updated == 1
    assert db.execute("SELECT title, updated_at IS NOT NULL FROM articles").fetchall() == [("Corrected", 1)]


def test_missing_and_future_dates_are_flagged(server, db, loopback_settings):
    future = format_datetime(datetime.now(UTC) + timedelta(days=10), usegmt=True)
    server.routes["/dates"] = Route(rss(("g1", "https://x.example/1", "No date", None),
                                        ("g2", "https://x.example/2", "Future", future)), headers=RSS_TYPE)
    _crawl(loopback_settings, db, add_source(db, server.url("/dates")).id)
    rows = dict(db.execute("SELECT title, date_missing || date_clamped FROM articles").fetchall())
    assert rows == {"No date": "10", "Future": "01"}
    raw = db.execute("SELECT published_raw, published_at FROM articles WHERE title = 'Future'").fetchone()
    assert raw[0] == future and from_iso(raw[1]) <= utc_now()


def test_javascript_links_are_not_kept(server, db, loopback_settings):
    server.routes["/js"] = Route(rss(("g1", "javascript:alert(1)", "Evil link", _date())), headers=RSS_TYPE)
    _crawl(loopback_settings, db, add_source(db, server.url("/js")).id)
    (url, canonical) = db.execute("SELECT url, canonical_url FROM articles").fetchone()
    assert url == "" and not canonical.startswith("javascript")


def test_same_story_syndicated_on_two_sources_is_linked(server, db, loopback_settings):
    title = "Report: most voice actors have lost work to synthetic voices, survey of performers finds"
    server.routes["/one"] = Route(rss(("a1", "https://one.example/story", title, _date(1))), headers=RSS_TYPE)
    server.routes["/two"] = Route(rss(("b1", "https://two.example/syndicated/99", title, _date(0.9)),
                                      ("b2", "https://two.example/other", "A different story about box office", _date())),
                                  headers=RSS_TYPE)
    one, two = add_source(db, server.url("/one")), add_source(db, server.url("/two"))
    _crawl(loopback_settings, db, one.id)
    report = _crawl(loopback_settings, db, two.id)
    assert report.results[0].syndicated == 1
    rows = db.execute("SELECT a.url, o.url FROM articles a JOIN articles o ON o.id = a.duplicate_of").fetchall()
    assert rows == [("https://two.example/syndicated/99", "https://one.example/story")]


# --- concurrency, isolation, full text -----------------------------------------------------------

def test_one_failing_source_never_stops_the_others(server, db, loopback_settings):
    server.routes["/good"] = Route(rss(("g", "https://x.example/1", "Fine", _date())), headers=RSS_TYPE)
    server.routes["/bad"] = Route(b"<html>not a feed</html>", headers={"Content-Type": "text/html"})
    server.routes["/slow"] = Route(b"", delay=3)
    ids = [add_source(db, server.url(p)).id for p in ("/bad", "/slow", "/good")]
    report = _crawl(loopback_settings.replace("fetch", timeout=1.0), db, *ids)
    outcomes = {r.source_id: r.outcome for r in report.results}
    assert outcomes == {ids[0]: "error", ids[1]: "error", ids[2]: "ok"}
    assert "not a feed" in report.results[0].error
    assert _count(db) == 1
    assert db.execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == 3


def test_per_host_concurrency_is_bounded(server, db, loopback_settings):
    ids = []
    for i in range(6):
        server.routes[f"/f{i}"] = Route(rss((f"g{i}", f"https://x.example/{i}", f"t{i}", _date())), delay=0.3, headers=RSS_TYPE)
        ids.append(add_source(db, server.url(f"/f{i}")).id)
    _crawl(loopback_settings, db, *ids)
    assert server.max_in_flight == 2
    assert _count(db) == 6


def test_sources_queued_for_a_busy_host_leave_the_other_hosts_free(server, db, loopback_settings):
    """Many feeds on one host must not take every connection slot while they wait for that host."""
    with FeedServer(host="127.0.0.2") as other:
        slow = []
        for i in range(3):
            server.routes[f"/slow{i}"] = Route(rss((f"s{i}", f"https://x.example/s{i}", f"slow {i}", _date())),
                                               delay=0.5, headers=RSS_TYPE)
            slow.append(add_source(db, server.url(f"/slow{i}")).id)
        other.routes["/fast"] = Route(rss(("f", "https://y.example/f", "fast", _date())), headers=RSS_TYPE)
        fast = add_source(db, other.url("/fast")).id
        finished = []
        settings = loopback_settings.replace("fetch", concurrency=2, per_host_concurrency=1)
        _crawl(settings, db, *slow, fast, on_done=lambda result: finished.append(result.source_id))
    assert finished[0] == fast and sorted(finished) == sorted([*slow, fast])


PAGE = b"""<html><head><title>t</title></head><body><nav>Home | Film | TV</nav><article><h1>Deal</h1>
<p>Lionsgate has agreed a partnership with Runway to train a custom video model on the studio's library of films and series.</p>
<p>The studio says filmmakers will use it for storyboards and effects, and performers asked how consent and pay would work.</p>
</article><footer>Copyright</footer></body></html>"""


def test_full_text_is_extracted_or_the_failure_recorded(server, db, loopback_settings):
    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n")
    server.routes["/page/ok"] = Route(PAGE, headers={"Content-Type": "text/html"})
    server.routes["/page/gone"] = Route(b"", status=404)
    server.routes["/private/p"] = Route(PAGE, headers={"Content-Type": "text/html"})
    server.routes["/f"] = Route(rss(("a", server.url("/page/ok"), "Extracted", _date()),
                                    ("b", server.url("/page/gone"), "Missing page", _date()),
                                    ("c", server.url("/private/p"), "Robots says no", _date())), headers=RSS_TYPE)
    source = add_source(db, server.url("/f"))
    report = _crawl(loopback_settings, db, source.id, full_text=True)
    assert (report.results[0].extracted, report.results[0].extraction_failed) == (1, 2)
    rows = {r["title"]: r for r in db.query("SELECT title, summary, content, extraction_error FROM articles")}
    assert "custom video model" in rows["Extracted"]["content"] and "Home | Film" not in rows["Extracted"]["content"]
    assert "HTTP 404" in rows["Missing page"]["extraction_error"]
    assert rows["Missing page"]["summary"].startswith("Performers win consent")
    assert "robots.txt disallows" in rows["Robots says no"]["extraction_error"]
    assert server.hits_for("/private/p") == []
    assert len(server.hits_for("/robots.txt")) == 1
    # a re-crawl neither re-fetches pages nor wipes the extracted text
    _crawl(loopback_settings, db, source.id, full_text=True)
    assert len(server.hits_for("/page/ok")) == 1
    assert "custom video model" in db.execute("SELECT content FROM articles WHERE title = 'Extracted'").fetchone()[0]


# --- hostile feeds: one bad source never stops a crawl -----------------------------------------

JSON_TYPE = {"Content-Type": "application/feed+json"}


def _json_feed(*items: dict) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": list(items)}).encode()


HOSTILE = {
    "retry-after-overflow": Route(b"", status=429, headers={"Retry-After": "99999999999999999999999"}),
    "retry-after-non-ascii-digit": Route(b"", status=503, headers={"Retry-After": "\u0663\u0660"}),
    "retry-after-superscript": Route(b"", status=429, headers={"Retry-After": "\u00b2"}),
    "json-nested-deep": Route(b'{"items": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", headers=JSON_TYPE),
    "json-date-not-a-date": Route(_json_feed({"id": "d", "url": "https://j.example/d", "title": "AI dubbing",
                                              "date_published": {"not": "a date"}},
                                             {"id": "e", "url": "https://j.example/e", "title": "Bad date",
                                              "date_published": "9999-99-99T99:99:99Z"}), headers=JSON_TYPE),
    "json-lone-surrogate": Route(b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "s", '
                                 b'"url": "https://j.example/s", "title": "Voice \\ud800 clone", '
                                 b'"content_text": "x\\udfff"}]}', headers=JSON_TYPE),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_feed_is_recorded_on_its_source_and_the_good_feeds_beside_it_are_stored(
        server, db, loopback_settings, case):
    server.routes["/good-1"] = Route(rss(("g1", "https://x.example/1", "Fine one", _date())), headers=RSS_TYPE)
    server.routes["/hostile"] = HOSTILE[case]
    server.routes["/good-2"] = Route(rss(("g2", "https://x.example/2", "Fine two", _date())), headers=RSS_TYPE)
    ids = [add_source(db, server.url(p)).id for p in ("/good-1", "/hostile", "/good-2")]
    report = _crawl(loopback_settings, db, *ids)  # the first crawl, not a later one
    outcomes = {r.source_id: r for r in report.results}
    assert outcomes[ids[0]].outcome == "ok" and outcomes[ids[2]].outcome == "ok"
    assert _count(db, "source_id IN (?, ?)", [ids[0], ids[2]]) == 2
    hostile = get_source(db, ids[1])
    fetch = _last_fetch(db, ids[1])
    if outcomes[ids[1]].outcome == "ok":  # read what could be read, with the bad parts cleaned
        assert fetch["outcome"] == "ok"
        stored = [r["title"] for r in db.query("SELECT title FROM articles WHERE source_id = ?", [ids[1]])]
        assert stored and all("\ud800" not in t for t in stored)
    else:
        assert outcomes[ids[1]].outcome == "error" and fetch["outcome"] == "error"
        assert fetch["error"] and "\n" not in fetch["error"] and len(fetch["error"]) <= 300
        assert hostile.error_streak == 1 and hostile.next_fetch_at  # backs off instead of breaking every crawl
    again = _crawl(loopback_settings, db, *ids)  # and the next crawl runs too
    assert len(again.results) == 3


def test_an_unexpected_error_while_storing_one_source_is_recorded_on_it_and_undone(
        server, db, loopback_settings, monkeypatch):
    import pipelines.crawl as crawl_module

    server.routes["/good"] = Route(rss(("g", "https://x.example/1", "Fine", _date())), headers=RSS_TYPE)
    server.routes["/cursed"] = Route(rss(("c", "https://x.example/2", "Cursed", _date())), headers=RSS_TYPE)
    good, cursed = (add_source(db, server.url(p)).id for p in ("/good", "/cursed"))
    real_upsert = crawl_module.upsert_articles
    monkeypatch.setattr(crawl_module, "upsert_articles", _failing_upsert(real_upsert, cursed))
    report = _crawl(loopback_settings, db, good, cursed)
    outcomes = {r.source_id: r for r in report.results}
    assert outcomes[good].outcome == "ok" and _count(db, "source_id = ?", [good]) == 1
    assert outcomes[cursed].outcome == "error" and _count(db, "source_id = ?", [cursed]) == 0
    fetch = _last_fetch(db, cursed)
    assert fetch["outcome"] == "error" and "RuntimeError: boom second line" in fetch["error"]
    assert get_source(db, cursed).error_streak == 1


def _failing_upsert(real, source_id):
    def upsert(db, articles, **kwargs):
        counts = real(db, articles, **kwargs)
        if articles and articles[0].source_id == source_id:
            raise RuntimeError("boom\nsecond line")
        return counts

    return upsert


@pytest.mark.parametrize(("value", "expected"), [("120", 120), ("99999999999999999999999", 3600), ("\u00b2", None),
                                                  ("\u0663\u0660", None), ("-5", None)])
def test_retry_after_reads_only_ascii_seconds_and_never_overflows(value, expected):
    from newsdesk.fetch.politeness import parse_retry_after

    delay = parse_retry_after(value, datetime.now(UTC), cap=timedelta(hours=1))
    assert (None if delay is None else delay.total_seconds()) == expected


def test_a_second_crawl_while_one_runs_says_so_and_exits_0(server, db, db_path, loopback_settings):
    from click.testing import CliRunner

    from newsdesk.cli import cli
    from newsdesk.schedule.lock import JobLock, lock_path

    server.routes["/feed"] = Route(rss(("g", "https://x.example/1", "Fine", _date())), headers=RSS_TYPE)
    add_source(db, server.url("/feed"))
    with JobLock(lock_path(db_path, "crawl")) as running:  # what a crawl in another process holds
        assert running.acquired
        result = CliRunner().invoke(cli, ["crawl"], obj={})
    assert result.exit_code == 0, result.output
    assert "already running" in result.output and "Traceback" not in result.output
    assert _count(db) == 0 and db.execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == 0


def test_pages_an_interrupted_crawl_never_fetched_are_fetched_by_the_next_crawl(server, db, loopback_settings):
    for n in range(3):
        server.routes[f"/page/{n}"] = Route(PAGE, headers={"Content-Type": "text/html"})
    server.routes["/f"] = Route(rss(*((f"p{n}", server.url(f"/page/{n}"), f"Story {n}", _date()) for n in range(3))),
                                headers={**RSS_TYPE, "ETag": '"v1"'})
    source = add_source(db, server.url("/f"))
    _crawl(loopback_settings, db, source.id, full_text=False)  # as if stopped before any page was fetched
    assert db.execute("SELECT COUNT(*) FROM articles WHERE extracted_at IS NULL").fetchone()[0] == 3
    server.routes["/f"] = Route(b"", status=304)  # nothing new in the feed
    report = _crawl(loopback_settings, db, source.id, full_text=True)
    assert report.results[0].extracted == 3
    assert db.execute("SELECT COUNT(*) FROM articles WHERE extracted_at IS NULL").fetchone()[0] == 0
    assert all("custom video model" in r[0] for r in db.execute("SELECT content FROM articles"))
    _crawl(loopback_settings, db, source.id, full_text=True)
    assert all(len(server.hits_for(f"/page/{n}")) == 1 for n in range(3))  # each page fetched once


def test_force_and_source_still_honour_retry_after_unless_told_not_to(server, db, loopback_settings):
    server.routes["/busy"] = Route(b"", status=429, headers={"Retry-After": "600"})
    source = add_source(db, server.url("/busy"))
    _crawl(loopback_settings, db, source.id)
    assert get_source(db, source.id).retry_after_until
    assert select_sources(db, force=True)[0] == []  # the server asked for ten minutes
    assert select_sources(db, source_id=source.id)[0] == []
    assert [s.id for s in select_sources(db, force=True, ignore_retry_after=True)[0]] == [source.id]
    later = datetime.now(UTC) + timedelta(minutes=11)
    assert [s.id for s in select_sources(db, force=True, now=later)[0]] == [source.id]
    server.routes["/busy"] = Route(rss(("g", "https://x.example/1", "Fine", _date())), headers=RSS_TYPE)
    _crawl(loopback_settings, db, source.id)
    assert get_source(db, source.id).retry_after_until is None  # a success clears it


def test_a_tls_failure_is_recorded_as_tls_error(db, loopback_settings, tmp_path):
    """A loopback HTTPS server whose certificate nobody trusts (self-signed, made here with openssl)."""
    import shutil
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = rss(("g", "https://x.example/1", "Fine", _date()))
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        source = add_source(db, f"https://127.0.0.1:{server.server_address[1]}/feed.xml")
        report = _crawl(loopback_settings, db, source.id)
    finally:
        server.shutdown()
        server.server_close()
    (result,) = report.results
    assert result.outcome == "error" and result.error_kind == "tls_error"
    fetch = _last_fetch(db, source.id)
    assert fetch["error_kind"] == "tls_error" and "TLS" in fetch["error"] and "certificate" in fetch["error"].lower()
    assert _count(db) == 0


def test_a_full_disk_fails_the_sources_it_hits_and_stores_nothing_partial(server, db, loopback_settings):
    """SQLite's own "database or disk is full" (max_page_count reached), not a stand-in exception."""
    big = "x" * 3000
    server.routes["/a"] = Route(rss(*((f"a{i}", f"https://x.example/a{i}", f"A {i} {big}", _date())
                                      for i in range(40))), headers=RSS_TYPE)
    source = add_source(db, server.url("/a"))
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 3}")  # room for almost nothing
    report = _crawl(loopback_settings, db, source.id)
    (result,) = report.results
    assert result.outcome == "error" and result.error_kind == "store_error"
    assert "database or disk is full" in result.error and "unexpectedly" not in result.error
    assert _count(db) == 0  # nothing partial
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.execute("PRAGMA max_page_count = 1073741823")  # room again: the next crawl stores the whole feed
    assert _crawl(loopback_settings, db, source.id).results[0].outcome == "ok" and _count(db) == 40
