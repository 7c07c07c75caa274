"""Links between pages: a page opens another with some of its widgets preset (a story, an entity, a search)."""

from __future__ import annotations

from typing import Any

import streamlit as st

_PAGES: dict[str, Any] = {}  # url path -> st.Page, registered by the app on every run


def register(pages: dict[str, Any]) -> None:
    """Remember this run's pages by url path."""
    _PAGES.clear()
    _PAGES.update(pages)


PENDING_FILTERS = "pending_filters"


def open_page(path: str, *, filters: dict[str, Any] | None = None, **preset: Any) -> None:  # noqa: ANN401
    """Set the named widgets' values (session state keys) and switch to the page at ``path``.

    ``filters`` are sidebar filter values (f_themes, f_segments, ...): the sidebar is already drawn in
    this run, so they wait in the session for the next run, which applies them before drawing it.
    """
    for key, value in preset.items():
        st.session_state[key] = value
    if filters:
        st.session_state[PENDING_FILTERS] = filters
    st.switch_page(_PAGES[path])
