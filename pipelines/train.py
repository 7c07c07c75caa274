"""The train job: retrain from the seed set plus people's corrections, and install only if not worse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from newsdesk.config import Settings
from newsdesk.enrich.evaluation import LabelledItem, Report, newsdesk_predictions, score
from newsdesk.enrich.model import Classifiers, TrainingExample, choose_theme_threshold, train
from newsdesk.enrich.seed import load_seed, split_by_template
from newsdesk.store.enrichments import corrected_examples


@dataclass(frozen=True)
class TrainReport:
    """Held-out figures of the current and the new model, and whether the new one was installed."""

    before: Report
    after: Report
    corrections: int
    installed: bool
    path: Path


def quality(report: Report) -> float:
    """One number to compare models by: the mean of relevance F1, theme macro-F1 and sentiment macro-F1."""
    return (report.relevance.f1 + report.theme_macro_f1 + report.sentiment_macro_f1) / 3


def seed_split() -> tuple[list[TrainingExample], list[LabelledItem]]:
    """Training examples and held-out items from the seed set (split by template)."""
    train_part, held_out = split_by_template(load_seed())
    return ([TrainingExample(e.text, e.relevant, e.themes, e.sentiment) for e in train_part],
            [LabelledItem(e.text, e.relevant, e.themes, e.sentiment) for e in held_out])


def seed_examples() -> list[TrainingExample]:
    """The whole seed set as training examples."""
    return [TrainingExample(e.text, e.relevant, e.themes, e.sentiment) for e in load_seed()]


def theme_threshold_from_seed() -> float:
    """The theme threshold chosen on the held-out part of the seed set."""
    examples, held_out = seed_split()
    probe = train(examples, version_prefix="probe")
    return choose_theme_threshold(probe, [TrainingExample(i.text, i.relevant, i.themes, i.sentiment) for i in held_out])


def build_bundled_model() -> Classifiers:
    """The model shipped in the package: the whole seed set, with a threshold chosen on its held-out part."""
    return train(seed_examples(), version_prefix="seed", theme_threshold=theme_threshold_from_seed())


def run_train(settings: Settings, db: Database, *, force: bool = False) -> TrainReport:
    """Retrain with the corrections; install unless that makes the held-out seed figures worse.

    Both sides of the comparison are trained without the held-out part of the seed set (the
    seed alone, and the seed with the corrections), so neither has seen what it is judged on.
    The model installed is then trained on the whole seed set plus the corrections.
    """
    examples, held_out = seed_split()
    corrections = [TrainingExample(c["text"], c["relevant"], tuple(c["themes"]), c["sentiment"])
                   for c in corrected_examples(db)]
    without = train(examples, version_prefix="seed-part")
    with_corrections = train(examples + corrections, version_prefix="seed-part+corrections")
    before = score("seed only", held_out, newsdesk_predictions(without, held_out))
    after = score("seed + corrections", held_out, newsdesk_predictions(with_corrections, held_out))
    installed = force or quality(after) >= quality(before)
    path = settings.trained_model_path
    if installed:
        train(seed_examples() + corrections, version_prefix="trained",
              theme_threshold=choose_theme_threshold(with_corrections, [
                  TrainingExample(i.text, i.relevant, i.themes, i.sentiment) for i in held_out])).save(path)
    return TrainReport(before, after, len(corrections), installed, path)
