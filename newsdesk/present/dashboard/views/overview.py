"""Overview: the last complete week's top stories and what changed, then the period's KPIs, weekly
volume and sentiment by theme, and rising entities."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def _story_card(story: dict[str, Any]) -> None:
    with st.container(border=True, key=f"card-{story['id']}"):
        st.markdown(f"**{escape_markdown(story['title'])}**")
        st.caption(escape_markdown(
            f"{_plural(story['outlets'], 'outlet')} · {_plural(story['articles'], 'article')} · themes: "
            f"{', '.join(story['themes']) or 'none'} · sentiment: {story['sentiment']} · event: {story['event_type']}"))
        st.markdown(escape_markdown(" ".join(story["summary"])))
        st.caption(escape_markdown("Coverage: " + ", ".join(link["outlet"] for link in story["links"])))
        if st.button("Open story", key=f"open-{story['id']}"):
            open_page("stories", story=story["id"])


def _storylines(title: str, rows: list[dict[str, Any]], describe: Any) -> None:  # noqa: ANN401
    st.markdown(f"**{title}**")
    if not rows:
        st.caption("None.")
    for row in rows:
        st.markdown("- " + escape_markdown(describe(row)))


def render(db: Database, f: FactFilter) -> None:
    """The page that answers: what happened, and is it getting better or worse?"""
    st.title("What happened in AI and entertainment")
    today = utc_now().date()
    monday = data.last_complete_monday(f, today)
    week = cached(data.week_stories, db, f, monday)
    st.subheader(f"Top stories of the week of {monday}")
    if week["stories"]:
        columns = st.columns(2)
        for n, story in enumerate(week["stories"]):
            with columns[n % 2]:
                _story_card(story)
    else:
        st.info("No story that week matches these filters.")
    st.subheader("What changed that week")
    changes = week["changes"]
    new, continuing, quiet = st.columns(3)
    with new:
        _storylines("New storylines", changes["new"],
                    lambda s: f"{s['title']} ({_plural(s['outlets'], 'outlet')}, {s['event_type']})")
    with continuing:
        _storylines("Continuing", changes["continuing"],
                    lambda s: s["title"] + (f" ({s['from']} → {s['to']})" if s["advanced"] else f" ({s['to']})"))
    with quiet:
        _storylines("Gone quiet", changes["quiet"], lambda s: f"{s['title']} (last seen {s['last_seen']})")
    st.divider()
    st.subheader("The period in figures")
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
    current = (today - timedelta(days=today.weekday())).isoformat()
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
        scored = frame[~frame["week"].str.endswith("(to date)")].dropna(subset=["sentiment"])
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
        st.caption(f"One small chart per theme. Faded points: fewer than {FEW_ARTICLES} articles that week. "
                   "A week still under way is left out.")
    else:
        st.info("No themed articles match these filters.")
    st.subheader(f"Rising in the week of {monday}")
    rising = cached(data.rising, db, f, monday)
    if rising:
        table([{"entity": r["name"], "kind": kind_label(r["type"]), "that week": r["count"],
                "weekly mean before": r["baseline"], "burst factor": r["factor"]} for r in rising],
              hide_index=True)
    else:
        st.text("No entity stands out that week.")
