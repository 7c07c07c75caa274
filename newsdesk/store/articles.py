"""The ``articles`` table and its full-text index."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from typing import Any

from sqlite_utils import Database

from newsdesk.errors import StoreError
from newsdesk.models import Article, UpsertCounts
from newsdesk.normalise.dedup import band_keys
from newsdesk.store.facts import drop_facts, refresh_facts

_UPDATABLE = ("url", "title", "summary", "summary_html", "content", "author", "content_hash")


_COLUMNS = tuple(f.name for f in fields(Article))
_INSERT_ARTICLE = f"INSERT INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_INSERT_BAND = "INSERT OR IGNORE INTO simhash_bands (band, article_id) VALUES (?, ?)"


def upsert_articles(db: Database, articles: list[Article], *, now: str) -> UpsertCounts:
    """Store a batch in one transaction: one row per (source, guid) and per canonical URL.

    A known item whose content changed is updated in place (``updated_at``); the same
    canonical URL seen from another source is counted as a duplicate and not stored.
    """
    new_ids: list[str] = []
    updated_ids: list[str] = []
    unchanged = duplicates = 0
    conn = db.conn
    try:
        with db.atomic():
            for article in articles:
                existing = _find_existing(db, article)
                if existing is None:
                    conn.execute(_INSERT_ARTICLE, _row(article))
                    if article.simhash:
                        conn.executemany(_INSERT_BAND, [(band, article.id) for band in band_keys(article.simhash)])
                    new_ids.append(article.id)
                elif existing["source_id"] != article.source_id:
                    duplicates += 1
                elif existing["content_hash"] == article.content_hash:
                    unchanged += 1
                else:
                    changes = {key: getattr(article, key) for key in _UPDATABLE}
                    if not article.content:
                        del changes["content"]  # keep text extracted from the page
                    assignments = ", ".join(f"{key} = ?" for key in changes)
                    conn.execute(f"UPDATE articles SET {assignments}, updated_at = ? WHERE id = ?",
                                 [*changes.values(), now, existing["id"]])
                    updated_ids.append(existing["id"])
            refresh_facts(conn, updated_ids)  # the date may have moved
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"store: could not save articles: {exc}") from exc
    return UpsertCounts(
        new=len(new_ids), updated=len(updated_ids), unchanged=unchanged, duplicates=duplicates, new_ids=tuple(new_ids)
    )


def _find_existing(db: Database, article: Article) -> dict[str, Any] | None:
    row = db.conn.execute(
        "SELECT id, source_id, content_hash FROM articles "
        "WHERE id = ? OR (source_id = ? AND guid = ?) OR canonical_url = ? LIMIT 1",
        [article.id, article.source_id, article.guid, article.canonical_url],
    ).fetchone()
    return None if row is None else {"id": row[0], "source_id": row[1], "content_hash": row[2]}


def _row(article: Article) -> tuple[Any, ...]:
    return tuple(int(v) if isinstance(v, bool) else v for v in (getattr(article, c) for c in _COLUMNS))


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


def syndication_candidates(
    db: Database, article_id: str, *, window_hours: int = 72, limit: int = 20
) -> list[dict[str, Any]]:
    """The latest earlier articles from other sources that share a SimHash band and were published nearby."""
    row = db.execute("SELECT simhash, source_id, published_at, rowid FROM articles WHERE id = ?",
                     [article_id]).fetchone()
    if row is None or not row[0]:
        return []
    simhash, source_id, published_at, rowid = row
    bands = band_keys(simhash)
    return list(
        db.query(
            f"""
            SELECT DISTINCT c.id, c.title, c.summary, c.content, c.rowid
            FROM simhash_bands b CROSS JOIN articles c ON c.id = b.article_id  -- bands first: the index does the work
            WHERE b.band IN ({",".join("?" * len(bands))})
              AND c.source_id != ?
              AND c.duplicate_of IS NULL
              AND c.rowid < ?
              AND abs(julianday(c.published_at) - julianday(?)) * 24 <= ?
            ORDER BY c.rowid DESC
            LIMIT ?
            """,
            [*bands, source_id, rowid, published_at, window_hours, limit],
        )
    )


def article_text(db: Database, article_id: str) -> str:
    """Title, summary and content of one article, joined, for comparisons."""
    row = db.execute("SELECT title, summary, content FROM articles WHERE id = ?", [article_id]).fetchone()
    return "\n".join(row) if row else ""


def mark_duplicate(db: Database, article_id: str, original_id: str) -> None:
    """Link a syndicated copy to the article it copies."""
    with db.atomic():
        db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", [original_id, article_id])
        drop_facts(db.conn, article_id)


def article_urls(db: Database, article_ids: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """(id, url) of the given articles that have an http(s) URL."""
    marks = ",".join("?" * len(article_ids))
    rows = db.execute(f"SELECT id, url FROM articles WHERE id IN ({marks}) AND url != ''", list(article_ids))
    return [(row[0], row[1]) for row in rows]


def set_extracted_content(db: Database, article_id: str, text: str | None, *, error: str | None, at: str) -> None:
    """Store a page's extracted text, or keep the feed's text and record why extraction failed."""
    with db.atomic():
        if text is not None:
            db.execute(
                "UPDATE articles SET content = ?, extraction_error = NULL, extracted_at = ? WHERE id = ?",
                [text, at, article_id],
            )
        else:
            db.execute("UPDATE articles SET extraction_error = ?, extracted_at = ? WHERE id = ?",
                       [error, at, article_id])


def article_texts(db: Database, article_ids: list[str]) -> dict[str, str]:
    """Summary and extracted text of each article, for summaries."""
    rows = db.execute("SELECT id, summary, content FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                      [json.dumps(article_ids)])
    return {row[0]: row[2] if len(row[2]) > len(row[1]) else row[1] for row in rows}


def collection_stats(db: Database, start: str, end: str) -> dict[str, Any]:
    """What was collected in [start, end): articles, enriched ones, model versions used, active sources."""
    row = db.execute(
        """SELECT COUNT(*), COUNT(e.article_id), COUNT(DISTINCT a.source_id) FROM articles a
           LEFT JOIN enrichments e ON e.article_id = a.id WHERE a.published_at >= ? AND a.published_at < ?""",
        [start, end]).fetchone()
    versions = [r[0] for r in db.execute(
        """SELECT DISTINCT e.model_version FROM articles a JOIN enrichments e ON e.article_id = a.id
           WHERE a.published_at >= ? AND a.published_at < ? ORDER BY 1""", [start, end])]
    active = db.execute("SELECT COUNT(*) FROM sources WHERE active = 1").fetchone()[0]
    return {"articles": row[0], "enriched": row[1], "publishing_sources": row[2], "model_versions": versions,
            "active_sources": active}


def items_published_since(db: Database, source_id: int, since: str) -> int:
    """How many of a source's articles were published at or after ``since`` (its publishing pace)."""
    return int(db.execute("SELECT COUNT(*) FROM articles WHERE source_id = ? AND published_at >= ?",
                          [source_id, since]).fetchone()[0])
