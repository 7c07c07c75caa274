"""The evaluate job: figures of newsdesk and the keyword/VADER baseline on a labelled file, with
bootstrap intervals; held out (the installed model judges) or by grouped cross-validation."""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.enrich.crossval import bootstrap_intervals, fold_threshold_predictions, out_of_fold
from newsdesk.enrich.evaluation import (
    LabelledItem,
    Prediction,
    Report,
    keyword_predictions,
    newsdesk_predictions,
    score,
    vader_sentiment,
)
from newsdesk.enrich.model import Classifiers, train
from newsdesk.enrich.training_data import bundled_seed_weight, seed_examples

Intervals = dict[str, tuple[float, float]]


def _with_baseline(system: str, items: list[LabelledItem], ours: list[Prediction],
                   on_step: Callable[[str], None]) -> tuple[list[Report], list[Intervals]]:
    baseline = keyword_predictions(items, vader_sentiment())
    on_step("bootstrap intervals")
    return ([score(system, items, ours), score("baseline: keywords + VADER", items, baseline)],
            [bootstrap_intervals(items, ours), bootstrap_intervals(items, baseline)])


def held_out_reports(models: Classifiers, items: list[LabelledItem], *,
                     on_step: Callable[[str], None] = lambda _: None) -> tuple[list[Report], list[Intervals]]:
    """The installed model and the baseline on items neither was trained on."""
    on_step("judging")
    return _with_baseline(f"newsdesk {models.version}", items, newsdesk_predictions(models, items), on_step)


def cross_validated_reports(items: list[LabelledItem], folds: int, *, seed_weight: float | None = None,
                            on_step: Callable[[str], None] = lambda _: None) -> tuple[list[Report], list[Intervals]]:
    """Grouped K-fold CV of newsdesk's training recipe on ``items`` (seed set in every fold), beside the baseline."""
    weight = seed_weight if seed_weight is not None else bundled_seed_weight()
    oof = out_of_fold(items, lambda examples: train(examples, version_prefix="cv"), k=folds,
                      always=seed_examples(weight), on_fold=lambda n: on_step(f"fold {n} of {folds}"))
    return _with_baseline(f"newsdesk, grouped {folds}-fold CV", items, fold_threshold_predictions(oof), on_step)
