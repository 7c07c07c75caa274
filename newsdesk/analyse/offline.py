"""JSON Lines in for `newsdesk cluster`: each good line becomes an OfflineItem, each bad one a message."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsdesk.analyse.clustering import OfflineItem
from newsdesk.jsonl import read_jsonl


UNDATED = datetime(1970, 1, 1, tzinfo=UTC)  # items without a date are clustered as if published together


def _item(row: dict) -> OfflineItem:
    when = datetime.fromisoformat(str(row["date"]).replace("Z", "+00:00")) if row.get("date") else UNDATED
    return OfflineItem(str(row["id"]), str(row["title"]), str(row.get("text") or ""),
                       when if when.tzinfo else when.replace(tzinfo=UTC), str(row.get("source") or ""))


def read_offline_items(path: Path) -> tuple[list[OfflineItem], list[str]]:
    """(items, problems): lines with id and title, optionally an ISO date, text and source; a message per
    bad line (not JSON, no id or title, a date that is not ISO)."""
    return read_jsonl(path, _item, stage="cluster", expects="id, title and, if given, an ISO date")
