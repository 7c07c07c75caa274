"""The quality gate on ../shared/corpus/labelled/dev.jsonl (measured only; nothing trains on it).

REGRESSION_FLOORS are what the bundled model reaches today: falling below them fails.
ISSUE_TARGETS are the figures the Understanding issue asks for; relevance meets its target,
themes and sentiment do not yet (see the issue's notes), so they are asserted only where met.
"""

import pytest

from newsdesk.enrich.enricher import bundled_model_path
from newsdesk.enrich.evaluation import evaluate, read_labelled
from newsdesk.enrich.model import Classifiers

pytestmark = pytest.mark.corpus

ISSUE_TARGETS = {"relevance_f1": 0.93, "theme_macro_f1": 0.80, "sentiment_macro_f1": 0.65}
REGRESSION_FLOORS = {"relevance_f1": 0.93, "theme_macro_f1": 0.72, "sentiment_macro_f1": 0.63}


@pytest.fixture(scope="module")
def reports(shared_corpus):
    items = read_labelled(shared_corpus / "labelled" / "dev.jsonl")
    return evaluate(Classifiers.load(bundled_model_path()), items)


def _figures(report) -> dict[str, float]:
    return {"relevance_f1": report.relevance.f1, "theme_macro_f1": report.theme_macro_f1,
            "sentiment_macro_f1": report.sentiment_macro_f1}


def test_no_regression_below_the_floors(reports):
    ours = _figures(reports[0])
    below = {name: value for name, value in ours.items() if value < REGRESSION_FLOORS[name]}
    assert not below, f"below the regression floors {REGRESSION_FLOORS}: {below}"


def test_relevance_meets_the_issue_target(reports):
    assert _figures(reports[0])["relevance_f1"] >= ISSUE_TARGETS["relevance_f1"]


def test_clearly_better_than_keyword_rules_and_vader(reports):
    ours, baseline = (_figures(r) for r in reports)
    assert ours["relevance_f1"] >= baseline["relevance_f1"]
    assert ours["theme_macro_f1"] >= baseline["theme_macro_f1"] + 0.08
    assert ours["sentiment_macro_f1"] >= baseline["sentiment_macro_f1"] + 0.10
