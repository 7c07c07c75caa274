"""The dashboard, headless through Streamlit's AppTest: the router with its shared filters, and every
page on demo data (filters change results, hostile text stays text, feedback writes a label)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from newsdesk.clock import utc_now
from newsdesk.config import Settings
from newsdesk.models import INDUSTRY_SEGMENTS, STAKEHOLDERS
from newsdesk.store import open_db
from newsdesk.present.dashboard.tables import csv_text
from newsdesk.store.facts import FactFilter, count_matches
from pipelines.brief import last_complete_week, make_briefing

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TODAY = datetime.now(UTC).date()


def _render(module: str, db_path: str, f) -> None:  # runs inside AppTest: imports stay local
    import importlib

    from newsdesk.store import open_db

    importlib.import_module(f"newsdesk.present.dashboard.views.{module}").render(open_db(db_path), f)


def _page(module: str, db_path, f: FactFilter | None = None) -> AppTest:
    f = f or FactFilter(start=(TODAY - timedelta(weeks=16)).isoformat(), end=(TODAY + timedelta(days=1)).isoformat())
    return AppTest.from_function(_render, args=(module, str(db_path), f), default_timeout=60)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_is_the_default_page_with_kpis_and_charts(demo_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    metrics = _metrics(at)
    assert list(metrics) == ["Articles", "Stories", "Active sources", "Mean sentiment"]
    assert int(metrics["Articles"]) > 50 and int(metrics["Active sources"]) == 9
    assert len(at.get("vega_lite_chart")) == 2  # weekly volume by theme, sentiment by theme
    assert at.text[0].value.startswith("Share per theme: ")
    assert [b.label for b in at.button].count("Open story") >= 3  # the week's top stories as cards


def test_the_first_visit_after_a_crawl_reads_the_views_the_crawl_job_warmed(demo_db, monkeypatch):
    from newsdesk.present.dashboard.data import warm
    from newsdesk.store import facts

    warm(open_db(demo_db), utc_now().date())

    def not_again(*args, **kwargs):
        raise AssertionError("a warmed view was computed again")

    for name in ("totals", "weekly", "by_facet", "entity_weekly"):
        monkeypatch.setattr(facts, name, not_again)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert int(_metrics(at)["Articles"]) > 50


def test_overview_leads_with_the_weeks_story_cards_that_open_the_story(demo_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.subheader[0].value.startswith("Top stories of the week of ")
    assert [h.value for h in at.subheader[:2]][1] == "What changed that week"
    labels = [m.value for m in at.markdown]
    assert {"**New storylines**", "**Continuing**", "**Gone quiet**"} <= set(labels)
    card = next(b for b in at.button if b.label == "Open story")
    story_id = card.key.removeprefix("open-")
    card.click().run()
    assert not at.exception
    assert at.title[0].value == "Stories"
    assert at.selectbox(key="story").value == story_id


def test_filters_survive_a_change_of_page(demo_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.sidebar.multiselect(key="f_themes").select("legal").run()
    next(b for b in at.button if b.label == "Open story").click().run()
    assert at.title[0].value == "Stories"
    assert at.sidebar.multiselect(key="f_themes").value == ["legal"]  # Streamlit alone would reset it
    assert all("legal" in themes for themes in at.dataframe[0].value["themes"])


def test_sidebar_filters_change_the_figures_and_are_kept_in_the_url(demo_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    everything = int(_metrics(at)["Articles"])
    assert at.query_params["from"] and at.query_params["to"]
    at.sidebar.multiselect(key="f_themes").select("legal").run()
    legal = int(_metrics(at)["Articles"])
    assert 0 < legal < everything
    assert at.query_params["theme"] == ["legal"] or at.query_params["theme"] == "legal"
    at.sidebar.toggle(key="f_relevant").set_value(False).run()
    assert not at.exception
    assert "all" in at.query_params


def test_a_shared_url_opens_with_its_filters(demo_db):
    at = AppTest.from_file(APP, default_timeout=60)
    start = (TODAY - timedelta(days=30)).isoformat()
    at.query_params.update({"from": start, "to": TODAY.isoformat(), "theme": "labour"})
    at.run()
    assert not at.exception
    assert at.sidebar.multiselect(key="f_themes").value == ["labour"]
    assert at.sidebar.date_input(key="f_range").value == (date.fromisoformat(start), TODAY)


def test_stories_page_shows_a_story_with_timeline_entities_and_impact(demo_db):
    from newsdesk.present.dashboard import data

    at = _page("stories", demo_db).run()
    assert not at.exception
    ranked = data.stories(open_db(demo_db), FactFilter(start=(TODAY - timedelta(weeks=16)).isoformat(),
                                                       end=(TODAY + timedelta(days=1)).isoformat()))
    assert list(at.dataframe[0].value["story"]) == [s["title"] for s in ranked]
    lionsgate = next(s["id"] for s in ranked if "Lionsgate" in s["title"] and "Runway" in s["title"])
    at.selectbox(key="story").set_value(lionsgate).run()
    assert not at.exception
    texts = " ".join(t.value for t in at.text)
    assert "Impact" in texts and "breadth" in texts and "Entities: " in texts and "Lionsgate" in texts
    assert len(at.get("vega_lite_chart")) == 1  # the outlets-over-time chart
    articles = at.dataframe[1].value
    assert len(articles) >= 4 and articles["outlet"].nunique() >= 4


def test_story_filters_narrow_the_list(demo_db):
    base = FactFilter(start=(TODAY - timedelta(weeks=16)).isoformat(), end=(TODAY + timedelta(days=1)).isoformat())
    everything = len(_page("stories", demo_db, base).run().dataframe[0].value)
    legal = _page("stories", demo_db, FactFilter(**{**base.__dict__, "themes": ("legal",)})).run()
    assert 0 < len(legal.dataframe[0].value) < everything
    assert all("legal" in themes for themes in legal.dataframe[0].value["themes"])


def test_articles_page_searches_and_keeps_hostile_titles_as_text(demo_db):
    f = FactFilter(start=(TODAY - timedelta(weeks=16)).isoformat(), end=(TODAY + timedelta(days=1)).isoformat(),
                   relevant_only=False)
    at = _page("articles", demo_db, f).run()
    assert not at.exception
    at.text_input(key="q").input("memo").run()
    titles = list(at.dataframe[0].value["title"])
    assert any(t.startswith("<script>alert('newsdesk-xss')</script>") for t in titles)
    links = [u for u in at.dataframe[0].value["url"] if u]
    assert links and all(u.startswith(("http://", "https://")) for u in links)
    at.text_input(key="q").input("streaming charts").run()
    formula = [t for t in at.dataframe[0].value["title"] if "HYPERLINK" in t]
    assert formula and all(t.startswith("'=HYPERLINK(") for t in formula)  # inert in the CSV download too
    at.text_input(key="q").input("filing novelists").run()
    heading = next(m.value for m in at.markdown if m.value.startswith("###"))
    # the feed's link is escaped text inside the label; the one link target is the article's own page
    assert heading.startswith("### [\\[Read the filing\\](javascript:\u200balert(1)) Novelists")
    assert heading.rsplit("](", 1)[1].startswith("http://127.0.0.1:")


def test_articles_page_searches_phrases_with_snippets_count_sort_and_csv(demo_db):
    f = FactFilter(start=(TODAY - timedelta(weeks=16)).isoformat(), end=(TODAY + timedelta(days=1)).isoformat(),
                   relevant_only=False)
    at = _page("articles", demo_db, f).run()
    at.text_input(key="q").input('"voice actors"').run()
    assert not at.exception
    total = int(at.caption[0].value.split()[0].replace(",", ""))
    db = open_db(demo_db)
    assert total == count_matches(db, f, '"voice actors"') > 0
    assert count_matches(db, f, "voice actors") > total  # the words apart match more than the phrase
    snippets = [m.value for m in at.markdown if "**" in m.value]
    assert snippets and all(re.search(r"\*\*voice\W+actors?\*\*", s.lower()) for s in snippets)
    at.selectbox(key="q_sort").set_value("newest").run()
    published = list(at.dataframe[0].value["published"])
    assert published == sorted(published, reverse=True)
    csv_rows = list(csv.DictReader(io.StringIO(csv_text(at.dataframe[0].value.to_dict("records")))))
    assert len(csv_rows) == min(total, 200)
    assert [b.proto.label for b in at.get("download_button")] == ["Download these articles as CSV"]
    hostile = list(csv.DictReader(io.StringIO(csv_text([{"title": '=HYPERLINK("http://x.invalid")', "n": 1}]))))
    assert hostile == [{"title": '\'=HYPERLINK("http://x.invalid")', "n": "1"}]


def _judged(db_path, article_id: str) -> dict:
    row = next(open_db(db_path).query("SELECT relevant, themes, sentiment FROM enrichments WHERE article_id = ?",
                                      [article_id]))
    return {"relevant": bool(row["relevant"]), "themes": sorted(json.loads(row["themes"])),
            "sentiment": row["sentiment"]}


def _labels(db_path) -> list[dict]:
    return [{**r, "value": json.loads(r["value"])} for r in open_db(db_path).query(
        "SELECT id, article_id, field, value, who FROM labels ORDER BY id")]


def test_articles_feedback_shows_the_change_then_writes_labels_with_the_reviewer(demo_db):
    at = _page("articles", demo_db).run()
    article_id = at.selectbox(key="article").value
    assert at.button(key=f"fb_save_{article_id}").disabled  # no name yet: nobody to record
    at.sidebar.text_input(key="reviewer").input("Ana").run()
    before = at.radio(key=f"fb_sentiment_{article_id}").value
    other = next(s for s in ("positive", "neutral", "negative") if s != before)
    at.radio(key=f"fb_sentiment_{article_id}").set_value(other).run()
    assert any(f"sentiment: {before} → {other}" in m.value.replace("\\", "") for m in at.markdown)
    at.button(key=f"fb_save_{article_id}").click().run()
    assert not at.exception
    assert at.success and "sentiment" in at.success[0].value
    labels = {r["field"]: r for r in _labels(demo_db)}
    assert set(labels) == {"relevant", "themes", "sentiment"}
    assert {r["article_id"] for r in labels.values()} == {article_id}
    assert labels["sentiment"]["value"] == other and labels["sentiment"]["who"] == "dashboard:Ana"


def test_switching_articles_does_not_carry_the_previous_articles_values(demo_db):
    """The form used to keep article A's widget values after switching to B, so saving B wrote A's themes."""
    at = _page("articles", demo_db).run()
    at.sidebar.text_input(key="reviewer").input("Ana").run()
    first = at.selectbox(key="article").value
    changed = next(s for s in ("positive", "neutral", "negative") if s != at.radio(key=f"fb_sentiment_{first}").value)
    at.radio(key=f"fb_sentiment_{first}").set_value(changed).run()
    at.selectbox(key="article").select_index(1).run()
    second_id = at.selectbox(key="article").value
    assert second_id != first
    judged = _judged(demo_db, second_id)
    assert at.radio(key=f"fb_sentiment_{second_id}").value == judged["sentiment"]
    at.button(key=f"fb_save_{second_id}").click().run()  # confirms B as judged
    saved = {r["field"]: r["value"] for r in _labels(demo_db)}
    assert saved == {"relevant": judged["relevant"], "sentiment": judged["sentiment"],
                     "themes": judged["themes"] if judged["relevant"] else []}


def test_review_lists_the_least_sure_confirms_in_one_click_and_undoes(demo_db):
    at = _page("review", demo_db).run()
    assert not at.exception
    assert at.title[0].value == "Review"
    saves = [b for b in at.button if b.key and b.key.startswith("fb_save_")]
    assert len(saves) == 5 and all(b.disabled for b in saves)
    at.sidebar.text_input(key="reviewer").input("Bo").run()
    first_id = [b for b in at.button if b.key and b.key.startswith("fb_save_")][0].key.removeprefix("fb_save_")
    margins = [float(t.value.rsplit("threshold: ", 1)[1].rstrip(")")) for t in at.text if "threshold:" in t.value]
    assert margins == sorted(margins) and margins[0] < 0.2
    at.button(key=f"fb_save_{first_id}").click().run()
    assert not at.exception
    labels = _labels(demo_db)
    assert {r["article_id"] for r in labels} == {first_id} and {r["who"] for r in labels} == {"dashboard:Bo"}
    assert f"fb_save_{first_id}" not in [b.key for b in at.button]  # reviewed: no longer listed
    undo = [b for b in at.button if b.key and b.key.startswith("undo_")]
    assert len(undo) == 3
    undo[0].click().run()
    assert len(_labels(demo_db)) == 2


def test_entities_page_shows_rising_top_series_and_pairs(demo_db):
    at = _page("entities", demo_db).run()
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    today = utc_now().date()
    last_complete = (today - timedelta(days=today.weekday() + 7)).isoformat()  # a week under way is not judged
    assert subheaders[:1] == [f"Rising in the week of {last_complete}"] and "Named together" in subheaders
    top = at.dataframe[-2].value if len(at.dataframe) == 3 else at.dataframe[0].value
    assert len(top) > 5
    pairs = at.dataframe[-1].value
    assert len(pairs) > 0 and (pairs["articles"] >= 1).all()
    assert len(at.get("vega_lite_chart")) == 1
    second = at.selectbox(key="entity").options[1]
    at.selectbox(key="entity").select(second).run()
    assert not at.exception


def test_matrix_page_separates_segments_from_stakeholders_and_offers_each_cell(demo_db):
    at = _page("matrix", demo_db).run()
    assert not at.exception
    cells = at.dataframe[0].value
    assert {"industry segment", "theme", "articles", "change", "impact", "sentiment"} <= set(cells.columns)
    assert set(cells["industry segment"]) <= set(INDUSTRY_SEGMENTS) and len(cells) > 8
    assert set(cells["theme"]) <= {"labour", "legal", "technology", "business"}
    assert all(c == "new" or re.fullmatch(r"[+-]\d+%", c) for c in cells["change"])
    assert "new" in set(cells["change"])  # a cell with nothing before it says so
    volumes = cells.groupby("industry segment", sort=False)["articles"].sum().tolist()
    assert volumes == sorted(volumes, reverse=True)  # rows in order of volume
    assert (cells["impact"] >= 0).all() and cells["impact"].sum() > 0
    assert len(at.get("vega_lite_chart")) == 1
    at.radio(key="m_rows").set_value("Stakeholders").run()
    people = at.dataframe[0].value
    assert set(people["stakeholder"]) <= set(STAKEHOLDERS) and len(people) > 3
    for measure in ("Volume", "Sentiment"):
        at.radio(key="m_measure").set_value(measure).run()
        assert not at.exception
    first = at.selectbox(key="m_cell").options[0]
    assert first.split(" × ")[0] in STAKEHOLDERS
    at.selectbox(key="m_cell").set_value(first).run()
    assert [b.label for b in at.button] == [f"Open the articles about {first}"]


def test_a_link_from_another_page_sets_the_sidebar_filters(demo_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["pending_filters"] = {"f_themes": ["legal"], "f_segments": ["music"]}
    at.run()
    assert not at.exception
    assert at.sidebar.multiselect(key="f_themes").value == ["legal"]
    assert at.sidebar.multiselect(key="f_segments").value == ["music"]


def test_entities_page_compares_several_and_lists_one_entitys_stories(demo_db):
    at = _page("entities", demo_db).run()
    top = at.dataframe[1].value if len(at.dataframe) == 4 else at.dataframe[0].value
    assert "kind" in top.columns and "AI company" in set(top["kind"]) and "union" in set(top["kind"])
    compared = at.multiselect(key="entities_compared")
    assert len(compared.value) == 3
    assert len(at.get("vega_lite_chart")) == 1  # the three on one chart, a colour each
    assert '"field": "entity"' in at.get("vega_lite_chart")[0].proto.spec.replace('":"', '": "')
    at.selectbox(key="entity").set_value(at.selectbox(key="entity").options[0]).run()
    assert not at.exception
    entity_id = at.selectbox(key="entity").value
    stories = next(d.value for d in at.dataframe if "articles naming it" in d.value.columns)
    assert len(stories) > 0 and (stories["articles naming it"] >= 1).all()
    db = open_db(demo_db)
    story_titles = {r[0] for r in db.execute(
        """SELECT DISTINCT s.title FROM entities n JOIN article_entities x ON x.entity_id = n.id
           JOIN article_stories m ON m.article_id = x.article_id JOIN stories s ON s.id = m.story_id
           WHERE n.id = ?""", [entity_id])}
    assert set(stories["story"]) <= story_titles


def test_watchlists_page_adds_shows_and_removes_a_watch(demo_db):
    at = _page("watchlists", demo_db).run()
    assert not at.exception
    at.text_input(key="w_name").input("labour-voice")
    at.multiselect(key="w_themes").select("labour")
    at.multiselect(key="w_segments").select("voice actors")
    at.number_input(key="w_backfill").set_value(60)
    at.text_area(key="w_hooks").input("ftp://not-http")
    at.button[0].click().run()  # the form's submit button
    assert "only http and https" in at.error[0].value and not open_db(demo_db).execute(
        "SELECT COUNT(*) FROM watches").fetchone()[0]
    at.text_area(key="w_hooks").input("https://hooks.example/x")
    next(b for b in at.button if b.label == "Add watch").click().run()
    assert not at.exception
    assert "Added watch 'labour-voice'" in at.success[0].value
    watches = at.dataframe[0].value
    assert list(watches["watch"]) == ["labour-voice"] and "https://hooks.example/x" in watches["sends to"][0]
    matches = at.dataframe[1].value
    assert len(matches) > 0
    next(b for b in at.button if b.label == "Remove 'labour-voice'").click().run()
    assert open_db(demo_db).execute("SELECT COUNT(*) FROM watches").fetchone()[0] == 0


def test_sources_page_shows_feed_health(demo_db):
    db = open_db(demo_db)
    db.execute("UPDATE sources SET error_streak = 3, parked_at = '2026-01-01T00:00:00Z', last_error = 'HTTP 500' "
               "WHERE id = 1")
    at = _page("sources", demo_db).run()
    assert not at.exception
    rows = at.dataframe[0].value
    assert len(rows) == 9
    parked = rows[rows["id"] == 1].iloc[0]
    assert parked["state"] == "parked" and parked["last error"] == "HTTP 500" and parked["error streak"] == 3
    assert set(rows["outcome"]) == {"ok"} and (rows["items/week"] > 0).all()
    assert "1 need attention" in at.caption[0].value


def test_briefings_page_lists_previews_and_offers_downloads(demo_db, pdf_support):
    empty = _page("briefings", demo_db).run()
    assert "newsdesk briefing" in empty.info[0].value
    db = open_db(demo_db)
    week = last_complete_week()
    make_briefing(Settings(), db, week)
    at = _page("briefings", demo_db).run()
    assert not at.exception
    assert list(at.dataframe[0].value["week"]) == [week]
    assert f"weekly briefing, {week}" in at.markdown[0].value
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Markdown", "HTML", "JSON"]  # the PDF takes a second to make: only when asked for
    next(b for b in at.button if b.label == "Make PDF").click().run()
    assert not at.exception
    assert [b.proto.label for b in at.get("download_button")] == ["Markdown", "HTML", "JSON", "PDF"]


def test_empty_database_says_how_to_start(db_path):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "./dev demo" in at.info[0].value and "sources import" in at.info[0].value


def test_entities_page_flags_the_burst_in_the_sample_deal_week(demo_db):
    day = open_db(demo_db).execute("SELECT MIN(first_seen) FROM stories WHERE title LIKE '%Lionsgate%Runway%'"
                                   ).fetchone()[0][:10]
    deal = date.fromisoformat(day)
    f = FactFilter(start=(deal - timedelta(weeks=10)).isoformat(), end=(deal + timedelta(days=1)).isoformat())
    at = _page("entities", demo_db, f).run()
    assert not at.exception
    rising = at.dataframe[0].value
    runway = rising[rising["entity"] == "Runway"].iloc[0]
    assert runway["burst factor"] > 2 and runway["that week"] >= 3
    assert runway["weekly mean before"] < runway["that week"]


def test_newsdesk_dashboard_serves_the_app_on_loopback(demo_db, tmp_path):
    import sys

    import httpx

    from tests.local_servers import free_port, running

    port = free_port()
    log = tmp_path / "dashboard.log"
    with running([str(Path(sys.executable).with_name("newsdesk")), "dashboard", "--port", str(port)], port,
                 log) as url:
        assert httpx.get(f"{url}/", timeout=5).status_code == 200
    output = log.read_text()
    assert f"Dashboard on http://127.0.0.1:{port} (reading {demo_db})" in output
    assert "No runtime found" not in output
    with pytest.raises(httpx.TransportError):  # SIGTERM to `newsdesk dashboard` stopped Streamlit too
        httpx.get(f"{url}/_stcore/health", timeout=2)


def test_the_installed_app_file_renders_the_router_and_not_a_blank_page(demo_db):
    """`newsdesk dashboard` serves newsdesk/present/dashboard/app.py itself (not the checkout's app.py)."""
    import importlib.util

    installed = importlib.util.find_spec("newsdesk.present.dashboard.app").origin
    at = AppTest.from_file(installed, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "What happened in AI and entertainment"
    assert list(_metrics(at)) == ["Articles", "Stories", "Active sources", "Mean sentiment"]


def test_crawled_but_not_yet_judged_articles_get_a_hint_and_every_page_still_renders(db_path):
    from newsdesk.sample.server import serve_sample
    from pipelines.crawl import crawl
    from pipelines.demo import ensure_sample_sources

    db = open_db(db_path)
    with serve_sample(datetime.now(UTC), port=0) as base:
        crawl(Settings().replace("fetch", allow_private_networks=True), db, ensure_sample_sources(db, base))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "newsdesk enrich" in at.warning[0].value
    for module in ("overview", "stories", "articles", "entities", "matrix", "sources", "briefings", "review"):
        page = _page(module, db_path).run()
        assert not page.exception, module


def test_table_cells_that_a_spreadsheet_would_run_get_an_apostrophe():
    from newsdesk.present.dashboard.tables import inert_cell

    assert [inert_cell(v) for v in ("=1+1", "+1-1", "-2", "@SUM(A1)", "\tx", "\rx", "fine", 3, None)] == [
        "'=1+1", "'+1-1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "fine", 3, None]


def test_articles_page_deletes_an_article_after_confirmation(demo_db):
    at = _page("articles", demo_db).run()
    article_id = at.selectbox(key="article").value
    assert at.button(key=f"delete_{article_id}").disabled
    at.checkbox(key=f"delete_sure_{article_id}").check().run()
    at.button(key=f"delete_{article_id}").click().run()
    assert not at.exception
    db = open_db(demo_db)
    assert db.execute("SELECT COUNT(*) FROM articles WHERE id = ?", [article_id]).fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM tombstones").fetchone()[0] == 1
