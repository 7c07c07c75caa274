"""The dashboard, headless through Streamlit's AppTest: the app's router and each page on demo data."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from newsdesk.config import Settings
from newsdesk.store import open_db
from pipelines.analyse import run_analyse
from pipelines.demo import run_demo
from pipelines.enrich import run_enrich

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("app") / "demo.db"
    db = open_db(path)
    run_demo(Settings(), db, now=datetime.now(UTC), port=0)
    run_enrich(Settings(), db)
    run_analyse(Settings(), db)
    db.close()
    return path


@pytest.fixture
def demo_db(demo_template, db_path):
    shutil.copy(demo_template, db_path)
    return db_path


def _render_page(page: str, db_path: str) -> None:
    from newsdesk.present.dashboard import pages
    from newsdesk.store import open_db

    getattr(pages, page)(open_db(db_path))


def _page_script(page: str, db_path: str):
    return AppTest.from_function(_render_page, args=(page, db_path), default_timeout=60)


def test_overview_is_the_default_page_with_charts_stories_and_kpis(demo_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["Articles, last 4 weeks", "Stories, last 4 weeks",
                                            "Mean sentiment, last 4 weeks"]
    assert int(at.metric[0].value) > 0
    subheaders = [s.value for s in at.subheader]
    assert "Weekly volume by theme" in subheaders and "Top stories of the last 4 weeks" in subheaders
    assert len(at.dataframe) >= 1 and len(at.dataframe[0].value) > 0


def test_articles_page_searches_and_keeps_hostile_titles_as_text(demo_db):
    at = _page_script("articles_page", str(demo_db)).run()
    assert not at.exception
    at.text_input(key="q").input("memo").run()
    titles = list(at.dataframe[0].value["title"])
    assert any(t.startswith("<script>alert('newsdesk-xss')</script>") for t in titles)
    assert at.caption[0].value.startswith(f"{len(titles)} shown")
    links = [u for u in at.dataframe[0].value["url"] if u]
    assert links and all(u.startswith(("http://", "https://")) for u in links)


def test_stories_page_shows_a_story_and_its_articles(demo_db):
    at = _page_script("stories_page", str(demo_db)).run()
    assert not at.exception
    options = at.selectbox(key="story").options
    lionsgate = next(o for o in options if "Lionsgate" in o and "Runway" in o)
    at.selectbox(key="story").select(lionsgate).run()
    articles = at.dataframe[1].value
    assert len(articles) >= 4 and articles["outlet"].nunique() >= 4
    assert "breadth" in at.text[0].value


def test_empty_database_says_how_to_start(db_path):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "./dev demo" in at.info[0].value
