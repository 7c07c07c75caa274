import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from newsdesk.models import Article
from newsdesk.store.articles import count_articles, search_articles, upsert_articles
from newsdesk.store.search_query import MARK_END, MARK_START, fts_query, search_terms
from newsdesk.store.db import open_db
from newsdesk.store.search_index import index_new_articles, pending_articles
from newsdesk.store.sources import add_source, remove_source
from newsdesk.store.syndication import link_syndicated_copies, pending_checks

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
    assert [r["title"] for r in search_articles(db, "runway")["rows"]] == ["Lionsgate signs deal with Runway"]
    upsert_articles(db, [replace(article, title="Studio renames deal", content_hash="x")], now=NOW)
    assert search_articles(db, "runway") == {"total": 0, "ranked": 0, "rows": []}
    assert search_articles(db, "renames")["total"] == 1


def test_search_treats_fts_syntax_as_words(db):
    source = add_source(db, "https://a.example/feed")
    upsert_articles(db, [_article(source.id, "g1", "https://a.example/1")], now=NOW)
    assert search_articles(db, 'replica" OR title:*')["rows"] == []
    assert search_articles(db, "   ")["rows"] == []
    assert search_articles(db, 'NEAR( "unclosed')["rows"] == []


def test_search_takes_quoted_phrases_counts_every_match_marks_snippets_and_sorts(db):
    source = add_source(db, "https://a.example/feed")
    upsert_articles(db, [
        _article(source.id, "g1", "https://a.example/1", title="Union wins digital replica consent"),
        _article(source.id, "g2", "https://a.example/2", title="Replica of a digital camera goes on sale"),
        _article(source.id, "g3", "https://a.example/3", title="Second digital replica clause"),
    ], now=NOW)
    db.execute("UPDATE articles SET published_at = '2026-11-0' || substr(guid, 2) || 'T10:00:00Z'")
    assert search_terms('AI "digital replica" "unclosed') == ["AI", "digital replica", "unclosed"]
    assert fts_query('say "hi" there') == '"say" "hi" "there"'
    words = search_articles(db, "digital replica")
    phrase = search_articles(db, '"digital replica"', limit=1)
    assert words["total"] == 3 and phrase["total"] == 2  # the camera has both words, not the phrase
    assert len(phrase["rows"]) == 1
    assert f"{MARK_START}digital replica{MARK_END}" in phrase["rows"][0]["snippet"]
    newest = search_articles(db, '"digital replica"', sort="newest")["rows"]
    assert [r["title"] for r in newest] == ["Second digital replica clause", "Union wins digital replica consent"]


def test_a_broad_search_ranks_its_newest_matches_and_still_counts_them_all(db):
    source = add_source(db, "https://a.example/feed")
    titles = {"g1": "Replica replica replica clause", "g2": "Replica clause", "g3": "Replica replica clause",
              "g4": "Another replica clause"}
    upsert_articles(db, [_article(source.id, guid, f"https://a.example/{guid}", title=title)
                         for guid, title in titles.items()], now=NOW)
    db.execute("UPDATE articles SET published_at = '2026-11-0' || substr(guid, 2) || 'T10:00:00Z'")
    every = search_articles(db, "replica")
    assert every["total"] == every["ranked"] == 4
    assert every["rows"][0]["title"] == "Replica replica replica clause"  # bm25 over every match
    bounded = search_articles(db, "replica", ranked_at_most=3)
    assert bounded["total"] == 4 and bounded["ranked"] == 3
    # the best of the three newest (g2-g4): the oldest, best-scoring match is left out
    assert bounded["rows"][0]["title"] == "Replica replica clause"
    assert {r["title"] for r in bounded["rows"]} == {titles["g2"], titles["g3"], titles["g4"]}
    assert f"{MARK_START}Replica{MARK_END}" in bounded["rows"][0]["snippet"]


def _fts_is_consistent(db) -> bool:
    try:
        db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def test_search_index_is_filled_in_batches_and_survives_edits_before_and_after(db):
    source = add_source(db, "https://a.example/feed")
    first = _article(source.id, "g1", "https://a.example/1", title="Runway signs studio deal")
    upsert_articles(db, [first], now=NOW, index=False)
    assert pending_articles(db) == 1  # stored, not yet indexed: no per-row trigger
    # Edited and deleted before indexing: the index must not try to remove text it never held.
    upsert_articles(db, [replace(first, title="Runway signs bigger studio deal", content_hash="y")], now=NOW, index=False)
    second = _article(source.id, "g2", "https://a.example/2", title="Suno faces label lawsuit")
    upsert_articles(db, [second], now=NOW, index=False)
    db.execute("DELETE FROM articles WHERE id = ?", [second.id])
    assert index_new_articles(db) == 1 and pending_articles(db) == 0 and _fts_is_consistent(db)
    assert [r["title"] for r in search_articles(db, "bigger")["rows"]] == ["Runway signs bigger studio deal"]
    # Edited and deleted after indexing: the triggers keep the index in step.
    upsert_articles(db, [replace(first, title="Runway deal renamed", content_hash="z")], now=NOW, index=False)
    assert search_articles(db, "bigger")["rows"] == [] and search_articles(db, "renamed")["total"] == 1
    db.execute("DELETE FROM articles WHERE id = ?", [first.id])
    assert search_articles(db, "renamed")["rows"] == [] and _fts_is_consistent(db)


def test_search_finds_articles_stored_moments_ago(db):  # upsert_articles indexes what it stored
    source = add_source(db, "https://a.example/feed")
    upsert_articles(db, [_article(source.id, f"g{i}", f"https://a.example/{i}", title=f"Dubbing story {i}")
                         for i in range(5)], now=NOW)
    assert search_articles(db, "dubbing")["total"] == 5


def test_syndication_candidates_need_a_close_fingerprint_not_just_a_shared_band(db):
    a = add_source(db, "https://a.example/feed")
    b = add_source(db, "https://b.example/feed")
    original = replace(_article(a.id, "g1", "https://a.example/1"), simhash="0123456789abcdef")
    near = replace(_article(b.id, "g2", "https://b.example/2"), simhash="0123456789abcdee")  # 1 bit away
    far = replace(_article(b.id, "g3", "https://b.example/3"), simhash="0123fedcba987654")  # shares band 0 only
    upsert_articles(db, [original], now=NOW)
    assert link_syndicated_copies(db) == {}
    upsert_articles(db, [near, far], now=NOW)
    assert pending_checks(db) == 2
    # far has the very same text, so only the fingerprint pre-filter keeps it from being linked
    assert link_syndicated_copies(db) == {b.id: 1} and pending_checks(db) == 0
    assert _duplicate_of(db) == {original.id: None, near.id: original.id, far.id: None}


def test_copies_stored_together_link_to_the_first_original_not_to_each_other(db):
    a, b, c = (add_source(db, f"https://{x}.example/feed") for x in "abc")
    original = replace(_article(a.id, "g1", "https://a.example/1"), simhash="0123456789abcdef")
    copy = replace(_article(b.id, "g1", "https://b.example/1"), simhash="0123456789abcdee")
    copy_of_copy = replace(_article(c.id, "g1", "https://c.example/1"), simhash="0123456789abcdec")
    upsert_articles(db, [original, copy, copy_of_copy], now=NOW)
    assert link_syndicated_copies(db) == {b.id: 1, c.id: 1}
    assert _duplicate_of(db) == {original.id: None, copy.id: original.id, copy_of_copy.id: original.id}
    assert db.execute("SELECT COUNT(*) FROM simhash_bands").fetchone()[0] == 3 * 4


def test_copies_are_looked_for_only_within_three_days_of_publication(db):
    a, b, c = (add_source(db, f"https://{x}.example/feed") for x in "abc")
    original = replace(_article(a.id, "g1", "https://a.example/1"), simhash="0123456789abcdef",
                       published_at="2026-11-20T10:00:00Z")
    within = replace(_article(b.id, "g1", "https://b.example/1"), simhash="0123456789abcdef",
                     published_at="2026-11-23T10:00:00Z")  # 72 hours later: still a copy
    later = replace(_article(c.id, "g1", "https://c.example/1"), simhash="0123456789abcdef",
                    published_at="2026-11-23T10:00:01Z")  # a second past the window
    upsert_articles(db, [original, within, later], now=NOW)
    assert link_syndicated_copies(db) == {b.id: 1}
    assert _duplicate_of(db) == {original.id: None, within.id: original.id, later.id: None}


def test_removing_a_source_removes_its_band_rows(db):
    a, b = (add_source(db, f"https://{x}.example/feed") for x in "ab")
    upsert_articles(db, [replace(_article(s.id, "g1", f"https://{s.id}.example/1"), simhash=f"{s.id:016x}")
                         for s in (a, b)], now=NOW)
    link_syndicated_copies(db)
    remove_source(db, a.id)
    assert [r[0] for r in db.execute("SELECT DISTINCT article_id FROM simhash_bands")] == [f"{b.id}-g1"]


def test_two_connections_linking_at_once_check_each_article_once(db, db_path):
    sources = [add_source(db, f"https://{x}.example/feed") for x in "ab"]
    upsert_articles(db, [replace(_article(s.id, f"g{i}", f"https://{s.id}.example/{i}", title=f"Dubbing deal {i}"),
                                 simhash=f"{i:016x}") for i in range(300) for s in sources], now=NOW)
    counts = _on_two_connections_at_once(db_path, link_syndicated_copies)
    assert sum(sum(c.values()) for c in counts) == 300 and pending_checks(db) == 0
    assert set(_duplicate_of(db).values()) == {None} | {f"{sources[0].id}-g{i}" for i in range(300)}


def _on_two_connections_at_once(db_path, job) -> list:
    others = [open_db(db_path) for _ in range(2)]
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            return list(pool.map(job, others))
    finally:
        for other in others:
            other.close()


def _duplicate_of(db) -> dict[str, str | None]:
    return dict(db.execute("SELECT id, duplicate_of FROM articles").fetchall())


def test_two_connections_indexing_at_once_index_each_article_once(db, db_path):
    source = add_source(db, "https://a.example/feed")
    for batch in range(3):
        upsert_articles(db, [_article(source.id, f"g{batch}-{i}", f"https://a.example/{batch}/{i}",
                                      title=f"Dubbing deal {batch} {i}") for i in range(400)], now=NOW, index=False)
    counts = _on_two_connections_at_once(db_path, index_new_articles)
    assert sum(counts) == 1200 and pending_articles(db) == 0 and _fts_is_consistent(db)
    assert db.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'dubbing'").fetchone()[0] == 1200


def test_search_is_a_reader_and_never_writes(db):
    from newsdesk.store.articles import search_articles
    from newsdesk.store.facts import FactFilter, find_articles

    source = add_source(db, "https://feeds.example/s.xml")
    upsert_articles(db, [_article(source.id, "g1", "https://a.example/1", title="Digital replica clause")], now=NOW)
    before = db.conn.total_changes
    assert [r["title"] for r in search_articles(db, "digital replica")["rows"]] == ["Digital replica clause"]
    find_articles(db, FactFilter(start="2020-01-01", end="2030-01-01", relevant_only=False), "replica")
    assert db.conn.total_changes == before


def _linking_work(tmp_path, n: int) -> int:
    """SQLite VM instructions spent linking copies after one source stored ``n`` near-identical items."""
    from newsdesk.normalise.dedup import fingerprint

    db = open_db(tmp_path / f"near-{n}.db")
    source = add_source(db, f"https://near.example/{n}.xml")
    other = add_source(db, f"https://other.example/{n}.xml")
    body = "Performers and studios negotiate over AI replicas and consent in new contract talks. " * 6
    articles = [replace(_article(source.id, f"g{i}", f"https://near.example/{i}", title=f"Update {i}"),
                        simhash=fingerprint(f"Update {i}\n{body}"), summary=body) for i in range(n)]
    upsert_articles(db, articles, now=NOW, index=False)
    upsert_articles(db, [replace(_article(other.id, "o", "https://other.example/o", title="Update 0"),
                                 simhash=fingerprint(f"Update 0\n{body}"), summary=body)], now=NOW, index=False)
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    db.conn.set_progress_handler(count, 1000)
    link_syndicated_copies(db)
    db.conn.set_progress_handler(None, 0)
    return steps[0]


def test_copy_linking_grows_linearly_with_near_identical_items_of_one_feed(tmp_path):
    """A feed of thousands of near-identical items made the candidate lookup visit every pair (quadratic).
    Instruction counts, not seconds, so the figure does not depend on the machine's speed."""
    small, large = _linking_work(tmp_path, 400), _linking_work(tmp_path, 1600)
    assert large < 6 * small  # 4x the items: about 4x the work (quadratic would be 16x)


def test_search_while_a_writer_holds_the_lock_neither_waits_nor_fails(db, db_path):
    """A crawl holds the write lock while it stores; a search meanwhile must not need it."""
    from newsdesk.store.facts import FactFilter, find_articles

    source = add_source(db, "https://feeds.example/s.xml")
    upsert_articles(db, [_article(source.id, "g1", "https://a.example/1", title="Digital replica clause")], now=NOW)
    upsert_articles(db, [_article(source.id, "g2", "https://a.example/2", title="Replica stored by the crawl")],
                    now=NOW, index=False)  # stored, to be indexed at the crawl's end
    writer = open_db(db_path)
    writer.execute("BEGIN IMMEDIATE")  # what a crawl's write transaction holds
    writer.execute("INSERT INTO articles (id, source_id, guid, url, canonical_url, title, summary, content, "
                   "published_at, fetched_at, content_hash) VALUES ('w', ?, 'w', 'https://a.example/w', "
                   "'https://a.example/w', 'Replica stored mid-crawl', '', '', ?, ?, 'w')", [source.id, NOW, NOW])
    reader = open_db(db_path)
    reader.execute("PRAGMA busy_timeout = 0")  # any need for the lock would fail at once
    try:
        assert [r["title"] for r in search_articles(reader, "replica")["rows"]] == ["Digital replica clause"]
        find_articles(reader, FactFilter(start="2020-01-01", end="2030-01-01", relevant_only=False), "replica")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        reader.close()
