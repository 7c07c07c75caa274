"""The train job: retrain from the seed set plus people's corrections, and install only if not worse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from newsdesk.config import Settings
from newsdesk.enrich.enricher import bundled_model_path
from newsdesk.enrich.evaluation import LabelledItem, Report, newsdesk_predictions, score
from newsdesk.enrich.model import Classifiers, TrainingExample, train
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


def build_bundled_model() -> Classifiers:
    """The model shipped in the package: the training part of the seed set, nothing else."""
    examples, _ = seed_split()
    return train(examples, version_prefix="seed")


def run_train(settings: Settings, db: Database, *, force: bool = False) -> TrainReport:
    """Train on the seed's training part plus corrections; install unless worse on the held-out seed."""
    examples, held_out = seed_split()
    corrections = [TrainingExample(c["text"], c["relevant"], tuple(c["themes"]), c["sentiment"])
                   for c in corrected_examples(db)]
    current = Classifiers.load(settings.model_path or bundled_model_path())
    candidate = train(examples + corrections, version_prefix="trained")
    before = score(f"current {current.version}", held_out, newsdesk_predictions(current, held_out))
    after = score(f"new {candidate.version}", held_out, newsdesk_predictions(candidate, held_out))
    installed = force or quality(after) >= quality(before)
    path = settings.trained_model_path
    if installed:
        candidate.save(path)
    return TrainReport(before, after, len(corrections), installed, path)
