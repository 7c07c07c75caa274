"""Briefing benchmark: one week's briefing in Markdown, HTML and JSON (and PDF, printed apart).

    python bench/make_synthetic_db.py /tmp/bench-1m.db     # once (about 3 minutes)
    python bench/briefing.py /tmp/bench-1m.db [--week 2026-W47]

Target (issue #7): under 3 s for Markdown, HTML and JSON together on the 1,000,000-article database.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsdesk.present.briefing.content import gather_briefing, to_json
from newsdesk.present.briefing.html import render_html
from newsdesk.present.briefing.markdown import render_markdown
from newsdesk.store import open_db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--week", default="2026-W47")
    parser.add_argument("--pdf", action="store_true", help="also time the PDF (needs WeasyPrint and Pango)")
    args = parser.parse_args()
    db = open_db(args.path)
    total = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    started = time.perf_counter()
    content = gather_briefing(db, args.week)
    gathered = time.perf_counter()
    markdown, html, json_text = render_markdown(content), render_html(content), to_json(content)
    rendered = time.perf_counter()
    print(f"{total} articles; week {args.week}: {content['headline']['articles']['now']} relevant articles, "
          f"{content['methodology']['stories_examined']} stories examined")
    print(f"gather {gathered - started:.2f}s + render md/html/json {rendered - gathered:.2f}s "
          f"= {rendered - started:.2f}s (target < 3 s); sizes {len(markdown)} / {len(html)} / {len(json_text)} chars")
    if args.pdf:
        from newsdesk.present.briefing.pdf import render_pdf

        started = time.perf_counter()
        pdf = render_pdf(html)
        print(f"pdf {time.perf_counter() - started:.2f}s, {len(pdf)} bytes")


if __name__ == "__main__":
    main()
