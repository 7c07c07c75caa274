"""The ``stories``, ``article_stories`` and ``term_df`` tables."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from newsdesk.models import StoryRow


def unclustered_articles(db: Database) -> list[dict[str, Any]]:
    """Enriched articles not yet in a story, oldest first (syndicated copies excluded), each with its
    entities as ``[text as found, canonical name]`` pairs."""
    return [{**row, "entities": json.loads(row["entities"])} for row in db.query(
        """SELECT a.id, a.title, a.summary, a.published_at,
                  (SELECT json_group_array(json_array(x.text, n.name)) FROM article_entities x
                   JOIN entities n ON n.id = x.entity_id WHERE x.article_id = a.id) AS entities
           FROM articles a
           JOIN enrichments e ON e.article_id = a.id
           LEFT JOIN article_stories s ON s.article_id = a.id
           WHERE s.article_id IS NULL AND a.duplicate_of IS NULL
           ORDER BY a.published_at, a.id""")]


def add_term_counts(db: Database, counts: Counter) -> None:
    """Add document frequencies of newly seen articles."""
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO term_df (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            list(counts.items()))


def term_counts_missing(db: Database) -> bool:
    """Articles are clustered but no term is counted (a migration cleared the counts)."""
    return db.execute("SELECT 1 FROM term_df LIMIT 1").fetchone() is None \
        and db.execute("SELECT 1 FROM article_stories LIMIT 1").fetchone() is not None


def clustered_texts(db: Database) -> Iterator[tuple[str, str]]:
    """Title and summary of every clustered article."""
    yield from db.conn.execute(
        "SELECT a.title, COALESCE(a.summary, '') FROM article_stories m JOIN articles a ON a.id = m.article_id")


def term_frequencies(db: Database) -> tuple[dict[str, int], int]:
    """Every term's document frequency, and the number of clustered documents."""
    df = dict(db.conn.execute("SELECT term, df FROM term_df"))
    documents = db.execute("SELECT COUNT(*) FROM article_stories").fetchone()[0]
    return df, documents


def active_stories(db: Database, since: str) -> list[dict[str, Any]]:
    """Stories last seen at or after ``since``, with their centroids and key entities."""
    return [{**row, "centroid": json.loads(row["centroid"]), "entities": json.loads(row["entities"] or "[]")} for row in
            db.query("""SELECT id, first_seen, last_seen, article_count, centroid, entities FROM stories
                        WHERE last_seen >= ?""", [since])]


def next_story_number(db: Database) -> int:
    """The number the next new story takes (story ids never repeat)."""
    return db.execute("SELECT next FROM story_sequence").fetchone()[0]


def assign_articles(db: Database, assignments: dict[str, str], merged: dict[str, str], *,
                    next_number: int) -> None:
    """Record article -> story, move the articles of merged stories to the surviving ones, and keep the
    number the next new story takes."""
    with db.atomic():
        db.conn.execute("UPDATE story_sequence SET next = MAX(next, ?)", [next_number])
        db.conn.executemany("INSERT OR REPLACE INTO article_stories (article_id, story_id) VALUES (?, ?)",
                            list(assignments.items()))
        db.conn.executemany("UPDATE article_facts SET story_id = ? WHERE article_id = ?",
                            [(story, article) for article, story in assignments.items()])
        for absorbed, survivor in merged.items():
            db.conn.execute("UPDATE article_stories SET story_id = ? WHERE story_id = ?", [survivor, absorbed])
            db.conn.execute("UPDATE article_facts SET story_id = ? WHERE story_id = ?", [survivor, absorbed])
            db.conn.execute("DELETE FROM stories WHERE id = ?", [absorbed])


def story_members(db: Database, story_id: str) -> list[dict[str, Any]]:
    """A story's articles with what the aggregates need: outlet, time, judgements, entities."""
    rows = db.query(
        """SELECT a.id, a.title, a.url, a.published_at, a.source_id, s.name AS outlet, e.relevant, e.themes,
                  e.sentiment_score, e.segments,
                  (SELECT json_group_array(json_object('id', x.entity_id, 'name', n.name, 'type', n.type, 'kind', n.kind))
                   FROM article_entities x JOIN entities n ON n.id = x.entity_id WHERE x.article_id = a.id) AS entities
           FROM article_stories m JOIN articles a ON a.id = m.article_id
           JOIN sources s ON s.id = a.source_id LEFT JOIN enrichments e ON e.article_id = a.id
           WHERE m.story_id = ? ORDER BY a.published_at, a.id""", [story_id])
    return [{**r, "themes": json.loads(r["themes"] or "[]"), "segments": json.loads(r["segments"] or "[]"),
             "entities": json.loads(r["entities"] or "[]")} for r in rows]


def save_stories(db: Database, stories: list[StoryRow], *, at: str) -> None:
    """Insert or replace stories."""
    with db.atomic():
        db.conn.executemany(
            """INSERT OR REPLACE INTO stories (id, title, first_seen, last_seen, article_count, outlet_count, relevant,
               themes, mean_sentiment, entities, segments, event_type, impact, impact_components, centroid, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(s.id, s.title, s.first_seen, s.last_seen, s.article_count, s.outlet_count, int(s.relevant),
              json.dumps(s.themes), s.mean_sentiment, json.dumps(s.entities), json.dumps(s.segments), s.event_type,
              s.impact, json.dumps(s.impact_components), json.dumps(s.centroid), at) for s in stories])
        db.conn.executemany(  # each member's share of its story's impact, for the impact matrix
            """UPDATE article_facts SET story_id = ?, impact_share = ?
               WHERE article_id IN (SELECT article_id FROM article_stories WHERE story_id = ?)""",
            [(s.id, s.impact / s.article_count if s.article_count else 0.0, s.id) for s in stories])


def list_stories(db: Database, *, start: str | None = None, end: str | None = None, relevant_only: bool = True,
                 themes: tuple[str, ...] = (), segments: tuple[str, ...] = (), sources: tuple[int, ...] = (),
                 limit: int = 50) -> list[dict[str, Any]]:
    """Stories active in [start, end), highest impact first; optionally with one of the themes or
    segments, or covered by one of the sources."""
    clauses: list[str] = []
    params: list[Any] = []
    if start:
        clauses.append("last_seen >= ?")
        params.append(start)
    if end:
        clauses.append("first_seen < ?")
        params.append(end)
    if relevant_only:
        clauses.append("relevant = 1")
    for column, names in (("themes", themes), ("segments", segments)):
        if names:
            clauses.append(f"EXISTS (SELECT 1 FROM json_each(stories.{column}) "
                           "WHERE value IN (SELECT value FROM json_each(?)))")
            params.append(json.dumps(list(names)))
    if sources:
        clauses.append("""EXISTS (SELECT 1 FROM article_stories m JOIN articles a ON a.id = m.article_id
                          WHERE m.story_id = stories.id AND a.source_id IN (SELECT value FROM json_each(?)))""")
        params.append(json.dumps([int(s) for s in sources]))
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.query(f"SELECT * FROM stories {where} ORDER BY impact DESC, last_seen DESC LIMIT ?", [*params, limit])
    return [_decoded(r) for r in rows]


def stories_by_impact(db: Database, naming: dict[str, int], *, limit: int = 20) -> list[dict[str, Any]]:
    """The stories of ``naming`` (story id -> how many of its articles name something), highest impact
    first, each with that count as ``naming``."""
    rows = db.query("""SELECT * FROM stories WHERE id IN (SELECT value FROM json_each(?))
                       ORDER BY impact DESC, last_seen DESC LIMIT ?""", [json.dumps(sorted(naming)), limit])
    return [{**_decoded(r), "naming": naming[r["id"]]} for r in rows]


def get_story(db: Database, story_id: str) -> dict[str, Any] | None:
    """One story, or None."""
    rows = list(db.query("SELECT * FROM stories WHERE id = ?", [story_id]))
    return _decoded(rows[0]) if rows else None


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, **{k: json.loads(row[k]) for k in ("themes", "entities", "segments", "impact_components")}}
