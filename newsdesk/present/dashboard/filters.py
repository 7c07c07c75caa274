"""The sidebar filters every page shares, kept in the URL so a view can be shared.

URL form: ``?from=2026-09-01&to=2026-11-23&theme=labour&theme=legal&segment=film&source=3&all=1``
(``to`` is inclusive; ``all=1`` includes articles judged not relevant).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import streamlit as st
from sqlite_utils import Database

from newsdesk.present.dashboard.data import default_filter
from newsdesk.present.dashboard.navigation import PENDING_FILTERS
from newsdesk.store.facts import FactFilter, facet_names
from newsdesk.store.sources import list_sources


def _day(values: Sequence[str]) -> date | None:
    try:
        return date.fromisoformat(values[0]) if values else None
    except ValueError:
        return None


def filter_from_params(params: Mapping[str, Sequence[str]], today: date) -> FactFilter:
    """The filter a URL asks for; anything missing or malformed falls back to the default."""
    default = default_filter(today)
    first = _day(params.get("from", ())) or date.fromisoformat(default.start)
    last = _day(params.get("to", ())) or date.fromisoformat(default.end) - timedelta(days=1)
    if last < first:
        first, last = last, first
    sources = tuple(int(s) for s in params.get("source", ()) if s.isdigit())
    return FactFilter(start=first.isoformat(), end=(last + timedelta(days=1)).isoformat(),
                      themes=tuple(params.get("theme", ())), segments=tuple(params.get("segment", ())),
                      sources=sources, relevant_only=list(params.get("all", ())) != ["1"])


def params_from_filter(f: FactFilter) -> dict[str, list[str]]:
    """The URL query parameters of a filter (the inverse of ``filter_from_params``)."""
    params = {"from": [f.start], "to": [(date.fromisoformat(f.end) - timedelta(days=1)).isoformat()]}
    if f.themes:
        params["theme"] = list(f.themes)
    if f.segments:
        params["segment"] = list(f.segments)
    if f.sources:
        params["source"] = [str(s) for s in f.sources]
    if not f.relevant_only:
        params["all"] = ["1"]
    return params


FILTER_KEYS = ("f_range", "f_themes", "f_segments", "f_sources", "f_relevant")
KEPT = "kept_filters"  # a copy of the filter widgets' values that outlives a change of page


def sidebar_filters(db: Database, today: date, *, page_changed: bool = False) -> FactFilter:
    """Draw the shared filters in the sidebar (first from the URL), write them back to the URL, return them.

    ``page_changed``: this run shows another page than the last one, so the filters chosen there are restored.
    """
    state = st.session_state
    if "f_range" not in state:
        start = filter_from_params({k: st.query_params.get_all(k) for k in st.query_params}, today)
        state["f_range"] = (date.fromisoformat(start.start), date.fromisoformat(start.end) - timedelta(days=1))
        state["f_themes"], state["f_segments"] = list(start.themes), list(start.segments)
        state["f_sources"], state["f_relevant"] = list(start.sources), start.relevant_only
    if page_changed:  # Streamlit resets widget values when the page changes: put the filters back
        state.update(state.get(KEPT, {}))
    state.update(state.pop(PENDING_FILTERS, {}))  # set by a link from another page (a matrix cell)
    sources = {s.id: s.name for s in list_sources(db)}
    themes, segments = facet_names(db, "theme"), facet_names(db, "segment")
    state["f_themes"] = [t for t in state["f_themes"] if t in themes]
    state["f_segments"] = [s for s in state["f_segments"] if s in segments]
    state["f_sources"] = [s for s in state["f_sources"] if s in sources]
    bar = st.sidebar
    bar.header("Filters")
    chosen = bar.date_input("Dates", key="f_range")
    bar.multiselect("Themes", themes, key="f_themes", placeholder="All themes")
    bar.multiselect("Segments", segments, key="f_segments", placeholder="All segments")
    bar.multiselect("Sources", list(sources), key="f_sources", format_func=lambda i: sources.get(i, str(i)),
                    placeholder="All sources")
    bar.toggle("Relevant articles only", key="f_relevant")
    if isinstance(chosen, tuple):  # a range; empty while the user is still picking it
        fallback = default_filter(today)
        first, last = (chosen[0], chosen[-1]) if chosen else (
            date.fromisoformat(fallback.start), date.fromisoformat(fallback.end) - timedelta(days=1))
    else:
        first = last = chosen
    f = FactFilter(start=first.isoformat(), end=(last + timedelta(days=1)).isoformat(),
                   themes=tuple(state["f_themes"]), segments=tuple(state["f_segments"]),
                   sources=tuple(state["f_sources"]), relevant_only=bool(state["f_relevant"]))
    st.query_params.from_dict(params_from_filter(f))
    state[KEPT] = {key: state[key] for key in FILTER_KEYS}
    return f
