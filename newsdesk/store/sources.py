"""The ``sources`` table: the feeds we follow and their fetch state."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now
from newsdesk.errors import SourceError
from newsdesk.models import Source
from newsdesk.normalise.clean import feed_identity

ARCHIVE_SOURCE = "archive:"  # the sources of backfilled articles are named archive:HOST and never crawled


def add_source(
    db: Database,
    url: str,
    *,
    name: str | None = None,
    tags: list[str] | None = None,
    full_text: bool | None = None,
    site_url: str | None = None,
) -> Source:
    """Insert a source; refuses a URL that is already followed, in any variant of it (scheme or host
    case, tracking parameters, a trailing slash)."""
    identity = feed_identity(url)
    for row in db.execute("SELECT url FROM sources"):
        if row[0] == url or (identity is not None and feed_identity(row[0]) == identity):
            raise SourceError(f"sources: {url} is already followed as {row[0]} (see 'newsdesk sources list')")
    row = {
        "url": url,
        "name": name or url,
        "tags": json.dumps(sorted(set(tags or []))),
        "site_url": site_url,
        "full_text": None if full_text is None else int(full_text),
        "added_at": to_iso(utc_now()),
    }
    with db.atomic():
        source_id = db["sources"].insert(row).last_pk
    return get_source(db, int(source_id))


def get_source(db: Database, source_id: int) -> Source:
    """The source with this id, or SourceError naming it."""
    rows = list(db["sources"].rows_where("id = ?", [source_id]))
    if not rows:
        raise SourceError(f"sources: no source with id {source_id} (see 'newsdesk sources list')")
    return _to_source(rows[0])


def find_source_by_url(db: Database, url: str) -> Source | None:
    """The source following exactly this URL, if any."""
    rows = list(db["sources"].rows_where("url = ?", [url]))
    return _to_source(rows[0]) if rows else None


def list_sources(db: Database, *, tag: str | None = None, active_only: bool = False) -> list[Source]:
    """Sources in id order, optionally those with a tag or only the active ones."""
    sources = [_to_source(row) for row in db["sources"].rows_where(order_by="id")]
    if tag is not None:
        sources = [s for s in sources if tag in s.tags]
    if active_only:
        sources = [s for s in sources if s.active]
    return sources


def source_health(db: Database, *, since: str = "", until: str = "9999") -> list[dict[str, Any]]:
    """Each source with its fetch state, last outcome, article count and articles published in [since, until)."""
    return list(
        db.query(
            """
            SELECT s.id, s.name, s.url, s.tags, s.active, s.error_streak, s.parked_at,
                   s.last_fetched_at, s.last_success_at, s.last_error, s.deactivated_reason, s.next_fetch_at,
                   (SELECT f.outcome FROM fetches f WHERE f.source_id = s.id
                    ORDER BY f.started_at DESC, f.id DESC LIMIT 1) AS last_outcome,
                   (SELECT f.http_status FROM fetches f WHERE f.source_id = s.id
                    ORDER BY f.started_at DESC, f.id DESC LIMIT 1) AS last_status,
                   (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS articles,
                   (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id AND a.published_at >= :since
                    AND a.published_at < :until) AS recent
            FROM sources s ORDER BY s.id
            """,
            {"since": since, "until": until},
        )
    )


def remove_source(db: Database, source_id: int) -> int:
    """Delete a source with its fetch log and articles; returns how many articles went."""
    get_source(db, source_id)
    with db.atomic():
        count = db.execute("SELECT COUNT(*) FROM articles WHERE source_id = ?", [source_id]).fetchone()[0]
        db.execute("DELETE FROM sources WHERE id = ?", [source_id])
    return int(count)


def update_source(db: Database, source_id: int, **changes: Any) -> None:
    """Set some columns of one source (fetch state, URL after a permanent redirect...)."""
    if "tags" in changes:
        changes["tags"] = json.dumps(sorted(set(changes["tags"])))
    unknown = set(changes) - _source_columns(db)
    if unknown:
        raise ValueError(f"sources has no column {sorted(unknown)}")
    if changes:
        db.execute(f"UPDATE sources SET {', '.join(f'{name} = ?' for name in changes)} WHERE id = ?",
                   [*changes.values(), source_id])


def _source_columns(db: Database) -> set[str]:
    return {row[1] for row in db.execute("PRAGMA table_info(sources)")}


def due_sources(db: Database, now: str, *, tag: str | None = None) -> list[Source]:
    """Active, unparked sources whose next fetch time has come (or was never set)."""
    rows = db["sources"].rows_where(
        "active = 1 AND parked_at IS NULL AND (next_fetch_at IS NULL OR next_fetch_at <= ?)", [now], order_by="id"
    )
    sources = [_to_source(row) for row in rows]
    return [s for s in sources if tag is None or tag in s.tags]


def retry_source(db: Database, source_id: int) -> Source:
    """Unpark a source and clear its backoff, so the next crawl fetches it (not an archive's source:
    there is no feed behind it)."""
    if get_source(db, source_id).url.startswith(ARCHIVE_SOURCE):
        raise SourceError(f"sources: source {source_id} holds articles from a backfill; it has no feed to fetch")
    update_source(db, source_id, parked_at=None, error_streak=0, next_fetch_at=None, active=1,
                  deactivated_reason=None)
    return get_source(db, source_id)


def _to_source(row: dict[str, Any]) -> Source:
    return Source(
        id=row["id"],
        url=row["url"],
        name=row["name"],
        tags=json.loads(row["tags"]),
        site_url=row["site_url"],
        active=bool(row["active"]),
        full_text=None if row["full_text"] is None else bool(row["full_text"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        error_streak=row["error_streak"],
        parked_at=row["parked_at"],
        next_fetch_at=row["next_fetch_at"],
        retry_after_until=row.get("retry_after_until"),
    )
