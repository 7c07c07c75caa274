"""Trends, rising entities and the impact matrix, computed from aggregate rows (pure)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from newsdesk.analyse.clustering import terms

Z95 = 1.96


@dataclass(frozen=True)
class Mean:
    """A mean with its 95% interval (normal approximation); None values when there is no data."""

    n: int
    mean: float | None
    low: float | None
    high: float | None


def mean_interval(n: int, total: float | None, squares: float | None) -> Mean:
    """Mean and 95% interval from a count, a sum and a sum of squares."""
    if not n or total is None:
        return Mean(n, None, None, None)
    mean = total / n
    variance = max(((squares or 0.0) - n * mean * mean) / (n - 1), 0.0) if n > 1 else 0.0
    half = Z95 * math.sqrt(variance / n) if n > 1 else 1.0
    return Mean(n, round(mean, 3), round(max(mean - half, -1.0), 3), round(min(mean + half, 1.0), 3))


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change from the previous value (None when there is nothing to compare with)."""
    if current is None or not previous:
        return None
    return round((current - previous) / previous, 3)


def weekly_series(rows: list[dict[str, Any]], weeks: list[str]) -> list[dict[str, Any]]:
    """One entry per week (missing weeks count zero) with sentiment interval and week-over-week change."""
    by_week = {r["week"]: r for r in rows}
    series, previous = [], None
    for week in weeks:
        row = by_week.get(week, {})
        articles = row.get("articles", 0)
        entry = {"week": week, "articles": articles, "stories": row.get("stories", 0),
                 "sentiment": mean_interval(articles, row.get("sentiment_sum"), row.get("sentiment_sq")).__dict__,
                 "change": change(articles, previous)}
        series.append(entry)
        previous = articles
    return series


def series_by_key(rows: list[dict[str, Any]], weeks: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For each theme, segment or source: its weekly series."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["key"]].append(row)
    return {key: weekly_series(rows_for_key, weeks) for key, rows_for_key in sorted(grouped.items())}


@dataclass(frozen=True)
class Rising:
    """An entity whose mentions this week stand out against its trailing baseline."""

    entity: str
    name: str
    type: str
    count: int
    baseline: float
    factor: float
    z: float


def rising_entities(rows: list[dict[str, Any]], week: str, trailing: list[str], *, min_count: int = 3,
                    min_z: float = 2.0) -> list[Rising]:
    """Smoothed z-score of this week's count against the trailing weeks (default 8); biggest burst first.

    z = (count - mean) / sqrt(variance + mean + 1): the added mean + 1 (Poisson-style smoothing)
    keeps rare entities from bursting on a single mention. factor = (count + 1) / (mean + 1).
    """
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    names: dict[str, tuple[str, str]] = {}
    for row in rows:
        counts[row["entity"]][row["week"]] = row["articles"]
        names[row["entity"]] = (row["name"], row.get("kind") or row["type"])  # the finer kind when known
    found = []
    for entity, by_week in counts.items():
        count = by_week.get(week, 0)
        history = [by_week.get(w, 0) for w in trailing]
        mean = sum(history) / len(history) if history else 0.0
        variance = sum((h - mean) ** 2 for h in history) / len(history) if history else 0.0
        z = (count - mean) / math.sqrt(variance + mean + 1)
        if count >= min_count and z >= min_z:
            name, type_ = names[entity]
            found.append(Rising(entity, name, type_, count, round(mean, 2), round((count + 1) / (mean + 1), 2),
                                round(z, 2)))
    return sorted(found, key=lambda r: (-r.z, -r.count, r.entity))


def impact_matrix(current: list[dict[str, Any]], previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Segment x theme cells: volume, mean sentiment and impact, and their change against the previous period."""
    before = {(r["segment"], r["theme"]): r for r in previous}
    cells = []
    for row in sorted(current, key=lambda r: (r["segment"], r["theme"])):
        prior = before.get((row["segment"], row["theme"]))
        mean = row["sentiment_sum"] / row["articles"] if row["articles"] else None
        prior_mean = prior["sentiment_sum"] / prior["articles"] if prior and prior["articles"] else None
        cells.append({
            "segment": row["segment"], "theme": row["theme"], "articles": row["articles"],
            "mean_sentiment": None if mean is None else round(mean, 3),
            "previous_articles": prior["articles"] if prior else 0,
            "volume_change": change(row["articles"], prior["articles"] if prior else None),
            "impact": row.get("impact", 0.0),
            "sentiment_change": None if mean is None or prior_mean is None else round(mean - prior_mean, 3),
        })
    return cells


def weekly_term_counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per week and headline term, the number of headlines using it, shaped like entity counts."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        for term in set(terms(row["title"])):
            counts[(row["week"], term)] += 1
    return [{"week": week, "entity": f"term:{term}", "name": term, "type": "term", "articles": n}
            for (week, term), n in sorted(counts.items())]
