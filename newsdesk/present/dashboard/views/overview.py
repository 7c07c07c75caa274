"""Overview: KPIs for the period, weekly volume and sentiment by theme, top stories, rising entities."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from sqlite_utils import Database

from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.session import cached
from newsdesk.present.dashboard.tables import table
from newsdesk.store.facts import FactFilter

THEME_COLOUR = alt.Color("theme:N", scale=alt.Scale(scheme="tableau10"))


def _signed(value: float | None, fmt: str) -> str | None:
    return None if value is None else format(value, fmt)


def render(db: Database, f: FactFilter) -> None:
    """The page that answers: what happened, and is it getting better or worse?"""
    st.title("What happened in AI and entertainment")
    st.caption(f"{f.start} to {f.end} (exclusive), against the period of equal length before it")
    kpis = cached(data.kpis, db, f)
    now, before = kpis["now"], kpis["before"]
    columns = st.columns(4)
    columns[0].metric("Articles", now["articles"], now["articles"] - before["articles"])
    columns[1].metric("Stories", now["stories"], now["stories"] - before["stories"])
    columns[2].metric("Active sources", now["sources"], now["sources"] - before["sources"])
    columns[3].metric("Mean sentiment", _signed(now["sentiment"], "+.2f") or "-",
                      _signed(kpis["sentiment_change"], "+.2f"))
    if kpis["theme_shares"]:
        st.text("Share per theme: " + ", ".join(f"{theme} {share:.0%}"
                                                 for theme, share in kpis["theme_shares"].items()))
    rows = [{"week": w["week"], "theme": theme, "articles": w["articles"], "sentiment": w["sentiment"]["mean"],
             "low": w["sentiment"]["low"], "high": w["sentiment"]["high"]}
            for theme, series in cached(data.weekly_by_theme, db, f).items() for w in series]
    if rows:
        frame = pd.DataFrame(rows)
        st.subheader("Weekly volume by theme")
        st.altair_chart(alt.Chart(frame).mark_bar().encode(
            x=alt.X("week:O", title="week of"), y=alt.Y("articles:Q"), color=THEME_COLOUR,
            tooltip=["week", "theme", "articles"]), width="stretch")
        st.subheader("Sentiment by theme (mean with 95% interval)")
        scored = frame.dropna(subset=["sentiment"])
        band = alt.Chart(scored).mark_area(opacity=0.15).encode(x="week:O", y=alt.Y("low:Q", title="sentiment"),
                                                                 y2="high:Q", color=THEME_COLOUR)
        line = alt.Chart(scored).mark_line(point=True).encode(
            x="week:O", y="sentiment:Q", color=THEME_COLOUR, tooltip=["week", "theme", "sentiment", "low", "high"])
        st.altair_chart(band + line, width="stretch")
    else:
        st.info("No themed articles match these filters.")
    st.subheader("Top stories of the period")
    top = cached(data.stories, db, f, 10)
    table([{"impact": s["impact"], "outlets": s["outlet_count"], "event": s["event_type"],
                   "themes": ", ".join(s["themes"]), "story": s["title"]} for s in top],
                 hide_index=True, width="stretch")
    st.subheader("Rising in the period's last week")
    rising = cached(data.rising, db, f)
    if rising:
        table([{"entity": r["name"], "type": r["type"], "that week": r["count"],
                       "weekly mean before": r["baseline"], "burst factor": r["factor"]} for r in rising],
                     hide_index=True)
    else:
        st.text("No entity stands out in the last week of the period.")
