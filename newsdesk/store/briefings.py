"""The ``briefings`` table: every briefing written, in Markdown, HTML and JSON, per week and theme."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def save_briefing(db: Database, *, week: str, theme: str | None, generated_at: str, model_version: str,
                  markdown: str, html: str, json_text: str) -> None:
    """Store (or replace) the briefing of a week, for all themes or one."""
    with db.atomic():
        db.execute(
            """INSERT OR REPLACE INTO briefings (week, theme, generated_at, model_version, markdown, html, json)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [week, theme or "", generated_at, model_version, markdown, html, json_text])


def list_briefings(db: Database) -> list[dict[str, Any]]:
    """Week, theme and generation time of every stored briefing, newest week first."""
    return list(db.query("SELECT week, theme, generated_at, model_version FROM briefings "
                         "ORDER BY week DESC, theme"))


def get_briefing(db: Database, week: str, theme: str | None = None) -> dict[str, Any] | None:
    """One stored briefing with its texts, or None."""
    rows = list(db.query("SELECT * FROM briefings WHERE week = ? AND theme = ?", [week, theme or ""]))
    return rows[0] if rows else None
