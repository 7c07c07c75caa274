"""Dashboard benchmark: each page's first render and a filter change, through Streamlit's AppTest.

    python bench/make_synthetic_db.py /tmp/bench-1m.db     # once (about 3 minutes)
    python bench/dashboard.py /tmp/bench-1m.db

"First render" starts with empty Streamlit caches, after one warm-up render that imports the
charting libraries and opens the connection (a running server has done both);
"filter change" renders the page again with a theme and a segment chosen, which nothing has
computed before. Targets (issue #6): first render < 2 s, filter change < 1 s.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from newsdesk.present.dashboard.filters import default_filter

PAGES = ("overview", "stories", "articles", "entities", "matrix", "sources", "briefings")
APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _render(module: str, db_path: str, f) -> None:  # noqa: ANN001 (runs inside AppTest)
    import importlib

    from newsdesk.present.dashboard.session import database

    importlib.import_module(f"newsdesk.present.dashboard.views.{module}").render(database(db_path), f)


def _timed(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception[0].message}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23))
    args = parser.parse_args()
    os.environ["NEWSDESK_DB"] = str(args.path)
    base = default_filter(args.today)
    changed = replace(base, themes=("labour",), segments=("film", "music"))
    print(f"database {args.path}; period {base.start} to {base.end}")
    # warm-up: imports (pandas, altair) and the connection, as a running server has them already
    _timed(AppTest.from_function(_render, args=("sources", str(args.path), base), default_timeout=120))
    print(f"{'page':<12} {'first render':>13} {'filter change':>14}")
    for page in PAGES:
        st.cache_data.clear()
        first = _timed(AppTest.from_function(_render, args=(page, str(args.path), base), default_timeout=120))
        change = _timed(AppTest.from_function(_render, args=(page, str(args.path), changed), default_timeout=120))
        print(f"{page:<12} {first:>12.2f}s {change:>13.2f}s")
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    whole = _timed(at)
    at.sidebar.multiselect(key="f_themes").select("legal")
    sidebar = _timed(at)
    at.sidebar.date_input(key="f_range").set_value((args.today - timedelta(weeks=4), args.today))
    dates = _timed(at)
    print(f"whole app, overview: first render {whole:.2f}s; sidebar theme change {sidebar:.2f}s; "
          f"date range change {dates:.2f}s")


if __name__ == "__main__":
    main()
