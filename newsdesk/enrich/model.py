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
from newsdesk.enrich.versions import stamp_model_version
from newsdesk.errors import NewsdeskError
from newsdesk.models import BUILTIN_THEMES, SENTIMENTS

THEMES = BUILTIN_THEMES
__all__ = ["SENTIMENTS", "THEMES", "Classifiers", "ModelError", "TrainingExample", "fingerprint", "train"]
_TRUSTED = [
    "newsdesk.enrich.embeddings.EmbeddingFeatures",
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
    weight: float = 1.0  # how much this example counts in training (seed examples weigh less than real news)


@dataclass
class Classifiers:
    """The three trained judgements, the per-theme thresholds and the version that names them."""

    version: str
    relevance: Pipeline
    themes: dict[str, Pipeline]
    sentiment: Pipeline
    theme_thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def pipelines(self) -> dict[str, Pipeline]:
        """Every pipeline of the bundle by a stable name."""
        return {"relevance": self.relevance, "sentiment": self.sentiment,
                **{f"theme:{name}": pipe for name, pipe in self.themes.items()}}

    def save(self, path: Path) -> None:
        """Write the bundle as one skops file.

        Each vectoriser's vocabulary is written as one array of terms in column order rather than as
        a dict (which skops stores entry by entry, making loads take seconds), and put back on load.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        vocabularies = {name: _take_vocabulary(pipe) for name, pipe in self.pipelines().items()}
        try:
            sio.dump({"version": self.version, "relevance": self.relevance, "themes": self.themes,
                      "sentiment": self.sentiment, "theme_thresholds": self.theme_thresholds, "meta": self.meta,
                      "vocabularies": vocabularies}, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        finally:
            for name, pipe in self.pipelines().items():
                _put_vocabulary(pipe, vocabularies[name])
        stamp_model_version(path, self.version)

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
        themes = dict(data["themes"])
        if "theme_thresholds" in data:
            thresholds = {str(k): float(v) for k, v in data["theme_thresholds"].items()}
        else:  # written before per-theme thresholds: one threshold for all
            thresholds = dict.fromkeys(themes, float(data["theme_threshold"]))
        models = cls(data["version"], data["relevance"], themes, data["sentiment"], thresholds,
                     dict(data.get("meta", {})))
        for name, terms in data.get("vocabularies", {}).items():
            _put_vocabulary(models.pipelines()[name], terms)
        return models


def _words(pipeline: Pipeline) -> Any:  # noqa: ANN401 (a fitted TfidfVectorizer)
    return pipeline.named_steps["features"].transformer_list[0][1]


def _take_vocabulary(pipeline: Pipeline) -> np.ndarray:
    """The vectoriser's terms in column order, leaving it an empty vocabulary until ``_put_vocabulary``."""
    words = _words(pipeline)
    terms = np.empty(len(words.vocabulary_), dtype=object)
    for term, column in words.vocabulary_.items():
        terms[column] = term
    words.vocabulary_ = {}
    return terms.astype(str)


def _put_vocabulary(pipeline: Pipeline, terms: np.ndarray) -> None:
    _words(pipeline).vocabulary_ = {str(term): column for column, term in enumerate(terms.tolist())}


def _pipeline(c: float, features: FeatureUnion | None = None) -> Pipeline:
    return Pipeline([("features", features or make_features()),
                     ("model", LogisticRegression(C=c, class_weight="balanced", max_iter=3000))])


def _fit(pipeline: Pipeline, examples: list[TrainingExample], labels: list[Any]) -> Pipeline:
    pipeline.fit([e.text for e in examples], labels, model__sample_weight=np.asarray([e.weight for e in examples]))
    words = _words(pipeline)
    if hasattr(words, "stop_words_"):
        del words.stop_words_  # only kept for introspection; it would dominate the artifact's size
    return pipeline


def fingerprint(examples: list[TrainingExample], theme_thresholds: dict[str, float] | None = None, *,
                embedding_weight: float = 1.0) -> str:
    """The digest ``train`` puts in a model's version: the same examples and settings give the same one,
    so whether a training would change the model is known before training."""
    lines = [f"{e.text}|{e.relevant}|{sorted(e.themes)}|{e.sentiment}|{e.weight:g}" for e in examples]
    settings = {"thresholds": dict(theme_thresholds or {}), "embedding_weight": embedding_weight}
    lines.append(repr(sorted(settings.items())))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:8]


def train(examples: list[TrainingExample], *, version_prefix: str = "v1",
          theme_thresholds: dict[str, float] | None = None, embedding_weight: float = 1.0) -> Classifiers:
    """Fit relevance on all examples, a yes/no model per theme on relevant ones, sentiment on all.

    The version is the prefix and a digest of the examples and thresholds, so training twice on
    the same data names the same model.
    """
    def features() -> FeatureUnion:
        return make_features(embedding_weight=embedding_weight)

    relevance = _fit(_pipeline(4.0, features()), examples, [e.relevant for e in examples])
    relevant = [e for e in examples if e.relevant]
    themes = {}
    for theme in THEMES:
        labels = [theme in e.themes for e in relevant]
        if any(labels) and not all(labels):
            themes[theme] = _fit(_pipeline(4.0, features()), relevant, labels)
    sentiment = _fit(_pipeline(2.0, make_sentiment_features(embedding_weight=embedding_weight)), examples,
                     [e.sentiment for e in examples])
    thresholds = dict(theme_thresholds or {})
    digest = fingerprint(examples, thresholds, embedding_weight=embedding_weight)
    return Classifiers(f"{version_prefix}-{digest}", relevance, themes, sentiment, thresholds,
                       meta={"examples": len(examples)})
