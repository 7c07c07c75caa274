"""The dashboard pages. Feed text goes through st.dataframe or st.text, never through HTML."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from sqlite_utils import Database

from newsdesk.analyse.weeks import week_of
from newsdesk.clock import utc_now
from newsdesk.present.dashboard import data
from newsdesk.store.articles import count_articles, latest_articles, search_articles


def _safe_link(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def overview_page(db: Database) -> None:
    """KPIs, weekly volume by theme, sentiment over time, top stories and rising entities."""
    st.title("What happened in AI and entertainment")
    view = data.overview(db, week_of(utc_now()))
    last, previous = view.volume[-4:], view.volume[-8:-4]
    articles_now, articles_before = sum(w["articles"] for w in last), sum(w["articles"] for w in previous)
    scored = [w["sentiment"]["mean"] for w in last if w["sentiment"]["mean"] is not None]
    columns = st.columns(3)
    columns[0].metric("Articles, last 4 weeks", articles_now, articles_now - articles_before)
    columns[1].metric("Stories, last 4 weeks", sum(w["stories"] for w in last))
    columns[2].metric("Mean sentiment, last 4 weeks", f"{sum(scored) / len(scored):+.2f}" if scored else "-")
    rows = [{"week": w["week"], "theme": theme, "articles": w["articles"], "sentiment": w["sentiment"]["mean"],
             "low": w["sentiment"]["low"], "high": w["sentiment"]["high"]}
            for theme, series in view.by_theme.items() for w in series]
    if rows:
        frame = pd.DataFrame(rows)
        st.subheader("Weekly volume by theme")
        st.altair_chart(alt.Chart(frame).mark_bar().encode(x="week:O", y="articles:Q", color="theme:N"),
                        width="stretch")
        st.subheader("Sentiment by theme (mean with 95% interval)")
        scored_frame = frame.dropna(subset=["sentiment"])
        band = alt.Chart(scored_frame).mark_area(opacity=0.2).encode(x="week:O", y="low:Q", y2="high:Q", color="theme:N")
        line = alt.Chart(scored_frame).mark_line(point=True).encode(x="week:O", y="sentiment:Q", color="theme:N")
        st.altair_chart(band + line, width="stretch")
    st.subheader("Top stories of the last 4 weeks")
    st.dataframe([{"impact": s["impact"], "outlets": s["outlet_count"], "event": s["event_type"],
                   "themes": ", ".join(s["themes"]), "story": s["title"]} for s in view.top_stories],
                 hide_index=True, width="stretch")
    st.subheader("Rising this week")
    if view.rising:
        st.dataframe([{"entity": r["name"], "this week": r["count"], "factor": r["factor"]} for r in view.rising],
                     hide_index=True)
    else:
        st.text("No entity stands out this week.")


def stories_page(db: Database) -> None:
    """Stories ranked by impact; pick one to see its articles per outlet."""
    st.title("Stories")
    rows = data.stories(db)
    if not rows:
        st.info("No stories yet: run `newsdesk analyse`.")
        return
    st.dataframe([{"impact": s["impact"], "articles": s["article_count"], "outlets": s["outlet_count"],
                   "first seen": s["first_seen"][:10], "event": s["event_type"], "themes": ", ".join(s["themes"]),
                   "story": s["title"]} for s in rows], hide_index=True, width="stretch")
    labels = {f"{s['title']} ({s['first_seen'][:10]})": s for s in rows}
    chosen = labels[st.selectbox("Story", list(labels), key="story")]
    st.text(f"Impact {chosen['impact']:.0f}: " + ", ".join(f"{k} {v:.2f}" for k, v in chosen["impact_components"].items()))
    st.dataframe([{"published": a["published_at"][:16], "outlet": a["outlet"], "title": a["title"],
                   "link": _safe_link(a["url"])} for a in data.story_articles(db, chosen["id"])],
                 column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
                 hide_index=True, width="stretch")


def articles_page(db: Database) -> None:
    """Latest articles, or the results of a full-text search."""
    st.title("Articles")
    query = st.text_input("Search articles", key="q")
    rows = search_articles(db, query, limit=200) if query else latest_articles(db, limit=200)
    st.caption(f"{len(rows)} shown of {count_articles(db)} articles")
    st.dataframe(
        [{**row, "url": _safe_link(row["url"])} for row in rows],
        column_order=["published_at", "source", "title", "url"],
        column_config={"url": st.column_config.LinkColumn("link", display_text="open")},
        hide_index=True,
        width="stretch",
    )
