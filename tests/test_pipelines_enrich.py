"""Enriching the demo database, and the classify, evaluate and train commands."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pytest

from newsdesk.cli import cli
from newsdesk.config import Settings
from newsdesk.store import open_db
from newsdesk.store.enrichments import add_label, enrichment_counts
from pipelines.demo import run_demo
from pipelines.enrich import make_enricher, run_enrich

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def enricher():
    return make_enricher(Settings())


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory, enricher):
    path = tmp_path_factory.mktemp("enrich") / "demo.db"
    db = open_db(path)
    run_demo(Settings(), db, now=NOW, port=0)
    run_enrich(Settings(), db, enricher=enricher)
    db.close()
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch):
    path = tmp_path / "newsdesk.db"
    shutil.copy(demo_template, path)
    monkeypatch.setenv("NEWSDESK_DB", str(path))
    monkeypatch.chdir(tmp_path)
    db = open_db(path)
    yield db
    db.close()


def test_demo_leaves_every_article_enriched_with_a_model_version(demo_db, enricher):
    counts = enrichment_counts(demo_db)
    assert counts["enriched"] == counts["articles"] >= 400
    assert 0.3 < counts["relevant"] / counts["articles"] < 0.8
    versions = {r[0] for r in demo_db.execute("SELECT DISTINCT model_version FROM enrichments")}
    assert versions == {enricher.version}
    assert demo_db.execute("SELECT COUNT(*) FROM article_themes").fetchone()[0] > 200
    assert demo_db.execute("SELECT COUNT(DISTINCT entity_id) FROM article_entities").fetchone()[0] > 30
    runway = demo_db.execute(
        "SELECT COUNT(*) FROM article_entities WHERE entity_id = 'org:runway'").fetchone()[0]
    assert runway >= 5


def test_enrich_is_incremental_and_all_redoes(demo_db, enricher):
    assert run_enrich(Settings(), demo_db, enricher=enricher).enriched == 0
    demo_db.execute("UPDATE enrichments SET model_version = 'old' WHERE rowid IN (SELECT rowid FROM enrichments LIMIT 7)")
    assert run_enrich(Settings(), demo_db, enricher=enricher).enriched == 7
    assert run_enrich(Settings(), demo_db, enricher=enricher, redo_all=True).enriched == enrichment_counts(demo_db)["articles"]


def test_lionsgate_runway_story_is_judged_as_the_analyst_would(demo_db):
    row = next(demo_db.query(
        """SELECT e.* FROM enrichments e JOIN articles a ON a.id = e.article_id
           WHERE a.title = 'Lionsgate signs deal with Runway to train AI video model on its film library'"""))
    assert row["relevant"] == 1 and "business" in json.loads(row["themes"])
    evidence = json.loads(row["evidence"])
    assert any("runway" in e.lower() for e in evidence["relevance"])


def test_classify_reports_bad_lines_and_classifies_the_rest(runner, tmp_path, db_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": 1, "title": "SAG-AFTRA strikes over AI voice clones in games", "summary": "Actors walk out."}),
        "{not json",
        json.dumps({"id": 2}),
        json.dumps({"id": 3, "title": "Box office: family film tops the weekend", "text": "Audiences returned."}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["classify", "--in", str(source), "--out", str(out)], obj={})
    assert result.exit_code == 0, result.output
    assert "line 2" in result.output and "line 3" in result.output
    assert "Classified 2 items" in result.output and "skipped 2 bad lines." in result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["1", "3"]
    keys = {"id", "relevant", "relevance", "themes", "theme_scores", "sentiment", "sentiment_score", "entities",
            "segments", "evidence"}
    assert keys <= set(rows[0])
    assert rows[0]["relevant"] is True and rows[1]["relevant"] is False
    assert {"text": "SAG-AFTRA", "label": "union", "id": "union:sag-aftra"} in rows[0]["entities"]
    assert "games" in rows[0]["segments"]
    assert 0 <= rows[0]["relevance"] <= 1 and -1 <= rows[0]["sentiment_score"] <= 1


def test_evaluate_prints_our_figures_beside_the_baseline(runner, tmp_path, db_path):
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text("\n".join(json.dumps(r) for r in [
        {"headline": "Voice actors sue over AI clones", "lede": "They say studios copied their voices.",
         "relevant": True, "themes": ["labour", "legal"], "sentiment": "negative"},
        {"headline": "Family film tops box office", "lede": "A strong weekend.", "relevant": False, "themes": [],
         "sentiment": "positive"},
    ]) + "\n")
    result = runner.invoke(cli, ["evaluate", "--labelled", str(labelled), "--json"], obj={})
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert [r["system"].split()[0] for r in reports] == ["newsdesk", "baseline:"]
    assert reports[0]["relevance"]["support"] == 1
    assert set(reports[0]["confusion"]) == {"negative", "neutral", "positive"}


def test_evaluate_names_a_bad_line(runner, tmp_path, db_path):
    labelled = tmp_path / "bad.jsonl"
    labelled.write_text('{"headline": "x"}\n')
    result = runner.invoke(cli, ["evaluate", "--labelled", str(labelled)], obj={})
    assert result.exit_code == 1 and "line 1" in result.output and "Traceback" not in result.output


@pytest.mark.timeout(600)  # trains six models twice
def test_feedback_label_is_used_by_train_and_a_worse_model_is_refused(runner, demo_db, tmp_path):
    settings = Settings()
    ids = [r[0] for r in demo_db.execute(
        "SELECT article_id FROM enrichments WHERE relevant = 1 ORDER BY article_id LIMIT 400")]
    for article_id in ids:  # a saboteur marks every relevant article irrelevant and negative
        add_label(demo_db, article_id, "relevant", False, who="saboteur", at="2026-11-24T00:00:00Z")
        add_label(demo_db, article_id, "sentiment", "positive", who="saboteur", at="2026-11-24T00:00:00Z")
    refused = runner.invoke(cli, ["train"], obj={})
    assert refused.exit_code == 1 and "worse" in refused.output
    assert f"{len(ids)} corrections" in refused.output and len(ids) > 100
    assert not settings.trained_model_path.exists()
    forced = runner.invoke(cli, ["train", "--force"], obj={})
    assert forced.exit_code == 0, forced.output
    assert settings.trained_model_path.exists()


def test_train_without_corrections_installs_nothing_and_says_why(runner, demo_db):
    result = runner.invoke(cli, ["train"], obj={})
    assert result.exit_code in (0, 1), result.output
    assert "Nothing new to learn from" in result.output or "no corrections to learn from" in result.output
    assert not Settings().trained_model_path.exists()


def test_classify_reads_a_labelled_file_as_it_is(runner, tmp_path, db_path):
    """headline and lede (the labelled files' names) are read as title and summary."""
    source = tmp_path / "labelled.jsonl"
    source.write_text(json.dumps({"id": "x-1", "headline": "Voice actors sue a studio over AI clones of their voices",
                                  "lede": "The performers say the studio trained a model on their sessions.",
                                  "relevant": True, "themes": ["labour", "legal"], "sentiment": "negative"}) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["classify", "--in", str(source), "--out", str(out)], obj={})
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["id"] == "x-1" and row["relevant"] is True and "legal" in row["themes"]


def test_evaluate_cv_on_too_few_events_is_a_one_line_error(runner, tmp_path, db_path):
    labelled = tmp_path / "tiny.jsonl"
    labelled.write_text(json.dumps({"headline": "Voice actors sue over AI clones", "lede": "They say so.",
                                    "relevant": True, "themes": ["legal"], "sentiment": "negative"}) + "\n")
    result = runner.invoke(cli, ["evaluate", "--labelled", str(labelled), "--cv", "5"], obj={})
    assert result.exit_code == 1 and "only 1 distinct events for 5 folds" in result.output
    assert "Traceback" not in result.output
