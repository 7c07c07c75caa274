"""What a weekly briefing says, gathered from the store as one plain, JSON-ready structure.

Every number comes from the same queries the dashboard uses, so it matches the database; every
list has a total order, so the same database and week always give the same briefing.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from newsdesk import __version__
from newsdesk.analyse.events import event_type
from newsdesk.analyse.summarise import extractive_summary
from newsdesk.analyse.trends import change, impact_matrix, mean_interval, series_by_key
from newsdesk.analyse.weeks import monday_of, week_bounds, weeks_ending
from newsdesk.models import BUILTIN_THEMES
from newsdesk.present.markdown import safe_url
from newsdesk.present.rising import rising_in_week
from newsdesk.store import facts
from newsdesk.store.articles import article_texts, collection_stats
from newsdesk.store.facts import FactFilter
from newsdesk.store.stories import list_stories, story_members

CHART_WEEKS = 12
CANDIDATES = 60  # stories of the week examined closely (members, summaries, storyline changes)


def _figure(now: float | None, before: float | None, *, absolute: bool = False) -> dict[str, Any]:
    if absolute:
        delta = None if now is None or before is None else round(now - before, 3)
        return {"now": now, "before": before, "change": delta}
    return {"now": now, "before": before, "change": change(now, before)}


def _headline(db: Database, f: FactFilter) -> dict[str, Any]:
    now, before = facts.totals(db, f), facts.totals(db, f.previous())
    mean_now = mean_interval(now["articles"], now["sentiment_sum"], now["sentiment_sq"]).mean
    mean_before = mean_interval(before["articles"], before["sentiment_sum"], before["sentiment_sq"]).mean
    return {"articles": _figure(now["articles"], before["articles"]),
            "stories": _figure(now["stories"], before["stories"]),
            "sources": _figure(now["sources"], before["sources"]),
            "sentiment": _figure(mean_now, mean_before, absolute=True)}


def _sentiment_word(score: float | None) -> str:
    if score is None:
        return "n/a"
    return "positive" if score > 0.15 else "negative" if score < -0.15 else "neutral"


def _story_entry(db: Database, story: dict[str, Any], start: str, end: str) -> dict[str, Any] | None:
    """A story as the briefing shows it, or None when none of its articles falls in the week."""
    members = story_members(db, story["id"])
    this_week = [m for m in members if start <= m["published_at"] < end]
    if not this_week:
        return None
    earlier = [m for m in members if m["published_at"] < start]
    texts = article_texts(db, [m["id"] for m in this_week])
    summary = extractive_summary([texts.get(m["id"], "") for m in this_week], json.loads(story["centroid"]))
    links, seen = [], set()
    for member in this_week:
        url = safe_url(member["url"])
        if member["outlet"] not in seen:
            seen.add(member["outlet"])
            links.append({"outlet": member["outlet"], "title": member["title"], "url": url})
    now_type = event_type([m["title"] for m in this_week])
    before_type = event_type([m["title"] for m in earlier]) if earlier else None
    return {
        "id": story["id"], "title": story["title"], "impact": story["impact"],
        "outlets": len(seen), "articles": len(this_week), "first_seen": story["first_seen"],
        "summary": summary or [story["title"]], "themes": story["themes"], "segments": story["segments"],
        "sentiment": _sentiment_word(story["mean_sentiment"]), "sentiment_score": story["mean_sentiment"],
        "event_type": story["event_type"], "event_this_week": now_type, "event_before": before_type,
        "entities": [e["name"] for e in story["entities"]][:6], "links": links,
        "new": story["first_seen"] >= start,
    }


def _brief(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in ("id", "title", "outlets", "articles", "event_type", "sentiment", "themes")}


def gather_briefing(db: Database, week: str, *, theme: str | None = None, top_stories: int = 5,
                    stories_per_theme: int = 3, themes: tuple[str, ...] = BUILTIN_THEMES) -> dict[str, Any]:
    """Everything the briefing of an ISO week says (optionally about one theme only); ``themes``
    are the sections, the built-in four and any added in config."""
    start, end = week_bounds(week)
    monday = monday_of(week)
    only = (theme,) if theme else ()
    f = FactFilter(start=monday, end=(date.fromisoformat(monday) + timedelta(weeks=1)).isoformat(), themes=only)
    story_filter = {"themes": only}
    candidates = list_stories(db, start=start, end=end, limit=CANDIDATES, **story_filter)
    entries = [e for e in (_story_entry(db, s, start, end) for s in candidates) if e is not None]
    entries.sort(key=lambda e: (-e["impact"], e["id"]))
    shown_themes = only or themes
    previous = f.previous()
    theme_now = {r["key"]: r for r in facts.by_facet(db, f, "theme")}
    theme_before = {r["key"]: r for r in facts.by_facet(db, previous, "theme")}
    sections = []
    for name in shown_themes:
        now, before = theme_now.get(name, {}), theme_before.get(name, {})
        n_now, n_before = now.get("articles", 0), before.get("articles", 0)
        mean_now = mean_interval(n_now, now.get("sentiment_sum"), now.get("sentiment_sq")).mean
        mean_before = mean_interval(n_before, before.get("sentiment_sum"), before.get("sentiment_sq")).mean
        sections.append({"theme": name, "articles": _figure(n_now, n_before),
                         "sentiment": _figure(mean_now, mean_before, absolute=True),
                         "stories": [_brief(e) for e in entries if name in e["themes"]][:stories_per_theme]})
    quiet_since = (date.fromisoformat(monday) - timedelta(weeks=2)).isoformat() + "T00:00:00Z"
    quiet = [s for s in list_stories(db, start=quiet_since, end=start, limit=200, **story_filter)
             if s["last_seen"] < start and s["outlet_count"] >= 2][:5]
    changes = {
        "new": [_brief(e) for e in entries if e["new"] and e["outlets"] >= 2][:5],
        "advanced": [{**_brief(e), "from": e["event_before"], "to": e["event_this_week"]} for e in entries
                     if not e["new"] and e["event_this_week"] not in ("other", e["event_before"])][:5],
        "quiet": [{"id": s["id"], "title": s["title"], "last_seen": s["last_seen"][:10], "outlets": s["outlet_count"],
                   "event_type": s["event_type"]} for s in quiet],
    }
    rising = rising_in_week(db, f, monday)[:10]
    chart_weeks = weeks_ending(week, CHART_WEEKS)
    by_theme = series_by_key(facts.weekly(db, replace(f, start=chart_weeks[0]), by="theme"), chart_weeks)
    charts = {"weeks": chart_weeks,
              "volume": {t: [w["articles"] for w in s] for t, s in sorted(by_theme.items()) if t in shown_themes},
              "sentiment": {t: [w["sentiment"]["mean"] for w in s] for t, s in sorted(by_theme.items())
                            if t in shown_themes}}
    stats = collection_stats(db, start, end)
    return {
        "week": week, "start": monday, "end": f.end, "theme": theme,
        "headline": _headline(db, f),
        "top_stories": entries[:top_stories],
        "themes": sections,
        "changes": changes,
        "rising": rising,
        "matrix": impact_matrix(facts.matrix(db, f), facts.matrix(db, previous)),
        "charts": charts,
        "methodology": {**stats, "newsdesk": __version__, "stories_examined": len(entries)},
    }


def to_json(briefing: dict[str, Any]) -> str:
    """The briefing as stable JSON (sorted keys, fixed indentation)."""
    return json.dumps(briefing, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
