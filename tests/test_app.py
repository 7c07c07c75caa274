"""The minimal dashboard page, headless through Streamlit's AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from newsdesk.models import Article
from newsdesk.store import open_db
from newsdesk.store.articles import upsert_articles
from newsdesk.store.sources import add_source

APP = str(Path(__file__).resolve().parents[1] / "app.py")
NOW = "2026-11-24T10:00:00Z"


def _seed(path: Path) -> None:
    db = open_db(path)
    source = add_source(db, "https://a.example/feed", name="Trade")
    rows = []
    for n, title in enumerate(["<script>alert(1)</script> Studio memo on AI", "Union wins digital replica consent",
                               "Box office weekend"]):
        rows.append(Article(id=f"id{n}", source_id=source.id, guid=f"g{n}", url=f"https://a.example/{n}",
                            canonical_url=f"https://a.example/{n}", title=title, summary="", summary_html="",
                            content="", author=None, published_at=NOW, published_raw=None, fetched_at=NOW,
                            content_hash=title))
    upsert_articles(db, rows, now=NOW)
    db.close()


def test_lists_articles_and_search_filters_them(db_path):
    _seed(db_path)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.caption[0].value.startswith("3 shown of 3")
    table = at.dataframe[0].value
    assert "<script>alert(1)</script> Studio memo on AI" in list(table["title"])
    at.text_input(key="q").input("replica").run()
    assert at.caption[0].value.startswith("1 shown")
    assert not any(getattr(m, "unsafe_allow_html", False) for m in at.markdown)


def test_empty_database_says_how_to_start(db_path):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "./dev demo" in at.info[0].value
