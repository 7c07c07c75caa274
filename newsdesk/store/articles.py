"""The ``articles`` table and its full-text index."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from typing import Any

from sqlite_utils import Database

from newsdesk.errors import StoreError
from newsdesk.models import Article, UpsertCounts

_UPDATABLE = ("url", "title", "summary", "summary_html", "content", "author", "content_hash")


def upsert_articles(db: Database, articles: list[Article], *, now: str) -> UpsertCounts:
    """Store a batch in one transaction: one row per (source, guid) and per canonical URL.

    A known item whose content changed is updated in place (``updated_at``); the same
    canonical URL seen from another source is counted as a duplicate and not stored.
    """
    new = updated = unchanged = duplicates = 0
    try:
        with db.atomic():
            for article in articles:
                existing = _find_existing(db, article)
                if existing is None:
                    db["articles"].insert(_row(article))
                    new += 1
                elif existing["source_id"] != article.source_id:
                    duplicates += 1
                elif existing["content_hash"] == article.content_hash:
                    unchanged += 1
                else:
                    changes = {key: getattr(article, key) for key in _UPDATABLE}
                    db["articles"].update(existing["id"], {**changes, "updated_at": now})
                    updated += 1
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"store: could not save articles: {exc}") from exc
    return UpsertCounts(new=new, updated=updated, unchanged=unchanged, duplicates=duplicates)


def _find_existing(db: Database, article: Article) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT id, source_id, content_hash FROM articles "
        "WHERE id = ? OR (source_id = ? AND guid = ?) OR canonical_url = ? LIMIT 1",
        [article.id, article.source_id, article.guid, article.canonical_url],
    ).fetchone()
    return None if row is None else {"id": row[0], "source_id": row[1], "content_hash": row[2]}


def _row(article: Article) -> dict[str, Any]:
    row = asdict(article)
    row["date_missing"] = int(article.date_missing)
    row["date_clamped"] = int(article.date_clamped)
    return row


def count_articles(db: Database) -> int:
    """How many articles are stored."""
    return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def search_articles(db: Database, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Full-text search over title, summary and content, best match first.

    The query is taken as words, not FTS5 syntax, so user input cannot break it.
    """
    if not query.strip():
        return []
    return list(
        db.query(
            """
            SELECT a.id, a.title, a.url, a.published_at, s.name AS source
            FROM articles_fts f
            JOIN articles a ON a.rowid = f.rowid
            JOIN sources s ON s.id = a.source_id
            WHERE articles_fts MATCH :q
            ORDER BY f.rank LIMIT :limit
            """,
            {"q": db.quote_fts(query), "limit": limit},
        )
    )


def latest_articles(db: Database, *, limit: int = 50) -> list[dict[str, Any]]:
    """The newest articles with their source's name."""
    return list(
        db.query(
            """
            SELECT a.id, a.title, a.url, a.published_at, a.summary, s.name AS source
            FROM articles a JOIN sources s ON s.id = a.source_id
            ORDER BY a.published_at DESC LIMIT ?
            """,
            [limit],
        )
    )
