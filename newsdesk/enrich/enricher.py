"""The Enricher: models and spaCy loaded once, then whole batches of articles judged at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.enrich.custom_themes import CustomThemes
from newsdesk.enrich.entities import Entity, add_gazetteer, entities_of, load_gazetteer
from newsdesk.enrich.judge import Judgement, judge_batch
from newsdesk.enrich.model import Classifiers
from newsdesk.enrich.nlp import load_nlp
from newsdesk.enrich.segments import find_segments
from newsdesk.enrich.versions import bundled_model_path, enricher_version
from newsdesk.models import ThemeDefinition

BATCH_SIZE = 256
SPACY_BATCH_SIZE = 16  # spaCy pads a batch to its longest text: small batches keep memory flat (32: 1.0 GB peak on full texts)
MAX_JUDGED_CHARS = 2000


@dataclass(frozen=True)
class TextItem:
    """What is judged: an id, a title, and optional summary and body text."""

    id: str
    title: str
    summary: str = ""
    text: str = ""

    def judged_text(self, max_chars: int | None = MAX_JUDGED_CHARS) -> str:
        """Title and summary (the lede), which is what the models were trained on, cut at ``max_chars``."""
        summary = self.summary or self.text[:600]
        text = f"{self.title}. {summary}".strip()
        return text if max_chars is None else text[:max_chars]


@dataclass(frozen=True)
class Enrichment:
    """Everything newsdesk concludes about one item, with the model version that concluded it."""

    id: str
    judgement: Judgement
    entities: list[Entity]
    segments: list[str]
    model_version: str
    segment_evidence: dict[str, list[str]] = field(default_factory=dict)

    def as_record(self) -> dict:
        """The JSON shape of ``newsdesk classify`` output."""
        j = self.judgement
        return {
            "id": self.id, "relevant": j.relevant, "relevance": j.relevance, "themes": j.themes,
            "theme_scores": j.theme_scores, "sentiment": j.sentiment, "sentiment_score": j.sentiment_score,
            "entities": [{"text": e.text, "label": e.label, "id": e.id} for e in self.entities],
            "segments": self.segments, "evidence": {**j.evidence, "segments": self.segment_evidence},
            "model_version": self.model_version,
        }


class Enricher:
    """Loads spaCy, the gazetteer and the classifiers once; judges items in batches."""

    def __init__(self, *, model_path: Path | None = None, spacy_model: str | None = None,
                 max_chars: int | None = MAX_JUDGED_CHARS, themes: tuple[ThemeDefinition, ...] = ()) -> None:
        self.max_chars = max_chars
        self.custom_themes = CustomThemes(themes)
        self.models = Classifiers.load(model_path or bundled_model_path())
        loaded = load_nlp(spacy_model)
        self.nlp, self.spacy_model, self.notice = loaded.nlp, loaded.model, loaded.notice
        gazetteer = load_gazetteer()
        add_gazetteer(self.nlp, gazetteer)
        self._known = {entry.id: entry for entry in gazetteer}

    @property
    def version(self) -> str:
        """The model version recorded on every enriched article (user themes included, so that
        changing them makes ``newsdesk enrich`` judge every article again)."""
        return enricher_version(self.models.version, self.spacy_model, self.custom_themes.themes)

    def enrich(self, items: list[TextItem]) -> list[Enrichment]:
        """Judge, find entities and segments for every item."""
        results: list[Enrichment] = []
        for start in range(0, len(items), BATCH_SIZE):
            batch = items[start : start + BATCH_SIZE]
            texts = [item.judged_text(self.max_chars) for item in batch]
            judgements = [self.custom_themes.apply(j, text) for j, text in
                          zip(judge_batch(self.models, texts), texts, strict=True)]
            docs = self.nlp.pipe(texts, batch_size=SPACY_BATCH_SIZE)
            for item, text, judgement, doc in zip(batch, texts, judgements, docs, strict=True):
                entities = entities_of(doc, self._known)
                segments, evidence = find_segments(text, entities)
                results.append(Enrichment(item.id, judgement, entities, segments, self.version, evidence))
        return results
