"""Write a synthetic database of enriched articles for the analysis, dashboard and briefing benchmarks.

    python bench/make_synthetic_db.py PATH [--articles 1000000] [--years 2]

Realistic shapes: 300 sources with skewed volume, ~45% relevant, one or two themes and segments,
0-3 entities drawn from the gazetteer with a long tail, bursts around a few events, sentiment
leaning negative on labour and legal. Deterministic for a given size.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.enrich.entities import load_gazetteer
from newsdesk.store import open_db
from newsdesk.store.facts import refresh_facts
from newsdesk.store.search_index import index_new_articles

THEMES = ("labour", "legal", "technology", "business")
SEGMENTS = ("film", "tv/streaming", "music", "games", "publishing", "advertising", "actors/performers", "writers",
            "vfx/animation artists", "voice actors", "musicians", "crew")
WORDS = ("studio union actors replica consent model video music label lawsuit court deal streaming dubbing voice games "
         "publisher writers guild contract training data copyright release festival animation artists tool").split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--years", type=float, default=2.0)
    args = parser.parse_args()
    rng = random.Random(1)
    db = open_db(args.path)
    if db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]:
        raise SystemExit(f"{args.path} already holds articles")
    started = time.perf_counter()
    end = datetime(2026, 11, 23, tzinfo=UTC)
    span = timedelta(days=365 * args.years).total_seconds()
    sources = [(i, f"https://feeds{i}.example/rss", f"Outlet {i}", "2024-01-01T00:00:00Z") for i in range(1, 301)]
    db.conn.executemany("INSERT INTO sources (id, url, name, added_at) VALUES (?, ?, ?, ?)", sources)
    weights = [1 / (i ** 0.8) for i in range(1, 301)]
    gazetteer = load_gazetteer()
    db.conn.executemany("INSERT INTO entities (id, name, type, kind) VALUES (?, ?, ?, ?)",
                        [(e.id, e.name, e.type, e.kind) for e in gazetteer])
    popular = [e.id for e in gazetteer]
    entity_weights = [1 / (i ** 1.1) for i in range(1, len(popular) + 1)]
    bursts = [(end - timedelta(days=rng.uniform(0, span / 86400)), rng.choice(popular)) for _ in range(40)]
    batch = 20_000
    for first in range(0, args.articles, batch):
        articles, enrichments, themes_rows, segment_rows, entity_rows, story_rows = [], [], [], [], [], []
        for n in range(first, min(first + batch, args.articles)):
            burst_at, burst_entity = rng.choice(bursts) if rng.random() < 0.05 else (None, None)
            when = burst_at + timedelta(hours=rng.uniform(0, 72)) if burst_at else end - timedelta(seconds=rng.uniform(0, span))
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            article_id = f"syn{n:08d}"
            title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
            articles.append((article_id, rng.choices(range(1, 301), weights)[0], article_id,
                             f"https://x.example/{n}", f"https://x.example/{n}", title, "", "", "", stamp, stamp, article_id))
            relevant = rng.random() < 0.45
            themes = rng.sample(THEMES, rng.choice((1, 1, 2))) if relevant else []
            sentiment = max(-1.0, min(1.0, rng.gauss(-0.25 if {"labour", "legal"} & set(themes) else 0.05, 0.45)))
            label = "negative" if sentiment < -0.2 else "positive" if sentiment > 0.2 else "neutral"
            segments = rng.sample(SEGMENTS, rng.choice((1, 2)))
            enrichments.append((article_id, "synthetic", int(relevant), 0.9 if relevant else 0.1, json.dumps(themes),
                                label, round(sentiment, 3), json.dumps(segments), stamp))
            themes_rows += [(article_id, t) for t in themes]
            segment_rows += [(article_id, s) for s in segments]
            named = set(rng.choices(popular, entity_weights, k=rng.choice((0, 1, 2, 3))))
            if burst_entity:
                named.add(burst_entity)
            entity_rows += [(article_id, e, e) for e in named]
            story_rows.append((article_id, f"syn-story-{stamp[:10]}-{rng.randrange(40)}"))
        with db.atomic():
            db.conn.executemany(
                """INSERT INTO articles (id, source_id, guid, url, canonical_url, title, summary, summary_html, content,
                   published_at, fetched_at, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", articles)
            db.conn.executemany(
                """INSERT INTO enrichments (article_id, model_version, relevant, relevance, themes, sentiment,
                   sentiment_score, segments, enriched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", enrichments)
            db.conn.executemany("INSERT INTO article_themes VALUES (?, ?)", themes_rows)
            db.conn.executemany("INSERT INTO article_segments VALUES (?, ?)", segment_rows)
            db.conn.executemany("INSERT INTO article_entities VALUES (?, ?, ?)", entity_rows)
            db.conn.executemany("INSERT INTO article_stories VALUES (?, ?)", story_rows)
            refresh_facts(db.conn, [row[0] for row in articles])
        print(f"{min(first + batch, args.articles)} articles ({time.perf_counter() - started:.0f} s)", flush=True)
    write_stories(db, rng, popular)
    index_new_articles(db)
    db.execute("ANALYZE")
    print(f"wrote {args.path} in {time.perf_counter() - started:.0f} s")


def write_stories(db, rng: random.Random, popular: list[str]) -> None:  # noqa: ANN001
    """One stories row per synthetic story (about 40 a day), aggregated from its articles."""
    rows = db.execute(
        """SELECT m.story_id, MIN(a.title), MIN(a.published_at), MAX(a.published_at), COUNT(*),
                  COUNT(DISTINCT a.source_id), MAX(e.relevant), AVG(e.sentiment_score)
           FROM article_stories m JOIN articles a ON a.id = m.article_id JOIN enrichments e ON e.article_id = a.id
           GROUP BY m.story_id ORDER BY m.story_id""").fetchall()
    events = ("deal", "lawsuit", "ruling", "strike", "agreement", "launch", "legislation", "other")
    stories = []
    for story_id, title, first, last, count, outlets, relevant, sentiment in rows:
        impact = round(outlets * 4 + count + rng.uniform(0, 10), 1)
        entities = [{"id": e, "name": e.split(":", 1)[-1], "type": e.split(":", 1)[0]}
                    for e in set(rng.choices(popular, k=2))]
        stories.append((story_id, title, first, last, count, outlets, relevant,
                        json.dumps(sorted(rng.sample(THEMES, rng.choice((1, 2))))), round(sentiment, 3),
                        json.dumps(entities), json.dumps(rng.sample(SEGMENTS, 2)), rng.choice(events), impact,
                        json.dumps({"breadth": outlets, "volume": count}), "{}", last))
    with db.atomic():
        db.conn.executemany(
            """INSERT INTO stories (id, title, first_seen, last_seen, article_count, outlet_count, relevant, themes,
               mean_sentiment, entities, segments, event_type, impact, impact_components, centroid, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", stories)
    print(f"{len(stories)} stories")


if __name__ == "__main__":
    main()
