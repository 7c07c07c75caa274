"""A story's aggregates from its member articles (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from newsdesk.analyse.clustering import Story, terms
from newsdesk.analyse.events import event_type
from newsdesk.analyse.impact import impact
from newsdesk.clock import from_iso, to_iso
from newsdesk.models import StoryRow

THEME_SHARE = 0.3  # a theme belongs to a story when at least this share of its relevant articles carry it
KEY_ENTITIES = 5


def summarise_story(story: Story, members: list[dict[str, Any]]) -> StoryRow:
    """Representative title, span, outlets, themes, mean sentiment, key entities, event type and impact."""
    relevant = [m for m in members if m["relevant"]]
    judged = relevant or members
    theme_counts = Counter(t for m in judged for t in m["themes"])
    themes = sorted((t for t, c in theme_counts.items() if c / len(judged) >= THEME_SHARE),
                    key=lambda t: (-theme_counts[t], t))
    scores = [m["sentiment_score"] for m in judged if m["sentiment_score"] is not None]
    mean_sentiment = round(sum(scores) / len(scores), 3) if scores else None
    entity_counts = Counter(e["id"] for m in members for e in m["entities"])
    by_id = {e["id"]: e for m in members for e in m["entities"]}
    entities = [by_id[i] for i, _ in sorted(entity_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:KEY_ENTITIES]]
    segments = sorted({s for m in judged for s in m["segments"]})
    published = [from_iso(m["published_at"]) for m in members]
    outlets = len({m["source_id"] for m in members})
    scored = impact(outlets=outlets, published=published, entities=entities, themes=themes,
                    mean_sentiment=mean_sentiment)
    return StoryRow(
        id=story.id, title=representative_title(story.centroid, members), first_seen=to_iso(min(published)),
        last_seen=to_iso(max(published)), article_count=len(members), outlet_count=outlets,
        relevant=len(relevant) * 2 >= len(members), themes=themes, mean_sentiment=mean_sentiment,
        entities=entities, segments=segments, event_type=event_type([m["title"] for m in members]),
        impact=scored.score, impact_components=scored.components, centroid=story.trimmed(),
    )


def representative_title(centroid: Mapping[str, float], members: list[dict[str, Any]]) -> str:
    """The member title whose words weigh most in the story's centroid (the earliest on ties)."""
    def weight(title: str) -> float:
        words = set(terms(title))
        return sum(centroid.get(w, 0.0) for w in words) / (len(words) ** 0.5 or 1)

    return max(members, key=lambda m: (weight(m["title"]), -from_iso(m["published_at"]).timestamp()))["title"]
