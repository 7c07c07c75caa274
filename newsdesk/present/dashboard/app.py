"""The dashboard app: a router whose sidebar filters (kept in the URL) every page shares.

Run it with ``newsdesk dashboard`` (which serves this file) or ``streamlit run app.py`` in a checkout.
Each page is a module of ``views/`` (not ``pages/``: Streamlit would list a ``pages/`` folder beside
its script as pages of its own). Feed text is shown as data or escaped text, never as HTML.
Read-only except for the corrections made on the Articles and Review pages.
"""

from __future__ import annotations

import streamlit as st

from newsdesk.clock import utc_now
from newsdesk.config import load_settings
from newsdesk.errors import NewsdeskError
from newsdesk.present.dashboard.filters import sidebar_filters
from newsdesk.present.dashboard.navigation import register
from newsdesk.present.dashboard.session import database
from newsdesk.present.dashboard.sign_in import require_sign_in
from newsdesk.present.dashboard.views import (
    articles,
    briefings,
    entities,
    matrix,
    overview,
    review,
    sources,
    stories,
    watchlists,
)
from newsdesk.store.articles import count_articles
from newsdesk.store.facts import FactFilter, date_range

PAGES = [  # (module, title, url path)
    (overview, "Overview", "overview"),
    (stories, "Stories", "stories"),
    (articles, "Articles", "articles"),
    (entities, "Entities", "entities"),
    (matrix, "Impact matrix", "matrix"),
    (sources, "Sources", "sources"),
    (briefings, "Briefings", "briefings"),
    (review, "Review", "review"),
    (watchlists, "Watchlists", "watchlists"),
]
EMPTY = ("The database is empty. Run `./dev demo` (or `newsdesk demo`) for a few months of sample news, "
         "or add feeds with `newsdesk sources add URL` (or `newsdesk sources import feeds.opml`), "
         "then `newsdesk crawl`, `newsdesk enrich` and `newsdesk analyse`.")


def _page(module, db, current: dict[str, FactFilter]):  # noqa: ANN001, ANN202
    def page() -> None:
        module.render(db, current["filter"])

    page.__name__ = module.__name__.rsplit(".", 1)[-1]
    return page


def main() -> None:
    """One run of the app script."""
    st.set_page_config(page_title="newsdesk", layout="wide")
    try:
        db = database(str(load_settings().db_path))
    except NewsdeskError as exc:
        st.error(str(exc))
        return
    if not require_sign_in(db):
        return
    if count_articles(db) == 0:
        st.title("newsdesk")
        st.info(EMPTY)
        return
    if date_range(db) is None:
        st.warning("No article has been judged yet, so the figures below are empty: run `newsdesk enrich`, "
                   "then `newsdesk analyse` (or leave `newsdesk schedule` running, which does both).")
    current: dict[str, FactFilter] = {}  # the filter, known once the sidebar is drawn
    pages = {path: st.Page(_page(module, db, current), title=title, url_path=path, default=(path == "overview"))
             for module, title, path in PAGES}
    register(pages)
    chosen = st.navigation(list(pages.values()))
    page_changed = st.session_state.get("page") not in (None, chosen.url_path)
    st.session_state["page"] = chosen.url_path
    current["filter"] = sidebar_filters(db, utc_now().date(), page_changed=page_changed)
    chosen.run()


if __name__ == "__main__":  # Streamlit runs its script as __main__ (``newsdesk dashboard``)
    main()
