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
from newsdesk.analyse.trends import change, impact_matrix, mean_interval, series_by_key
from newsdesk.analyse.weeks import monday_of, week_bounds, weeks_ending
from newsdesk.models import BUILTIN_THEMES
from newsdesk.present.digest import brief, story_digests, storyline_changes
from newsdesk.present.rising import rising_in_week
from newsdesk.store import facts
from newsdesk.store.articles import collection_stats
from newsdesk.store.facts import FactFilter
from newsdesk.store.stories import list_stories

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


def period_label(monday: str) -> str:
    """The week as every format heads it: "23–29 November 2026" (or "29 December 2025 – 4 January 2026")."""
    first = date.fromisoformat(monday)
    last = first + timedelta(days=6)
    if first.year != last.year:
        return f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
    if first.month != last.month:
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    return f"{first.day}–{last.day} {last:%B %Y}"


def _direction(change: float | None, *, absolute: bool = False) -> str:
    if change is None:
        return "no earlier figure to compare"
    if absolute:
        return f"{change:+.2f} on last week"
    return f"{change:+.0%} on last week"


def key_points(headline: dict[str, Any], top: list[dict[str, Any]], sections: list[dict[str, Any]],
               changes: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The three lines "what you need to know": the week in numbers, its top story, and where it moved."""
    articles, stories, tone = headline["articles"], headline["stories"], headline["sentiment"]
    lines = [f"{articles['now']:,} relevant articles in {stories['now']:,} stories ({_direction(articles['change'])}); "
             f"mean sentiment {tone['now']:+.2f} ({_direction(tone['change'], absolute=True)})."
             if tone["now"] is not None else
             f"{articles['now']:,} relevant articles in {stories['now']:,} stories ({_direction(articles['change'])})."]
    if top:
        first = top[0]
        lines.append(f"Top story: {first['title']} ({first['outlets']} outlet{'s' * (first['outlets'] != 1)}, "
                     f"{first['event_type']}, {first['sentiment']}).")
    busiest = max(sections, key=lambda s: (s["articles"]["now"] or 0, s["theme"]), default=None)
    movement = []
    if busiest and busiest["articles"]["now"]:
        movement.append(f"{busiest['theme'].capitalize()} was the busiest theme ({busiest['articles']['now']:,} articles)")
    movement.append(f"{len(changes['new'])} new storyline{'s' * (len(changes['new']) != 1)}, "
                    f"{len(changes['continuing'])} continuing, {len(changes['quiet'])} gone quiet")
    lines.append("; ".join(movement) + ".")
    return lines


def gather_briefing(db: Database, week: str, *, theme: str | None = None, top_stories: int = 5,
                    stories_per_theme: int = 3, themes: tuple[str, ...] = BUILTIN_THEMES) -> dict[str, Any]:
    """Everything the briefing of an ISO week says (optionally about one theme only); ``themes``
    are the sections, the built-in four and any added in config."""
    start, end = week_bounds(week)
    monday = monday_of(week)
    only = (theme,) if theme else ()
    f = FactFilter(start=monday, end=(date.fromisoformat(monday) + timedelta(weeks=1)).isoformat(), themes=only)
    candidates = list_stories(db, start=start, end=end, limit=CANDIDATES, themes=only)
    entries = story_digests(db, candidates, start, end)
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
        main = [e for e in entries if (e["main_theme"] == name or name in only) and name in e["themes"]]
        sections.append({"theme": name, "articles": _figure(n_now, n_before),
                         "sentiment": _figure(mean_now, mean_before, absolute=True),
                         "stories": [brief(e) for e in main][:stories_per_theme]})
    changes = storyline_changes(db, entries, start, themes=only)
    headline = _headline(db, f)
    rising = rising_in_week(db, f, monday)[:10]
    chart_weeks = weeks_ending(week, CHART_WEEKS)
    by_theme = series_by_key(facts.weekly(db, replace(f, start=chart_weeks[0]), by="theme"), chart_weeks)
    charts = {"weeks": chart_weeks,
              "volume": {t: [w["articles"] for w in s] for t, s in sorted(by_theme.items()) if t in shown_themes},
              "sentiment": {t: [w["sentiment"]["mean"] for w in s] for t, s in sorted(by_theme.items())
                            if t in shown_themes}}
    stats = collection_stats(db, start, end)
    return {
        "week": week, "start": monday, "end": f.end, "period": period_label(monday), "theme": theme,
        "headline": headline,
        "key_points": key_points(headline, entries, sections, changes) if headline["articles"]["now"] else [],
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
