"""JSON Lines in for `newsdesk classify`: each good line becomes a TextItem, each bad one a message."""

from __future__ import annotations

from pathlib import Path

from newsdesk.enrich.enricher import TextItem
from newsdesk.jsonl import read_jsonl


def _item(row: dict) -> TextItem:
    """Articles' field names (title, summary) or the labelled files' (headline, lede)."""
    title = row.get("title", row.get("headline"))
    if "id" not in row or not isinstance(title, str):
        raise KeyError("id and title")
    summary = row.get("summary", row.get("lede"))
    return TextItem(str(row["id"]), title, str(summary or ""), str(row.get("text") or ""))


def read_items(path: Path) -> tuple[list[TextItem], list[str]]:
    """(items, problems): every line with an id and a title (or headline), and one message per bad line."""
    return read_jsonl(path, _item, stage="classify",
                      expects="an object with 'id' and a string 'title' (or 'headline')")
