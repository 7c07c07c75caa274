import pytest

from newsdesk.errors import FeedParseError
from newsdesk.parse.fastpath import parse_plain_feed
from newsdesk.parse.feed import parse_feed, parse_with_feedparser

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
<item><title>One &amp;amp; two</title><link>/a</link><guid>g1</guid><pubDate>Mon, 23 Nov 2026 10:00:00 +0100</pubDate>
<description>&lt;p&gt;Hello&lt;/p&gt;</description></item></channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>x</id><updated>2026-11-23T00:00:00Z</updated>
<entry><title type="html">&amp;lt;b&amp;gt;x</title><link href="https://a.example/1"/><id>e1</id><updated>2026-11-23T08:00:00Z</updated></entry></feed>"""

JSON = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [
 {"id": "1", "url": "https://j.example/1", "title": "<script>x</script>", "content_text": "a < b", "date_published": "2026-11-23T08:00:00-05:00"}]}"""


def test_rss_with_relative_link_and_timezone():
    feed = parse_feed(RSS, url="https://t.example/feed.xml")
    (entry,) = feed.entries
    assert feed.format == "rss20" and feed.title == "T"
    assert entry.link == "https://t.example/a"
    assert entry.published.isoformat() == "2026-11-23T09:00:00+00:00"


def test_atom_entry():
    feed = parse_feed(ATOM)
    assert feed.format == "atom10"
    assert feed.entries[0].guid == "e1"


def test_json_feed_title_is_text_escaped_as_html():
    feed = parse_feed(JSON, headers={"Content-Type": "application/feed+json"})
    (entry,) = feed.entries
    assert feed.format == "json11"
    assert entry.title == "&lt;script&gt;x&lt;/script&gt;"
    assert entry.content_html == "a &lt; b"
    assert entry.published.isoformat() == "2026-11-23T13:00:00+00:00"


@pytest.mark.parametrize("body", [b"<html><body>not a feed</body></html>", b"", b"{\"items\": 3}", b"{not json"])
def test_non_feeds_raise_feed_parse_error(body):
    with pytest.raises(FeedParseError):
        parse_feed(body, url="https://x.example/")


def test_plain_utf8_rss_takes_the_fast_path_and_reads_as_feedparser_does():
    headers = {"content-type": "application/rss+xml; charset=utf-8"}
    for body in (RSS, RSS.replace(b"<guid>g1", b"<guid isPermaLink='false'>g1"), RSS.replace(b"<link>/a</link>", b"")):
        fast = parse_plain_feed(body, "https://t.example/feed.xml", headers)
        assert fast is not None and fast == parse_with_feedparser(body, url="https://t.example/feed.xml", headers=headers)


ATOM_RICH = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://b.example/blog/">
<title>B</title><id>tag:b.example,2026:feed</id><link rel="self" href="feed.atom"/><link href="./"/>
<entry xml:base="posts/"><id>one.html</id><title>One</title><link rel="alternate" type="text/html" href="one.html"/>
<link rel="replies" type="text/html" href="one.html#comments"/><author><name>Ann</name><email>ann@b.example</email></author>
<content type="html" xml:base="https://elsewhere.example/">&lt;p&gt;Body &lt;a href="x.html"&gt;x&lt;/a&gt;&lt;/p&gt;</content>
<summary>Short</summary><published>not a date</published><updated>2026-11-23T08:00:00Z</updated></entry>
<entry><id>urn:uuid:2</id><title type="text">a &amp;lt; b</title><content>Only content</content>
<author><email>x@b.example</email></author><category term="ai"/></entry>
<entry><title>No id, no link</title><summary type="html"></summary></entry></feed>"""


def test_plain_utf8_atom_takes_the_fast_path_and_reads_as_feedparser_does():
    headers = {"content-type": "application/atom+xml"}
    for body in (ATOM, ATOM_RICH):
        fast = parse_plain_feed(body, "https://t.example/feed.xml", headers)
        assert fast is not None and fast == parse_with_feedparser(body, url="https://t.example/feed.xml", headers=headers)
    first, second, third = parse_plain_feed(ATOM_RICH, "https://t.example/feed.xml", {}).entries
    assert (first.guid, first.link, first.author) == ("https://b.example/blog/posts/one.html",
                                                      "https://b.example/blog/posts/one.html", "Ann (ann@b.example)")
    assert first.summary_html == "Short" and first.published.isoformat() == "2026-11-23T08:00:00+00:00"
    assert (second.link, second.summary_html, second.author) == ("urn:uuid:2", "Only content", "x@b.example")
    assert (third.guid, third.link, third.summary_html) == (None, None, "")


@pytest.mark.parametrize(("body", "headers"), [
    (RSS, {"content-type": "application/rss+xml; charset=iso-8859-1"}),  # the HTTP charset wins: feedparser's job
    (RSS.replace(b'encoding="utf-8"', b'encoding="windows-1252"'), {}),
    (RSS.replace(b"<rss", b'<!DOCTYPE rss [<!ENTITY e "x">]><rss'), {}),  # entities are never expanded here
    (RSS.replace(b"<title>One", b"<title><b>One</b>"), {}),  # markup inside a text field
    (RSS.replace(b"Hello", b"don&#146;t"), {}),  # a C1 control feedparser repairs
    (RSS.replace(b"<guid>", b"<author>a@b.example (A)</author><guid>"), {}),  # feedparser splits author
    (RSS.replace(b"</item>", b"<item>"), {}),  # not well-formed
    (ATOM.replace(b"<title type=\"html\">&amp;lt;b&amp;gt;x</title>", b'<content type="xhtml"><div>x</div></content>'), {}),
    (ATOM.replace(b"<id>e1</id>", b'<id>e1</id><content src="https://a.example/1.html"/>'), {}),
    (ATOM.replace(b"<id>e1</id>", b"<id>e1</id><author><name>A</name></author><author><name>B</name></author>"), {}),
    (ATOM.replace(b'<link href="https://a.example/1"/>', b'<link xml:base="/x/" href="1"/>'), {}),
    (ATOM.replace(b"http://www.w3.org/2005/Atom", b"http://purl.org/atom/ns#"), {}),  # Atom 0.3
    (ATOM.replace(b"<id>e1</id>", b'<id>e1</id><m:group xmlns:m="http://search.yahoo.com/mrss/"/>'), {}),
])
def test_anything_else_goes_to_feedparser(body, headers):
    assert parse_plain_feed(body, "https://t.example/feed.xml", headers) is None
