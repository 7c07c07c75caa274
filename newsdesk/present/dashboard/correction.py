"""The correction form shared by the Articles and Review pages: every widget keyed by the article,
what will change shown before saving, and the reviewer's name recorded with each label."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now
from newsdesk.models import BUILTIN_THEMES as THEMES
from newsdesk.models import SENTIMENTS
from newsdesk.present.dashboard.sign_in import signed_in_user
from newsdesk.present.markdown import escape_markdown
from newsdesk.store.enrichments import add_label
from newsdesk.store.facts import facet_names

REVIEWER_KEY = "reviewer"


def judged(item: dict[str, Any]) -> dict[str, Any]:
    """The model's judgement of an article, in the shape of a correction."""
    return {"relevant": bool(item["relevant"]), "themes": sorted(item["themes"]), "sentiment": item["sentiment"]}


def planned_changes(current: dict[str, Any], chosen: dict[str, Any]) -> list[str]:
    """What saving ``chosen`` changes, one readable line per field (themes are dropped when not relevant)."""
    lines = []
    if chosen["relevant"] != current["relevant"]:
        lines.append(f"relevant: {_yes(current['relevant'])} → {_yes(chosen['relevant'])}")
    if chosen["relevant"] and chosen["themes"] != current["themes"]:
        lines.append(f"themes: {', '.join(current['themes']) or 'none'} → {', '.join(chosen['themes']) or 'none'}")
    if chosen["sentiment"] != current["sentiment"]:
        lines.append(f"sentiment: {current['sentiment']} → {chosen['sentiment']}")
    return lines


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def reviewer() -> str | None:
    """Who is correcting: the signed-in user's name when there is one, else the name typed in the sidebar."""
    user = signed_in_user()
    if user is not None:
        return user
    name = st.sidebar.text_input("Your name (recorded with each correction)", key=REVIEWER_KEY).strip()
    return name or None


def save(db: Database, article_id: str, chosen: dict[str, Any], *, who: str) -> None:
    """Record the three judgements as one person's labels for the article."""
    at = to_iso(utc_now())
    for field in ("relevant", "themes", "sentiment"):
        value = (chosen[field] if chosen["relevant"] else []) if field == "themes" else chosen[field]
        add_label(db, article_id, field, value, who=f"dashboard:{who}", at=at)


def correction_form(db: Database, item: dict[str, Any], *, who: str | None) -> bool:
    """Widgets to confirm or correct one article's judgement; True when something was saved."""
    key = item["id"]
    current = judged(item)
    options = sorted(set(THEMES) | set(facet_names(db, "theme")) | set(item["themes"]))
    relevant = st.checkbox("About AI in entertainment", value=current["relevant"], key=f"fb_relevant_{key}")
    themes = st.multiselect("Themes", options, default=current["themes"], key=f"fb_themes_{key}",
                            disabled=not relevant)
    sentiment = st.radio("Tone toward AI" if relevant else "General tone", SENTIMENTS,
                         index=SENTIMENTS.index(current["sentiment"]), horizontal=True, key=f"fb_sentiment_{key}")
    chosen = {"relevant": relevant, "themes": sorted(themes), "sentiment": sentiment}
    changes = planned_changes(current, chosen)
    if changes:
        st.markdown("**Saving will change:** " + escape_markdown("; ".join(changes)))
    else:
        st.caption("As judged: saving confirms the model's judgement.")
    if who is None:
        st.caption("Type your name in the sidebar to save corrections.")
    label = "Save correction" if changes else "Confirm as judged"
    if st.button(label, key=f"fb_save_{key}", disabled=who is None, type="primary"):
        save(db, key, chosen, who=who)
        st.session_state["fb_saved"] = f"Saved for “{item['title'][:80]}”: " + ("; ".join(changes) or "confirmed")
        return True
    return False
