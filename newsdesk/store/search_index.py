"""The full-text index over articles, filled in batches.

Articles are indexed after they are stored, many at a time: FTS5 writes one segment per
flush, so a batch of a thousand costs a fraction of a thousand single-row flushes. Writers
call ``index_new_articles`` when they finish (``upsert_articles`` does after each batch; a crawl
once at its end). Readers never do: a search during a crawl reads without waiting for its lock.
"""

from __future__ import annotations

from sqlite_utils import Database

BATCH = 2000


def pending_articles(db: Database) -> int:
    """How many stored articles the full-text index does not hold yet."""
    row = db.execute("SELECT COALESCE(MAX(rowid), 0) - (SELECT indexed_upto FROM search_index) FROM articles")
    return max(0, int(row.fetchone()[0]))


def index_new_articles(db: Database) -> int:
    """Index every article stored since the last call; returns how many were indexed.

    Safe to call from several processes at once: each batch takes the write lock before it
    reads how far the index reaches, so no two callers index the same rows.
    """
    indexed = 0
    while pending_articles(db):
        with db.atomic():
            db.execute("UPDATE search_index SET indexed_upto = indexed_upto")  # the write lock, before reading
            upto = db.execute("SELECT indexed_upto FROM search_index").fetchone()[0]
            top = db.execute("SELECT MAX(rowid) FROM (SELECT rowid FROM articles WHERE rowid > ? ORDER BY rowid "
                             "LIMIT ?)", [upto, BATCH]).fetchone()[0]
            if top is None:
                break
            cursor = db.execute(
                "INSERT INTO articles_fts (rowid, title, summary, content) "
                "SELECT rowid, title, summary, content FROM articles WHERE rowid > ? AND rowid <= ?", [upto, top])
            indexed += cursor.rowcount
            db.execute("UPDATE search_index SET indexed_upto = ?", [top])
    return indexed
