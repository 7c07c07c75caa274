"""What newsdesk's queries cost at a million articles, beside their floor: the same result computed by
one raw SQL statement over the same tables and indexes (what SQLite itself needs on this machine).

    python bench/make_synthetic_db.py /tmp/bench-1m.db     # once (about 2.5 minutes)
    python bench/floors.py /tmp/bench-1m.db

Each figure is the median of 20 runs (newsdesk's 95th percentile beside it), with the database's pages
already in the OS cache (as on a server that has been up a while). The ratio newsdesk / floor shows what newsdesk's own work costs on top
(Python objects, several queries where one would do); the issue's aim is within 3x.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from newsdesk.present.dashboard import data
from newsdesk.present.dashboard.data import default_filter
from newsdesk.store import facts, open_db
from newsdesk.store.articles import search_articles
from newsdesk.store.enrichments import uncertain_articles

WORD = "studio"  # in about a quarter of the synthetic articles
RUNS = 20


def _times(run: Callable[[], Any], repeat: int = RUNS) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def _p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23))
    args = parser.parse_args()
    db = open_db(args.path)
    raw = sqlite3.connect(args.path)
    f = default_filter(args.today)
    g = replace(f, themes=("labour",), segments=("film", "music"))
    legal = 1 << dict(raw.execute("SELECT name, bit FROM facet_bits WHERE kind = 'theme'"))["legal"]
    period = {"start": f.start, "end": f.end}
    monday = data.last_complete_monday(f, args.today)
    checks: list[tuple[str, Callable[[], Any], str, dict[str, Any]]] = [
        ("Overview KPIs (this period and the one before)", lambda: data.kpis(db, f),
         """SELECT COUNT(*), COUNT(DISTINCT story_id), COUNT(DISTINCT source_id), SUM(sentiment)
            FROM article_facts WHERE day >= :start AND day < :end AND relevant = 1""", period),
        ("weekly volume by theme", lambda: data.weekly_by_theme(db, f),
         """SELECT week, theme_mask, COUNT(*), SUM(sentiment) FROM article_facts
            WHERE day >= :start AND day < :end AND relevant = 1 GROUP BY 1, 2""", period),
        ("impact matrix", lambda: data.matrix(db, f),
         """SELECT segment_mask, theme_mask, COUNT(*), SUM(sentiment), SUM(impact_share) FROM article_facts
            WHERE day >= :start AND day < :end AND relevant = 1 GROUP BY 1, 2""", period),
        ("entity trends and pairs", lambda: data.entity_trends(db, f),
         """SELECT week, entity, COUNT(*) FROM entity_facts WHERE day >= :start AND day < :end AND relevant = 1
            GROUP BY 1, 2""", period),
        ("rising entities (one week against eight)", lambda: data.rising(db, f, monday),
         """SELECT week, entity, COUNT(*) FROM entity_facts WHERE day >= date(:monday, '-56 days')
            AND day < date(:monday, '+7 days') AND relevant = 1 GROUP BY 1, 2""", {"monday": monday}),
        ("filter change: KPIs, labour x film/music", lambda: data.kpis(db, g),
         """SELECT COUNT(*), COUNT(DISTINCT story_id) FROM article_facts WHERE day >= :start AND day < :end
            AND relevant = 1 AND theme_mask & :legal != 0""", {**period, "legal": legal}),
        ("Review: the least sure judgements", lambda: uncertain_articles(
            db, start=f"{f.start}T00:00:00Z", end=f"{f.end}T00:00:00Z", limit=5),
         """SELECT e.article_id FROM enrichments e CROSS JOIN articles a ON a.id = e.article_id
            WHERE a.published_at >= :start AND a.published_at < :end ORDER BY abs(e.relevance - 0.5) LIMIT 50""",
         period),
        (f"search '{WORD}' in the dashboard (rows + count)", lambda: (data.articles(db, f, WORD),
                                                                    data.article_matches(db, f, WORD)),
         """SELECT COUNT(*) FROM article_facts f WHERE f.day >= :start AND f.day < :end AND f.relevant = 1
            AND f.article_rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)""",
         {**period, "q": WORD}),
        (f"search '{WORD}' from the CLI (best 20 of the newest 2,000 + count)", lambda: search_articles(db, WORD),
         """SELECT rowid, bm25(articles_fts) FROM articles_fts WHERE articles_fts MATCH :q AND +rowid IN
            (SELECT a.rowid FROM articles a INDEXED BY articles_published_at WHERE +a.rowid IN
             (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q) ORDER BY a.published_at DESC LIMIT 2000)
            ORDER BY 2 LIMIT 20""", {"q": WORD}),
        ("date range of the data", lambda: facts.date_range(db),
         "SELECT MIN(day) FROM article_facts", {}),
    ]
    count = raw.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    print(f"{count:,} articles in {args.path}; period {f.start} to {f.end}")
    print(f"{'what':<66} {'newsdesk':>9} {'p95':>7} {'floor':>9} {'ratio':>6}")
    for label, ours, sql, params in checks:
        ours()  # warm the OS cache and SQLite's page cache for both
        mine = _times(ours)
        floor = statistics.median(_times(lambda sql=sql, params=params: raw.execute(sql, params).fetchall()))
        median = statistics.median(mine)
        print(f"{label:<66} {median * 1000:>7.0f}ms {_p95(mine) * 1000:>5.0f}ms {floor * 1000:>7.0f}ms "
              f"{median / max(floor, 1e-4):>5.1f}x")


if __name__ == "__main__":
    main()
