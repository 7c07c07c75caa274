"""The quality gate: figures on ../shared/corpus/labelled/dev.jsonl must not fall below the floors.

dev.jsonl is for measuring only: nothing here trains on it.
"""

import pytest

from newsdesk.enrich.enricher import bundled_model_path
from newsdesk.enrich.evaluation import evaluate, read_labelled
from newsdesk.enrich.model import Classifiers

pytestmark = pytest.mark.corpus

FLOORS = {"relevance_f1": 0.93, "theme_macro_f1": 0.80, "sentiment_macro_f1": 0.65}


def test_bundled_model_meets_the_floors_and_beats_the_baselines(shared_corpus):
    items = read_labelled(shared_corpus / "labelled" / "dev.jsonl")
    ours, baseline = evaluate(Classifiers.load(bundled_model_path()), items)
    figures = {"relevance_f1": ours.relevance.f1, "theme_macro_f1": ours.theme_macro_f1,
               "sentiment_macro_f1": ours.sentiment_macro_f1}
    below = {name: value for name, value in figures.items() if value < FLOORS[name]}
    assert not below, f"below the floors {FLOORS}: {below}"
    assert ours.relevance.f1 >= baseline.relevance.f1
    assert ours.theme_macro_f1 > baseline.theme_macro_f1
    assert ours.sentiment_macro_f1 > baseline.sentiment_macro_f1
