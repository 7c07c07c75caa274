"""Briefings: the weekly briefings generated so far, to read and to download."""

from __future__ import annotations

import streamlit as st
from sqlite_utils import Database

from newsdesk.present.dashboard.tables import table
from newsdesk.store.briefings import get_briefing, list_briefings
from newsdesk.store.facts import FactFilter


def render(db: Database, f: FactFilter) -> None:  # noqa: ARG001 (briefings are per week, not filtered)
    """List, preview and download briefings."""
    st.title("Briefings")
    listed = list_briefings(db)
    if not listed:
        st.info("No briefing yet. Write one with `newsdesk briefing` (the demo writes the latest week's).")
        return
    weeks = [b["week"] for b in listed]
    table(listed, hide_index=True, width="stretch")
    week = st.selectbox("Briefing", weeks, key="briefing")
    briefing = get_briefing(db, week)
    columns = st.columns(4)
    columns[0].download_button("Markdown", briefing["markdown"], f"newsdesk-{week}.md", "text/markdown")
    columns[1].download_button("HTML", briefing["html"], f"newsdesk-{week}.html", "text/html")
    columns[2].download_button("JSON", briefing["json"], f"newsdesk-{week}.json", "application/json")
    with columns[3]:
        _pdf_button(briefing["html"], week)
    st.divider()
    st.markdown(briefing["markdown"])  # written by newsdesk, feed text escaped; raw HTML is not rendered


@st.cache_data(max_entries=8, show_spinner="Making the PDF...")
def _pdf(html: str) -> bytes | str:
    """The PDF of a briefing page, or why it cannot be made (WeasyPrint takes about a second: on demand only)."""
    from newsdesk.present.briefing.pdf import PdfUnavailable, render_pdf

    try:
        return render_pdf(html)
    except PdfUnavailable as exc:
        return str(exc)


def _pdf_button(html: str, week: str) -> None:
    if not st.session_state.get(f"pdf_{week}") and not st.button("Make PDF", key=f"make_pdf_{week}"):
        return
    st.session_state[f"pdf_{week}"] = True
    pdf = _pdf(html)
    if isinstance(pdf, str):
        st.caption(pdf)
        return
    st.download_button("PDF", pdf, f"newsdesk-{week}.pdf", "application/pdf")
