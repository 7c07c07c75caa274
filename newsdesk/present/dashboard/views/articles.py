"""Articles: full-text search within the filters, one article's judgements with evidence, and corrections."""

from __future__ import annotations

import streamlit as st
from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now
from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.correction import correction_form, reviewer
from newsdesk.present.dashboard.session import cached
from newsdesk.present.dashboard.tables import csv_text, table
from newsdesk.present.markdown import escape_markdown, markdown_link, safe_url
from newsdesk.store.articles import delete_article
from newsdesk.store.facts import RANKED_AT_MOST, SORTS, FactFilter
from newsdesk.store.search_query import MARK_END, MARK_START

SHOWN = 200
SNIPPETS = 10  # matches shown with their highlighted snippet above the table


def render(db: Database, f: FactFilter) -> None:
    """Search, read the evidence, correct the judgement."""
    st.title("Articles")
    query_column, sort_column = st.columns([4, 1])
    query = query_column.text_input(
        'Search articles (every word and "quoted phrase" must occur, within the filters)', key="q")
    sort = sort_column.selectbox("Sort", SORTS, key="q_sort", format_func=lambda s: {
        "relevance": "best match", "newest": "newest first"}[s], disabled=not query.strip())
    rows = cached(data.articles, db, f, query, sort, shared=not query.strip())
    if query.strip():
        total = cached(data.article_matches, db, f, query, shared=False)
        caption = f"{total:,} match{'es' * (total != 1)}" + (f"; the first {len(rows)} shown" if total > len(rows)
                                                              else "")
        if sort == "relevance" and total > RANKED_AT_MOST:
            caption += f" (the best of the newest {RANKED_AT_MOST:,})"
        st.caption(caption)
    else:
        st.caption(f"The {len(rows)} newest articles within the filters" + (" (at most 200)" if len(rows) == SHOWN
                                                                             else ""))
    if not rows:
        st.info("No article matches. Change the search or the filters.")
        return
    if query.strip():
        for row in rows[:SNIPPETS]:
            st.markdown(f"{markdown_link(row['title'], row['url'])} · {escape_markdown(row['source'])}, "
                        f"{row['published_at'][:10]}  \n" + _snippet_markdown(row.get("snippet") or ""))
    export = [{"published": r["published_at"][:16], "source": r["source"], "title": r["title"],
               "themes": ", ".join(r["themes"]), "sentiment": r["sentiment"], "url": safe_url(r["url"])}
              for r in rows]
    table(export, column_config={"url": st.column_config.LinkColumn("link", display_text="open")},
          hide_index=True, width="stretch")
    st.download_button("Download these articles as CSV", csv_text(export), file_name="newsdesk-articles.csv",
                       mime="text/csv", key="csv")
    by_id = {r["id"]: r for r in rows}
    chosen = st.selectbox("Article", list(by_id), key="article",
                          format_func=lambda i: f"{by_id[i]['title']} ({by_id[i]['source']})")
    _article(db, chosen)


def _snippet_markdown(snippet: str) -> str:
    """A snippet as Markdown: the text escaped, each match in bold."""
    return escape_markdown(snippet).replace(MARK_START, "**").replace(MARK_END, "**")


def _article(db: Database, article_id: str) -> None:
    item = data.article(db, article_id)  # not cached: it shows the corrections just made
    if item is None:
        st.warning("That article is gone.")
        return
    st.markdown("### " + markdown_link(item["title"], item["url"]))
    st.text(f"{item['outlet']}, {item['published_at'][:16].replace('T', ' ')} UTC")
    if item["model_version"] is None:
        st.text("Not enriched yet: run `newsdesk enrich`.")
        return
    st.text(f"Relevant: {'yes' if item['relevant'] else 'no'} ({item['relevance']:.2f})   "
            f"Sentiment: {item['sentiment']} ({item['sentiment_score']:+.2f})   "
            f"Segments: {', '.join(item['segments']) or '-'}")
    table([{"judgement": key, "evidence": _evidence_text(value)} for key, value in item["evidence"].items()],
          hide_index=True, width="stretch")
    if item["entities"]:
        table([{"entity": e["name"], "type": e["type"], "as written": e["text"]} for e in item["entities"]],
              hide_index=True, width="stretch")
    else:
        st.text("No entity named.")
    _corrections(db, item)
    _delete(db, item)


def _evidence_text(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_evidence_text(inner)}" for key, inner in value.items())
    if isinstance(value, list):
        return ", ".join(_evidence_text(v) for v in value)
    return str(value)


def _corrections(db: Database, item: dict) -> None:
    st.subheader("Correct this judgement")
    if message := st.session_state.pop("fb_saved", None):
        st.success(escape_markdown(message) + " `newsdesk train` will learn from it.")
    if correction_form(db, item, who=reviewer()):
        st.rerun()
    if item["labels"]:
        st.caption(escape_markdown(f"{len(item['labels'])} earlier correction(s), latest by "
                                   f"{item['labels'][-1]['who']}"))


def _delete(db: Database, item: dict) -> None:
    with st.expander("Delete this article"):
        st.caption("It goes with its judgements and corrections; a tombstone keeps later crawls from storing it "
                   "again.")
        sure = st.checkbox("Yes, delete it", key=f"delete_sure_{item['id']}")
        if st.button("Delete", key=f"delete_{item['id']}", disabled=not sure):
            deleted = delete_article(db, item["id"], at=to_iso(utc_now()))
            st.session_state["fb_saved"] = f"Deleted “{deleted['title'][:80]}”."
            st.rerun()
