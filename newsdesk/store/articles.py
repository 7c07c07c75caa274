"""The ``articles`` table and its full-text index."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlite_utils import Database

from newsdesk.errors import StoreError
from newsdesk.models import Article, UpsertCounts
from newsdesk.store.facts import RANKED_AT_MOST, drop_facts, marked_matches, refresh_facts
from newsdesk.store.search_index import BATCH as SEARCH_BATCH
from newsdesk.store.search_index import index_new_articles, pending_articles
from newsdesk.store.search_query import fts_query

_UPDATABLE = ("url", "title", "summary", "summary_html", "content", "author", "content_hash")


_COLUMNS = tuple(f.name for f in fields(Article))
_INSERT_ARTICLE = f"INSERT INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def upsert_articles(db: Database, articles: list[Article], *, now: str, index: bool = True) -> UpsertCounts:
    """Store a batch in one transaction: one row per (source, guid) and per canonical URL.

    A known item whose content changed is updated in place (``updated_at``); the same
    canonical URL seen from another source is counted as a duplicate and not stored.
    The rows already stored are looked up for the whole batch at once. The batch is added to the
    full-text index afterwards, unless ``index`` is False: then the caller indexes when it is done
    (a crawl does, once at its end), and meanwhile every SEARCH_BATCH pending rows are indexed here.
    """
    new_ids: list[str] = []
    updated_ids: list[str] = []
    unchanged = duplicates = 0
    conn = db.conn
    try:
        with db.atomic():
            known = _KnownArticles.lookup(conn, articles)
            deleted = _deleted(conn, articles)
            for article in articles:
                existing = known.find(article)
                if existing is None and ((article.source_id, article.guid) in deleted
                                         or article.canonical_url in deleted):
                    unchanged += 1  # a person deleted it: it stays deleted
                elif existing is None:
                    conn.execute(_INSERT_ARTICLE, _row(article))
                    known.add(_Stored(article.id, article.source_id, article.guid, article.canonical_url,
                                      article.content_hash))
                    new_ids.append(article.id)
                elif existing.source_id != article.source_id:
                    duplicates += 1
                elif existing.content_hash == article.content_hash:
                    unchanged += 1
                else:
                    changes = {key: getattr(article, key) for key in _UPDATABLE}
                    if not article.content:
                        del changes["content"]  # keep text extracted from the page
                    assignments = ", ".join(f"{key} = ?" for key in changes)
                    conn.execute(f"UPDATE articles SET {assignments}, updated_at = ? WHERE id = ?",
                                 [*changes.values(), now, existing.id])
                    known.add(replace(existing, content_hash=article.content_hash))
                    updated_ids.append(existing.id)
            refresh_facts(conn, updated_ids)  # the date may have moved
        if index or pending_articles(db) >= SEARCH_BATCH:
            index_new_articles(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"store: could not save articles: {exc}") from exc
    return UpsertCounts(
        new=len(new_ids), updated=len(updated_ids), unchanged=unchanged, duplicates=duplicates, new_ids=tuple(new_ids)
    )


def _deleted(conn: sqlite3.Connection, articles: list[Article]) -> set[object]:
    """The (source, guid) pairs and canonical URLs of the batch that have a tombstone."""
    found: set[object] = set()
    for source_id, guid, url in conn.execute(
            """SELECT source_id, guid, canonical_url FROM tombstones
               WHERE canonical_url IN (SELECT value FROM json_each(?)) OR guid IN (SELECT value FROM json_each(?))""",
            [json.dumps([a.canonical_url for a in articles]), json.dumps([a.guid for a in articles])]):
        found.update({(source_id, guid), url})
    return found


def delete_article(db: Database, article_id: str, *, at: str) -> dict[str, Any]:
    """Delete one article (with its judgements and corrections) and leave a tombstone, so no crawl
    brings it back; returns what was deleted. StoreError when there is no such article."""
    with db.atomic():
        row = db.execute("SELECT source_id, guid, canonical_url, title FROM articles WHERE id = ?",
                         [article_id]).fetchone()
        if row is None:
            raise StoreError(f"articles: no article with id {article_id}")
        db.execute("INSERT OR REPLACE INTO tombstones (source_id, guid, canonical_url, title, deleted_at) "
                   "VALUES (?, ?, ?, ?, ?)", [*row, at])
        db.execute("DELETE FROM articles WHERE id = ?", [article_id])
    return {"id": article_id, "source_id": row[0], "title": row[3]}


@dataclass(frozen=True)
class _Stored:
    id: str
    source_id: int
    guid: str
    canonical_url: str
    content_hash: str


class _KnownArticles:
    """The stored rows a batch can collide with, by id, by (source, guid) and by canonical URL."""

    def __init__(self) -> None:
        self.by_id: dict[str, _Stored] = {}
        self.by_guid: dict[tuple[int, str], _Stored] = {}
        self.by_url: dict[str, _Stored] = {}

    @classmethod
    def lookup(cls, conn: sqlite3.Connection, articles: list[Article]) -> _KnownArticles:
        known = cls()
        columns = "SELECT id, source_id, guid, canonical_url, content_hash FROM articles"
        queries = [(f"{columns} WHERE id IN (SELECT value FROM json_each(?))", [json.dumps([a.id for a in articles])]),
                   (f"{columns} WHERE canonical_url IN (SELECT value FROM json_each(?))",
                    [json.dumps([a.canonical_url for a in articles])])]
        for source_id in {a.source_id for a in articles}:
            queries.append((f"{columns} WHERE source_id = ? AND guid IN (SELECT value FROM json_each(?))",
                            [source_id, json.dumps([a.guid for a in articles if a.source_id == source_id])]))
        for sql, params in queries:
            for row in conn.execute(sql, params):
                known.add(_Stored(*row))
        return known

    def add(self, stored: _Stored) -> None:
        self.by_id[stored.id] = stored
        self.by_guid[(stored.source_id, stored.guid)] = stored
        self.by_url[stored.canonical_url] = stored

    def find(self, article: Article) -> _Stored | None:
        return (self.by_id.get(article.id) or self.by_guid.get((article.source_id, article.guid))
                or self.by_url.get(article.canonical_url))


def _row(article: Article) -> tuple[Any, ...]:
    return tuple(int(v) if isinstance(v, bool) else v for v in (getattr(article, c) for c in _COLUMNS))


def count_articles(db: Database) -> int:
    """How many articles are stored."""
    return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def search_articles(db: Database, query: str, *, limit: int = 20, sort: str = "relevance",
                    ranked_at_most: int = RANKED_AT_MOST) -> dict[str, Any]:
    """Full-text search over title, summary and content: {"total": every match, "ranked": how many of the
    newest matches "best first" ranked (all of them unless more than ``ranked_at_most``), "rows": the
    first ``limit``, best or newest first, each with a snippet whose matches are marked}.

    Words and "quoted phrases" must all occur (see ``search_query``); the input is never FTS5 syntax,
    so it cannot break the query. A reader: it never waits for a crawl's write lock.
    """
    match = fts_query(query)
    if not match:
        return {"total": 0, "ranked": 0, "rows": []}
    total = int(db.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", [match]).fetchone()[0])
    newest = [row[0] for row in db.execute(
        """SELECT a.rowid FROM articles a INDEXED BY articles_published_at
           WHERE +a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)
           ORDER BY a.published_at DESC LIMIT :n""",
        {"q": match, "n": limit if sort == "newest" else ranked_at_most})]
    select = """SELECT a.id, a.title, a.url, a.published_at, s.name AS source{snippet} FROM {rows}
                JOIN sources s ON s.id = a.source_id"""
    rows = marked_matches(db, select, match, newest, limit=limit, sort=sort)
    return {"total": total, "ranked": min(total, ranked_at_most), "rows": rows}


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


def awaiting_text(db: Database, source_id: int, *, limit: int) -> list[str]:
    """Ids of the source's articles whose page was never fetched (an interrupted crawl), newest first."""
    if limit <= 0:
        return []
    return [row[0] for row in db.execute(
        "SELECT id FROM articles WHERE source_id = ? AND extracted_at IS NULL AND url != '' "
        "ORDER BY fetched_at DESC LIMIT ?", [source_id, limit])]


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


def publishing_sources(db: Database, start: str, end: str) -> list[int]:
    """The sources with an original article published in [start, end)."""
    return [row[0] for row in db.execute(
        "SELECT DISTINCT source_id FROM article_facts WHERE day >= ? AND day < ?", [start[:10], end[:10]])]


def recent_outlet_texts(db: Database, source_ids: list[int], start: str, end: str, *,
                        per_source: int = 40) -> dict[str, list[str]]:
    """The texts of each source's latest ``per_source`` articles published in [start, end), grouped by
    story (an article in no story is a group of its own): the evidence for what a publisher repeats."""
    rows = db.execute(
        """SELECT COALESCE(m.story_id, a.id), CASE WHEN length(a.content) > length(a.summary) THEN a.content
                  ELSE a.summary END
           FROM json_each(?) j
           JOIN articles a ON a.id IN (SELECT id FROM articles WHERE source_id = j.value AND published_at >= ?
                                       AND published_at < ? ORDER BY published_at DESC LIMIT ?)
           LEFT JOIN article_stories m ON m.article_id = a.id""",
        [json.dumps(sorted(set(source_ids))), start, end, per_source])
    grouped: dict[str, list[str]] = {}
    for group, text in rows:
        grouped.setdefault(group, []).append(text)
    return grouped


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
