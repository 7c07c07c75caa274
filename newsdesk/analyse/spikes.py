"""Spikes: a watch's volume today against its own previous days (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

HISTORY_DAYS = 14
MIN_COUNT = 3  # fewer articles than this in a day is never a spike, however quiet the days before
MIN_Z = 3.0


@dataclass(frozen=True)
class Spike:
    """One day's count against the days before: their mean, the smoothed z-score, and whether it fires."""

    day: str
    count: int
    mean: float
    z: float
    fired: bool


def spike_of(counts: Mapping[str, int], day: str, *, history_days: int = HISTORY_DAYS, min_count: int = MIN_COUNT,
             min_z: float = MIN_Z) -> Spike:
    """Smoothed z = (count - mean) / sqrt(variance + mean + 1) over the ``history_days`` before ``day``
    (days without articles count zero); the added mean + 1 keeps a quiet watch from firing on one article."""
    first = date.fromisoformat(day)
    history = [counts.get((first - timedelta(days=n)).isoformat(), 0) for n in range(1, history_days + 1)]
    count = counts.get(day, 0)
    mean = sum(history) / len(history)
    variance = sum((h - mean) ** 2 for h in history) / len(history)
    z = (count - mean) / math.sqrt(variance + mean + 1)
    return Spike(day, count, round(mean, 2), round(z, 2), count >= min_count and z >= min_z)
