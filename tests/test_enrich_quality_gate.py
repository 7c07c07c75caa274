"""The quality gate on ../shared/corpus/labelled (measured only; nothing trains on dev.jsonl).

FLOORS are what the bundled model and its training recipe reach today, so a change cannot
silently make them worse: grouped 5-fold CV on train.jsonl (the seed set in every fold's training)
and the shipped model on dev.jsonl. ISSUE_TARGETS are the Understanding v2 issue's figures, which
are not reached yet (see the README's "How good it is"); they are asserted where met.
"""

import pytest

from newsdesk.enrich.crossval import figures
from newsdesk.enrich.enricher import bundled_model_path
from newsdesk.enrich.evaluation import read_labelled
from newsdesk.enrich.model import Classifiers
from pipelines.evaluate import cross_validated_reports, held_out_reports

pytestmark = pytest.mark.corpus

ISSUE_TARGETS = {"cv": (0.93, 0.85, 0.72), "dev": (0.93, 0.80, 0.70)}
FLOORS = {"cv": (0.92, 0.76, 0.63), "dev": (0.89, 0.77, 0.61)}
NAMES = ("relevance F1", "theme macro-F1", "sentiment macro-F1")


@pytest.fixture(scope="module")
def dev_reports(shared_corpus):
    return held_out_reports(Classifiers.load(bundled_model_path()),
                            read_labelled(shared_corpus / "labelled" / "dev.jsonl"))[0]


@pytest.fixture(scope="module")
def cv_reports(shared_corpus):
    return cross_validated_reports(read_labelled(shared_corpus / "labelled" / "train.jsonl"), 5)[0]


def _below(reports, floors) -> dict[str, float]:
    return {name: value for name, value, floor in zip(NAMES, figures(reports[0]), floors, strict=True) if value < floor}


def test_dev_figures_hold_their_floors(dev_reports):
    assert not _below(dev_reports, FLOORS["dev"]), FLOORS["dev"]


@pytest.mark.timeout(600)
def test_grouped_cross_validation_holds_its_floors(cv_reports):
    assert not _below(cv_reports, FLOORS["cv"]), FLOORS["cv"]


@pytest.mark.parametrize("split", ["dev", "cv"])
def test_clearly_better_than_keyword_rules_and_vader(split, dev_reports, request):
    reports = dev_reports if split == "dev" else request.getfixturevalue("cv_reports")
    (relevance, themes, sentiment), (base_relevance, base_themes, base_sentiment) = (figures(r) for r in reports)
    assert relevance >= base_relevance - 0.03  # within noise of the rules on relevance, far ahead on the rest
    assert themes >= base_themes + 0.08
    assert sentiment >= base_sentiment + 0.10
