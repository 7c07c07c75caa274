"""The newsdesk dashboard (Streamlit). Run: streamlit run app.py

A minimal first page: the latest stored articles and a full-text search. Feed text is
shown as data (st.dataframe) or plain text, never as HTML.
"""

from __future__ import annotations

import streamlit as st

from newsdesk.config import load_settings
from newsdesk.errors import NewsdeskError
from newsdesk.store import open_db
from newsdesk.store.articles import count_articles, latest_articles, search_articles


@st.cache_resource
def _database(path: str):  # noqa: ANN202 (sqlite_utils.Database)
    """One connection per database file (the path is the cache key, so a new NEWSDESK_DB gets its own)."""
    return open_db(path)


def articles_page() -> None:
    """Latest articles, or the results of a full-text search."""
    st.title("newsdesk")
    try:
        db = _database(str(load_settings().db_path))
    except NewsdeskError as exc:
        st.error(str(exc))
        return
    total = count_articles(db)
    if total == 0:
        st.info("The database is empty. Run `./dev demo` (or `newsdesk demo`) for sample news, "
                "or add feeds with `newsdesk sources add URL` and `newsdesk crawl`.")
        return
    query = st.text_input("Search articles", key="q")
    rows = search_articles(db, query, limit=200) if query else latest_articles(db, limit=200)
    st.caption(f"{len(rows)} shown of {total} articles")
    safe_rows = [{**row, "url": row["url"] if row["url"].startswith(("http://", "https://")) else None} for row in rows]
    st.dataframe(
        safe_rows,
        column_order=["published_at", "source", "title", "url"],
        column_config={"url": st.column_config.LinkColumn("link", display_text="open")},
        hide_index=True,
        width="stretch",
    )


st.set_page_config(page_title="newsdesk", layout="wide")
st.navigation([st.Page(articles_page, title="Articles", default=True)]).run()
