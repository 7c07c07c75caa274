"""Measure judgements against labelled items, beside two baselines: keyword rules and VADER."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsdesk.enrich.judge import Judgement, judge_batch
from newsdesk.enrich.lexicon import AI_CUES, ENTERTAINMENT_CUES, FICTION_CUES, THEME_CUES, find_cues
from newsdesk.enrich.model import SENTIMENTS, THEMES, Classifiers
from newsdesk.errors import NewsdeskError


class LabelledDataError(NewsdeskError):
    """A labelled file cannot be read."""


@dataclass(frozen=True)
class LabelledItem:
    """One labelled item in the format of ../shared/corpus/labelled."""

    text: str
    relevant: bool
    themes: tuple[str, ...]
    sentiment: str


@dataclass(frozen=True)
class Prediction:
    relevant: bool
    themes: tuple[str, ...]
    sentiment: str


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of one yes/no judgement."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    """Every figure `newsdesk evaluate` prints, for one system."""

    system: str
    relevance: Scores
    themes: dict[str, Scores]
    theme_macro_f1: float
    sentiment_accuracy: float
    sentiment_macro_f1: float
    confusion: dict[str, dict[str, int]]

    def as_dict(self) -> dict:
        return json.loads(json.dumps(self, default=lambda o: o.__dict__))


def read_labelled(path: Path) -> list[LabelledItem]:
    """Items with headline, lede, relevant, themes and sentiment; bad lines are an error naming the line."""
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LabelledDataError(f"evaluate: cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            items.append(LabelledItem(f"{row['headline']}. {row.get('lede', '')}".strip(), bool(row["relevant"]),
                                      tuple(row.get("themes") or ()), str(row["sentiment"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise LabelledDataError(f"evaluate: {path} line {number} is not a labelled item: {exc}") from exc
    return items


def _scores(gold: list[bool], predicted: list[bool]) -> Scores:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(round(precision, 3), round(recall, 3), round(f1, 3), sum(gold))


def score(system: str, items: list[LabelledItem], predictions: list[Prediction]) -> Report:
    """Relevance P/R/F1, per-theme P/R/F1 on gold-relevant items, sentiment accuracy, macro-F1, confusion."""
    relevance = _scores([i.relevant for i in items], [p.relevant for p in predictions])
    relevant = [(i, p) for i, p in zip(items, predictions, strict=True) if i.relevant]
    themes = {t: _scores([t in i.themes for i, _ in relevant], [t in p.themes for _, p in relevant]) for t in THEMES}
    confusion = {g: {p: 0 for p in SENTIMENTS} for g in SENTIMENTS}
    for item, prediction in zip(items, predictions, strict=True):
        confusion[item.sentiment][prediction.sentiment] += 1
    per_class = [
        _scores([i.sentiment == label for i in items], [p.sentiment == label for p in predictions]).f1
        for label in SENTIMENTS
    ]
    accuracy = sum(confusion[label][label] for label in SENTIMENTS) / len(items) if items else 0.0
    return Report(system, relevance, themes, round(sum(t.f1 for t in themes.values()) / len(THEMES), 3),
                  round(accuracy, 3), round(sum(per_class) / len(per_class), 3), confusion)


def newsdesk_predictions(models: Classifiers, items: list[LabelledItem]) -> list[Prediction]:
    """Our judgements; themes are those the theme models assign, scored on gold-relevant items."""
    judgements: list[Judgement] = judge_batch(models, [i.text for i in items])
    return [Prediction(j.relevant, tuple(j.themes_if_relevant), j.sentiment) for j in judgements]


def keyword_predictions(items: list[LabelledItem], sentiment: Callable[[str], str]) -> list[Prediction]:
    """The baseline: AI cue and entertainment cue and no fiction cue; a theme per cue found."""
    predictions = []
    for item in items:
        relevant = bool(find_cues(item.text, AI_CUES) and find_cues(item.text, ENTERTAINMENT_CUES)
                        and not find_cues(item.text, FICTION_CUES))
        themes = tuple(t for t in THEMES if find_cues(item.text, THEME_CUES[t]))
        predictions.append(Prediction(relevant, themes, sentiment(item.text)))
    return predictions


def vader_sentiment() -> Callable[[str], str]:
    """VADER's compound score with its customary ±0.05 thresholds."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()

    def label(text: str) -> str:
        compound = analyser.polarity_scores(text)["compound"]
        return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"

    return label


def evaluate(models: Classifiers, items: list[LabelledItem]) -> list[Report]:
    """newsdesk and the baseline (keyword rules with VADER sentiment), on the same items."""
    return [score(f"newsdesk {models.version}", items, newsdesk_predictions(models, items)),
            score("baseline: keywords + VADER", items, keyword_predictions(items, vader_sentiment()))]
