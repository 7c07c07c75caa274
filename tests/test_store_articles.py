from dataclasses import replace

from newsdesk.models import Article
from newsdesk.store.articles import count_articles, search_articles, upsert_articles
from newsdesk.store.sources import add_source

NOW = "2026-11-24T10:00:00Z"


def _article(source_id: int, guid: str, url: str, title: str = "Union wins digital replica consent") -> Article:
    return Article(
        id=f"{source_id}-{guid}", source_id=source_id, guid=guid, url=url, canonical_url=url, title=title,
        summary="Performers secure consent rules.", summary_html="<p>Performers secure consent rules.</p>",
        content="", author=None, published_at=NOW, published_raw=None, fetched_at=NOW, content_hash=title,
    )


def test_upsert_is_idempotent_and_updates_changed_content(db):
    source = add_source(db, "https://a.example/feed")
    first = upsert_articles(db, [_article(source.id, "g1", "https://a.example/1")], now=NOW)
    again = upsert_articles(db, [_article(source.id, "g1", "https://a.example/1")], now=NOW)
    changed = upsert_articles(db, [_article(source.id, "g1", "https://a.example/1", title="Updated title")], now=NOW)
    assert (first.new, again.unchanged, changed.updated) == (1, 1, 1)
    row = next(db["articles"].rows)
    assert row["title"] == "Updated title" and row["updated_at"] == NOW
    assert count_articles(db) == 1


def test_same_canonical_url_from_another_source_is_one_article(db):
    a = add_source(db, "https://a.example/feed")
    b = add_source(db, "https://b.example/feed")
    upsert_articles(db, [_article(a.id, "g1", "https://news.example/story")], now=NOW)
    counts = upsert_articles(db, [_article(b.id, "other-guid", "https://news.example/story")], now=NOW)
    assert counts.duplicates == 1
    assert count_articles(db) == 1


def test_rotating_guid_with_a_stable_url_does_not_multiply(db):
    source = add_source(db, "https://a.example/feed")
    for guid in ("rot-1", "rot-2", "rot-3"):
        upsert_articles(db, [_article(source.id, guid, "https://a.example/same")], now=NOW)
    assert count_articles(db) == 1


def test_fts_finds_words_and_stays_in_sync(db):
    source = add_source(db, "https://a.example/feed")
    article = _article(source.id, "g1", "https://a.example/1", title="Lionsgate signs deal with Runway")
    upsert_articles(db, [article], now=NOW)
    assert [r["title"] for r in search_articles(db, "runway")] == ["Lionsgate signs deal with Runway"]
    upsert_articles(db, [replace(article, title="Studio renames deal", content_hash="x")], now=NOW)
    assert search_articles(db, "runway") == []
    assert len(search_articles(db, "renames")) == 1


def test_search_treats_fts_syntax_as_words(db):
    source = add_source(db, "https://a.example/feed")
    upsert_articles(db, [_article(source.id, "g1", "https://a.example/1")], now=NOW)
    assert search_articles(db, 'replica" OR title:*') == []
    assert search_articles(db, "   ") == []
