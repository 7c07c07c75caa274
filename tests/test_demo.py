"""The demo end to end: sample server on 127.0.0.1 → real fetch path → SQLite file."""

import socket
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from newsdesk.cli import cli
from newsdesk.config import Settings
from newsdesk.sample.build import WEEKS, build_items, current_week_start
from newsdesk.store import open_db
from newsdesk.store.articles import count_articles, search_articles
from pipelines.brief import last_complete_week
from pipelines.demo import run_demo

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "newsdesk.db"
    db = open_db(path)
    port = _free_port()
    first = run_demo(Settings(), db, now=NOW, port=port)
    second = run_demo(Settings(), db, now=NOW, port=port)
    yield db, first, second
    db.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sample_meets_its_size_and_mix():
    items = build_items(NOW)
    unrelated = [i for i in items if i.kind in ("ent", "ai")]
    assert len(unrelated) / len(items) >= 0.30
    assert {i.outlet.format for i in items} == {"rss", "atom", "json"}
    weeks = {(i.published - current_week_start(NOW)).days // 7 for i in items}
    assert len(weeks) >= WEEKS == 16
    stories = {}
    for item in items:
        if item.story_key:
            stories.setdefault(item.story_key, set()).add(item.outlet.slug)
    assert sum(len(outlets) >= 3 for outlets in stories.values()) >= 10


def test_at_least_400_items_even_first_thing_on_monday():
    assert len(build_items(datetime(2026, 11, 23, 0, 5, tzinfo=UTC))) >= 400


def test_newest_week_is_the_current_week_and_nothing_is_in_the_future():
    items = build_items(NOW)
    assert max(i.published for i in items) <= NOW
    assert max(i.published for i in items) >= current_week_start(NOW)
    assert min(i.published for i in items) < current_week_start(NOW).replace(month=8)


def test_demo_stores_every_item_from_every_feed(demo_db):
    db, first, _ = demo_db
    totals = first.totals
    assert totals["sources"] >= 8 and totals["failed"] == 0
    assert totals["new"] == len(build_items(NOW)) == count_articles(db)
    assert count_articles(db) >= 400
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT COUNT(DISTINCT source_id) FROM articles").fetchone()[0] >= 8
    assert db.execute("SELECT COUNT(*) FROM fetches WHERE outcome = 'ok'").fetchone()[0] == totals["sources"]


def test_second_run_adds_nothing(demo_db):
    db, first, second = demo_db
    assert second.totals["new"] == 0 and second.totals["updated"] == 0
    assert second.totals["not_modified"] == second.totals["sources"]
    assert count_articles(db) == first.totals["new"]


def test_dates_are_shifted_to_the_current_week_in_utc(demo_db):
    db, _, _ = demo_db
    newest = db.execute("SELECT MAX(published_at) FROM articles").fetchone()[0]
    assert newest >= current_week_start(NOW).strftime("%Y-%m-%d")
    assert newest.endswith("Z")
    assert db.execute("SELECT COUNT(*) FROM articles WHERE date_missing = 1").fetchone()[0] == 0


def test_only_the_story_written_as_syndicated_is_linked_as_a_copy(demo_db):
    db, _, _ = demo_db
    syndicated = {i.path for i in build_items(NOW) if i.story_key == "syndicated-voice-report"}
    linked = db.execute("SELECT a.url, o.url FROM articles a JOIN articles o ON o.id = a.duplicate_of").fetchall()
    assert linked, "the syndicated sample story should be linked"
    paths = {urlsplit(url).path for pair in linked for url in pair}
    assert paths <= syndicated, f"unrelated sample items linked as copies: {linked}"


def test_full_text_search_finds_a_sample_title(demo_db):
    db, _, _ = demo_db
    titles = [r["title"] for r in search_articles(db, "Lionsgate Runway", limit=50)["rows"]]
    assert "Lionsgate signs deal with Runway to train AI video model on its film library" in titles


def test_hostile_titles_are_stored_as_literal_text(demo_db):
    db, _, _ = demo_db
    titles = [r[0] for r in db.execute("SELECT title FROM articles")]
    assert any(t.startswith("<script>alert('newsdesk-xss')</script>") for t in titles)
    assert any(t.startswith("![tracker](http://attacker.invalid/pixel.png)") for t in titles)
    assert any(t.startswith("[Read the filing](javascript:alert(1))") for t in titles)
    assert any(t.startswith('=HYPERLINK("http://attacker.invalid"') for t in titles)
    stored_html = "".join(r[0] for r in db.execute("SELECT summary_html FROM articles"))
    assert "<script" not in stored_html


def test_cli_demo_prints_the_next_steps_and_writes_the_latest_briefing(runner, db_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_LAUNCHER", "./dev")
    result = runner.invoke(cli, ["demo", "--port", "0"], obj={})
    assert result.exit_code == 0, result.output
    assert "Demo done" in result.output
    assert "Open the dashboard:  ./dev dashboard" in result.output
    db = open_db(db_path)
    assert count_articles(db) >= 400
    week = last_complete_week()
    briefing = db_path.parent / "briefings" / f"newsdesk-{week}.md"
    assert f"Latest briefing ({week}): briefings/newsdesk-{week}.md" in result.output.replace(str(db_path.parent) + "/", "")
    assert briefing.read_text().startswith(f"# AI in entertainment: weekly briefing, {week}")
    assert briefing.with_suffix(".html").is_file() and briefing.with_suffix(".json").is_file()
