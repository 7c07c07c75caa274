"""Analysis benchmark on a large synthetic database (see bench/make_synthetic_db.py).

    python bench/make_synthetic_db.py /tmp/bench-1m.db
    python bench/analysis.py /tmp/bench-1m.db

Prints the time for weekly trends over the whole range, the impact matrix for a quarter and the
rising entities of one week: first computation, then again (materialised).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsdesk.analyse.trends import impact_matrix, rising_entities, series_by_key, weekly_series
from newsdesk.analyse.weeks import week_bounds, weeks_ending
from newsdesk.store import open_db
from newsdesk.store.trends import (
    cached_matrix_cells,
    cached_weekly_by,
    cached_weekly_entity_counts,
    cached_weekly_volume,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--week", default="2026-W47")
    args = parser.parse_args()
    db = open_db(args.path)
    db.execute("DELETE FROM analysis_cache")
    total = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    print(f"{total} articles in {args.path}")
    all_weeks = weeks_ending(args.week, 105)
    start, end = f"{all_weeks[0]}T00:00:00Z", week_bounds(args.week)[1]
    quarter = weeks_ending(args.week, 26)
    nine = weeks_ending(args.week, 9)
    tasks = {
        "weekly trends, whole range (overall + per theme)": lambda: (
            weekly_series(cached_weekly_volume(db, start, end), all_weeks),
            series_by_key(cached_weekly_by(db, "theme", start, end), all_weeks)),
        "impact matrix, a quarter vs the one before": lambda: impact_matrix(
            cached_matrix_cells(db, f"{quarter[13]}T00:00:00Z", end),
            cached_matrix_cells(db, f"{quarter[0]}T00:00:00Z", f"{quarter[13]}T00:00:00Z")),
        "rising entities of one week": lambda: rising_entities(
            cached_weekly_entity_counts(db, f"{nine[0]}T00:00:00Z", end), nine[-1], nine[:-1]),
    }
    for name, task in tasks.items():
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            task()
            timings.append(time.perf_counter() - started)
        print(f"{name:<52} first {timings[0]:6.2f} s   again {timings[1]:6.3f} s")


if __name__ == "__main__":
    main()
