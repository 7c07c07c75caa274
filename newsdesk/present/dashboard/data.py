"""What the pages show, gathered from the store and the analysis layer for one filter (no SQL here).

Every function takes the database first and returns plain data, so results can be cached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from newsdesk.analyse.trends import change, impact_matrix, mean_interval, series_by_key
from newsdesk.analyse.weeks import mondays_between
from newsdesk.present.digest import story_digests, storyline_changes
from newsdesk.present.rising import rising_in_week
from newsdesk.store import facts
from newsdesk.store.cache import cached, data_version
from newsdesk.store.enrichments import article_judgement, recent_labels, uncertain_articles
from newsdesk.store.facts import FactFilter
from newsdesk.store.sources import source_health
from newsdesk.store.stories import get_story, list_stories, stories_by_impact, story_members

CANDIDATES = 60  # stories of a week examined for the Overview's cards (as many as the briefing examines)
DEFAULT_WEEKS = 12
SHARED_PREFIX = "dashboard:"  # the keys of views kept in the database's analysis cache


def default_filter(today: date) -> FactFilter:
    """The last twelve complete ISO weeks (Monday to Sunday), relevant articles only: a week still
    under way would show as a half-empty last bar and flatten the week's rising entities."""
    monday = today - timedelta(days=today.weekday())
    return FactFilter(start=(monday - timedelta(weeks=DEFAULT_WEEKS)).isoformat(), end=monday.isoformat())


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


def last_complete_monday(f: FactFilter, today: date) -> str:
    """The Monday of the period's last complete week (a week still under way is not judged on)."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = [m for m in mondays_between(f.start, f.end) if date.fromisoformat(m) < this_monday]
    return mondays[-1] if mondays else mondays_between(f.start, f.end)[-1]


def rising(db: Database, f: FactFilter, monday: str) -> list[dict[str, Any]]:
    """Entities bursting in the week of ``monday`` against the eight before it."""
    return rising_in_week(db, f, monday)


def week_stories(db: Database, f: FactFilter, monday: str, limit: int = 5) -> dict[str, Any]:
    """The top stories of the week of ``monday`` that match the filter, told from that week's articles,
    and what changed: new, continuing and quiet storylines (as in the briefing)."""
    start = f"{monday}T00:00:00Z"
    end = f"{(date.fromisoformat(monday) + timedelta(weeks=1)).isoformat()}T00:00:00Z"
    week = replace(f, start=monday, end=end[:10])
    candidates = list_stories(db, **_story_filter(week), limit=CANDIDATES)
    digests = sorted(story_digests(db, candidates, start, end, relevant_only=f.relevant_only),
                     key=lambda d: (-d["impact"], d["id"]))
    return {"stories": digests[:limit], "changes": storyline_changes(db, digests, start, themes=f.themes)}


def stories(db: Database, f: FactFilter, limit: int = 200) -> list[dict[str, Any]]:
    """Stories active in the period that match the filter, highest impact first."""
    return list_stories(db, **_story_filter(f), limit=limit)


def story(db: Database, story_id: str) -> dict[str, Any] | None:
    """One story with its articles per outlet, in time order."""
    found = get_story(db, story_id)
    return None if found is None else {**found, "articles": story_members(db, story_id)}


def articles(db: Database, f: FactFilter, query: str = "", sort: str = "relevance") -> list[dict[str, Any]]:
    """Filtered articles, newest first; for a search, best match or newest first, with snippets."""
    return facts.find_articles(db, f, query, sort=sort)


def article_matches(db: Database, f: FactFilter, query: str) -> int:
    """How many articles within the filters match the search."""
    return facts.count_matches(db, f, query)


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
                                                  "kind": row["kind"], "articles": 0, "weeks": {}})
        entry["articles"] += row["articles"]
        entry["weeks"][row["week"]] = row["articles"]
    top = sorted(totals.values(), key=lambda e: (-e["articles"], e["name"]))[:50]
    for entry in top:
        entry["series"] = [{"week": w, "articles": entry["weeks"].get(w, 0)} for w in mondays]
        del entry["weeks"]
    return {"top": top, "pairs": facts.entity_pairs(db, f)}


def entity(db: Database, f: FactFilter, entity_id: str) -> list[dict[str, Any]]:
    """The stories with an article within the filters naming the entity, highest impact first."""
    return stories_by_impact(db, facts.stories_naming(db, f, entity_id))


def matrix(db: Database, f: FactFilter) -> list[dict[str, Any]]:
    """Segment x theme cells: volume, mean sentiment and change against the previous period."""
    return impact_matrix(facts.matrix(db, f), facts.matrix(db, f.previous()))


def sources(db: Database, f: FactFilter) -> list[dict[str, Any]]:
    """Health per feed, with articles per week over the period."""
    weeks = max((date.fromisoformat(f.end) - date.fromisoformat(f.start)).days / 7, 1 / 7)
    rows = source_health(db, since=f"{f.start}T00:00:00Z", until=f"{f.end}T00:00:00Z")
    return [{**row, "per_week": round(row["recent"] / weeks, 1)} for row in rows]


def remembered(db: Database, compute: Callable[..., Any], *args: Any) -> Any:
    """``compute(db, *args)`` through the database's analysis cache, which every process shares: a view the
    crawl job warmed (``warm``) is read, not computed, by the first visitor after new data arrives."""
    return cached(db, f"{SHARED_PREFIX}{compute.__qualname__}:{args!r}", lambda: compute(db, *args))


def default_views(today: date) -> list[tuple[Callable[..., Any], tuple[Any, ...]]]:
    """What the pages compute when opened with the default filters."""
    f = default_filter(today)
    monday = last_complete_monday(f, today)
    return [(week_stories, (f, monday)), (kpis, (f,)), (weekly_by_theme, (f,)), (rising, (f, monday)),
            (entity_trends, (f,)), (stories, (f,)), (articles, (f, "", "relevance")), (matrix, (f,)),
            (sources, (f,))]


def warm(db: Database, today: date) -> int:
    """Compute the default views for the current data into the shared cache (and the stories of the
    entity the Entities page opens on), and forget the views of older data. Returns how many views
    were computed."""
    views = default_views(today)
    results = {compute: remembered(db, compute, *args) for compute, args in views}
    top = results[entity_trends]["top"]
    if top:
        remembered(db, entity, default_filter(today), top[0]["entity"])
    forget_views(db, keep_version=data_version(db))
    return len(views) + bool(top)


def forget_views(db: Database, *, keep_version: str | None = None) -> None:
    """Drop the views kept in the shared cache (all of them, or those of data older than ``keep_version``)."""
    with db.atomic():
        db.execute("DELETE FROM analysis_cache WHERE substr(key, 1, ?) = ? AND data_version IS NOT ?",
                   [len(SHARED_PREFIX), SHARED_PREFIX, keep_version])
