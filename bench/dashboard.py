"""Dashboard benchmark: each page's first render and a filter change, through Streamlit's AppTest.

    python bench/make_synthetic_db.py /tmp/bench-1m.db     # once (about 3 minutes)
    python bench/dashboard.py /tmp/bench-1m.db

"First render" starts with empty Streamlit caches and no view in the database's analysis cache, after
one warm-up render that imports the charting libraries and opens the connection (a running server
has done both); "warmed" is the same render after the crawl job's last step computed the default
views into the analysis cache (what the first visitor after a crawl sees); "filter change" renders
the page again with a theme and a segment chosen, which nothing has computed before. Targets (issue
#6): first render < 2 s, filter change < 1 s.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import streamlit as st
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest

from newsdesk.present.dashboard.data import default_filter, forget_views, warm
from newsdesk.store import open_db

PAGES = ("overview", "stories", "articles", "entities", "matrix", "sources", "briefings")
APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _render(module: str, db_path: str, f) -> None:  # noqa: ANN001 (runs inside AppTest)
    import importlib

    from newsdesk.present.dashboard.session import database

    importlib.import_module(f"newsdesk.present.dashboard.views.{module}").render(database(db_path), f)


@cache
def _components() -> BidiComponentManager:
    """Streamlit's scan of every installed package for components: a server does it once at start, but each
    AppTest does it on its first run (about 0.4 s here), so the benchmark does it once and shares it."""
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def _timed(at: AppTest) -> float:
    at._bidi_component_manager = _components()  # a private attribute: see _components
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
    db = open_db(args.path)
    forget_views(db)
    started = time.perf_counter()
    warm(db, args.today)
    warming = time.perf_counter() - started
    print(f"{'page':<12} {'first render':>13} {'warmed':>8} {'filter change':>14}")
    for page in PAGES:
        forget_views(db)
        st.cache_data.clear()
        first = _timed(AppTest.from_function(_render, args=(page, str(args.path), base), default_timeout=120))
        forget_views(db)
        warm(db, args.today)
        st.cache_data.clear()
        warmed = _timed(AppTest.from_function(_render, args=(page, str(args.path), base), default_timeout=120))
        change = _timed(AppTest.from_function(_render, args=(page, str(args.path), changed), default_timeout=120))
        print(f"{page:<12} {first:>12.2f}s {warmed:>7.2f}s {change:>13.2f}s")
    print(f"warming the default views (the crawl job's last step): {warming:.2f}s")
    forget_views(db)
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
