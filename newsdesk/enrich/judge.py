"""Judge texts: relevance, themes, sentiment, with evidence (models plus transparent rules).

Texts are judged in batches: each model transforms the whole batch once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.pipeline import Pipeline

from newsdesk.enrich.lexicon import (
    AI_CUES,
    CONVENTION_CUES,
    ENTERTAINMENT_CUES,
    FICTION_CUES,
    SENTIMENT_CUES,
    THEME_CUES,
    find_cues,
)
from newsdesk.enrich.model import SENTIMENTS, Classifiers

RELEVANCE_THRESHOLD = 0.5
NO_AI_CUE_FACTOR = 0.3  # a text with no AI cue at all can hardly be about AI
# No such rule for entertainment: real headlines name a film, a performer or a studio more often than
# they say "film" or "actor", and the model sees those names through its words and embeddings.


@dataclass(frozen=True)
class Judgement:
    """Relevance, themes and sentiment of one text, and why.

    ``themes`` is empty for texts judged not relevant; ``themes_if_relevant`` keeps what the
    theme models would assign, for evaluation on items known to be relevant.
    """

    relevant: bool
    relevance: float
    themes: list[str]
    themes_if_relevant: list[str]
    theme_scores: dict[str, float]
    sentiment: str
    sentiment_score: float
    evidence: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Scored:
    probabilities: np.ndarray
    top_words: list[list[str]]


def _score(pipeline: Pipeline, texts: list[str], *, k: int = 4) -> _Scored:
    """Class probabilities for each text and, when ``k`` > 0, its top-weighted words (binary models)."""
    features = pipeline.named_steps["features"]
    model = pipeline.named_steps["model"]
    matrix = features.transform(texts).tocsr()
    probabilities = model.predict_proba(matrix)
    if k == 0:
        return _Scored(probabilities, [[] for _ in texts])
    coef = model.coef_[0]
    names = features.get_feature_names_out()
    contributions = matrix.multiply(coef).tocsr()
    top_words = []
    for row in range(matrix.shape[0]):
        start, end = contributions.indptr[row], contributions.indptr[row + 1]
        data, indices = contributions.data[start:end], contributions.indices[start:end]
        order = np.argsort(-data)[:k]
        top_words.append([str(names[indices[i]]).split("__", 1)[-1] for i in order
                          if data[i] > 0 and not str(names[indices[i]]).startswith("cues__")])
    return _Scored(probabilities, top_words)


def assign_themes(scores: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    """The themes scoring at least their threshold (0.5 if none is given); when none does, the best-scoring one."""
    assigned = [theme for theme, score in scores.items() if score >= thresholds.get(theme, 0.5)]
    if not assigned and scores:
        assigned = [max(scores, key=scores.__getitem__)]
    return assigned


def judge_batch(models: Classifiers, texts: list[str]) -> list[Judgement]:
    """Judge each text (title plus summary, or more)."""
    if not texts:
        return []
    relevance = _score(models.relevance, texts)
    themes = {name: _score(pipe, texts) for name, pipe in models.themes.items()}
    sentiment_classes = list(models.sentiment.classes_)
    sentiment = _score(models.sentiment, texts, k=0)  # its evidence is the label itself
    return [
        _judge_one(models, text, i, relevance, themes, sentiment, sentiment_classes) for i, text in enumerate(texts)
    ]


def _judge_one(models: Classifiers, text: str, i: int, relevance_scores: _Scored, theme_scores_by: dict[str, _Scored],
               sentiment_scores: _Scored, sentiment_classes: list[str]) -> Judgement:
    ai_cues = find_cues(text, AI_CUES)
    ent_cues = find_cues(text, ENTERTAINMENT_CUES)
    relevance = float(relevance_scores.probabilities[i][1])
    if not ai_cues:
        relevance *= NO_AI_CUE_FACTOR
    relevant = relevance >= RELEVANCE_THRESHOLD
    evidence = {
        "relevance": [f"AI: {c}" for c in ai_cues[:4]] + [f"entertainment: {c}" for c in ent_cues[:4]]
        + [f"weight: {w}" for w in relevance_scores.top_words[i]]
    }
    fiction = find_cues(text, FICTION_CUES)
    if fiction:
        evidence["relevance"].append(f"fiction or review cue: {fiction[0]}")
    theme_scores = {name: round(float(s.probabilities[i][1]), 3) for name, s in theme_scores_by.items()}
    assigned = assign_themes(theme_scores, models.theme_thresholds)
    if relevant:
        for theme in assigned:
            cues = find_cues(text, THEME_CUES.get(theme, ()))[:4]
            evidence[theme] = [f"cue: {c}" for c in cues] + [f"weight: {w}" for w in theme_scores_by[theme].top_words[i]]
    by_class = {label: float(sentiment_scores.probabilities[i][sentiment_classes.index(label)])
                for label in SENTIMENTS if label in sentiment_classes}
    label = max(by_class, key=by_class.__getitem__)
    score = round(by_class.get("positive", 0.0) - by_class.get("negative", 0.0), 3)
    evidence["sentiment"] = [("stance toward AI in entertainment" if relevant else "general tone") + f": {label}"]
    evidence["sentiment"] += [f"{tone} cue: {c}" for tone in ("negative", "positive")
                              for c in find_cues(text, SENTIMENT_CUES[tone])[:3]]
    if relevant:
        evidence["sentiment"] += [f"{convention}: {cues[0]}" for convention, phrases in CONVENTION_CUES.items()
                                  if (cues := find_cues(text, phrases))]
    return Judgement(relevant, round(relevance, 3), assigned if relevant else [], assigned, theme_scores, label,
                     score, evidence)
