"""Themes added in config: validated, judged by phrases and examples with evidence, versioned so that
changing them re-enriches, and shown in the briefing like the built-in four."""

from __future__ import annotations

import json

import pytest

from newsdesk.cli import cli
from newsdesk.config import load_settings, settings_from_dict
from newsdesk.enrich.custom_themes import CustomThemes
from newsdesk.enrich.judge import Judgement
from newsdesk.errors import ConfigError
from newsdesk.models import ThemeDefinition
from newsdesk.store import open_db
from newsdesk.store.facts import facet_names
from pipelines.brief import last_complete_week, make_briefing
from pipelines.enrich import run_enrich

DUBBING = ThemeDefinition(
    "dubbing", "AI dubbing, voice cloning and localisation of films and series",
    phrases=("dubbing", "dubbed", "lip sync"),
    examples=("Streamer uses synthetic voices to localise its drama into twelve languages",
              "Voice actors object as studio clones voices for foreign-language versions"))
CONFIG = """
[themes.dubbing]
description = "AI dubbing, voice cloning and localisation of films and series"
phrases = ["dubbing", "dubbed", "lip sync"]
examples = ["Streamer uses synthetic voices to localise its drama into twelve languages",
            "Voice actors object as studio clones voices for foreign-language versions"]
"""


def _judgement(relevant: bool = True) -> Judgement:
    return Judgement(relevant, 0.9 if relevant else 0.1, ["technology"] if relevant else [], ["technology"],
                     {"technology": 0.8}, "neutral", 0.0, {"relevance": ["AI: ai"]})


def test_config_reads_themes_and_names_what_is_wrong(tmp_path):
    path = tmp_path / "newsdesk.toml"
    path.write_text(CONFIG)
    assert load_settings(path).themes == (DUBBING,)
    cases = {
        "labour": ({"description": "x", "phrases": ["a"]}, "is built in"),
        "Bad Name": ({"description": "x", "phrases": ["a"]}, "lower-case"),
        "music-rights": ({"phrases": ["a"]}, "needs a description"),
        "vfx": ({"description": "x"}, "needs seed phrases or examples"),
        "games": ({"description": "x", "phrases": "a"}, "'phrases' in [themes.games]"),
        "ads": ({"description": "x", "phrases": ["a"], "colour": "red"}, "unknown key 'colour'"),
    }
    for name, (table, message) in cases.items():
        with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
            settings_from_dict({"themes": {name: table}})


def test_phrases_and_examples_assign_the_theme_with_evidence():
    themes = CustomThemes((DUBBING,))
    by_phrase = themes.apply(_judgement(), "Netflix tests AI dubbing for its Korean dramas")
    assert by_phrase.themes == ["technology", "dubbing"] and by_phrase.theme_scores["dubbing"] >= 0.7
    assert by_phrase.evidence["dubbing"][0] == "cue: dubbing"
    by_example = themes.apply(_judgement(), "Studio clones voices of actors for foreign-language versions of its hit")
    assert "dubbing" in by_example.themes
    assert by_example.evidence["dubbing"][-1].startswith("like example: Voice actors object")
    unrelated = themes.apply(_judgement(), "Union and studios reach a deal on AI writing tools")
    assert "dubbing" not in unrelated.themes and unrelated.theme_scores["dubbing"] < 0.5
    not_relevant = themes.apply(_judgement(relevant=False), "Box office: the dubbed version of Low Tide opens")
    assert not_relevant.themes == [] and "dubbing" in not_relevant.themes_if_relevant


def test_classify_uses_config_themes_and_enrich_redoes_articles_when_they_change(demo_db, runner, tmp_path):
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"id": "a", "title": "Netflix uses generative AI dubbing to release its anime "
                                                     "in 20 languages"}) + "\n")
    config = tmp_path / "newsdesk.toml"
    config.write_text(CONFIG)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["--config", str(config), "classify", "--in", str(items), "--out", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text())
    assert record["relevant"] and "dubbing" in record["themes"] and record["evidence"]["dubbing"]
    assert "+themes-" in record["model_version"]

    settings = load_settings(config)
    db = open_db(demo_db)
    total = db.execute("SELECT COUNT(*) FROM enrichments").fetchone()[0]
    report = run_enrich(settings, db)
    assert report.enriched == total and "+themes-" in report.model_version  # a new taxonomy re-judges all
    assert run_enrich(settings, db).enriched == 0  # incremental again once the new version is recorded
    dubbed = db.execute("SELECT COUNT(*) FROM article_themes WHERE theme = 'dubbing'").fetchone()[0]
    assert dubbed > 0 and "dubbing" in facet_names(db, "theme")
    briefing = make_briefing(settings, db, last_complete_week())
    assert "### Dubbing" in briefing.markdown
