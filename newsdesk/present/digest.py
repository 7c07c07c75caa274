"""Stories as a reader meets them in one period (a week): title, summary, links, sentiment and event
type all come from that period's articles, so what a card or a briefing says matches what it links.

Shared by the briefing and the dashboard's Overview, so both tell a week the same way.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from newsdesk.analyse.events import event_type
from newsdesk.analyse.stories import representative_title
from newsdesk.analyse.summarise import boilerplate, extractive_summary
from newsdesk.present.markdown import safe_url
from newsdesk.store.articles import article_texts, publishing_sources, recent_outlet_texts
from newsdesk.store.cache import cached
from newsdesk.store.stories import list_stories, story_members

SUMMARY_SENTENCES = 2
BOILERPLATE_WEEKS = 4  # a sentence the same outlets used in other stories over these weeks is boilerplate
QUIET_WEEKS = 2  # a storyline is "gone quiet" when covered in the two weeks before but not in this one


def sentiment_word(score: float | None) -> str:
    """A mean sentiment score as a word (the dead zone of ±0.15 reads as neutral)."""
    if score is None:
        return "n/a"
    return "positive" if score > 0.15 else "negative" if score < -0.15 else "neutral"


def _weeks_before(start: str, weeks: int) -> str:
    moment = datetime.fromisoformat(start) - timedelta(weeks=weeks)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _week_before(start: str) -> str:
    return _weeks_before(start, 1)


def story_digests(db: Database, stories: list[dict[str, Any]], start: str, end: str, *,
                  summary_sentences: int = SUMMARY_SENTENCES, relevant_only: bool = True) -> list[dict[str, Any]]:
    """A digest of each story with articles in [start, end), in the order given (stories without any,
    or with ``relevant_only`` without one about AI in entertainment, are left out). Sentences that the
    same outlets also used in other stories in the weeks before (standing paragraphs, stock context)
    never make a summary."""
    members = {s["id"]: story_members(db, s["id"]) for s in stories}
    in_period = {sid: [m for m in found if start <= m["published_at"] < end] for sid, found in members.items()}
    texts = article_texts(db, [m["id"] for found in in_period.values() for m in found])
    last_week = _week_before(start)
    skip = outlet_boilerplate(db, start, end)
    digests = []
    for story in stories:
        period = in_period[story["id"]]
        if period and (not relevant_only or any(m["relevant"] for m in period)):
            earlier = [m for m in members[story["id"]] if m["published_at"] < start]
            digests.append(_digest(story, period, earlier, texts, skip, summary_sentences, start, last_week))
    return digests


def outlet_boilerplate(db: Database, start: str, end: str) -> frozenset[str]:
    """The sentences (``sentence_key``) that outlets publishing in [start, end) used in three or more
    stories over the weeks up to ``end``: the same for every filter, so computed once per period and
    data version (the briefing, each Overview filter and the crawl job's warm-up share it)."""
    def compute() -> list[str]:
        evidence = recent_outlet_texts(db, publishing_sources(db, start, end), _weeks_before(start, BOILERPLATE_WEEKS),
                                       end)
        return sorted(boilerplate(evidence))

    return frozenset(cached(db, f"boilerplate:{start}:{end}", compute))


def _digest(story: dict[str, Any], period: list[dict[str, Any]], earlier: list[dict[str, Any]], texts: dict[str, str],
            skip: frozenset[str], summary_sentences: int, start: str, last_week: str) -> dict[str, Any]:
    centroid = story["centroid"] if isinstance(story["centroid"], dict) else json.loads(story["centroid"])
    title = representative_title(centroid, period)
    summary = extractive_summary([texts.get(m["id"], "") for m in period], centroid,
                                 max_sentences=summary_sentences, skip=skip)
    links, outlets = [], set()
    for member in period:
        if member["outlet"] not in outlets:
            outlets.add(member["outlet"])
            links.append({"outlet": member["outlet"], "title": member["title"], "url": safe_url(member["url"])})
    judged = [m for m in period if m["relevant"]] or period
    scores = [m["sentiment_score"] for m in judged if m["sentiment_score"] is not None]
    mean = round(sum(scores) / len(scores), 3) if scores else None
    theme_counts = Counter(t for m in judged for t in m["themes"] if t in story["themes"])
    main_theme = min(story["themes"], key=lambda t: (-theme_counts[t], story["themes"].index(t)), default=None)
    now_type = event_type([m["title"] for m in period])
    before_type = event_type([m["title"] for m in earlier]) if earlier else None
    return {
        "id": story["id"], "title": title, "impact": story["impact"], "outlets": len(outlets),
        "articles": len(period), "first_seen": story["first_seen"], "summary": summary or [title],
        "themes": story["themes"], "main_theme": main_theme, "segments": story["segments"],
        "sentiment": sentiment_word(mean), "sentiment_score": mean, "event_type": now_type,
        "event_before": before_type, "entities": [e["name"] for e in story["entities"]][:6], "links": links,
        "new": story["first_seen"] >= start,
        "continuing": any(m["published_at"] >= last_week for m in earlier),
    }


def brief(digest: dict[str, Any]) -> dict[str, Any]:
    """A digest as a one-line entry of a list: title, counts, event type, sentiment and themes."""
    return {k: digest[k] for k in ("id", "title", "outlets", "articles", "event_type", "sentiment", "themes")}


def storyline_changes(db: Database, digests: list[dict[str, Any]], start: str, *, themes: tuple[str, ...] = (),
                      limit: int = 5) -> dict[str, list[dict[str, Any]]]:
    """New storylines (first seen this period, two or more outlets), continuing ones (articles last
    week and this week; ``advanced`` when their event moved on, e.g. lawsuit filed -> ruling) and
    those gone quiet (covered in the two weeks before, by two or more outlets, not this week)."""
    continuing = [{**brief(d), "from": d["event_before"], "to": d["event_type"],
                   "advanced": d["event_type"] not in ("other", d["event_before"])}
                  for d in digests if d["continuing"]]
    quiet_since = (datetime.fromisoformat(start) - timedelta(weeks=QUIET_WEEKS))
    quiet = [s for s in list_stories(db, start=quiet_since.strftime("%Y-%m-%dT%H:%M:%SZ"), end=start, limit=200,
                                     themes=themes)
             if s["last_seen"] < start and s["outlet_count"] >= 2][:limit]
    return {
        "new": [brief(d) for d in digests if d["new"] and d["outlets"] >= 2][:limit],
        "continuing": continuing[:limit],
        "advanced": [c for c in continuing if c["advanced"]][:limit],
        "quiet": [{"id": s["id"], "title": s["title"], "last_seen": s["last_seen"][:10], "outlets": s["outlet_count"],
                   "event_type": s["event_type"]} for s in quiet],
    }
