"""Materialised aggregates: a result is reused until enrichments or stories change."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now

T = TypeVar("T")


def data_version(db: Database) -> str:
    """Changes whenever articles are enriched, assigned to stories, stories rewritten or sources removed.

    Only rowid maxima and small counts, so it costs microseconds even on a million articles:
    enrichments, article_stories and stories are written with INSERT OR REPLACE, which always
    takes a new rowid.
    """
    row = db.execute(
        """SELECT (SELECT COALESCE(MAX(rowid), 0) FROM enrichments),
                  (SELECT COALESCE(MAX(rowid), 0) FROM article_stories),
                  (SELECT COALESCE(MAX(rowid), 0) FROM stories),
                  (SELECT COUNT(*) FROM stories),
                  (SELECT COUNT(*) FROM sources)"""
    ).fetchone()
    return ":".join(str(v) for v in row)


def cached(db: Database, key: str, compute: Callable[[], T]) -> T:
    """The stored result for ``key`` if the data has not changed since, else ``compute()`` (stored)."""
    version = data_version(db)
    row = db.execute("SELECT value FROM analysis_cache WHERE key = ? AND data_version = ?", [key, version]).fetchone()
    if row is not None:
        return json.loads(row[0])
    value: Any = compute()
    with db.atomic():
        db.execute("INSERT OR REPLACE INTO analysis_cache (key, data_version, value, computed_at) VALUES (?, ?, ?, ?)",
                   [key, version, json.dumps(value), to_iso(utc_now())])
    return json.loads(json.dumps(value))
