"""The classifiers: relevance, themes and sentiment, trained from labelled examples.

A ``Classifiers`` bundle is trained from examples (the seed set plus people's corrections),
saved with skops (no pickle) and loaded at start. Each prediction carries its evidence:
the cue phrases and the weighted features that pushed the decision.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from newsdesk.enrich.features import make_features, make_sentiment_features
from newsdesk.errors import NewsdeskError
from newsdesk.models import BUILTIN_THEMES

THEMES = BUILTIN_THEMES
SENTIMENTS = ("negative", "neutral", "positive")
_TRUSTED = [
    "newsdesk.enrich.features.LexiconFeatures",
    "newsdesk.enrich.features.ToneFeatures",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.pipeline.FeatureUnion",
]


class ModelError(NewsdeskError):
    """A model artifact is missing, unreadable or not one of ours."""


@dataclass(frozen=True)
class TrainingExample:
    """What the classifiers learn from."""

    text: str
    relevant: bool
    themes: tuple[str, ...]
    sentiment: str


@dataclass
class Classifiers:
    """The three trained judgements and the version that names them."""

    version: str
    relevance: Pipeline
    themes: dict[str, Pipeline]
    sentiment: Pipeline
    theme_threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        """Write the bundle as one skops file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump({"version": self.version, "relevance": self.relevance, "themes": self.themes,
                  "sentiment": self.sentiment, "theme_threshold": self.theme_threshold, "meta": self.meta}, path,
                 compression=zipfile.ZIP_DEFLATED, compresslevel=9)

    @classmethod
    def load(cls, path: Path) -> Classifiers:
        """Read a bundle written by ``save``; only known, safe types are accepted."""
        if not path.is_file():
            raise ModelError(f"model: {path} not found (run 'newsdesk train')")
        try:
            untrusted = set(sio.get_untrusted_types(file=path))
            unexpected = untrusted - set(_TRUSTED)
            if unexpected:
                raise ModelError(f"model: {path} contains types newsdesk does not load: {sorted(unexpected)}")
            data = sio.load(path, trusted=sorted(untrusted))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise ModelError(f"model: cannot read {path}: {exc}") from exc
        return cls(data["version"], data["relevance"], dict(data["themes"]), data["sentiment"],
                   float(data["theme_threshold"]), dict(data.get("meta", {})))


def _pipeline(c: float, features: FeatureUnion | None = None) -> Pipeline:
    return Pipeline([("features", features or make_features()),
                     ("model", LogisticRegression(C=c, class_weight="balanced", max_iter=2000))])


def _fit(pipeline: Pipeline, texts: list[str], labels: list[Any]) -> Pipeline:
    pipeline.fit(texts, labels)
    words = pipeline.named_steps["features"].transformer_list[0][1]
    if hasattr(words, "stop_words_"):
        del words.stop_words_  # only kept for introspection; it would dominate the artifact's size
    return pipeline


def choose_theme_threshold(models: Classifiers, held_out: list[TrainingExample]) -> float:
    """The theme threshold with the best macro-F1 on held-out relevant examples (ties: the higher)."""
    relevant = [e for e in held_out if e.relevant]
    if not relevant or not models.themes:
        return models.theme_threshold
    texts = [e.text for e in relevant]
    scores = {name: pipe.predict_proba(texts)[:, 1] for name, pipe in models.themes.items()}
    best, best_f1 = models.theme_threshold, -1.0
    for threshold in np.arange(0.25, 0.651, 0.05):
        f1s = []
        for name, values in scores.items():
            gold = np.array([name in e.themes for e in relevant])
            predicted = values >= threshold
            tp, fp, fn = (gold & predicted).sum(), (~gold & predicted).sum(), (gold & ~predicted).sum()
            f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        macro = float(np.mean(f1s))
        if macro >= best_f1:
            best, best_f1 = round(float(threshold), 2), macro
    return best


def train(examples: list[TrainingExample], *, version_prefix: str = "v1",
          theme_threshold: float = 0.5) -> Classifiers:
    """Fit relevance on all examples, themes on relevant ones, sentiment on all."""
    texts = [e.text for e in examples]
    relevance = _fit(_pipeline(4.0), texts, [e.relevant for e in examples])
    relevant = [e for e in examples if e.relevant]
    themes = {}
    for theme in THEMES:
        labels = [theme in e.themes for e in relevant]
        if any(labels) and not all(labels):
            themes[theme] = _fit(_pipeline(4.0), [e.text for e in relevant], labels)
    sentiment = _fit(_pipeline(2.0, make_sentiment_features()), texts, [e.sentiment for e in examples])
    digest = hashlib.sha256("\n".join(f"{e.text}|{e.relevant}|{e.themes}|{e.sentiment}" for e in examples)
                            .encode()).hexdigest()[:8]
    return Classifiers(f"{version_prefix}-{digest}", relevance, themes, sentiment, theme_threshold,
                       meta={"examples": len(examples)})
