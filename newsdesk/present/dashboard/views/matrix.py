"""Impact matrix: industry segments, or stakeholders, by theme; coloured by impact, volume or sentiment.

Rows come in order of volume, the colour's strength follows the chosen measure, each cell reads
"articles (change on the period before)", and a cell opens its articles on the Articles page.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from sqlite_utils import Database

from newsdesk.models import INDUSTRY_SEGMENTS, STAKEHOLDERS
from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.navigation import open_page
from newsdesk.present.dashboard.session import cached
from newsdesk.present.dashboard.tables import table
from newsdesk.store.facts import FactFilter

ROWS = {"Industry segments": INDUSTRY_SEGMENTS, "Stakeholders": STAKEHOLDERS}
MEASURES = {
    "Impact": ("impact:Q", "impact (of the stories there)", alt.Scale(scheme="oranges")),
    "Volume": ("articles:Q", "articles", alt.Scale(scheme="blues")),
    "Sentiment": ("mean_sentiment:Q", "mean sentiment", alt.Scale(scheme="redblue", domain=[-1, 1])),
}


def signed_percent(change: float | None) -> str:
    """A change as a signed percentage: +50%, -20%, or 'new' when there was nothing before."""
    return "new" if change is None or pd.isna(change) else f"{change:+.0%}"


def cell_frame(cells: list[dict[str, Any]], names: tuple[str, ...]) -> pd.DataFrame:
    """The cells whose row is one of ``names``, rows ordered by volume, with their labels."""
    frame = pd.DataFrame([c for c in cells if c["segment"] in names])
    if frame.empty:
        return frame
    frame = frame.rename(columns={"segment": "row"})
    frame["change"] = frame["volume_change"].map(signed_percent)
    frame["label"] = frame["articles"].map("{:,}".format) + " (" + frame["change"] + ")"
    return frame


def render(db: Database, f: FactFilter) -> None:
    """Where AI news lands: which segment or stakeholder, which theme, with what impact and tone."""
    st.title("Impact matrix")
    rows_choice, measure_choice = st.columns(2)
    rows_name = rows_choice.radio("Rows", list(ROWS), horizontal=True, key="m_rows")
    measure = measure_choice.radio("Colour", list(MEASURES), horizontal=True, key="m_measure")
    frame = cell_frame(cached(data.matrix, db, f), ROWS[rows_name])
    if frame.empty:
        st.info(f"No article with both a theme and one of these {rows_name.lower()} matches these filters.")
        return
    order = frame.groupby("row")["articles"].sum().sort_values(ascending=False).index.tolist()
    field, title, scale = MEASURES[measure]
    cell = alt.selection_point(fields=["row", "theme"], name="cell")
    base = alt.Chart(frame).encode(x=alt.X("theme:N", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
                                   y=alt.Y("row:N", title=None, sort=order))
    colour = alt.Color(field, title=title, scale=scale)
    heat = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=colour,
        opacity=alt.Opacity("articles:Q", legend=None, scale=alt.Scale(range=[0.35, 1]))
        if measure == "Sentiment" else alt.value(1),
        tooltip=["row", "theme", alt.Tooltip("articles:Q", format=","), alt.Tooltip("impact:Q", format=".1f"),
                 alt.Tooltip("mean_sentiment:Q", format="+.2f"), "change"]).add_params(cell)
    labels = base.mark_text(fontSize=13).encode(text="label:N")
    event = st.altair_chart((heat + labels).properties(height=48 * len(order)), width="stretch",
                            on_select="rerun", selection_mode="cell", key="matrix_chart")
    st.caption({"Impact": "Colour: the impact of the stories in each cell. ",
                "Volume": "Colour: the number of articles. ",
                "Sentiment": "Colour: mean sentiment (red negative, blue positive); paler cells hold fewer articles. "}
               [measure] + "Each cell: articles (change on the period of equal length before). "
                           "Click a cell to open its articles.")
    picked = (event.selection.get("cell") or [None])[0] if event and event.selection else None
    cells = [f"{r} × {t}" for r, t in zip(frame["row"], frame["theme"], strict=True)]
    chosen = f"{picked['row']} × {picked['theme']}" if picked else None
    choice = st.selectbox("Open the articles of a cell", cells, index=cells.index(chosen) if chosen in cells else None,
                          key="m_cell", placeholder="Pick a cell")
    if choice is not None and st.button(f"Open the articles about {choice}", key="m_open"):
        row, theme = choice.split(" × ")
        open_page("articles", filters={"f_segments": [row], "f_themes": [theme]})
    frame = frame.assign(rank=frame["row"].map(order.index)).sort_values(["rank", "articles"], ascending=[True, False])
    table(frame[["row", "theme", "articles", "change", "impact", "mean_sentiment", "previous_articles"]].rename(
        columns={"row": rows_name.lower()[:-1], "mean_sentiment": "sentiment", "previous_articles": "articles before"}),
        hide_index=True, width="stretch")
