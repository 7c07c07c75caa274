"""The ``article_facts`` and ``facet_bits`` tables: filtered aggregates for the dashboard and briefings.

Every enriched original article has one narrow row (day, week, source, relevance, theme and segment
bit masks, sentiment), so a filter over dates, themes, segments and sources is one index range scan.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlite_utils import Database

from newsdesk.errors import StoreError
from newsdesk.store.migrations import ENTITY_FACTS_SELECT, FACTS_SELECT
from newsdesk.store.search_query import MARK_END, MARK_START, fts_query

FACETS = ("theme", "segment")
_MAX_BIT = 62


@dataclass(frozen=True)
class FactFilter:
    """Which articles an aggregate counts: days [start, end), and optional themes, segments and sources."""

    start: str
    end: str
    themes: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    sources: tuple[int, ...] = ()
    relevant_only: bool = True

    def previous(self) -> FactFilter:
        """The same filter over the period of equal length just before."""
        first, last = date.fromisoformat(self.start), date.fromisoformat(self.end)
        return replace(self, start=(first - (last - first)).isoformat(), end=self.start)


def refresh_facts(conn: sqlite3.Connection, article_ids: Iterable[str]) -> None:
    """Rewrite the fact rows of these articles from their enrichment (call inside the writing transaction)."""
    ids_list = list(article_ids)
    if not ids_list:
        return
    ids = json.dumps(ids_list)
    for kind, table in (("theme", "article_themes"), ("segment", "article_segments")):
        names = [row[0] for row in conn.execute(
            f"""SELECT DISTINCT {kind} FROM {table} WHERE article_id IN (SELECT value FROM json_each(?))
                AND {kind} NOT IN (SELECT name FROM facet_bits WHERE kind = ?) ORDER BY 1""", [ids, kind])]
        for name in names:
            bit = conn.execute("SELECT COALESCE(MAX(bit) + 1, 0) FROM facet_bits WHERE kind = ?", [kind]).fetchone()[0]
            if bit > _MAX_BIT:
                raise StoreError(f"store: more than {_MAX_BIT + 1} {kind}s; {name!r} cannot be counted")
            conn.execute("INSERT INTO facet_bits (kind, name, bit) VALUES (?, ?, ?)", [kind, name, bit])
    conn.execute("DELETE FROM article_facts WHERE article_id IN (SELECT value FROM json_each(?))", [ids])
    conn.execute("DELETE FROM entity_facts WHERE article_id IN (SELECT value FROM json_each(?))", [ids])
    conn.execute(FACTS_SELECT.format(where="a.id IN (SELECT value FROM json_each(?))"), [ids])
    conn.execute(ENTITY_FACTS_SELECT.format(where="f.article_id IN (SELECT value FROM json_each(?))"), [ids])


def drop_facts(conn: sqlite3.Connection, article_id: str) -> None:
    """Stop counting an article (it became a syndicated copy)."""
    conn.execute("DELETE FROM article_facts WHERE article_id = ?", [article_id])
    conn.execute("DELETE FROM entity_facts WHERE article_id = ?", [article_id])


def facet_names(db: Database, kind: str) -> list[str]:
    """Every theme or segment seen so far, by name."""
    return [row[0] for row in db.execute("SELECT name FROM facet_bits WHERE kind = ? ORDER BY name", [kind])]


def _mask(db: Database, kind: str, names: tuple[str, ...]) -> int:
    bits = dict(db.execute("SELECT name, bit FROM facet_bits WHERE kind = ?", [kind]).fetchall())
    return sum(1 << bits[n] for n in set(names) if n in bits)


def _where(db: Database, f: FactFilter) -> tuple[str, dict[str, Any]]:
    clauses = ["f.day >= :start", "f.day < :end"]
    params: dict[str, Any] = {"start": f.start, "end": f.end}
    if f.relevant_only:
        clauses.append("f.relevant = 1")
    for kind, names in (("theme", f.themes), ("segment", f.segments)):
        if names:
            clauses.append(f"(f.{kind}_mask & :{kind}_mask) != 0")
            params[f"{kind}_mask"] = _mask(db, kind, names)
    if f.sources:
        clauses.append("f.source_id IN (SELECT value FROM json_each(:sources))")
        params["sources"] = json.dumps([int(s) for s in f.sources])
    return " AND ".join(clauses), params


_SENTIMENT = "SUM(f.sentiment) AS sentiment_sum, SUM(f.sentiment * f.sentiment) AS sentiment_sq"


def totals(db: Database, f: FactFilter) -> dict[str, Any]:
    """Articles, stories, active sources and sentiment sums over the filter."""
    where, params = _where(db, f)
    row = db.execute(
        f"""SELECT COUNT(*), COUNT(DISTINCT f.story_id), COUNT(DISTINCT f.source_id),
                   SUM(f.sentiment), SUM(f.sentiment * f.sentiment) FROM article_facts f WHERE {where}""",
        params).fetchone()
    return {"articles": row[0], "stories": row[1], "sources": row[2], "sentiment_sum": row[3], "sentiment_sq": row[4]}


def _bits(db: Database, kind: str) -> list[tuple[str, int]]:
    return [(name, 1 << bit) for name, bit in db.execute(
        "SELECT name, bit FROM facet_bits WHERE kind = ? ORDER BY name", [kind])]


def _expand(rows: list[tuple], bits: dict[str, list[tuple[str, int]]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows grouped by (week?, masks...) -> summed rows per (week?, name...): each mask becomes its names."""
    summed: dict[tuple, list[float]] = {}
    for row in rows:
        *head, articles, total, squares = row
        prefix, masks = head[: len(head) - len(bits)], head[len(head) - len(bits):]
        combos: list[tuple] = [tuple(prefix)]
        for kind, mask in zip(bits, masks, strict=True):
            combos = [c + (name,) for c in combos for name, bit in bits[kind] if mask & bit]
        for combo in combos:
            entry = summed.setdefault(combo, [0, 0.0, 0.0])
            entry[0] += articles
            entry[1] += total or 0.0
            entry[2] += squares or 0.0
    return [{**dict(zip(keys, combo, strict=True)), "articles": n, "sentiment_sum": round(total, 9),
             "sentiment_sq": round(squares, 9)} for combo, (n, total, squares) in sorted(summed.items())]


def weekly(db: Database, f: FactFilter, by: str | None = None, *, period: str = "week") -> list[dict[str, Any]]:
    """Per week (Monday's date) or day, optionally per theme, segment or source: articles and sentiment
    sums (and, without ``by``, distinct stories)."""
    where, params = _where(db, f)
    column = {"week": "f.week", "day": "f.day"}[period]
    if by is None:
        return list(db.query(
            f"""SELECT {column} AS week, COUNT(*) AS articles, COUNT(DISTINCT f.story_id) AS stories, {_SENTIMENT}
                FROM article_facts f WHERE {where} GROUP BY 1 ORDER BY 1""", params))
    if by == "source":
        return list(db.query(
            f"""SELECT g.week, s.name AS key, g.articles, g.sentiment_sum, g.sentiment_sq FROM
                (SELECT {column} AS week, f.source_id, COUNT(*) AS articles, {_SENTIMENT} FROM article_facts f
                 WHERE {where} GROUP BY 1, 2) g JOIN sources s ON s.id = g.source_id ORDER BY 1, 2""", params))
    if by not in FACETS:
        raise StoreError(f"store: cannot split by {by!r} (one of {', '.join(FACETS)}, source)")
    rows = db.execute(
        f"""SELECT {column}, f.{by}_mask, COUNT(*), {_SENTIMENT} FROM article_facts f
            WHERE {where} AND f.{by}_mask != 0 GROUP BY 1, 2""", params).fetchall()
    return _expand(rows, {by: _bits(db, by)}, ("week", "key"))


def by_facet(db: Database, f: FactFilter, kind: str) -> list[dict[str, Any]]:
    """Per theme or segment over the whole filter: articles and sentiment sums, most articles first."""
    if kind not in FACETS:
        raise StoreError(f"store: no facet {kind!r} (one of {', '.join(FACETS)})")
    where, params = _where(db, f)
    rows = db.execute(
        f"""SELECT f.{kind}_mask, COUNT(*), {_SENTIMENT} FROM article_facts f
            WHERE {where} AND f.{kind}_mask != 0 GROUP BY 1""", params).fetchall()
    return sorted(_expand(rows, {kind: _bits(db, kind)}, ("key",)), key=lambda r: (-r["articles"], r["key"]))


def matrix(db: Database, f: FactFilter) -> list[dict[str, Any]]:
    """Per segment and theme: articles, sentiment sum and impact (the shape ``impact_matrix`` takes).

    A cell's impact is the impact of the stories its articles belong to, each story's score shared
    equally among its articles (an article in no story adds nothing).
    """
    where, params = _where(db, f)
    rows = db.execute(
        f"""SELECT f.segment_mask, f.theme_mask, COUNT(*), SUM(f.sentiment), SUM(f.impact_share) FROM article_facts f
            WHERE {where} AND f.segment_mask != 0 AND f.theme_mask != 0 GROUP BY 1, 2""", params).fetchall()
    cells = _expand(rows, {"segment": _bits(db, "segment"), "theme": _bits(db, "theme")}, ("segment", "theme"))
    # _expand sums the last three columns; here the third is the impact, not squared sentiment
    return [{"segment": c["segment"], "theme": c["theme"], "articles": c["articles"],
             "sentiment_sum": c["sentiment_sum"], "impact": round(c["sentiment_sq"], 1)} for c in cells]


def entity_weekly(db: Database, f: FactFilter) -> list[dict[str, Any]]:
    """Per week and entity: how many filtered articles named it (the shape ``rising_entities`` takes)."""
    where, params = _where(db, f)
    return list(db.query(
        f"""SELECT g.week, n.id AS entity, n.name, n.type, COALESCE(n.kind, n.type) AS kind, g.articles
            FROM (SELECT f.week, f.entity, COUNT(*) AS articles FROM entity_facts f WHERE {where}
                  GROUP BY f.week, f.entity) g JOIN entities n ON n.rowid = g.entity""", params))


def entity_pairs(db: Database, f: FactFilter, *, limit: int = 30) -> list[dict[str, Any]]:
    """Entities named together in the same filtered articles, most frequent pairs first."""
    where, params = _where(db, f)
    return list(db.query(
        f"""SELECT nx.id AS first, nx.name AS first_name, COALESCE(nx.kind, nx.type) AS first_type,
                   ny.id AS second, ny.name AS second_name, COALESCE(ny.kind, ny.type) AS second_type, p.articles
            FROM (SELECT f.entity AS x, y.entity AS y, COUNT(*) AS articles FROM entity_facts f
                  JOIN entity_facts y ON y.article_id = f.article_id AND y.entity > f.entity
                  WHERE {where} GROUP BY f.entity, y.entity ORDER BY articles DESC LIMIT :wide) p
            JOIN entities nx ON nx.rowid = p.x JOIN entities ny ON ny.rowid = p.y
            ORDER BY p.articles DESC, first, second LIMIT :limit""",
        {**params, "limit": limit, "wide": limit * 4}))


SORTS = ("relevance", "newest")


def find_articles(db: Database, f: FactFilter, query: str = "", *, limit: int = 200,
                  sort: str = "relevance") -> list[dict[str, Any]]:
    """Filtered articles, newest first, or for a search the matches (words and "quoted phrases", see
    ``search_query``) best first or newest first, each with a snippet whose matches are marked."""
    where, params = _where(db, f)
    select = """SELECT a.id, a.title, a.url, a.published_at, s.name AS source, e.relevant, e.themes,
                       e.sentiment, e.sentiment_score{snippet} FROM article_facts f
                JOIN articles a ON a.id = f.article_id JOIN sources s ON s.id = a.source_id
                JOIN enrichments e ON e.article_id = a.id"""
    match = fts_query(query)
    if match:  # a reader: writers keep the full-text index up to date
        order = "articles_fts.rank" if sort == "relevance" else "a.published_at DESC, a.id"
        snippet = ", snippet(articles_fts, -1, :mark_start, :mark_end, '…', 16) AS snippet"
        rows = db.query(
            f"""{select.format(snippet=snippet)} JOIN articles_fts ON articles_fts.rowid = a.rowid
                WHERE articles_fts MATCH :q AND {where} ORDER BY {order} LIMIT :limit""",
            {**params, "q": match, "limit": limit, "mark_start": MARK_START, "mark_end": MARK_END})
    else:  # newest days first straight off the facts index, then by time within a day
        rows = db.query(f"{select.format(snippet='')} WHERE {where} "
                        "ORDER BY f.day DESC, a.published_at DESC, a.id LIMIT :limit", {**params, "limit": limit})
    return [{**r, "themes": json.loads(r["themes"])} for r in rows]


def count_matches(db: Database, f: FactFilter, query: str) -> int:
    """How many articles within the filter match the search (all of them, not just those shown)."""
    match = fts_query(query)
    if not match:
        return 0
    where, params = _where(db, f)
    return int(db.execute(
        f"""SELECT COUNT(*) FROM article_facts f JOIN articles a ON a.id = f.article_id
            JOIN articles_fts ON articles_fts.rowid = a.rowid WHERE articles_fts MATCH :q AND {where}""",
        {**params, "q": match}).fetchone()[0])


def date_range(db: Database) -> tuple[str, str] | None:
    """First and last day with counted articles."""
    # two subqueries: each is one step down the day index (MIN and MAX in one query scan it)
    row = db.execute("SELECT (SELECT MIN(day) FROM article_facts), (SELECT MAX(day) FROM article_facts)").fetchone()
    return None if row[0] is None else (row[0], row[1])
