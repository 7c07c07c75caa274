"""Entities: what is rising, each entity's weekly series, and which entities appear together."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from sqlite_utils import Database

from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.session import cached
from newsdesk.present.dashboard.tables import table
from newsdesk.store.facts import FactFilter


def render(db: Database, f: FactFilter) -> None:
    """Trending entities, one entity over time, and co-occurrences."""
    st.title("Entities")
    st.subheader("Rising in the period's last week")
    rising = cached(data.rising, db, f)
    if rising:
        table([{"entity": r["name"], "type": r["type"], "that week": r["count"],
                "weekly mean before": r["baseline"], "burst factor": r["factor"], "z": r["z"]} for r in rising],
              hide_index=True, width="stretch")
    else:
        st.text("No entity stands out in the last week of the period.")
    trends = cached(data.entity_trends, db, f)
    if not trends["top"]:
        st.info("No entity is named in the articles these filters select.")
        return
    st.subheader("Most named in the period")
    table([{"entity": e["name"], "type": e["type"], "articles": e["articles"]} for e in trends["top"]],
          hide_index=True, width="stretch")
    by_id = {e["entity"]: e for e in trends["top"]}
    chosen = st.selectbox("Entity over time", list(by_id), key="entity", format_func=lambda i: by_id[i]["name"])
    series = pd.DataFrame(by_id[chosen]["series"])
    st.altair_chart(alt.Chart(series).mark_line(point=True).encode(
        x=alt.X("week:O", title="week of"), y=alt.Y("articles:Q"), tooltip=["week", "articles"]), width="stretch")
    st.subheader("Named together")
    table([{"entity": p["first_name"], "type": p["first_type"], "with": p["second_name"],
            "its type": p["second_type"], "articles": p["articles"]} for p in trends["pairs"]],
          hide_index=True, width="stretch")
