"""Watchlists: every watch with where it sends and how its alerts are doing, what one matches, and a
form to add or remove one (alerts go out with `newsdesk alerts run` or the scheduled crawl)."""

from __future__ import annotations

import streamlit as st
from sqlite_utils import Database

from newsdesk.alerts.new_watch import new_watch
from newsdesk.analyse.events import EVENT_TYPES
from newsdesk.clock import utc_now
from newsdesk.config import load_settings
from newsdesk.errors import NewsdeskError
from newsdesk.models import BUILTIN_THEMES, INDUSTRY_SEGMENTS, STAKEHOLDERS
from newsdesk.present.dashboard.tables import table
from newsdesk.present.markdown import escape_markdown, safe_url
from newsdesk.store.facts import FactFilter
from newsdesk.store.watches import add_watch, list_watches, matching_articles, outbox_health, remove_watch


def render(db: Database, f: FactFilter) -> None:  # noqa: ARG001 (watches are not filtered by period)
    """The watches, one watch's matches, and the add and remove forms."""
    st.title("Watchlists")
    st.caption("A watch sends one digest per run of what is new (by email or webhook) and is written as an Atom "
               "and a JSON feed by `newsdesk feeds write`. Alerts go out with `newsdesk alerts run`, which the "
               "scheduled crawl runs after each crawl.")
    if message := st.session_state.pop("watch_saved", None):
        st.success(escape_markdown(message))
    watches = list_watches(db)  # not cached: it shows the watch just added
    health = outbox_health(db)
    if health["retrying"] or health["gave_up"]:
        st.warning(f"{health['retrying']} alert message(s) failed and wait to be retried, {health['gave_up']} given "
                   "up: see `newsdesk status`.")
    if watches:
        table([{"watch": w.name, "conditions": w.describe(), "sends to": ", ".join([*w.emails, *w.webhooks]) or "-",
                "since": w.since[:10]} for w in watches], hide_index=True, width="stretch")
        by_name = {w.name: w for w in watches}
        chosen = st.selectbox("What a watch matches", list(by_name), key="watch")
        rows = matching_articles(db, by_name[chosen], unseen_only=False, limit=20)
        if rows:
            table([{"published": r["published_at"][:16], "outlet": r["outlet"], "title": r["title"],
                    "story": r["story_title"], "link": safe_url(r["url"])} for r in rows],
                  column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
                  hide_index=True, width="stretch")
        else:
            st.caption("Nothing matches since it began.")
        if st.button(f"Remove '{chosen}'", key="watch_remove"):
            remove_watch(db, chosen)
            st.session_state["watch_saved"] = f"Removed watch '{chosen}'."
            st.rerun()
    else:
        st.info("No watch yet: add one below, or with `newsdesk watch add NAME ...`.")
    _add_form(db)


def _add_form(db: Database) -> None:
    st.subheader("Add a watch")
    with st.form("watch_add", clear_on_submit=False):
        name = st.text_input("Name", key="w_name")
        query = st.text_input('Search (every word and "quoted phrase" must occur)', key="w_query")
        left, right = st.columns(2)
        themes = left.multiselect("Themes (any of)", BUILTIN_THEMES, key="w_themes")
        segments = right.multiselect("Segments or stakeholders (any of)", INDUSTRY_SEGMENTS + STAKEHOLDERS,
                                     key="w_segments")
        events = left.multiselect("Story event types (any of)", EVENT_TYPES[:-1], key="w_events")
        entities = right.text_input("Entities (ids or names, comma-separated)", key="w_entities")
        min_outlets = left.number_input("Only stories covered by at least this many outlets", 0, 50, 0, key="w_min")
        backfill = right.number_input("Start this many days back", 0, 365, 0, key="w_backfill")
        emails = st.text_input("Email addresses (comma-separated)", key="w_emails")
        webhooks = st.text_area("Webhook URLs (one per line; a Slack or Mattermost incoming webhook works)",
                                key="w_hooks")
        spike = st.checkbox("Also alert when the day's volume spikes against the 14 days before", key="w_spike")
        if st.form_submit_button("Add watch"):
            try:
                added = add_watch(db, new_watch(
                    db, load_settings(), name, now=utc_now(), query=query, themes=themes, segments=segments,
                    event_types=events, entities=[e.strip() for e in entities.split(",") if e.strip()],
                    min_outlets=int(min_outlets), backfill_days=int(backfill), spike=spike,
                    emails=emails.split(","), webhooks=webhooks.splitlines()))
            except NewsdeskError as exc:
                st.error(escape_markdown(str(exc)))
                return
            st.session_state["watch_saved"] = f"Added watch '{added.name}': {added.describe()}."
            st.rerun()
