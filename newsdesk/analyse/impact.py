"""Impact of a story: a documented, explainable score with its components shown.

    impact = 100 x (0.30 breadth + 0.20 velocity + 0.20 prominence + 0.15 theme weight + 0.15 sentiment intensity)

- breadth: distinct outlets, saturating: 1 - exp(-outlets / 4)  (4 outlets ~ 0.63, 9 ~ 0.9)
- velocity: articles in the first 48 hours, saturating: 1 - exp(-articles_48h / 5)
- prominence: the most prominent entity named: major studio, streamer, label, guild or union,
  or AI company 1.0; other known organisation 0.6; person, product or law 0.5; none 0
- theme weight: labour and legal 1.0, business 0.8, technology 0.6 (the highest of the story's themes);
  what changes people's work and rights weighs most
- sentiment intensity: |mean sentiment score| (0..1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

WEIGHTS = {"breadth": 0.30, "velocity": 0.20, "prominence": 0.20, "theme_weight": 0.15, "sentiment_intensity": 0.15}
THEME_WEIGHTS = {"labour": 1.0, "legal": 1.0, "business": 0.8, "technology": 0.6}
_MAJOR_KINDS = {"studio", "streamer", "label", "union", "ai", "games"}


@dataclass(frozen=True)
class Impact:
    """The score (0..100) and each component (0..1) that made it."""

    score: float
    components: dict[str, float]


def prominence(entities: list[dict[str, str]]) -> float:
    """How prominent the most prominent named entity is."""
    best = 0.0
    for entity in entities:
        kind, type_ = entity.get("kind") or "", entity.get("type") or ""
        if kind in _MAJOR_KINDS or type_ == "union":
            return 1.0
        best = max(best, 0.6 if type_ == "org" else 0.5)
    return best


def impact(*, outlets: int, published: list[datetime], entities: list[dict[str, str]], themes: list[str],
           mean_sentiment: float | None) -> Impact:
    """The impact of a story from its coverage and content."""
    first = min(published) if published else None
    early = sum(1 for p in published if first is not None and p - first <= timedelta(hours=48))
    components = {
        "breadth": 1 - math.exp(-outlets / 4),
        "velocity": 1 - math.exp(-early / 5),
        "prominence": prominence(entities),
        "theme_weight": max((THEME_WEIGHTS.get(t, 0.5) for t in themes), default=0.0),
        "sentiment_intensity": min(abs(mean_sentiment or 0.0), 1.0),
    }
    score = 100 * sum(WEIGHTS[name] * value for name, value in components.items())
    return Impact(round(score, 1), {name: round(value, 3) for name, value in components.items()})
