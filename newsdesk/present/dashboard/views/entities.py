"""Entities: what is rising, the most named (with their kind), several compared over time, one entity's
stories, and which entities appear together."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from sqlite_utils import Database

from newsdesk.clock import utc_now
from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.navigation import open_page
from newsdesk.present.dashboard.session import cached
from newsdesk.present.dashboard.tables import table
from newsdesk.present.entity_kinds import kind_label
from newsdesk.present.markdown import escape_markdown
from newsdesk.store.facts import FactFilter

COMPARED = 3  # entities on the comparison chart at first


def render(db: Database, f: FactFilter) -> None:
    """Trending entities, entities over time, one entity's stories, and co-occurrences."""
    st.title("Entities")
    monday = data.last_complete_monday(f, utc_now().date())
    st.subheader(f"Rising in the week of {monday}")
    rising = cached(data.rising, db, f, monday)
    if rising:
        table([{"entity": r["name"], "kind": kind_label(r["type"]), "that week": r["count"],
                "weekly mean before": r["baseline"], "burst factor": r["factor"], "z": r["z"]} for r in rising],
              hide_index=True, width="stretch")
    else:
        st.text("No entity stands out that week (a week still under way is not judged).")
    trends = cached(data.entity_trends, db, f)
    if not trends["top"]:
        st.info("No entity is named in the articles these filters select.")
        return
    st.subheader("Most named in the period")
    table([{"entity": e["name"], "kind": kind_label(e["kind"]), "articles": e["articles"]} for e in trends["top"]],
          hide_index=True, width="stretch")
    by_id = {e["entity"]: e for e in trends["top"]}
    st.subheader("Compared over time")
    chosen = st.multiselect("Entities", list(by_id), default=list(by_id)[:COMPARED], key="entities_compared",
                            format_func=lambda i: by_id[i]["name"], max_selections=8)
    if chosen:
        series = pd.DataFrame([{**point, "entity": by_id[i]["name"]} for i in chosen for point in by_id[i]["series"]])
        st.altair_chart(alt.Chart(series).mark_line(point=True).encode(
            x=alt.X("week:O", title="week of", axis=alt.Axis(labelAngle=0, labelOverlap="greedy")),
            y=alt.Y("articles:Q", axis=alt.Axis(format=",d", tickMinStep=1)),
            color=alt.Color("entity:N", legend=alt.Legend(symbolSize=150)),
            tooltip=["entity", "week", "articles"]), width="stretch")
    _one_entity(db, f, by_id)
    st.subheader("Named together")
    table([{"entity": p["first_name"], "kind": kind_label(p["first_type"]), "with": p["second_name"],
            "its kind": kind_label(p["second_type"]), "articles": p["articles"]} for p in trends["pairs"]],
          hide_index=True, width="stretch")


def _one_entity(db: Database, f: FactFilter, by_id: dict) -> None:
    st.subheader("One entity")
    entity_id = st.selectbox("Entity", list(by_id), key="entity", format_func=lambda i: by_id[i]["name"])
    entity = by_id[entity_id]
    st.markdown(f"**{escape_markdown(entity['name'])}**, {kind_label(entity['kind'])}: named in "
                f"{entity['articles']:,} article{'s' * (entity['articles'] != 1)} of the period.")
    stories = cached(data.entity, db, f, entity_id)
    if not stories:
        st.caption("None of those articles is in a story yet (run `newsdesk analyse`).")
        return
    table([{"story": s["title"], "articles naming it": s["naming"], "outlets": s["outlet_count"],
            "event": s["event_type"], "themes": ", ".join(s["themes"]), "first seen": s["first_seen"][:10]}
           for s in stories], hide_index=True, width="stretch")
    by_story = {s["id"]: s for s in stories}
    story_id = st.selectbox("Open one of its stories", list(by_story), key="entity_story", index=None,
                            format_func=lambda i: by_story[i]["title"], placeholder="Pick a story")
    if story_id is not None and st.button("Open story", key="entity_open_story"):
        open_page("stories", story=story_id)
