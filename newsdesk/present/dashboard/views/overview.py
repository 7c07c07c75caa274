"""Overview: KPIs for the period, weekly volume and sentiment by theme, top stories, rising entities."""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st
from sqlite_utils import Database

from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.session import cached
from newsdesk.present.dashboard.tables import table
from newsdesk.present.palette import theme_colours
from newsdesk.store.facts import FactFilter

FEW_ARTICLES = 5  # a weekly mean from fewer articles is drawn faded: one article can swing it to -1
WEEK_AXIS = alt.X("week:O", title="week of", axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))


def theme_colour(themes: list[str], *, legend: bool = True) -> alt.Color:
    """The same colour per theme as the briefing's charts."""
    colours = theme_colours(themes)
    return alt.Color("theme:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                     legend=alt.Legend(symbolSize=150, symbolStrokeWidth=0) if legend else None)


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
    current = (date.today() - timedelta(days=date.today().weekday())).isoformat()
    rows = [{"week": f"{w['week']} (to date)" if w["week"] >= current else w["week"], "theme": theme,
             "articles": w["articles"], "sentiment": w["sentiment"]["mean"],
             "low": w["sentiment"]["low"], "high": w["sentiment"]["high"]}
            for theme, series in cached(data.weekly_by_theme, db, f).items() for w in series]
    if rows:
        frame = pd.DataFrame(rows)
        colour = theme_colour(sorted(frame["theme"].unique()))
        st.subheader("Weekly volume by theme")
        st.caption("An article with several themes counts once in each of them, so the stacks add up to more "
                   "than the number of articles.")
        st.altair_chart(alt.Chart(frame).mark_bar().encode(
            x=WEEK_AXIS, y=alt.Y("articles:Q", axis=alt.Axis(format=",d", tickMinStep=1)), color=colour,
            tooltip=["week", "theme", alt.Tooltip("articles:Q", format=",d")]), width="stretch")
        st.subheader("Sentiment by theme (mean with 95% interval)")
        scored = frame.dropna(subset=["sentiment"])
        colour = theme_colour(sorted(frame["theme"].unique()), legend=False)  # each small chart is titled
        base = alt.Chart(scored).encode(x=alt.X("week:O", title=None, axis=alt.Axis(labelAngle=0,
                                                                                     labelOverlap="greedy")))
        band = base.mark_area(opacity=0.15).encode(
            y=alt.Y("low:Q", title="sentiment", scale=alt.Scale(domain=[-1, 1])), y2="high:Q", color=colour)
        line = base.mark_line(point=True).encode(
            y="sentiment:Q", color=colour,
            opacity=alt.condition(f"datum.articles >= {FEW_ARTICLES}", alt.value(1.0), alt.value(0.3)),
            tooltip=["week", "theme", alt.Tooltip("sentiment:Q", format="+.2f"), "articles", "low", "high"])
        st.altair_chart(alt.layer(band, line).properties(height=160).facet(
            facet=alt.Facet("theme:N", title=None), columns=2), width="stretch")
        st.caption(f"One small chart per theme. Faded points: fewer than {FEW_ARTICLES} articles that week.")
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
