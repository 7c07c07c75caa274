"""Features for the linear classifiers: word n-grams plus counts of the lexicon's cues."""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from newsdesk.enrich.embeddings import EmbeddingFeatures
from newsdesk.enrich.lexicon import AI_CUES, ENTERTAINMENT_CUES, FICTION_CUES, SENTIMENT_CUES, THEME_CUES, find_cues

CUE_GROUPS: dict[str, tuple[str, ...]] = {
    "ai": AI_CUES,
    "entertainment": ENTERTAINMENT_CUES,
    "fiction": FICTION_CUES,
    **{f"theme:{name}": cues for name, cues in THEME_CUES.items()},
    **{f"tone:{name}": cues for name, cues in SENTIMENT_CUES.items()},
}


@lru_cache(maxsize=4096)
def cue_vector(text: str) -> tuple[float, ...]:
    """Cue counts of one text (memoised: every model of a batch asks for the same texts)."""
    counts = [len(find_cues(text, cues)) for cues in CUE_GROUPS.values()]
    both = float(counts[0] > 0 and counts[1] > 0)
    return (*(float(np.log1p(c)) for c in counts), both)


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """For each cue group, log(1 + number of distinct cues found), plus 'AI and entertainment together'."""

    def fit(self, texts: list[str], y: object = None) -> LexiconFeatures:
        return self

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(np.asarray([cue_vector(text) for text in texts], dtype=float))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray([f"cues:{name}" for name in CUE_GROUPS] + ["cues:ai+entertainment"], dtype=object)


def make_features(*, embedding_weight: float = 1.0) -> FeatureUnion:
    """Word 1–2-grams (TF-IDF) beside lexicon cue counts and, unless ``embedding_weight`` is 0, the
    mean word vector of the text (the packaged static embeddings)."""
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, lowercase=True,
                            token_pattern=r"(?u)\b[\w][\w'-]*\b", max_features=30000)
    parts = [("words", words), ("cues", LexiconFeatures())]
    if embedding_weight:
        parts.append(("embedding", EmbeddingFeatures(embedding_weight)))
    return FeatureUnion(parts)


class ToneFeatures(BaseEstimator, TransformerMixin):
    """General-purpose tone from VADER (negative, neutral, positive, compound), as features."""

    def fit(self, texts: list[str], y: object = None) -> ToneFeatures:
        return self

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        analyser = _vader()
        rows = []
        for text in texts:
            scores = analyser.polarity_scores(text)
            rows.append([scores["neg"], scores["neu"], scores["pos"], scores["compound"],
                         max(scores["compound"], 0.0), max(-scores["compound"], 0.0)])
        return sparse.csr_matrix(np.asarray(rows, dtype=float))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(["tone:neg", "tone:neu", "tone:pos", "tone:compound", "tone:positive", "tone:negative"],
                          dtype=object)


@cache
def _vader():  # noqa: ANN202 (vaderSentiment has no types)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def make_sentiment_features(*, embedding_weight: float = 1.0) -> FeatureUnion:
    """Words, cues and embeddings as for the other judgements, plus VADER's general tone."""
    union = make_features(embedding_weight=embedding_weight)
    union.transformer_list.append(("tone", ToneFeatures()))
    return union
