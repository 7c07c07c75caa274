"""What the pages show, gathered from the store and the analysis layer for one filter (no SQL here).

Every function takes the database first and returns plain data, so results can be cached.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlite_utils import Database

from newsdesk.analyse.trends import change, impact_matrix, mean_interval, series_by_key
from newsdesk.analyse.weeks import mondays_between
from newsdesk.present.rising import rising_in_week
from newsdesk.store import facts
from newsdesk.store.enrichments import article_judgement, recent_labels, uncertain_articles
from newsdesk.store.facts import FactFilter
from newsdesk.store.sources import source_health
from newsdesk.store.stories import get_story, list_stories, story_members


def _story_filter(f: FactFilter) -> dict[str, Any]:
    return {"start": f"{f.start}T00:00:00Z", "end": f"{f.end}T00:00:00Z", "relevant_only": f.relevant_only,
            "themes": f.themes, "segments": f.segments, "sources": f.sources}


def _summary(totals: dict[str, Any]) -> dict[str, Any]:
    mean = mean_interval(totals["articles"], totals["sentiment_sum"], totals["sentiment_sq"])
    return {**totals, "sentiment": mean.mean}


def kpis(db: Database, f: FactFilter) -> dict[str, Any]:
    """Articles, stories, active sources, mean sentiment and theme shares, with the previous period's."""
    now, before = _summary(facts.totals(db, f)), _summary(facts.totals(db, f.previous()))
    shares = {row["key"]: row["articles"] / now["articles"] for row in facts.by_facet(db, f, "theme")} \
        if now["articles"] else {}
    sentiment_change = None if now["sentiment"] is None or before["sentiment"] is None \
        else round(now["sentiment"] - before["sentiment"], 3)
    return {"now": now, "before": before, "theme_shares": shares, "sentiment_change": sentiment_change,
            "articles_change": change(now["articles"], before["articles"])}


def weekly_by_theme(db: Database, f: FactFilter) -> dict[str, list[dict[str, Any]]]:
    """Per theme, its weekly volume and mean sentiment with a 95% interval."""
    return series_by_key(facts.weekly(db, f, by="theme"), mondays_between(f.start, f.end))


def rising(db: Database, f: FactFilter) -> list[dict[str, Any]]:
    """Entities bursting in the period's last week against the eight before it."""
    return rising_in_week(db, f, mondays_between(f.start, f.end)[-1])


def stories(db: Database, f: FactFilter, limit: int = 200) -> list[dict[str, Any]]:
    """Stories active in the period that match the filter, highest impact first."""
    return list_stories(db, **_story_filter(f), limit=limit)


def story(db: Database, story_id: str) -> dict[str, Any] | None:
    """One story with its articles per outlet, in time order."""
    found = get_story(db, story_id)
    return None if found is None else {**found, "articles": story_members(db, story_id)}


def articles(db: Database, f: FactFilter, query: str = "") -> list[dict[str, Any]]:
    """Filtered articles, newest first or best match first for a search."""
    return facts.find_articles(db, f, query)


def article(db: Database, article_id: str) -> dict[str, Any] | None:
    """One article with its judgements, evidence, entities and corrections."""
    return article_judgement(db, article_id)


def to_review(db: Database, f: FactFilter, limit: int = 5) -> list[dict[str, Any]]:
    """Unreviewed articles of the period that the model is least sure about."""
    return uncertain_articles(db, start=f"{f.start}T00:00:00Z", end=f"{f.end}T00:00:00Z", limit=limit)


def corrections(db: Database, limit: int = 15) -> list[dict[str, Any]]:
    """The latest corrections, newest first."""
    return recent_labels(db, limit=limit)


def entity_trends(db: Database, f: FactFilter) -> dict[str, Any]:
    """Top entities of the period with their weekly series, and which entities appear together."""
    mondays = mondays_between(f.start, f.end)
    counts = facts.entity_weekly(db, f)
    totals: dict[str, dict[str, Any]] = {}
    for row in counts:
        entry = totals.setdefault(row["entity"], {"entity": row["entity"], "name": row["name"], "type": row["type"],
                                                  "articles": 0, "weeks": {}})
        entry["articles"] += row["articles"]
        entry["weeks"][row["week"]] = row["articles"]
    top = sorted(totals.values(), key=lambda e: (-e["articles"], e["name"]))[:50]
    for entry in top:
        entry["series"] = [{"week": w, "articles": entry["weeks"].get(w, 0)} for w in mondays]
        del entry["weeks"]
    return {"top": top, "pairs": facts.entity_pairs(db, f)}


def matrix(db: Database, f: FactFilter) -> list[dict[str, Any]]:
    """Segment x theme cells: volume, mean sentiment and change against the previous period."""
    return impact_matrix(facts.matrix(db, f), facts.matrix(db, f.previous()))


def sources(db: Database, f: FactFilter) -> list[dict[str, Any]]:
    """Health per feed, with articles per week over the period."""
    weeks = max((date.fromisoformat(f.end) - date.fromisoformat(f.start)).days / 7, 1 / 7)
    rows = source_health(db, since=f"{f.start}T00:00:00Z", until=f"{f.end}T00:00:00Z")
    return [{**row, "per_week": round(row["recent"] / weeks, 1)} for row in rows]

