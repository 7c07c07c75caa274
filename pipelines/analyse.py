"""The analyse job: put newly enriched articles into stories and refresh the stories they touched.

Incremental: only articles not yet in a story are assigned; only stories still active within
the window are candidates; only touched stories are re-aggregated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from newsdesk.analyse.clustering import (
    Clusterer,
    Story,
    Vectoriser,
    article_terms,
    entity_names,
    headline_names,
    party_names,
    terms,
)
from newsdesk.analyse.stories import summarise_story
from newsdesk.analyse.weeks import week_bounds, week_of, weeks_ending
from newsdesk.clock import from_iso, to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.store.stories import (
    active_stories,
    add_term_counts,
    assign_articles,
    clustered_texts,
    next_story_number,
    save_stories,
    story_members,
    term_counts_missing,
    term_frequencies,
    unclustered_articles,
)
from newsdesk.store.trends import cached_matrix_cells, cached_weekly_by, cached_weekly_volume

WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class AnalyseReport:
    """Articles assigned, stories created or changed, and stories merged."""

    assigned: int
    stories_touched: int
    merged: int


def run_analyse(settings: Settings, db: Database, *, window: timedelta = WINDOW) -> AnalyseReport:
    """Assign unclustered articles to stories in time order and refresh the affected stories."""
    if term_counts_missing(db):  # a migration cleared them: clustering's words changed
        add_term_counts(db, Counter(term for title, summary in clustered_texts(db)
                                    for term in set(article_terms(title, summary))))
    articles = unclustered_articles(db)
    if not articles:
        return AnalyseReport(0, 0, 0)
    documents = [article_terms(a["title"], a["summary"] or "") for a in articles]
    add_term_counts(db, Counter(t for doc in documents for t in set(doc)))
    df, clustered = term_frequencies(db)
    clusterer = Clusterer(Vectoriser(df, clustered + len(articles)), window=window, next_number=next_story_number(db))
    since = to_iso(from_iso(articles[0]["published_at"]) - window)
    for row in active_stories(db, since):
        clusterer.adopt(Story(row["id"], row["centroid"], from_iso(row["first_seen"]), from_iso(row["last_seen"]),
                              row["article_count"], set(party_names(e["name"] for e in row["entities"]))))
    existing = set(clusterer.stories)
    assignments: dict[str, str] = {}
    for article, doc in zip(articles, documents, strict=True):
        headline = set(terms(article["title"]))
        names = headline_names(article["title"]) | entity_names(headline, article["entities"])
        assignments[article["id"]] = clusterer.assign(doc, from_iso(article["published_at"]), headline, names)
    merged: dict[str, str] = {}
    for _ in range(2):
        merged.update(clusterer.merge_active(from_iso(articles[-1]["published_at"])))
    assignments = {a: _survivor(s, merged) for a, s in assignments.items()}
    assign_articles(db, assignments, {k: _survivor(v, merged) for k, v in merged.items() if k in existing},
                    next_number=clusterer.next_number)
    touched = {_survivor(s, merged) for s in assignments.values()}
    rows = [summarise_story(clusterer.stories[story_id], story_members(db, story_id)) for story_id in sorted(touched)]
    save_stories(db, rows, at=to_iso(utc_now()))
    materialise_standard_views(db, utc_now())
    return AnalyseReport(len(assignments), len(touched), len(merged))


def materialise_standard_views(db: Database, now: datetime, *, weeks: int = 12) -> None:
    """Compute and store what the dashboard and briefing read first: trends and the matrix."""
    current = week_of(now)
    mondays = weeks_ending(current, weeks * 2)
    start, middle, end = f"{mondays[0]}T00:00:00Z", f"{mondays[weeks]}T00:00:00Z", week_bounds(current)[1]
    cached_weekly_volume(db, f"{mondays[weeks]}T00:00:00Z", end)
    for dimension in ("theme", "segment", "source"):
        cached_weekly_by(db, dimension, f"{mondays[weeks]}T00:00:00Z", end)
    cached_matrix_cells(db, middle, end)
    cached_matrix_cells(db, start, middle)


def _survivor(story_id: str, merged: dict[str, str]) -> str:
    while story_id in merged:
        story_id = merged[story_id]
    return story_id
