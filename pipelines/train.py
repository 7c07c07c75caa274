"""The train jobs: build the bundled model from the seed set and real labelled news, and retrain
with people's corrections, installing a new model only when it differs and is not worse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from newsdesk.config import Settings
from newsdesk.enrich.crossval import (
    OutOfFold,
    choose_theme_thresholds,
    event_groups,
    example_of,
    figures,
    fold_threshold_predictions,
    out_of_fold,
)
from newsdesk.enrich.enricher import bundled_model_path
from newsdesk.enrich.evaluation import LabelledItem, Report, newsdesk_predictions, score
from newsdesk.enrich.model import Classifiers, TrainingExample, fingerprint, train
from newsdesk.enrich.seed import load_seed, split_by_template
from newsdesk.enrich.training_data import real_items, require_training_file, seed_examples, shared_training_file
from newsdesk.store.enrichments import corrected_examples

SEED_WEIGHTS = (0.25, 0.5, 1.0)  # candidates for the seed's weight beside real news, chosen by grouped CV
CV_FOLDS = 5
CORRECTION_FOLDS = 3  # corrections are few: three folds keep `newsdesk train` to about half a minute
Step = Callable[[str], None]


def quality(report: Report) -> float:
    """One number to compare models by: the mean of relevance F1, theme macro-F1 and sentiment macro-F1."""
    return sum(figures(report)) / 3


def _quiet(_: str) -> None:
    """The default progress callback: says nothing."""


def build_bundled_model(*, on_step: Step = _quiet) -> Classifiers:
    """The model shipped in the package, from the seed set and train.jsonl (which must be present).

    The seed's weight and the per-theme thresholds are chosen by grouped 5-fold cross-validation on
    train.jsonl, the seed set being in every fold's training; the figures are kept in the model's meta.
    """
    items = real_items(require_training_file())
    best: tuple[float, float, OutOfFold] | None = None
    for weight in SEED_WEIGHTS:
        oof = out_of_fold(items, lambda examples: train(examples, version_prefix="cv"), k=CV_FOLDS,
                          always=seed_examples(weight),
                          on_fold=lambda n, w=weight: on_step(f"seed weight {w}: fold {n}"))
        mean = quality(score("cv", items, oof.predictions()))
        if best is None or mean > best[0]:
            best = (mean, weight, oof)
    _, weight, oof = best
    thresholds = choose_theme_thresholds(oof.items, oof.judgements)
    cv = score("grouped CV", items, fold_threshold_predictions(oof))
    on_step("final model")
    models = train(seed_examples(weight) + [example_of(i) for i in items], version_prefix="bundled",
                   theme_thresholds=thresholds)
    models.meta.update({"seed_weight": weight, "cv_folds": CV_FOLDS, "cv_figures": list(figures(cv)),
                        "labelled_items": len(items)})
    return models


@dataclass(frozen=True)
class TrainReport:
    """How the current and the new model do on corrections the new one was not trained on, and on
    the held-out part of the seed set with and without the corrections."""

    before: Report | None
    after: Report | None
    reference_before: Report | None
    reference_after: Report | None
    corrections: int
    installed: bool
    unchanged: bool
    path: Path
    version: str


def _corrections(db: Database) -> list[LabelledItem]:
    return [LabelledItem(c["text"], c["relevant"], tuple(c["themes"]), c["sentiment"]) for c in corrected_examples(db)]


def run_train(settings: Settings, db: Database, *, force: bool = False, on_step: Step = _quiet) -> TrainReport:
    """Retrain on the seed set, train.jsonl (when present) and the corrections.

    Installs the new model only when it differs from the current one and is not worse on either of:
    the corrections, each judged by a model trained without it (beside the current model's figures);
    and the held-out templates of the seed set, trained with and without the corrections (so a batch
    of careless or hostile corrections cannot quietly wreck the model). ``force`` installs anyway.
    """
    bundled = Classifiers.load(bundled_model_path())
    current = Classifiers.load(settings.model_path or bundled_model_path())
    weight = float(bundled.meta.get("seed_weight", 1.0))
    real = [example_of(i) for i in real_items(shared_training_file())]
    corrections = _corrections(db)
    examples = seed_examples(weight) + real + [example_of(c) for c in corrections]
    thresholds = dict(bundled.theme_thresholds)
    digest = fingerprint(examples, thresholds)
    path = settings.trained_model_path
    if current.version.rsplit("-", 1)[-1] == digest:
        return TrainReport(None, None, None, None, len(corrections), False, True, path, current.version)
    before = after = reference_before = reference_after = None
    if corrections:
        on_step("judging the corrections with the current model")
        before = score(f"current {current.version}", corrections, newsdesk_predictions(current, corrections))
        folds = min(CORRECTION_FOLDS, len(set(event_groups([c.text for c in corrections]))))
        base = seed_examples(weight) + real
        if folds >= 2:  # with fewer distinct events there is nothing to hold out and still train on
            oof = out_of_fold(corrections, lambda ex: train(ex, theme_thresholds=thresholds), k=folds, always=base,
                              on_fold=lambda n: on_step(f"held-out corrections: fold {n} of {folds}"))
            after = score("new, on corrections it was not trained on", corrections, oof.predictions())
        reference_before, reference_after = _seed_reference(weight, real, corrections, thresholds, on_step)
    not_worse = all(b is None or a is None or quality(a) >= quality(b)
                    for b, a in ((before, after), (reference_before, reference_after)))
    installed = force or (bool(corrections) and not_worse)
    if installed:
        on_step("final model")
        models = train(examples, version_prefix="trained", theme_thresholds=thresholds)
        models.meta.update({"corrections": len(corrections), "seed_weight": weight})
        models.save(path)
    return TrainReport(before, after, reference_before, reference_after, len(corrections), installed, False, path,
                       f"trained-{digest}")


def _seed_reference(weight: float, real: list[TrainingExample], corrections: list[LabelledItem],
                    thresholds: dict[str, float], on_step: Step) -> tuple[Report, Report]:
    """Held-out seed templates judged by models trained on the rest, without and with the corrections."""
    kept, held_out = split_by_template(load_seed())
    base = [TrainingExample(e.text, e.relevant, e.themes, e.sentiment, weight) for e in kept] + real
    items = [LabelledItem(e.text, e.relevant, e.themes, e.sentiment) for e in held_out]
    on_step("held-out seed set: without the corrections")
    without = train(base, theme_thresholds=thresholds)
    on_step("held-out seed set: with the corrections")
    with_corrections = train(base + [example_of(c) for c in corrections], theme_thresholds=thresholds)
    return (score("held-out seed, without corrections", items, newsdesk_predictions(without, items)),
            score("held-out seed, with corrections", items, newsdesk_predictions(with_corrections, items)))
