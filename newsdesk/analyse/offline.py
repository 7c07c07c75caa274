"""JSON Lines in for `newsdesk cluster`: each good line becomes an OfflineItem, each bad one a message."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.analyse.clustering import OfflineItem


def read_offline_items(path: Path) -> tuple[list[OfflineItem], list[str]]:
    """(items, problems): lines with id, title, an ISO date and a source; a message per bad line."""
    items: list[OfflineItem] = []
    problems: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                when = datetime.fromisoformat(str(row["date"]).replace("Z", "+00:00"))
                items.append(OfflineItem(str(row["id"]), str(row["title"]), str(row.get("text") or ""),
                                         when if when.tzinfo else when.replace(tzinfo=UTC), str(row.get("source") or "")))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                problems.append(f"cluster: {path} line {number}: needs id, title and an ISO date ({exc}); skipped")
    return items, problems
