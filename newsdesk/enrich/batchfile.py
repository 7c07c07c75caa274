"""JSON Lines in for `newsdesk classify`: each good line becomes a TextItem, each bad one a message."""

from __future__ import annotations

import json
from pathlib import Path

from newsdesk.enrich.enricher import TextItem


def read_items(path: Path) -> tuple[list[TextItem], list[str]]:
    """(items, problems): every line with an id and a title, and one message per bad line."""
    items: list[TextItem] = []
    problems: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"classify: {path} line {number}: not JSON ({exc.msg}); skipped")
                continue
            if not isinstance(row, dict) or not isinstance(row.get("title"), str) or "id" not in row:
                problems.append(f"classify: {path} line {number}: needs an object with 'id' and a string 'title'; skipped")
                continue
            items.append(TextItem(str(row["id"]), row["title"], str(row.get("summary") or ""), str(row.get("text") or "")))
    return items, problems
