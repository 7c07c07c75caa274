"""The ``enrichments``, ``entities``, ``article_*`` and ``labels`` tables."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from newsdesk.errors import StoreError
from newsdesk.store.facts import refresh_facts

LABEL_FIELDS = ("relevant", "themes", "sentiment")


@dataclass(frozen=True)
class EnrichmentRow:
    """One article's enrichment, as stored."""

    article_id: str
    model_version: str
    relevant: bool
    relevance: float
    themes: list[str]
    theme_scores: dict[str, float]
    sentiment: str
    sentiment_score: float
    segments: list[str]
    evidence: dict[str, Any]
    entities: list[dict[str, str]]  # id, name (canonical), type, kind, text (as written)


def count_articles_to_enrich(db: Database, model_version: str, *, redo_all: bool = False) -> int:
    """How many articles ``articles_to_enrich`` would yield."""
    if redo_all:
        return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    return db.execute("""SELECT COUNT(*) FROM articles a LEFT JOIN enrichments e ON e.article_id = a.id
                         WHERE e.article_id IS NULL OR e.model_version != ?""", [model_version]).fetchone()[0]


def articles_to_enrich(db: Database, model_version: str, *, redo_all: bool = False,
                       batch: int = 500) -> Iterator[list[dict[str, Any]]]:
    """Batches of articles not yet enriched, or enriched by another model version (all with ``redo_all``)."""
    where = "" if redo_all else "WHERE e.article_id IS NULL OR e.model_version != ?"
    params = [] if redo_all else [model_version]
    last = ""
    while True:
        rows = list(db.query(
            f"""SELECT a.id, a.title, a.summary, a.content FROM articles a
                LEFT JOIN enrichments e ON e.article_id = a.id
                {where} {"AND" if where else "WHERE"} a.id > ? ORDER BY a.id LIMIT ?""",
            [*params, last, batch],
        ))
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def save_enrichments(db: Database, rows: list[EnrichmentRow], *, at: str) -> None:
    """Replace the enrichment of each article, with its entities, themes and segments, in one transaction."""
    conn = db.conn
    try:
        with db.atomic():
            for row in rows:
                conn.execute(
                    """INSERT OR REPLACE INTO enrichments (article_id, model_version, relevant, relevance, themes,
                       theme_scores, sentiment, sentiment_score, segments, evidence, enriched_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [row.article_id, row.model_version, int(row.relevant), row.relevance, json.dumps(row.themes),
                     json.dumps(row.theme_scores), row.sentiment, row.sentiment_score, json.dumps(row.segments),
                     json.dumps(row.evidence), at],
                )
                for table in ("article_entities", "article_themes", "article_segments"):
                    conn.execute(f"DELETE FROM {table} WHERE article_id = ?", [row.article_id])
                conn.executemany("INSERT OR IGNORE INTO entities (id, name, type, kind) VALUES (?, ?, ?, ?)",
                                 [(e["id"], e["name"], e["type"], e.get("kind")) for e in row.entities])
                conn.executemany("INSERT OR IGNORE INTO article_entities (article_id, entity_id, text) VALUES (?, ?, ?)",
                                 [(row.article_id, e["id"], e["text"]) for e in row.entities])
                conn.executemany("INSERT INTO article_themes (article_id, theme) VALUES (?, ?)",
                                 [(row.article_id, t) for t in row.themes])
                conn.executemany("INSERT INTO article_segments (article_id, segment) VALUES (?, ?)",
                                 [(row.article_id, s) for s in row.segments])
            refresh_facts(conn, [row.article_id for row in rows])
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"store: could not save enrichments: {exc}") from exc


def enrichment_counts(db: Database) -> dict[str, int]:
    """Articles, enriched articles and relevant ones."""
    row = db.execute(
        "SELECT (SELECT COUNT(*) FROM articles), COUNT(*), COALESCE(SUM(relevant), 0) FROM enrichments"
    ).fetchone()
    return {"articles": row[0], "enriched": row[1], "relevant": row[2]}


def add_label(db: Database, article_id: str, field: str, value: Any, *, who: str, at: str) -> None:
    """Record a person's correction of one judgement (relevant, themes or sentiment)."""
    if field not in LABEL_FIELDS:
        raise StoreError(f"labels: unknown field {field!r} (one of {', '.join(LABEL_FIELDS)})")
    if not db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone():
        raise StoreError(f"labels: no article with id {article_id}")
    with db.atomic():
        db["labels"].insert({"article_id": article_id, "field": field, "value": json.dumps(value), "who": who,
                             "created_at": at})


def corrected_examples(db: Database) -> list[dict[str, Any]]:
    """Articles with at least one correction: text, the latest value per corrected field, the rest as enriched."""
    rows = db.query(
        """SELECT a.id, a.title, a.summary, e.relevant, e.themes, e.sentiment,
                  (SELECT value FROM labels l WHERE l.article_id = a.id AND l.field = 'relevant'
                   ORDER BY created_at DESC, id DESC LIMIT 1) AS label_relevant,
                  (SELECT value FROM labels l WHERE l.article_id = a.id AND l.field = 'themes'
                   ORDER BY created_at DESC, id DESC LIMIT 1) AS label_themes,
                  (SELECT value FROM labels l WHERE l.article_id = a.id AND l.field = 'sentiment'
                   ORDER BY created_at DESC, id DESC LIMIT 1) AS label_sentiment
           FROM articles a LEFT JOIN enrichments e ON e.article_id = a.id
           WHERE a.id IN (SELECT article_id FROM labels)"""
    )
    examples = []
    for row in rows:
        relevant = json.loads(row["label_relevant"]) if row["label_relevant"] else bool(row["relevant"])
        themes = json.loads(row["label_themes"]) if row["label_themes"] else json.loads(row["themes"] or "[]")
        sentiment = json.loads(row["label_sentiment"]) if row["label_sentiment"] else (row["sentiment"] or "neutral")
        examples.append({"id": row["id"], "text": f"{row['title']}. {row['summary']}", "relevant": relevant,
                         "themes": themes if relevant else [], "sentiment": sentiment})
    return examples


def article_judgement(db: Database, article_id: str) -> dict[str, Any] | None:
    """One article with its outlet, enrichment (themes, scores, evidence, sentiment), entities and corrections."""
    rows = list(db.query(
        """SELECT a.id, a.title, a.url, a.summary, a.published_at, s.name AS outlet, e.model_version, e.relevant,
                  e.relevance, e.themes, e.theme_scores, e.sentiment, e.sentiment_score, e.segments, e.evidence
           FROM articles a JOIN sources s ON s.id = a.source_id LEFT JOIN enrichments e ON e.article_id = a.id
           WHERE a.id = ?""", [article_id]))
    if not rows:
        return None
    row = rows[0]
    decoded = {key: json.loads(row[key] or default) for key, default in
               (("themes", "[]"), ("theme_scores", "{}"), ("segments", "[]"), ("evidence", "{}"))}
    entities = list(db.query(
        """SELECT n.id, n.name, n.type, x.text FROM article_entities x JOIN entities n ON n.id = x.entity_id
           WHERE x.article_id = ? ORDER BY n.name""", [article_id]))
    labels = [{**r, "value": json.loads(r["value"])} for r in db.query(
        "SELECT field, value, who, created_at FROM labels WHERE article_id = ? ORDER BY created_at, id", [article_id])]
    return {**row, **decoded, "entities": entities, "labels": labels}


def uncertain_articles(db: Database, *, start: str, end: str, limit: int = 20) -> list[dict[str, Any]]:
    """Enriched articles published in [start, end) that nobody has reviewed yet, the least sure first.

    How sure: the smallest distance of the relevance score, or (for relevant articles) a theme score,
    from its decision threshold of 0.5; candidates come from the relevance margin, read through SQL.
    """
    rows = db.query(
        """SELECT a.id, a.title, a.summary, a.url, a.published_at, s.name AS outlet, e.relevant, e.relevance,
                  e.themes, e.theme_scores, e.sentiment, e.sentiment_score
           FROM enrichments e CROSS JOIN articles a ON a.id = e.article_id CROSS JOIN sources s ON s.id = a.source_id
           WHERE a.published_at >= ? AND a.published_at < ?
             AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.article_id = a.id)
           ORDER BY abs(e.relevance - 0.5) LIMIT ?""", [start, end, limit * 10])
    # CROSS JOIN keeps enrichments outermost, walked least sure first along enrichments_margin: the first
    # rows of the period end the walk (driven by the period instead, every article in it would be sorted)
    found = []
    for row in rows:
        scores = json.loads(row["theme_scores"] or "{}")
        margins = [abs(row["relevance"] - 0.5)] + ([abs(v - 0.5) for v in scores.values()] if row["relevant"] else [])
        found.append({**row, "themes": json.loads(row["themes"] or "[]"), "theme_scores": scores,
                      "margin": round(min(margins), 3)})
    return sorted(found, key=lambda r: r["margin"])[:limit]


def recent_labels(db: Database, *, limit: int = 20) -> list[dict[str, Any]]:
    """The latest corrections, newest first, with the article's title."""
    return [{**r, "value": json.loads(r["value"])} for r in db.query(
        """SELECT l.id, l.article_id, a.title, l.field, l.value, l.who, l.created_at
           FROM labels l JOIN articles a ON a.id = l.article_id ORDER BY l.created_at DESC, l.id DESC LIMIT ?""",
        [limit])]


def remove_label(db: Database, label_id: int) -> bool:
    """Undo one correction; False when it was already gone."""
    with db.atomic():
        return db.execute("DELETE FROM labels WHERE id = ?", [label_id]).rowcount > 0
