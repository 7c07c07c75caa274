"""The ``article_facts`` and ``facet_bits`` tables: filtered aggregates for the dashboard and briefings.

Every enriched original article has one narrow row (day, week, source, relevance, theme and segment
bit masks, sentiment), so a filter over dates, themes, segments and sources is one index range scan.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from itertools import combinations
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
    """Entities named together in the same filtered articles, most frequent pairs first.

    The filtered (article, entity) rows come off the day index and are paired here: a self-join would
    look every row's article up again by its text id (twice as slow at a million articles)."""
    where, params = _where(db, f)
    by_article: dict[str, list[int]] = {}
    for article_id, entity in db.execute(f"SELECT f.article_id, f.entity FROM entity_facts f WHERE {where}", params):
        by_article.setdefault(article_id, []).append(entity)
    together: Counter[tuple[int, int]] = Counter()
    for entities in by_article.values():
        if len(entities) > 1:
            together.update(combinations(sorted(entities), 2))
    frequent = sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:limit * 4]
    named = {row[0]: row[1:] for row in db.execute(
        "SELECT rowid, id, name, COALESCE(kind, type) FROM entities WHERE rowid IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted({e for pair, _ in frequent for e in pair}))])}
    pairs = [{"first": named[x][0], "first_name": named[x][1], "first_type": named[x][2], "second": named[y][0],
              "second_name": named[y][1], "second_type": named[y][2], "articles": n} for (x, y), n in frequent]
    return sorted(pairs, key=lambda p: (-p["articles"], p["first"], p["second"]))[:limit]


def stories_naming(db: Database, f: FactFilter, entity_id: str) -> dict[str, int]:
    """Story id -> how many of its filtered articles name the entity (articles in no story left out)."""
    where, params = _where(db, f)
    return dict(db.execute(
        f"""SELECT a.story_id, COUNT(*) FROM entity_facts f JOIN article_facts a ON a.article_id = f.article_id
            WHERE {where} AND f.entity = (SELECT rowid FROM entities WHERE id = :entity_id)
            AND a.story_id IS NOT NULL GROUP BY a.story_id""", {**params, "entity_id": entity_id}).fetchall())


SORTS = ("relevance", "newest")


RANKED_AT_MOST = 2000  # a broader search ranks its newest this many matches instead of scoring every one


def find_articles(db: Database, f: FactFilter, query: str = "", *, limit: int = 200, sort: str = "relevance",
                  ranked_at_most: int = RANKED_AT_MOST) -> list[dict[str, Any]]:
    """Filtered articles, newest first, or for a search the matches (words and "quoted phrases", see
    ``search_query``) best first or newest first, each with a snippet whose matches are marked.

    "Best first" ranks (bm25) the newest ``ranked_at_most`` matches: every match when there are fewer,
    and a word in a quarter of a million articles stays as fast as a rare one.
    """
    where, params = _where(db, f)
    select = """SELECT a.id, a.title, a.url, a.published_at, s.name AS source, e.relevant, e.themes,
                       e.sentiment, e.sentiment_score{snippet} FROM {rows}
                JOIN sources s ON s.id = a.source_id JOIN enrichments e ON e.article_id = a.id"""
    match = fts_query(query)
    if not match:  # newest days first straight off the facts index, then by time within a day
        rows = db.query(f"{select.format(snippet='', rows='article_facts f JOIN articles a ON a.id = f.article_id')} "
                        f"WHERE {where} ORDER BY f.day DESC, a.published_at DESC, a.id LIMIT :limit",
                        {**params, "limit": limit})
        return [{**r, "themes": json.loads(r["themes"])} for r in rows]
    # a reader: writers keep the full-text index up to date
    newest = [row[0] for row in db.execute(
        f"""SELECT f.article_rowid FROM article_facts f JOIN articles a ON a.rowid = f.article_rowid
            WHERE {where} AND f.article_rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)
            ORDER BY f.day DESC, a.published_at DESC, a.id LIMIT :n""",
        {**params, "q": match, "n": limit if sort == "newest" else ranked_at_most})]
    return marked_matches(db, select, match, newest, limit=limit, sort=sort)


def marked_matches(db: Database, select: str, match: str, rowids: list[int], *, limit: int,
                   sort: str) -> list[dict[str, Any]]:
    """The articles of ``rowids`` that match, best (bm25) or newest first, with marked snippets.

    ``select`` names the columns and the joins after ``{rows}`` (the articles, as ``a``). The index is
    read in one pass that scores and cuts snippets for these rows only: asking it about one rowid at a
    time would decode a common word's whole posting list once per row (about 11 ms each at a million).
    """
    chosen = "rowid IN (SELECT value FROM json_each(:rowids))"
    scored = f"""SELECT * FROM (
                     SELECT rowid AS article_rowid, CASE WHEN {chosen} THEN bm25(articles_fts) END AS score,
                            CASE WHEN {chosen} THEN snippet(articles_fts, -1, :mark_start, :mark_end, '…', 16) END
                            AS snippet
                     FROM articles_fts WHERE articles_fts MATCH :q) WHERE score IS NOT NULL"""
    rows = f"(WITH m AS MATERIALIZED ({scored}) SELECT * FROM m) m JOIN articles a ON a.rowid = m.article_rowid"
    order = "m.score" if sort == "relevance" else "a.published_at DESC, a.id"
    found = db.query(f"{select.format(snippet=', m.snippet', rows=rows)} ORDER BY {order} LIMIT :limit",
                     {"q": match, "rowids": json.dumps(rowids), "limit": limit,
                      "mark_start": MARK_START, "mark_end": MARK_END})
    return [{**r, "themes": json.loads(r["themes"])} if "themes" in r else r for r in found]


def count_matches(db: Database, f: FactFilter, query: str) -> int:
    """How many articles within the filter match the search (all of them, not just those shown)."""
    match = fts_query(query)
    if not match:
        return 0
    where, params = _where(db, f)
    return int(db.execute(
        f"""SELECT COUNT(*) FROM article_facts f WHERE {where}
            AND f.article_rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)""",
        {**params, "q": match}).fetchone()[0])


def date_range(db: Database) -> tuple[str, str] | None:
    """First and last day with counted articles."""
    # two subqueries: each is one step down the day index (MIN and MAX in one query scan it)
    row = db.execute("SELECT (SELECT MIN(day) FROM article_facts), (SELECT MAX(day) FROM article_facts)").fetchone()
    return None if row[0] is None else (row[0], row[1])
