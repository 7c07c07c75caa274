"""Honest measurement on a labelled file: K-fold cross-validation grouped by event, thresholds
chosen out of fold, and bootstrap intervals.

Items about one event (the same suit or deal, reported by several outlets) stay in one fold:
they are grouped when their headline and lede are similar (TF-IDF cosine, single link), so a
model is never scored on a near-copy of what it was trained on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdesk.enrich.evaluation import LabelledDataError, LabelledItem, Prediction, Report, score
from newsdesk.enrich.judge import Judgement, assign_themes, judge_batch
from newsdesk.enrich.model import THEMES, Classifiers, TrainingExample

SAME_EVENT_SIMILARITY = 0.25  # at this cosine, 60 of 67 item pairs the labellers tied to one event are grouped
THRESHOLD_GRID = tuple(round(x, 2) for x in np.arange(0.2, 0.81, 0.05))


def event_groups(texts: list[str], *, similarity: float = SAME_EVENT_SIMILARITY) -> list[int]:
    """A group number per text: texts linked by a chain of similar pairs share one."""
    if not texts:
        return []
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    similar = (matrix @ matrix.T).tocoo()
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, value in zip(similar.row, similar.col, similar.data, strict=True):
        if i < j and value >= similarity:
            parent[root(i)] = root(j)
    return [root(i) for i in range(len(texts))]


def grouped_folds(texts: list[str], k: int, *, seed: int = 0) -> list[np.ndarray]:
    """The test indices of ``k`` folds; whole event groups are dealt to the smallest fold, largest first."""
    if k < 2:
        raise LabelledDataError("cross-validation needs at least 2 folds")
    groups: dict[int, list[int]] = {}
    for index, group in enumerate(event_groups(texts)):
        groups.setdefault(group, []).append(index)
    if len(groups) < k:
        raise LabelledDataError(f"cross-validation: only {len(groups)} distinct events for {k} folds; "
                                "use fewer folds or more labelled items")
    rng = np.random.default_rng(seed)
    members = list(groups.values())
    order = sorted(rng.permutation(len(members)), key=lambda g: -len(members[g]))
    folds: list[list[int]] = [[] for _ in range(k)]
    for g in order:
        min(folds, key=len).extend(members[g])
    return [np.asarray(sorted(fold)) for fold in folds]


@dataclass(frozen=True)
class OutOfFold:
    """Every item's judgement by a model that did not see it (or its event) in training."""

    items: list[LabelledItem]
    judgements: list[Judgement]
    folds: list[int]  # the fold each item was held out in

    def predictions(self) -> list[Prediction]:
        """The predictions as judged (themes at the training recipe's thresholds)."""
        return [Prediction(j.relevant, tuple(j.themes_if_relevant), j.sentiment) for j in self.judgements]


def out_of_fold(items: list[LabelledItem], train_model: Callable[[list[TrainingExample]], Classifiers],
                *, k: int = 5, always: Sequence[TrainingExample] = (), seed: int = 0,
                on_fold: Callable[[int], None] | None = None) -> OutOfFold:
    """Judge each fold with a model trained on the other folds plus ``always`` (e.g. the seed set)."""
    judgements: list[Judgement | None] = [None] * len(items)
    fold_of = [0] * len(items)
    for number, test in enumerate(grouped_folds([i.text for i in items], k, seed=seed), 1):
        held = set(test.tolist())
        training = [*always, *(example_of(item) for n, item in enumerate(items) if n not in held)]
        model = train_model(training)
        for index, judgement in zip(test, judge_batch(model, [items[i].text for i in test]), strict=True):
            judgements[index] = judgement
            fold_of[index] = number
        if on_fold is not None:
            on_fold(number)
    return OutOfFold(items, [j for j in judgements if j is not None], fold_of)


def fold_threshold_predictions(oof: OutOfFold) -> list[Prediction]:
    """Predictions whose theme thresholds, for each fold, were chosen on the other folds only
    (so the figures do not flatter the thresholds)."""
    predictions: list[Prediction | None] = [None] * len(oof.items)
    for fold in sorted(set(oof.folds)):
        others = [i for i, f in enumerate(oof.folds) if f != fold]
        thresholds = choose_theme_thresholds([oof.items[i] for i in others], [oof.judgements[i] for i in others])
        for i, f in enumerate(oof.folds):
            if f == fold:
                j = oof.judgements[i]
                predictions[i] = Prediction(j.relevant, tuple(assign_themes(j.theme_scores, thresholds)), j.sentiment)
    return [p for p in predictions if p is not None]


def example_of(item: LabelledItem, weight: float = 1.0) -> TrainingExample:
    """A labelled item as a training example."""
    return TrainingExample(item.text, item.relevant, item.themes, item.sentiment, weight)


def choose_theme_thresholds(items: list[LabelledItem], judgements: list[Judgement]) -> dict[str, float]:
    """Per theme, the threshold with the best F1 of out-of-fold ``judgements`` on the gold-relevant
    ``items`` (ties: the nearest to 0.5)."""
    relevant = [(item, j) for item, j in zip(items, judgements, strict=True) if item.relevant]
    chosen = {}
    for theme in THEMES:
        gold = np.array([theme in item.themes for item, _ in relevant])
        scores = np.array([j.theme_scores.get(theme, 0.0) for _, j in relevant])
        best = max(THRESHOLD_GRID, key=lambda t: (_f1(gold, scores >= t), -abs(t - 0.5)))
        chosen[theme] = float(best)
    return chosen


def _f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    tp = int((gold & predicted).sum())
    return 2 * tp / (int(gold.sum()) + int(predicted.sum())) if tp else 0.0


def figures(report: Report) -> tuple[float, float, float]:
    """Relevance F1, theme macro-F1, sentiment macro-F1."""
    return report.relevance.f1, report.theme_macro_f1, report.sentiment_macro_f1


def bootstrap_intervals(items: list[LabelledItem], predictions: list[Prediction], *, resamples: int = 1000,
                        seed: int = 0) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of the three figures over items resampled with replacement."""
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(resamples):
        picked = rng.integers(0, len(items), len(items))
        samples.append(figures(score("", [items[i] for i in picked], [predictions[i] for i in picked])))
    low, high = np.percentile(np.asarray(samples), [2.5, 97.5], axis=0)
    names = ("relevance_f1", "theme_macro_f1", "sentiment_macro_f1")
    return {name: (round(float(lo), 3), round(float(hi), 3)) for name, lo, hi in zip(names, low, high, strict=True)}
