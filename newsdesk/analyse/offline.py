"""JSON Lines in for `newsdesk cluster`: each good line becomes an OfflineItem, each bad one a message."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsdesk.analyse.clustering import OfflineItem
from newsdesk.jsonl import read_jsonl


def _item(row: dict) -> OfflineItem:
    when = datetime.fromisoformat(str(row["date"]).replace("Z", "+00:00"))
    return OfflineItem(str(row["id"]), str(row["title"]), str(row.get("text") or ""),
                       when if when.tzinfo else when.replace(tzinfo=UTC), str(row.get("source") or ""))


def read_offline_items(path: Path) -> tuple[list[OfflineItem], list[str]]:
    """(items, problems): lines with id, title, an ISO date and a source; a message per bad line."""
    return read_jsonl(path, _item, stage="cluster", expects="id, title and an ISO date")
