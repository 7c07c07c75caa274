"""article_facts: filtered aggregates equal the same counts taken the long way, and stay in step
with re-enrichment and syndication; the dashboard's URL filters round-trip."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.config import Settings
from newsdesk.present.dashboard.data import default_filter
from newsdesk.present.dashboard.filters import filter_from_params, params_from_filter
from newsdesk.store import facts, open_db
from newsdesk.store.articles import mark_duplicate
from newsdesk.store.enrichments import EnrichmentRow, save_enrichments
from newsdesk.store.facts import FactFilter

WIDE = FactFilter(start="2000-01-01", end="2100-01-01")


def _direct(db, *, theme: str | None = None, segment: str | None = None, source: int | None = None,
            relevant_only: bool = True) -> int:
    clauses, params = ["a.duplicate_of IS NULL"], []
    if relevant_only:
        clauses.append("e.relevant = 1")
    if theme:
        clauses.append("a.id IN (SELECT article_id FROM article_themes WHERE theme = ?)")
        params.append(theme)
    if segment:
        clauses.append("a.id IN (SELECT article_id FROM article_segments WHERE segment = ?)")
        params.append(segment)
    if source:
        clauses.append("a.source_id = ?")
        params.append(source)
    return db.execute(f"SELECT COUNT(*) FROM articles a JOIN enrichments e ON e.article_id = a.id "
                      f"WHERE {' AND '.join(clauses)}", params).fetchone()[0]


def test_filtered_totals_equal_direct_counts(demo_db):
    db = open_db(demo_db)
    assert facts.totals(db, WIDE)["articles"] == _direct(db) > 100
    everything = FactFilter(WIDE.start, WIDE.end, relevant_only=False)
    assert facts.totals(db, everything)["articles"] == _direct(db, relevant_only=False)
    for theme in ("labour", "legal", "technology", "business"):
        only = FactFilter(WIDE.start, WIDE.end, themes=(theme,))
        assert facts.totals(db, only)["articles"] == _direct(db, theme=theme) > 0
    by_theme = {r["key"]: r["articles"] for r in facts.by_facet(db, WIDE, "theme")}
    assert by_theme == {t: _direct(db, theme=t) for t in by_theme}
    film = FactFilter(WIDE.start, WIDE.end, segments=("film",), sources=(1,))
    assert facts.totals(db, film)["articles"] == _direct(db, segment="film", source=1)
    either = FactFilter(WIDE.start, WIDE.end, themes=("labour", "legal"))
    union = db.execute("""SELECT COUNT(DISTINCT a.id) FROM articles a JOIN enrichments e ON e.article_id = a.id
                          JOIN article_themes t ON t.article_id = a.id WHERE e.relevant = 1
                          AND a.duplicate_of IS NULL AND t.theme IN ('labour', 'legal')""").fetchone()[0]
    assert facts.totals(db, either)["articles"] == union
    weekly = facts.weekly(db, WIDE)
    assert sum(w["articles"] for w in weekly) == _direct(db)
    cells = facts.matrix(db, WIDE)
    assert sum(c["articles"] for c in cells if c["segment"] == "film" and c["theme"] == "legal") == _direct(
        db, theme="legal", segment="film")


def test_facts_follow_re_enrichment_and_syndication(demo_db):
    db = open_db(demo_db)
    article_id = db.execute("SELECT article_id FROM enrichments WHERE relevant = 1 LIMIT 1").fetchone()[0]
    row = EnrichmentRow(article_id, "test", True, 0.9, ["legal", "a-new-theme"], {}, "negative", -0.5,
                        ["music"], {}, [])
    save_enrichments(db, [row], at="2026-11-01T00:00:00Z")
    new_theme = FactFilter(WIDE.start, WIDE.end, themes=("a-new-theme",))
    assert facts.totals(db, new_theme)["articles"] == 1
    assert "a-new-theme" in facts.facet_names(db, "theme")
    original = db.execute("SELECT id FROM articles WHERE id != ? LIMIT 1", [article_id]).fetchone()[0]
    mark_duplicate(db, article_id, original)
    assert facts.totals(db, new_theme)["articles"] == 0
    assert facts.totals(db, WIDE)["articles"] == _direct(db)


def test_previous_period_has_the_same_length():
    f = FactFilter("2026-11-01", "2026-11-15")
    assert f.previous() == FactFilter("2026-10-18", "2026-11-01")


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))


@given(days, days, st.lists(st.sampled_from(["labour", "legal", "business"]), unique=True),
       st.lists(st.integers(1, 500), unique=True), st.booleans())
def test_url_filters_round_trip(first, last, themes, sources, relevant_only):
    first, last = min(first, last), max(first, last)
    f = FactFilter(first.isoformat(), (last + timedelta(days=1)).isoformat(), tuple(themes), (), tuple(sources),
                   relevant_only)
    assert filter_from_params(params_from_filter(f), date(2026, 11, 24)) == f


def test_malformed_url_filters_fall_back_to_the_default():
    today = date(2026, 11, 24)
    f = filter_from_params({"from": ["yesterday"], "to": ["2026-13-45"], "source": ["x", "3"]}, today)
    assert (f.start, f.end) == (default_filter(today).start, default_filter(today).end)
    assert f.sources == (3,) and f.relevant_only


def test_the_default_period_is_twelve_complete_weeks():
    from datetime import date

    f = default_filter(date(2026, 11, 26))  # a Thursday
    assert (f.start, f.end) == ("2026-08-31", "2026-11-23")  # the week under way (from the 23rd) is left out
    assert date.fromisoformat(f.end).weekday() == 0 and date.fromisoformat(f.start).weekday() == 0
    assert (date.fromisoformat(f.end) - date.fromisoformat(f.start)).days == 12 * 7


def test_a_matrix_cells_impact_is_its_stories_impact_shared_among_their_articles(demo_db):
    db = open_db(demo_db)
    cells = facts.matrix(db, WIDE)
    film_labour = next(c for c in cells if (c["segment"], c["theme"]) == ("film", "labour"))
    expected = db.execute(
        """SELECT SUM(s.impact / s.article_count) FROM article_facts f
           JOIN article_segments g ON g.article_id = f.article_id AND g.segment = 'film'
           JOIN article_themes t ON t.article_id = f.article_id AND t.theme = 'labour'
           JOIN article_stories m ON m.article_id = f.article_id JOIN stories s ON s.id = m.story_id
           WHERE f.relevant = 1 AND f.day >= ? AND f.day < ?""", [WIDE.start, WIDE.end]).fetchone()[0]
    assert film_labour["impact"] == pytest.approx(expected, abs=0.1) and expected > 0


def _entity_rows_by_join(db):
    return sorted(db.execute(
        """SELECT f.article_id, n.rowid FROM article_facts f JOIN article_entities x ON x.article_id = f.article_id
           JOIN entities n ON n.id = x.entity_id""").fetchall())


def test_entity_and_story_facts_follow_enrichment_analysis_and_syndication(demo_db):
    """The narrow fact rows always equal what the joins they replace would give."""
    from pipelines.analyse import run_analyse

    db = open_db(demo_db)
    assert sorted(db.execute("SELECT article_id, entity FROM entity_facts").fetchall()) == _entity_rows_by_join(db)
    article_id = db.execute("SELECT article_id FROM article_entities LIMIT 1").fetchone()[0]
    row = EnrichmentRow(article_id, "test", True, 0.9, ["legal"], {}, "negative", -0.5, ["music"], {},
                        [{"id": "org:brand-new-co", "name": "Brand New Co", "type": "org", "kind": "ai", "text": "BNC"}])
    save_enrichments(db, [row], at="2026-11-01T00:00:00Z")
    assert sorted(db.execute("SELECT article_id, entity FROM entity_facts").fetchall()) == _entity_rows_by_join(db)
    weekly = {r["name"]: r for r in facts.entity_weekly(db, WIDE)}
    assert weekly["Brand New Co"]["articles"] == 1 and weekly["Brand New Co"]["kind"] == "ai"
    stories = db.execute("""SELECT f.article_id, f.story_id, f.impact_share, m.story_id, s.impact / s.article_count
                            FROM article_facts f LEFT JOIN article_stories m ON m.article_id = f.article_id
                            LEFT JOIN stories s ON s.id = m.story_id""").fetchall()
    assert all(r[1] == r[3] and abs(r[2] - (r[4] or 0)) < 1e-9 for r in stories)
    assert facts.totals(db, WIDE)["stories"] == db.execute(
        """SELECT COUNT(DISTINCT m.story_id) FROM article_facts f JOIN article_stories m ON m.article_id = f.article_id
           WHERE f.relevant = 1 AND f.day >= ? AND f.day < ?""", [WIDE.start, WIDE.end]).fetchone()[0]
    db.execute("DELETE FROM article_stories WHERE article_id = ?", [article_id])  # unclustered again
    run_analyse(Settings(), db)
    story = db.execute("SELECT story_id FROM article_stories WHERE article_id = ?", [article_id]).fetchone()[0]
    assert db.execute("SELECT story_id FROM article_facts WHERE article_id = ?", [article_id]).fetchone()[0] == story
    mark_duplicate(db, article_id, db.execute("SELECT id FROM articles WHERE id != ? LIMIT 1", [article_id]).fetchone()[0])
    assert not db.execute("SELECT 1 FROM entity_facts WHERE article_id = ?", [article_id]).fetchone()


def test_a_search_within_the_filters_ranks_its_newest_matches_and_counts_them_all(demo_db):
    db = open_db(demo_db)
    newest = facts.find_articles(db, WIDE, "AI", sort="newest", limit=5)
    best_of_newest = facts.find_articles(db, WIDE, "AI", ranked_at_most=5)
    assert len(newest) == 5 and {r["id"] for r in best_of_newest} == {r["id"] for r in newest}
    assert [r["published_at"] for r in newest] == sorted((r["published_at"] for r in newest), reverse=True)
    every = facts.find_articles(db, WIDE, "AI", limit=1000)
    total = facts.count_matches(db, WIDE, "AI")
    assert len(every) == total > 5  # under the bound, every match is ranked and counted
    direct = db.execute("""SELECT COUNT(*) FROM articles a JOIN enrichments e ON e.article_id = a.id
                           WHERE a.duplicate_of IS NULL AND e.relevant = 1 AND a.rowid IN
                           (SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'AI')""").fetchone()[0]
    assert total == direct


def test_the_crawl_job_warms_the_dashboards_default_views_for_the_next_visitor(demo_db, monkeypatch):
    from newsdesk.present.dashboard import data
    from newsdesk.store.cache import data_version

    db = open_db(demo_db)
    today = date(2026, 11, 26)
    # the nine default views, and the stories of the entity the Entities page opens on
    assert data.warm(db, today) == len(data.default_views(today)) + 1 == 10
    version = data_version(db)
    kept = dict(db.execute("SELECT key, data_version FROM analysis_cache WHERE key LIKE 'dashboard:%'").fetchall())
    assert len(kept) == 10 and set(kept.values()) == {version}
    f = default_filter(today)
    expected = data.kpis(db, f)
    top = data.entity_trends(db, f)["top"][0]["entity"]

    def not_again(*args, **kwargs):
        raise AssertionError("a warmed view was computed again")

    monkeypatch.setattr(facts, "totals", not_again)
    monkeypatch.setattr(facts, "stories_naming", not_again)
    assert data.remembered(db, data.kpis, f) == expected  # read from the shared cache, not computed
    assert data.remembered(db, data.entity, f, top)
    with pytest.raises(AssertionError):  # a filter nobody warmed is computed
        data.remembered(db, data.kpis, FactFilter(start=f.start, end=f.end, themes=("legal",)))
