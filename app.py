"""The newsdesk dashboard (Streamlit). Run: streamlit run app.py

A router: each page lives in newsdesk/present/dashboard/pages.py. Feed text is shown as data
(st.dataframe) or plain text, never as HTML.
"""

from __future__ import annotations

import streamlit as st

from newsdesk.config import load_settings
from newsdesk.errors import NewsdeskError
from newsdesk.present.dashboard import pages
from newsdesk.store import open_db
from newsdesk.store.articles import count_articles


@st.cache_resource
def _database(path: str):  # noqa: ANN202 (sqlite_utils.Database)
    """One connection per database file (the path is the cache key, so a new NEWSDESK_DB gets its own)."""
    return open_db(path)


def _page(render):  # noqa: ANN001, ANN202
    def page() -> None:
        try:
            db = _database(str(load_settings().db_path))
        except NewsdeskError as exc:
            st.error(str(exc))
            return
        if count_articles(db) == 0:
            st.title("newsdesk")
            st.info("The database is empty. Run `./dev demo` (or `newsdesk demo`) for sample news, "
                    "or add feeds with `newsdesk sources add URL` and `newsdesk crawl`.")
            return
        render(db)

    page.__name__ = render.__name__
    return page


st.set_page_config(page_title="newsdesk", layout="wide")
st.navigation([
    st.Page(_page(pages.overview_page), title="Overview", default=True),
    st.Page(_page(pages.stories_page), title="Stories", url_path="stories"),
    st.Page(_page(pages.articles_page), title="Articles", url_path="articles"),
]).run()
