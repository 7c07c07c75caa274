"""Impact matrix: segments x themes, coloured by mean sentiment, labelled by volume, with change."""

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
    """Where AI news lands: which segment, which theme, and in what tone."""
    st.title("Impact matrix")
    cells = cached(data.matrix, db, f)
    if not cells:
        st.info("No article with both a segment and a theme matches these filters.")
        return
    frame = pd.DataFrame(cells)
    base = alt.Chart(frame).encode(x=alt.X("theme:N", title=None), y=alt.Y("segment:N", title=None))
    heat = base.mark_rect().encode(
        color=alt.Color("mean_sentiment:Q", title="mean sentiment",
                        scale=alt.Scale(scheme="redblue", domain=[-1, 1])),
        tooltip=["segment", "theme", "articles", "mean_sentiment", "previous_articles", "volume_change",
                 "sentiment_change"])
    labels = base.mark_text(fontSize=13).encode(text="articles:Q")
    st.altair_chart(heat + labels, width="stretch")
    st.caption("Colour: mean sentiment (red negative, blue positive). Number: articles. "
               "Changes compare with the period of equal length before.")
    table(frame.rename(columns={"mean_sentiment": "sentiment", "previous_articles": "articles before",
                                "volume_change": "volume change", "sentiment_change": "sentiment change"}),
          hide_index=True, width="stretch")
