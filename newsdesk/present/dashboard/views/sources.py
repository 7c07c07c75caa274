"""Sources: the health of every feed, as a feed reader's admin page shows it."""

from __future__ import annotations

import streamlit as st
from sqlite_utils import Database

from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.session import cached
from newsdesk.present.dashboard.tables import table
from newsdesk.store.facts import FactFilter


def _state(row: dict) -> str:
    if row["url"].startswith("archive:"):
        return "archive"  # articles from a backfill: not a feed, never crawled
    if not row["active"]:
        return "deactivated"
    if row["parked_at"]:
        return "parked"
    return "failing" if row["error_streak"] else "ok"


def render(db: Database, f: FactFilter) -> None:
    """Last fetch, outcome, error streak, parked or not, items per week, last error."""
    st.title("Sources")
    rows = cached(data.sources, db, f)
    unhealthy = [r for r in rows if _state(r) not in ("ok", "archive")]
    st.caption(f"{len(rows)} sources, {len(unhealthy)} need attention. "
               "Unpark one with `newsdesk sources retry ID`.")
    table([{"id": r["id"], "source": r["name"], "state": _state(r), "last fetch": r["last_fetched_at"],
            "outcome": r["last_outcome"], "HTTP": r["last_status"], "error streak": r["error_streak"],
            "parked since": r["parked_at"], "items/week": r["per_week"], "articles": r["articles"],
            "next fetch": r["next_fetch_at"], "last error": r["last_error"] or r["deactivated_reason"],
            "feed": r["url"]} for r in rows], hide_index=True, width="stretch")
