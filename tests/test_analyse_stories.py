"""Stories: hand-built clustering cases, event types, impact, the cluster command, and the demo's stories."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.analyse.clustering import (
    Clusterer,
    OfflineItem,
    Story,
    Vectoriser,
    bcubed,
    cluster_offline,
    headline_names,
    pairwise,
    terms,
)
from newsdesk.analyse.events import event_type
from newsdesk.analyse.impact import impact
from newsdesk.cli import cli
from newsdesk.config import Settings
from tests.stored_articles import add_relevant_article

T0 = datetime(2026, 11, 16, 9, tzinfo=UTC)


def _item(i: str, title: str, text: str = "", hours: float = 0, source: str = "x") -> OfflineItem:
    return OfflineItem(i, title, text, T0 + timedelta(hours=hours), source)


FILLER = [_item(f"f{n}", title, hours=n) for n, title in enumerate([
    "Box office: family film tops the weekend", "Band announces world tour", "Chip maker reports record sales",
    "Streaming service raises prices", "Festival unveils its lineup", "Game sells five million copies",
    "Hospital opens new cancer wing", "Bank cuts interest rates again", "Theatre season announced in London",
])]
LIONSGATE = [
    _item("a1", "Lionsgate signs deal with Runway to train AI video model on its film library",
          "The studio will let Runway build a custom generative model from its catalogue.", 1, "trade"),
    _item("a2", "Lionsgate and Runway strike first-of-its-kind studio AI partnership",
          "A major studio hands its archive to an AI video company for a custom model.", 3, "daily"),
    _item("a3", "Runway lands a Hollywood studio: Lionsgate will get its own generative video model",
          "The startup will fine-tune a model exclusively for Lionsgate's film library.", 6, "tech"),
]
RUNWAY_OTHER = [_item("b1", "Runway releases Gen-4 update for character consistency",
                      "The video model keeps faces stable across shots.", 30, "tech"),
                _item("b2", "Runway's new Gen-4 model keeps characters consistent, testers say",
                      "Early users say faces and costumes stay stable across shots.", 33, "vfx")]


def test_one_story_told_by_three_outlets_in_different_words():
    assigned = cluster_offline(LIONSGATE + FILLER)
    assert len({assigned[i.id] for i in LIONSGATE}) == 1
    assert all(assigned[f.id] != assigned["a1"] for f in FILLER)


def test_two_different_stories_about_the_same_company_stay_apart():
    assigned = cluster_offline(LIONSGATE + RUNWAY_OTHER + FILLER)
    assert assigned["b1"] == assigned["b2"]
    assert assigned["b1"] != assigned["a1"]


SUITS = [_item("s1", "Screenwriters sue Pika over scripts used to train its models",
               "The proposed class action says copyrighted screenplays were scraped without permission.", 1, "trade"),
         _item("s2", "Screenwriters sue Runway over scripts used to train its models",
               "The proposed class action says copyrighted screenplays were scraped without permission.", 2, "daily"),
         _item("s3", "Pika faces class action from screenwriters over training scripts",
               "Writers say the video start-up scraped their screenplays.", 3, "tech")]
VOTES = [_item("v1", "IATSE members vote to authorise action over AI terms",
               "Members backed action if producers refuse consent and pay rules for AI.", 1, "trade"),
         _item("v2", "The Directors Guild members vote to authorise action over AI terms",
               "Members backed action if producers refuse consent and pay rules for AI.", 2, "daily")]


def test_suits_against_different_companies_and_votes_of_different_unions_are_different_stories():
    assigned = cluster_offline(SUITS + VOTES + FILLER)
    assert assigned["s1"] == assigned["s3"]  # the same suit, told in other words, stays one story
    assert assigned["s2"] != assigned["s1"]
    assert assigned["v1"] != assigned["v2"]


def test_headline_names_come_from_sentence_case_headlines_only():
    assert headline_names("Screenwriters sue Pika over scripts used to train its models") == {"pika"}
    assert headline_names("IATSE members vote to authorise action over AI terms") == {"iatse"}
    assert headline_names("Apple Releases iOS 7.1 Update With New Features") == frozenset()  # Title Case


def test_terms_split_compounds_fold_possessives_and_drop_dates():
    assert terms("Comcast-Time Warner deal: Comcast/TWC and Comcast&Time") == [
        "comcast", "time", "warner", "deal", "comcast", "twc", "comcast", "time"]
    assert terms("SAG-AFTRA and AT&T back Disney\u2019s Mt.Gox plan") == [
        "sag-aftra", "at&t", "disney", "mt", "gox", "plan"]
    assert terms("iOS 7.1 arrives on March 10, 2014, tonight") == ["ios", "7.1", "arrives", "10"]


def test_stories_alike_in_wording_about_different_subjects_do_not_merge():
    def story(sid: str, centroid: dict[str, float]) -> Story:
        return Story(sid, centroid, T0, T0, size=5)

    clusterer = Clusterer(Vectoriser({}, 0))
    for s in (story("sbarro", {"sbarro": 3.0, "files": 2.0, "bankruptcy": 2.0, "pizza": 1.0}),
              story("gox", {"gox": 3.0, "files": 2.0, "bankruptcy": 2.0, "bitcoin": 1.0}),
              story("sbarro-again", {"sbarro": 2.0, "chapter": 2.0, "files": 1.0, "11": 1.0})):
        clusterer.adopt(s)
    # Sbarro's and Mt. Gox's filings share two heavy words (cosine 0.44) but neither's name
    merged = clusterer.merge_active(T0)
    assert merged == {"sbarro-again": "sbarro"}
    assert set(clusterer.stories) == {"sbarro", "gox"}


@pytest.mark.corpus
def test_uci_window_clustering_reaches_its_target(shared_corpus):
    """Story clustering on the UCI News Aggregator window (headlines with the aggregator's story ids)."""
    path = shared_corpus / "clustering" / "uci-news-aggregator-2014-03-10_12.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    items = [OfflineItem(r["id"], r["title"], "", datetime.fromisoformat(r["date"]), r["source"])
             for r in rows]
    assigned = cluster_offline(items)
    precision, recall, f1 = bcubed([r["gold_cluster"] for r in rows], [assigned[i.id] for i in items])
    assert f1 >= 0.80, (precision, recall, f1)


def test_a_story_closes_after_the_window_without_coverage():
    late = _item("late", LIONSGATE[0].title, LIONSGATE[0].text, hours=24 * 20, source="late")
    assigned = cluster_offline(LIONSGATE + FILLER + [late])
    assert assigned["late"] != assigned["a1"]


def test_clustering_is_deterministic_for_a_given_input_and_order_of_lines():
    items = LIONSGATE + RUNWAY_OTHER + FILLER
    first = cluster_offline(items)
    shuffled = items[:]
    random.Random(3).shuffle(shuffled)
    assert cluster_offline(items) == first
    # items are processed in date order, so the order of input lines does not matter either
    assert {k: first[k] for k in first} == cluster_offline(shuffled)


def test_bcubed_and_pairwise_on_known_answers():
    assert bcubed(["a", "a", "b"], ["x", "x", "y"]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(["a", "a", "a", "a"], ["x", "x", "y", "y"])
    assert (p, r) == (1.0, 0.5)
    assert pairwise(["a", "a", "b", "b"], ["x", "x", "x", "x"])[:2] == (2 / 6, 1.0)


def test_event_types():
    assert event_type(["Labels sue AI music generator", "Record industry files lawsuit"]) == "lawsuit filed"
    assert event_type(["Judge dismisses most claims", "Court ruling favours AI company"]) == "ruling/settlement"
    assert event_type(["Union members ratify contract", "Game performers ratified the deal"]) == "ratification"
    assert event_type(["SAG-AFTRA members vote to authorise action over AI terms"]) == "vote"
    assert event_type(["Animators walk out over AI backgrounds", "Strike spreads to a second studio"]) == "strike/walk-out"
    assert event_type(["Strike ends with tentative deal on AI consent"]) == "negotiation"
    assert event_type(["Studio signs deal with AI company"]) == "deal/partnership"
    assert event_type(["Google launches Veo update"]) == "product launch"
    assert event_type(["Governor signs bill on digital replicas"]) == "legislation/regulation"
    assert event_type(["Union publishes consent rules for members"]) == "other"


def test_impact_components_and_order():
    times = [T0 + timedelta(hours=h) for h in (0, 2, 5, 30, 60)]
    big = impact(outlets=5, published=times, entities=[{"id": "union:sag-aftra", "type": "union", "kind": "union"}],
                 themes=["labour"], mean_sentiment=-0.6)
    small = impact(outlets=1, published=times[:1], entities=[], themes=["technology"], mean_sentiment=0.0)
    assert big.score > small.score
    assert big.components["prominence"] == 1.0 and big.components["theme_weight"] == 1.0
    assert big.components["velocity"] > small.components["velocity"]
    assert 0 <= small.score <= big.score <= 100


def test_cluster_command_reports_bad_lines(runner, tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": i.id, "title": i.title, "text": i.text, "date": i.date.isoformat(), "source": i.source})
             for i in LIONSGATE]
    source.write_text("\n".join([*lines, "{broken", json.dumps({"id": "x", "title": "bad", "date": "Tuesday"}),
                                  json.dumps({"id": "u", "title": "An undated headline"})]) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["cluster", "--in", str(source), "--out", str(out)], obj={})
    assert result.exit_code == 0, result.output
    assert "line 4" in result.output and "line 5" in result.output and "line 6" not in result.output
    rows = {r["id"]: r["story_id"] for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {"a1", "a2", "a3", "u"}  # a date is optional, as the README says
    assert rows["a1"] == rows["a2"] == rows["a3"] != rows["u"]


def test_demo_leaves_stories_with_the_lionsgate_runway_deal_on_top_of_its_week(runner, db_path):
    assert runner.invoke(cli, ["demo", "--port", "0"], obj={}).exit_code == 0
    from newsdesk.store import open_db

    db = open_db(db_path)
    story = next(db.query(
        """SELECT s.* FROM stories s JOIN article_stories m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id
           WHERE a.title LIKE 'Lionsgate signs deal with Runway%'"""))
    assert story["outlet_count"] >= 4 and story["relevant"] == 1
    assert story["event_type"] == "deal/partnership" and "business" in json.loads(story["themes"])
    assert set(json.loads(story["impact_components"])) == {"breadth", "velocity", "prominence", "theme_weight",
                                                           "sentiment_intensity"}
    assert db.execute("SELECT COUNT(*) FROM article_stories").fetchone()[0] == db.execute(
        "SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL").fetchone()[0]
    listed = json.loads(runner.invoke(cli, ["stories", "--json", "--limit", "200"], obj={}).output)
    assert story["id"] in [s["id"] for s in listed]
    assert runner.invoke(cli, ["analyse"], obj={}).output.startswith("Assigned 0 articles")


def test_terminal_tables_show_ids_links_and_bracketed_text(runner, demo_db):
    wide = {"COLUMNS": "250"}
    stories = runner.invoke(cli, ["stories", "--limit", "3"], obj={}, env=wide)
    assert stories.exit_code == 0 and "┃ id " in stories.output and "s20" in stories.output
    found = runner.invoke(cli, ["search", "digital replica", "--limit", "3"], obj={}, env=wide)
    assert found.exit_code == 0 and "┃ link" in found.output and "http://127.0.0.1:" in found.output
    matrix = runner.invoke(cli, ["matrix", "--weeks", "12"], obj={}, env=wide)
    assert matrix.exit_code == 0 and "[change in volume]" in matrix.output
    assert "%]" in matrix.output or "[new]" in matrix.output  # the change, not eaten as markup


def test_analyse_counts_the_words_again_when_a_migration_cleared_them(runner, demo_db):
    from newsdesk.store import open_db

    db = open_db(demo_db)
    counted = dict(db.execute("SELECT term, df FROM term_df").fetchall())
    assert counted
    with db.conn:
        db.execute("DELETE FROM term_df")  # what migration 0020 does when clustering's words change
    result = runner.invoke(cli, ["analyse"], obj={})
    assert result.exit_code == 0, result.output
    assert dict(open_db(demo_db).execute("SELECT term, df FROM term_df").fetchall()) == counted


def test_a_later_run_keeps_another_company_out_of_a_stored_story_worded_alike(db):
    """The parties a stored story is about (its key entities) are known to the next analyse run, so a
    new article naming another company does not join it however alike the headline."""
    from newsdesk.store.sources import add_source
    from pipelines.analyse import run_analyse

    add_source(db, "https://outlet.example/feed", name="Outlet")
    summary = "The round will pay for more compute and a sales team for film and TV studios."
    def add(title: str, hours: float, company: str) -> str:
        return add_relevant_article(db, title, summary=summary, themes=("business",), when=T0 + timedelta(hours=hours),
                                    entities=[(company, company)])

    first = add("Runway raises $40 million to sell generative video to studios", 0, "Runway")
    add("Generative video start-up Runway raises $40 million", 1, "Runway")
    run_analyse(Settings(), db)
    assert len(set(dict(db.execute("SELECT article_id, story_id FROM article_stories").fetchall()).values())) == 1
    other = add("Luma AI raises $120 million to sell generative video to studios", 5, "Luma AI")
    same = add("Runway's $40 million round will pay for generative video sales to studios", 6, "Runway")
    run_analyse(Settings(), db)
    story = dict(db.execute("SELECT article_id, story_id FROM article_stories").fetchall())
    assert story[same] == story[first]
    assert story[other] != story[first]
