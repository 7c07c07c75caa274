"""Themes a user adds in config (``[themes.NAME]``): judged by their seed phrases and examples.

The four built-in themes have trained models. A theme added in ``newsdesk.toml`` has a
description, seed phrases and example headlines; an article gets it when it uses one of the
phrases, or when it reads like one of the examples (TF-IDF cosine over the examples and the
description). Either way the evidence says which phrase or which example.
"""

from __future__ import annotations

from dataclasses import replace

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from newsdesk.enrich.judge import Judgement
from newsdesk.enrich.lexicon import find_cues
from newsdesk.models import ThemeDefinition

PHRASE_SCORE = 0.7  # one seed phrase; each further one adds PHRASE_STEP
PHRASE_STEP = 0.1
SIMILAR_ENOUGH = 0.35  # cosine to an example that assigns the theme without any phrase
ASSIGN_AT = 0.5


class CustomThemes:
    """Scores texts against the user themes and adds them to judgements."""

    def __init__(self, themes: tuple[ThemeDefinition, ...]) -> None:
        self.themes = themes
        self._vectorisers = {}
        for theme in themes:
            documents = [*theme.examples, theme.description]
            vectoriser = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2))
            self._vectorisers[theme.name] = (vectoriser, vectoriser.fit_transform(documents), len(theme.examples))

    def score(self, theme: ThemeDefinition, text: str) -> tuple[float, list[str]]:
        """The theme's score for a text (0..1) and the evidence behind it."""
        phrases = find_cues(text, tuple(p.lower() for p in theme.phrases))
        evidence = [f"cue: {p}" for p in phrases[:4]]
        score = min(1.0, PHRASE_SCORE + PHRASE_STEP * (len(phrases) - 1)) if phrases else 0.0
        vectoriser, matrix, n_examples = self._vectorisers[theme.name]
        if n_examples:
            similarities = cosine_similarity(vectoriser.transform([text]), matrix[:n_examples])[0]
            best = int(similarities.argmax())
            if similarities[best] >= SIMILAR_ENOUGH:
                score = max(score, min(1.0, ASSIGN_AT + (similarities[best] - SIMILAR_ENOUGH)))
                evidence.append(f"like example: {theme.examples[best]} ({similarities[best]:.2f})")
        return round(score, 3), evidence

    def apply(self, judgement: Judgement, text: str) -> Judgement:
        """The judgement with every user theme scored, and assigned where it scores enough."""
        if not self.themes:
            return judgement
        scores = dict(judgement.theme_scores)
        assigned = list(judgement.themes_if_relevant)
        evidence = dict(judgement.evidence)
        for theme in self.themes:
            score, why = self.score(theme, text)
            scores[theme.name] = score
            if score >= ASSIGN_AT:
                assigned.append(theme.name)
                if judgement.relevant:
                    evidence[theme.name] = why
        return replace(judgement, theme_scores=scores, themes_if_relevant=assigned,
                       themes=assigned if judgement.relevant else [], evidence=evidence)
