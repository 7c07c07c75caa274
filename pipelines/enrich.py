"""The enrich job: judge every article not yet enriched by the current model version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.enrich.enricher import Enricher, Enrichment, TextItem
from newsdesk.enrich.entities import Entity
from newsdesk.store.enrichments import EnrichmentRow, articles_to_enrich, save_enrichments


@dataclass(frozen=True)
class EnrichReport:
    """How many articles were enriched, how many of them are relevant, and by which model."""

    enriched: int
    relevant: int
    model_version: str
    notice: str | None


def make_enricher(settings: Settings) -> Enricher:
    """The Enricher for these settings (trained or bundled classifiers, configured spaCy model)."""
    return Enricher(model_path=settings.model_path, spacy_model=settings.enrich.spacy_model, themes=settings.themes)


def run_enrich(
    settings: Settings, db: Database, *, redo_all: bool = False, enricher: Enricher | None = None,
    on_batch: Callable[[int], None] | None = None, should_stop: Callable[[], bool] = lambda: False,
) -> EnrichReport:
    """Enrich articles incrementally (or all of them), batch by batch, each batch in one transaction.

    ``should_stop`` is asked before each batch; what is left is picked up by the next run.
    """
    enricher = enricher or make_enricher(settings)
    enriched = relevant = 0
    for rows in articles_to_enrich(db, enricher.version, redo_all=redo_all):
        if should_stop():
            break
        items = [TextItem(r["id"], r["title"], r["summary"] or "", r["content"] or "") for r in rows]
        results = enricher.enrich(items)
        save_enrichments(db, [to_row(e) for e in results], at=to_iso(utc_now()))
        enriched += len(results)
        relevant += sum(e.judgement.relevant for e in results)
        if on_batch is not None:
            on_batch(len(results))
    return EnrichReport(enriched, relevant, enricher.version, enricher.notice)


def to_row(enrichment: Enrichment) -> EnrichmentRow:
    """The stored form of an enrichment."""
    j = enrichment.judgement
    return EnrichmentRow(
        article_id=enrichment.id, model_version=enrichment.model_version, relevant=j.relevant,
        relevance=j.relevance, themes=j.themes, theme_scores=j.theme_scores, sentiment=j.sentiment,
        sentiment_score=j.sentiment_score, segments=enrichment.segments,
        evidence={**j.evidence, "segments": enrichment.segment_evidence},
        entities=[_entity(e) for e in enrichment.entities],
    )


def _entity(entity: Entity) -> dict[str, str]:
    return {"id": entity.id, "name": entity.name, "type": entity.label, "kind": entity.kind or entity.label,
            "text": entity.text}
