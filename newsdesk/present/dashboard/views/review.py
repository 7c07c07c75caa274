"""Review: the articles the model is least sure about, each confirmed or corrected in one click, and
the latest corrections with undo. `newsdesk train` learns from what is recorded here."""

from __future__ import annotations

import streamlit as st
from sqlite_utils import Database

from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.correction import correction_form, reviewer
from newsdesk.present.markdown import escape_markdown, markdown_link
from newsdesk.store.enrichments import remove_label
from newsdesk.store.facts import FactFilter


def render(db: Database, f: FactFilter) -> None:
    """The least sure judgements of the period, then recent corrections."""
    st.title("Review")
    st.caption("The articles of the period whose judgement is closest to a decision threshold and that nobody "
               "has reviewed yet. Confirm or correct each; `newsdesk train` learns from your corrections.")
    who = reviewer()
    if message := st.session_state.pop("fb_saved", None):
        st.success(escape_markdown(message))
    rows = data.to_review(db, f)  # not cached: each save changes the list
    if not rows:
        st.info("Nothing left to review in this period. Widen the dates in the sidebar.")
    for row in rows:
        with st.container(border=True):
            st.markdown("#### " + markdown_link(row["title"], row["url"]))
            scores = "  ".join(f"{theme} {score:.2f}" for theme, score in sorted(row["theme_scores"].items()))
            st.text(f"{row['outlet']}, {row['published_at'][:10]}   relevance {row['relevance']:.2f}   "
                    f"themes: {scores or '-'}   (distance from a threshold: {row['margin']:.2f})")
            if row["summary"]:
                st.text(row["summary"][:400])
            if correction_form(db, row, who=who):
                st.rerun()
    _recent(db)


def _recent(db: Database) -> None:
    st.subheader("Recent corrections")
    labels = data.corrections(db)
    if not labels:
        st.caption("None yet.")
        return
    for label in labels:
        text, undo = st.columns([6, 1])
        value = ", ".join(label["value"]) if isinstance(label["value"], list) else str(label["value"]).lower()
        text.text(f"{label['created_at'][:16].replace('T', ' ')}  {label['who']}: {label['field']} = {value or 'none'}"
                  f"  ({label['title'][:70]})")
        if undo.button("Undo", key=f"undo_{label['id']}"):
            remove_label(db, label["id"])
            st.session_state["fb_saved"] = f"Undid {label['field']} of “{label['title'][:60]}”"
            st.rerun()
