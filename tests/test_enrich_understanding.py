"""Lexicon, gazetteer, seed set, model artifacts and judgements."""

from __future__ import annotations

import collections

import pytest
import skops.io as sio

from newsdesk.enrich import nlp as nlp_module
from newsdesk.enrich.crossval import example_of
from newsdesk.enrich.enricher import Enricher, TextItem, bundled_model_path
from newsdesk.enrich.entities import load_gazetteer
from newsdesk.enrich.lexicon import AI_CUES, find_cues
from newsdesk.enrich.model import Classifiers, ModelError, fingerprint
from newsdesk.enrich.seed import load_seed
from newsdesk.enrich.training_data import real_items, seed_examples


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def test_cues_match_whole_words_and_hyphenated_ai():
    assert find_cues("An AI-altered ending angers the director", AI_CUES) == ["ai"]
    assert find_cues("Studio tests de-aging tools", AI_CUES) == ["de-aging"]
    assert find_cues("The maid said hello", AI_CUES) == []


def test_gazetteer_is_large_typed_and_canonical():
    entries = load_gazetteer()
    assert len(entries) >= 300
    assert {e.type for e in entries} == {"org", "union", "person", "product", "law"}
    assert len({e.id for e in entries}) == len(entries)


def test_aliases_resolve_to_one_canonical_entity(enricher):
    (result,) = enricher.enrich([TextItem("1", "Screen Actors Guild and SAG-AFTRA back the NO FAKES Act",
                                          "Lionsgate and Runway were named; so was WGA.")])
    ids = {(e.id, e.label) for e in result.entities}
    assert ("union:sag-aftra", "union") in ids
    assert ("law:no-fakes-act", "law") in ids
    assert ("org:lionsgate", "org") in ids and ("org:runway", "org") in ids
    assert ("union:writers-guild-of-america", "union") in ids
    assert sum(e.id == "union:sag-aftra" for e in result.entities) == 1


def test_seed_set_is_large_balanced_and_has_hard_negatives():
    seed = load_seed()
    assert len(seed) >= 800
    relevant = sum(e.relevant for e in seed)
    assert 0.4 <= relevant / len(seed) <= 0.65
    themes = collections.Counter(t for e in seed for t in e.themes)
    assert min(themes.values()) >= 100
    headlines = " ".join(e.headline.lower() for e in seed if not e.relevant)
    for hard_negative in ("review:", "robot", "hospital", "strike over pay", "ai weiwei", "runway at fashion week"):
        assert hard_negative in headlines or hard_negative.split()[0] in headlines, hard_negative


@pytest.mark.corpus
def test_bundled_model_is_built_from_the_seed_set_and_the_shared_training_file(shared_corpus):
    """The shipped artifact's version digests exactly its training examples and settings: nobody edited
    the seed set, or changed train.jsonl, without rebuilding (python -m newsdesk.enrich.build)."""
    models = Classifiers.load(bundled_model_path())
    items = real_items(shared_corpus / "labelled" / "train.jsonl")
    examples = seed_examples(models.meta["seed_weight"]) + [example_of(i) for i in items]
    digest = fingerprint(examples, models.theme_thresholds)
    assert models.version == f"bundled-{digest}"
    assert models.meta["labelled_items"] == len(items) == 650
    assert set(models.theme_thresholds) == {"labour", "legal", "technology", "business"}


def test_the_build_stops_clearly_without_the_shared_training_file(monkeypatch, tmp_path, capsys):
    from newsdesk.enrich import build, training_data

    monkeypatch.delenv(training_data.ENV, raising=False)
    monkeypatch.setattr(training_data, "SHARED_TRAIN", tmp_path / "absent.jsonl")
    before = bundled_model_path().stat().st_mtime_ns
    with pytest.raises(SystemExit) as stopped:
        build.main()
    assert stopped.value.code == 1
    assert "labelled training file was not found" in capsys.readouterr().err
    assert bundled_model_path().stat().st_mtime_ns == before  # the shipped model is left alone


def test_model_round_trips_and_refuses_foreign_types(tmp_path):
    models = Classifiers.load(bundled_model_path())
    path = tmp_path / "copy.skops"
    models.save(path)
    assert Classifiers.load(path).version == models.version
    evil = tmp_path / "evil.skops"
    sio.dump({"version": "x", "payload": collections.Counter(a=1)}, evil)
    with pytest.raises(ModelError, match="types newsdesk does not load"):
        Classifiers.load(evil)
    with pytest.raises(ModelError, match="not found"):
        Classifiers.load(tmp_path / "missing.skops")


@pytest.mark.parametrize("title, summary, relevant", [
    ("Lionsgate signs deal with Runway to train an AI video model on its library",
     "The studio says filmmakers will use it for storyboards and effects.", True),
    ("Voice actors strike over AI replicas in video games",
     "Performers want consent and pay whenever a digital replica is used.", True),
    ("Review: 'Mother Circuit' is a chilly thriller about a rogue AI",
     "The film about an android that turns on its makers has style to spare.", False),
    ("Hospital uses AI to spot cancers earlier in scans", "Radiologists say the system flags urgent cases.", False),
    ("Stagehands strike over pay and overtime", "The union wants higher wages and rest periods.", False),
])
def test_judgements_on_clear_cases(enricher, title, summary, relevant):
    (result,) = enricher.enrich([TextItem("x", title, summary)])
    assert result.judgement.relevant is relevant
    assert result.judgement.evidence["relevance"]
    if relevant:
        assert result.judgement.themes
        for theme in result.judgement.themes:
            assert result.judgement.evidence[theme], theme
    else:
        assert result.judgement.themes == []


def test_themes_and_sentiment_follow_the_conventions(enricher):
    suit, deal = enricher.enrich([
        TextItem("a", "Record labels sue AI song generator for copyright infringement",
                 "The labels say the company trained on their recordings without a licence."),
        TextItem("b", "Studio signs licensing deal with AI video company",
                 "The agreement lets the company train a model on the studio's archive."),
    ])
    assert "legal" in suit.judgement.themes and suit.judgement.sentiment == "negative"
    assert "business" in deal.judgement.themes and deal.judgement.sentiment != "negative"
    assert -1 <= suit.judgement.sentiment_score < 0


def test_without_any_spacy_model_it_runs_on_rules_with_one_notice(monkeypatch):
    monkeypatch.setattr(nlp_module, "FALLBACK_MODELS", ())
    rules_only = Enricher(spacy_model="no_such_model")
    assert rules_only.spacy_model is None and "no spaCy model" in rules_only.notice
    assert rules_only.version.endswith("+rules")
    (result,) = rules_only.enrich([TextItem("1", "SAG-AFTRA backs the NO FAKES Act", "")])
    assert {e.id for e in result.entities} == {"union:sag-aftra", "law:no-fakes-act"}


@pytest.mark.parametrize(("title", "summary", "expected", "unexpected"), [
    ("Universal sues Udio over AI songs", "The label says the music generator copied its artists' recordings.",
     "org:universal-music-group", "org:universal-pictures"),
    ("Universal and Disney sue Midjourney", "The studios say the image generator copies their film characters.",
     "org:universal-pictures", "org:universal-music-group"),
    ("Sony pulls AI voices from a PlayStation game", "Players noticed the synthetic lines.",
     "org:sony-interactive-entertainment", "org:sony-group"),
])
def test_ambiguous_names_are_resolved_by_the_context(enricher, title, summary, expected, unexpected):
    (result,) = enricher.enrich([TextItem("1", title, summary)])
    ids = {e.id for e in result.entities}
    assert expected in ids and unexpected not in ids


def test_common_words_roles_and_titles_are_not_taken_for_names(enricher):
    (result,) = enricher.enrich([TextItem(
        "1", "VFX houses adopt AI tools for the android in 'Drift Kings'",
        "Max streams it; Watch Ed and James's TV show. Billboard charts rise and CGI artists worry.")])
    names = {e.text for e in result.entities}
    assert not names & {"VFX", "android", "Max", "Billboard", "CGI", "Drift Kings", "Drift Kings'", "Watch Ed"}
    assert all(not e.text.endswith(("'", "’", ",")) for e in result.entities)


def test_names_lose_stray_punctuation_but_keep_their_own():
    from newsdesk.enrich.entities import clean_name

    assert [clean_name(t) for t in ("Drift Kings'", "Netflix's", "“Fever Coast”", "Disney+", "Warner Bros.")] == [
        "Drift Kings", "Netflix", "Fever Coast", "Disney+", "Warner Bros."]


def test_sentiment_evidence_says_which_task_and_which_convention(enricher):
    (win, other) = enricher.enrich([
        TextItem("1", "SAG-AFTRA members ratify contract with AI protections",
                 "The deal secures informed consent and pay for digital replicas of performers."),
        TextItem("2", "Family film tops the weekend box office", "Audiences returned to cinemas."),
    ])
    assert win.judgement.evidence["sentiment"][0].startswith("stance toward AI in entertainment: ")
    lines = win.judgement.evidence["sentiment"]
    assert any(line.startswith("protective win (neutral by convention)") for line in lines)
    assert other.judgement.evidence["sentiment"][0].startswith("general tone: ")
