"""The enrich job: judge every article not yet enriched by the current model version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.enrich.versions import bundled_model_path, expected_version
from newsdesk.store.enrichments import EnrichmentRow, articles_to_enrich, count_articles_to_enrich, save_enrichments

if TYPE_CHECKING:  # the models are imported only when there is something to judge
    from newsdesk.enrich.enricher import Enricher, Enrichment
    from newsdesk.enrich.entities import Entity


@dataclass(frozen=True)
class EnrichReport:
    """How many articles were enriched, how many of them are relevant, and by which model."""

    enriched: int
    relevant: int
    model_version: str
    notice: str | None


def make_enricher(settings: Settings) -> Enricher:
    """The Enricher for these settings (trained or bundled classifiers, configured spaCy model)."""
    from newsdesk.enrich.enricher import Enricher

    return Enricher(model_path=settings.model_path, spacy_model=settings.enrich.spacy_model, themes=settings.themes)


def run_enrich(
    settings: Settings, db: Database, *, redo_all: bool = False, enricher: Enricher | None = None,
    on_batch: Callable[[int], None] | None = None, should_stop: Callable[[], bool] = lambda: False,
    on_start: Callable[[int], None] | None = None,
) -> EnrichReport:
    """Enrich articles incrementally (or all of them), batch by batch, each batch in one transaction.

    ``should_stop`` is asked before each batch; what is left is picked up by the next run. ``on_start``
    hears how many articles are to be enriched, ``on_batch`` how many each batch did. With nothing to do
    no model is loaded.
    """
    if enricher is None and not redo_all:
        expected = expected_version(settings.model_path or bundled_model_path(), settings.enrich.spacy_model,
                                    settings.themes)
        if expected is not None and count_articles_to_enrich(db, expected) == 0:
            return EnrichReport(0, 0, expected, None)  # nothing to do: no model loaded
    from newsdesk.enrich.enricher import TextItem

    enricher = enricher or make_enricher(settings)
    if on_start is not None:
        on_start(count_articles_to_enrich(db, enricher.version, redo_all=redo_all))
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


_WORKER_ENRICHERS: dict[tuple[str, str, str], Enricher] = {}  # one per process: models load once, not per task


def worker_enricher(settings: Settings) -> Enricher:
    """The Enricher for these settings, loaded once per (worker) process and reused by every task."""
    key = (str(settings.model_path), settings.enrich.spacy_model, repr(settings.themes))
    if key not in _WORKER_ENRICHERS:
        _WORKER_ENRICHERS[key] = make_enricher(settings)
    return _WORKER_ENRICHERS[key]


def judge_rows(rows: list[dict], settings: Settings) -> list[EnrichmentRow]:
    """One task of a distributed re-judging: stored articles' texts in, their stored judgements out."""
    from newsdesk.enrich.enricher import TextItem

    items = [TextItem(r["id"], r["title"], r["summary"] or "", r["content"] or "") for r in rows]
    return [to_row(e) for e in worker_enricher(settings).enrich(items)]


def run_enrich_on_dask(settings: Settings, db: Database, *, workers: int, scheduler: str = "", redo_all: bool = True,
                       on_start: Callable[[int], None] | None = None,
                       on_batch: Callable[[int], None] | None = None) -> EnrichReport:
    """Re-judge stored articles on Dask: chunks of 500 articles (in id order) go to the workers, at most two
    per worker at a time, and each chunk's judgements are written back in its own short transaction."""
    from distributed import as_completed

    from pipelines.backfill import dask_client

    version = expected_version(settings.model_path or bundled_model_path(), settings.enrich.spacy_model,
                               settings.themes) or make_enricher(settings).version
    if on_start is not None:
        on_start(count_articles_to_enrich(db, version, redo_all=redo_all))
    enriched = relevant = 0
    chunks = articles_to_enrich(db, version, redo_all=redo_all)
    with dask_client(workers=workers, scheduler=scheduler) as client:
        limit = 2 * max(workers, len(client.scheduler_info().get("workers", {})), 1)
        pending = as_completed([client.submit(judge_rows, rows, settings, pure=False)
                                for rows in islice(chunks, limit)])
        for future in pending:
            rows = future.result()
            save_enrichments(db, rows, at=to_iso(utc_now()))
            enriched += len(rows)
            relevant += sum(r.relevant for r in rows)
            if on_batch is not None:
                on_batch(len(rows))
            for more in islice(chunks, 1):
                pending.add(client.submit(judge_rows, more, settings, pure=False))
    return EnrichReport(enriched, relevant, version, None)


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
