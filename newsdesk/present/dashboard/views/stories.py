"""Stories ranked by impact; one story's articles per outlet on a timeline, entities and impact."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from sqlite_utils import Database

from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.session import cached
from newsdesk.present.dashboard.tables import table
from newsdesk.present.markdown import escape_markdown, safe_url
from newsdesk.store.facts import FactFilter


def render(db: Database, f: FactFilter) -> None:
    """Stories of the period; pick one to see how it spread."""
    st.title("Stories")
    rows = cached(data.stories, db, f)
    if not rows:
        st.info("No story matches these filters. Widen the dates, or run `newsdesk analyse`.")
        return
    table([{"impact": s["impact"], "articles": s["article_count"], "outlets": s["outlet_count"],
            "first seen": s["first_seen"][:10], "event": s["event_type"], "themes": ", ".join(s["themes"]),
            "sentiment": s["mean_sentiment"], "story": s["title"]} for s in rows],
          hide_index=True, width="stretch")
    by_id = {s["id"]: s for s in rows}
    asked = st.session_state.get("story")
    if asked is not None and asked not in by_id:  # opened from elsewhere (a card) on a story outside the list
        found = cached(data.story, db, asked)
        if found is not None:
            by_id = {asked: found, **by_id}
    chosen_id = st.selectbox("Story", list(by_id), key="story",
                             format_func=lambda i: f"{by_id[i]['title']} ({by_id[i]['first_seen'][:10]})")
    chosen = cached(data.story, db, chosen_id)
    if chosen is None:
        st.warning("That story is gone (it was merged into another); pick again.")
        return
    st.subheader(escape_markdown(chosen["title"]))
    st.text(f"Event: {chosen['event_type']}   Themes: {', '.join(chosen['themes']) or '-'}   "
            f"Segments: {', '.join(chosen['segments']) or '-'}   "
            f"Mean sentiment: {chosen['mean_sentiment'] if chosen['mean_sentiment'] is not None else '-'}")
    st.text(f"Impact {chosen['impact']:.1f}: "
            + ", ".join(f"{k} {v:.2f}" for k, v in chosen["impact_components"].items()))
    st.text("Entities: " + (", ".join(f"{e['name']} ({e['type']})" for e in chosen["entities"]) or "-"))
    members = pd.DataFrame([{"published": a["published_at"], "outlet": a["outlet"], "title": a["title"],
                             "link": safe_url(a["url"])} for a in chosen["articles"]])
    if not members.empty:
        members["published"] = pd.to_datetime(members["published"])
        st.altair_chart(alt.Chart(members).mark_circle(size=120).encode(
            x=alt.X("published:T", title="published"), y=alt.Y("outlet:N", title=None), color="outlet:N",
            tooltip=["outlet", "title", "published"]), width="stretch")
    table(members, column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
          hide_index=True, width="stretch")
