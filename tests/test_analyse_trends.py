"""Trends, bursts and the impact matrix on small hand-built data with known answers."""

from __future__ import annotations

import json

import pytest

from newsdesk.analyse.trends import change, impact_matrix, mean_interval, rising_entities, weekly_series
from newsdesk.analyse.weeks import week_bounds, weeks_ending
from newsdesk.cli import cli
from newsdesk.errors import NewsdeskError

WEEKS = weeks_ending("2026-W47", 9)


def test_weeks():
    assert week_bounds("2026-W47") == ("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z")
    assert WEEKS[-1] == "2026-11-16" and WEEKS[0] == "2026-09-21" and len(WEEKS) == 9
    with pytest.raises(NewsdeskError, match="not an ISO week"):
        week_bounds("last week")


def test_mean_interval_and_change():
    assert mean_interval(0, None, None).mean is None
    m = mean_interval(4, -2.0, 1.5)  # scores -0.5, -0.5, -0.5, -0.5 would give sq 1.0; here spread
    assert m.mean == -0.5 and m.low < -0.5 < m.high
    assert mean_interval(1, 0.4, 0.16).low == -0.6  # one value: the widest honest interval, clipped
    assert change(15, 10) == 0.5 and change(3, 0) is None and change(None, 4) is None


def test_weekly_series_fills_quiet_weeks_with_zero():
    rows = [{"week": WEEKS[0], "articles": 4, "stories": 2, "sentiment_sum": -1.0, "sentiment_sq": 0.5},
            {"week": WEEKS[2], "articles": 2, "stories": 1, "sentiment_sum": 1.0, "sentiment_sq": 0.5}]
    series = weekly_series(rows, WEEKS[:3])
    assert [s["articles"] for s in series] == [4, 0, 2]
    assert series[1]["sentiment"]["mean"] is None and series[1]["change"] == -1.0
    assert series[2]["change"] is None  # from zero: no relative change


def _entity_rows(counts: dict[str, list[int]]) -> list[dict]:
    return [{"week": WEEKS[i], "entity": entity, "name": entity.title(), "type": "org", "articles": n}
            for entity, series in counts.items() for i, n in enumerate(series) if n]


def test_a_burst_is_flagged_with_its_factor_and_steady_or_rare_entities_are_not():
    rows = _entity_rows({
        "runway": [0, 1, 0, 0, 1, 0, 0, 0, 9],   # the deal week
        "netflix": [5, 6, 5, 4, 6, 5, 5, 6, 6],  # always in the news
        "pika": [0, 0, 0, 0, 0, 0, 0, 0, 2],     # too few mentions to call
    })
    found = rising_entities(rows, WEEKS[-1], WEEKS[:-1])
    assert [r.entity for r in found] == ["runway"]
    assert found[0].count == 9 and found[0].baseline == 0.25 and found[0].factor == 8.0


def test_a_quiet_week_raises_nothing():
    rows = _entity_rows({"runway": [3, 4, 3, 5, 4, 3, 4, 4, 0]})
    assert rising_entities(rows, WEEKS[-1], WEEKS[:-1]) == []


def test_impact_matrix_of_a_tiny_dataset():
    current = [{"segment": "film", "theme": "labour", "articles": 4, "sentiment_sum": -2.0, "impact": 120.5},
               {"segment": "music", "theme": "legal", "articles": 2, "sentiment_sum": -1.0}]
    previous = [{"segment": "film", "theme": "labour", "articles": 2, "sentiment_sum": 0.0}]
    cells = {(c["segment"], c["theme"]): c for c in impact_matrix(current, previous)}
    assert cells[("film", "labour")] == {"segment": "film", "theme": "labour", "articles": 4, "mean_sentiment": -0.5,
                                         "previous_articles": 2, "volume_change": 1.0, "impact": 120.5,
                                         "sentiment_change": -0.5}
    assert cells[("music", "legal")]["volume_change"] is None and cells[("music", "legal")]["previous_articles"] == 0


def test_commands_on_the_demo_flag_runway_in_the_lionsgate_week(runner, db_path):
    assert runner.invoke(cli, ["demo", "--port", "0"], obj={}).exit_code == 0
    from newsdesk.store import open_db

    db = open_db(db_path)
    published = db.execute(
        "SELECT published_at FROM articles WHERE title LIKE 'Lionsgate signs deal with Runway%'").fetchone()[0]
    from newsdesk.analyse.weeks import week_of
    from newsdesk.clock import from_iso

    week = week_of(from_iso(published))
    found = json.loads(runner.invoke(cli, ["rising", "--week", week, "--json"], obj={}).output)
    assert {"org:runway", "org:lionsgate"} <= {r["entity"] for r in found}
    assert next(r for r in found if r["entity"] == "org:runway")["factor"] >= 3
    trend = json.loads(runner.invoke(cli, ["trends", "--week", week, "--weeks", "4", "--json"], obj={}).output)
    direct = db.execute(
        """SELECT COUNT(*) FROM articles a JOIN enrichments e ON e.article_id = a.id AND e.relevant = 1
           WHERE a.published_at >= ? AND a.published_at < ? AND a.duplicate_of IS NULL""", week_bounds(week)).fetchone()[0]
    assert trend["overall"][-1]["articles"] == direct > 0
    assert set(trend["series"]) <= {"labour", "legal", "technology", "business"}
    by_source = json.loads(runner.invoke(cli, ["trends", "--week", week, "--weeks", "4", "--by", "source", "--json"],
                                         obj={}).output)["series"]
    busiest = max(by_source, key=lambda key: sum(p["articles"] for p in by_source[key]))
    table = runner.invoke(cli, ["trends", "--week", week, "--weeks", "4", "--by", "source", "--top", "1"], obj={},
                          env={"COLUMNS": "250"}).output
    assert busiest in table and f"others ({len(by_source) - 1})" in table  # one column, the rest summed
    assert not any(key in table for key in by_source if key != busiest)
    cells = json.loads(runner.invoke(cli, ["matrix", "--week", week, "--weeks", "4", "--json"], obj={}).output)
    assert cells and all(c["articles"] > 0 for c in cells)
    assert {"film", "music"} <= {c["segment"] for c in cells}


def test_cached_aggregates_are_recomputed_when_the_data_changes(db):
    from newsdesk.store.cache import cached

    calls = []

    def compute():
        calls.append(1)
        return [len(calls)]

    assert cached(db, "k", compute) == [1]
    assert cached(db, "k", compute) == [1] and len(calls) == 1
    db["sources"].insert({"url": "https://e.org/f", "name": "e", "added_at": "2026-01-01T00:00:00Z"})
    db["articles"].insert({"id": "a", "source_id": 1, "guid": "g", "url": "https://e.org/a", "canonical_url": "https://e.org/a",
                           "title": "t", "published_at": "2026-01-01T00:00:00Z", "fetched_at": "2026-01-01T00:00:00Z",
                           "content_hash": "h"})
    db["enrichments"].insert({"article_id": "a", "model_version": "m", "relevant": 1, "relevance": 0.9,
                              "sentiment": "neutral", "sentiment_score": 0.0, "enriched_at": "2026-01-02T00:00:00Z"})
    assert cached(db, "k", compute) == [2]


def test_daily_trends_and_the_demo_leaves_the_standard_views_materialised(runner, db_path):
    assert runner.invoke(cli, ["demo", "--port", "0"], obj={}).exit_code == 0
    from newsdesk.store import open_db

    db = open_db(db_path)
    keys = [r[0] for r in db.execute("SELECT key FROM analysis_cache")]
    assert any(k.startswith("volume:week") for k in keys) and sum(k.startswith("matrix:") for k in keys) == 2
    daily = json.loads(runner.invoke(cli, ["trends", "--daily", "--weeks", "2", "--json"], obj={}).output)
    assert len(daily["overall"]) == 14
    weekly = json.loads(runner.invoke(cli, ["trends", "--weeks", "2", "--json"], obj={}).output)
    assert sum(d["articles"] for d in daily["overall"]) == sum(w["articles"] for w in weekly["overall"])


def test_rising_terms_come_from_headlines():
    from newsdesk.analyse.trends import weekly_term_counts

    rows = [{"week": WEEKS[-1], "title": f"Runway deal number {i}"} for i in range(5)]
    rows += [{"week": WEEKS[i], "title": "Box office weekend"} for i in range(9)]
    counts = weekly_term_counts(rows)
    found = rising_entities(counts, WEEKS[-1], WEEKS[:-1])
    assert {r.name for r in found} == {"deal", "number", "runway"} and found[0].type == "term"
    assert "weekend" not in {r.name for r in found}
