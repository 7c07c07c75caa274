"""The ``fetches`` table: one row per fetch attempt, success or not."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlite_utils import Database


@dataclass(frozen=True)
class FetchRecord:
    """One attempt to fetch a source's feed."""

    source_id: int | None
    url: str
    started_at: str
    duration_ms: int
    outcome: str
    http_status: int | None = None
    items_seen: int = 0
    items_new: int = 0
    items_updated: int = 0
    error: str | None = None
    error_kind: str | None = None  # timeout, tls_error, blocked, too_large, parse_error, http_status, ...


_COLUMNS = tuple(f.name for f in fields(FetchRecord))
_INSERT = f"INSERT INTO fetches ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def record_fetch(db: Database, record: FetchRecord) -> None:
    """Append one attempt to the log."""
    db.execute(_INSERT, [getattr(record, name) for name in _COLUMNS])
