import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from trafilatura.deduplication import Simhash

from newsdesk.models import Entry
from newsdesk.normalise.clean import normalise_entry, normalise_url
from newsdesk.normalise.dedup import fingerprint
from newsdesk.parse.sanitise import html_to_text

FETCHED = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_canonical_url_rules():
    assert normalise_url("HTTPS://News.Example.COM:443/a/b?utm_source=x&id=7&fbclid=1#top") == \
        "https://news.example.com/a/b?id=7"
    assert normalise_url("http://example.com:80") == "http://example.com/"
    assert normalise_url("http://example.com:8080/x?gclid=2") == "http://example.com:8080/x"
    assert normalise_url("../story.html?utm_medium=rss", "https://site.example/feeds/rss/") == \
        "https://site.example/feeds/story.html"


def test_only_http_links_are_kept():
    for bad in ("javascript:alert(1)", "data:text/html,<script>", "mailto:a@b.c", "ftp://x.example/", "", None,
                "http://[::1", "https:///nohost"):
        assert normalise_url(bad) is None


@given(st.from_regex(r"https?://[a-z]{1,8}\.example(:[0-9]{2,4})?(/[a-z0-9]{0,5}){0,3}(\?[a-z_]{1,6}=[a-z0-9]{0,4})?(#[a-z]*)?", fullmatch=True))
def test_normalise_url_is_idempotent(url):
    once = normalise_url(url)
    assert once is not None
    assert normalise_url(once) == once


def _entry(**changes) -> Entry:
    base = dict(guid="g1", link="https://site.example/a?utm_campaign=z", title="<b>AI</b> &amp; actors",
                summary_html="<p>Consent <script>bad()</script>rules</p>", content_html="", author=None,
                published_raw="Tue, 24 Nov 2026 09:00:00 GMT", published=FETCHED - timedelta(hours=3))
    return Entry(**{**base, **changes})


def test_entry_becomes_clean_article():
    article = normalise_entry(_entry(), source_id=3, feed_url="https://site.example/feed", fetched_at=FETCHED)
    assert article.title == "AI & actors"
    assert article.summary == "Consent rules"
    assert "script" not in article.summary_html
    assert article.canonical_url == "https://site.example/a"
    assert article.published_at == "2026-11-24T09:00:00Z"
    assert not article.date_missing and not article.date_clamped


def test_missing_date_uses_fetch_time_and_flags_it():
    article = normalise_entry(_entry(published=None, published_raw=None), source_id=1, feed_url="", fetched_at=FETCHED)
    assert article.published_at == "2026-11-24T12:00:00Z" and article.date_missing


def test_far_future_date_is_clamped_but_raw_value_kept():
    article = normalise_entry(_entry(published=FETCHED + timedelta(days=30), published_raw="Thu, 24 Dec 2026"),
                              source_id=1, feed_url="", fetched_at=FETCHED)
    assert article.published_at == "2026-11-24T12:00:00Z"
    assert article.date_clamped and article.published_raw == "Thu, 24 Dec 2026"


def test_id_is_stable_and_falls_back_to_the_link_without_guid():
    a = normalise_entry(_entry(), source_id=1, feed_url="", fetched_at=FETCHED)
    b = normalise_entry(_entry(), source_id=1, feed_url="", fetched_at=FETCHED + timedelta(hours=1))
    assert a.id == b.id
    no_guid = normalise_entry(_entry(guid=None), source_id=1, feed_url="", fetched_at=FETCHED)
    assert no_guid.guid == "https://site.example/a"


@given(st.text(max_size=400) | st.lists(st.sampled_from(["actors", "union", "replica", "AI,", "voice", "studio", "de-aging", "x"]),
                                        max_size=300).map(" ".join))
def test_fingerprint_is_trafilaturas_simhash(text):
    assert fingerprint(text) == f"{Simhash(text).hash:016x}"


@given(st.text(st.characters(blacklist_characters="<&"), max_size=200)
       | st.lists(st.sampled_from(["a", "bc", " ", "  ", "\t", "\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x85",
                                   "\xa0", "\u2028", "\u3000"]), max_size=60).map("".join))
def test_html_to_text_tidies_whitespace_as_if_line_by_line(text):
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.splitlines())
    assert html_to_text(text) == re.sub(r"\n\s*\n+", "\n\n", "\n".join(lines)).strip()


def test_summary_html_is_sanitised_with_relative_links_resolved():
    entry = _entry(summary_html='<p onclick="x()">See <a href="more.html">more</a> <a href="javascript:alert(1)">js</a>'
                                "<script>bad()</script></p>")
    article = normalise_entry(entry, source_id=1, feed_url="https://site.example/feeds/rss.xml", fetched_at=FETCHED)
    assert 'href="https://site.example/feeds/more.html"' in article.summary_html
    assert "javascript" not in article.summary_html and "script" not in article.summary_html
    assert "onclick" not in article.summary_html and "bad()" not in article.summary


def test_no_property_test_has_a_time_deadline():
    from hypothesis import settings

    assert settings().deadline is None  # a busy machine must not fail a correct example
