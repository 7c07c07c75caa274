import sqlite3

import pytest
from sqlite_utils import Database

from newsdesk.errors import StoreError
from newsdesk.store import open_db
from newsdesk.store.db import schema_version
from newsdesk.store.migrations import MIGRATIONS, known_migrations


def test_new_database_has_all_tables_and_pragmas(db):
    tables = set(db.table_names())
    assert {"sources", "fetches", "articles", "articles_fts", "labels"} <= tables
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert schema_version(db) == len(known_migrations())


def test_old_version_file_is_upgraded_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="0002_labels")
    old["sources"].insert({"url": "https://example.org/feed", "name": "Example", "added_at": "2026-01-01T00:00:00Z"})
    assert "labels" not in old.table_names()
    old.close()

    upgraded = open_db(path)
    assert "labels" in upgraded.table_names()
    assert [r["name"] for r in upgraded["sources"].rows] == ["Example"]
    assert schema_version(upgraded) == len(known_migrations())


def test_upgrade_rebuilds_the_band_index_of_stored_articles(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="0010_syndication_index")
    source_id = old["sources"].insert({"url": "https://e.org/f", "name": "e", "added_at": "2026-01-01T00:00:00Z"}).last_pk
    old.execute("INSERT INTO articles (id, source_id, guid, url, canonical_url, title, summary, summary_html, content, "
                "published_at, fetched_at, content_hash, simhash) VALUES ('a1', ?, 'g', 'https://e.org/1', "
                "'https://e.org/1', 't', 's', 's', '', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z', 'h', "
                "'0123456789abcdef')", [source_id])
    old.conn.commit()
    old.close()

    upgraded = open_db(path)
    assert upgraded.execute("SELECT band, published_at, article_id, source_id FROM simhash_bands ORDER BY band").fetchall() \
        == [(f"{i}:{part}", "2026-01-02T00:00:00Z", "a1", source_id) for i, part in enumerate(("0123", "4567", "89ab", "cdef"))]
    assert upgraded.execute("SELECT checked_upto FROM syndication_checked").fetchone()[0] == 1


def test_database_from_a_newer_newsdesk_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.db"
    db = open_db(path)
    db["_sqlite_migrations"].insert(
        {"migration_set": "newsdesk", "name": "0099_from_the_future", "applied_at": "2030-01-01"}
    )
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer newsdesk.*0099_from_the_future"):
        open_db(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(StoreError, match="notes.db"):
        open_db(path)


def test_foreign_keys_cascade_from_sources(db):
    source_id = db["sources"].insert({"url": "https://e.org/f", "name": "e", "added_at": "2026-01-01T00:00:00Z"}).last_pk
    db["fetches"].insert({"source_id": source_id, "url": "https://e.org/f", "started_at": "2026-01-01T00:00:00Z",
                          "duration_ms": 5, "outcome": "ok"})
    db.execute("DELETE FROM sources WHERE id = ?", [source_id])
    assert db.execute("SELECT COUNT(*) FROM fetches").fetchone()[0] == 0


def test_fetch_outcome_is_constrained(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO fetches (url, started_at, duration_ms, outcome) VALUES ('u', 't', 1, 'maybe')"
        )


def test_a_damaged_file_is_refused_with_a_clear_message_by_long_running_commands(runner, db_path):
    """Damage that opening does not read (the last page, of the sources table) is found by quick_check."""
    from newsdesk.cli import cli
    from newsdesk.store import open_db

    db = open_db(db_path)
    with db.atomic():
        for n in range(3000):
            db["sources"].insert({"url": f"https://feeds{n}.example/feed.xml", "name": f"feed {n}", "tags": "[]",
                                  "added_at": "2026-11-30"})
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(db_path.read_bytes())
    data[-4096 + 8: -4096 + 200] = b"\xff" * 192  # the last page's cell pointers and cells
    db_path.write_bytes(bytes(data))
    open_db(db_path).close()  # opening does not notice
    result = runner.invoke(cli, ["schedule"], obj={})
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "is damaged" in result.output and "restore it from a backup" in result.output
