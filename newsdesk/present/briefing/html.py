"""The briefing as one self-contained HTML page: inline CSS, charts embedded, no script allowed.

Jinja2 escapes every value (autoescape); links are http(s) only; a Content-Security-Policy forbids
scripts and any fetch, so the page works offline, in email clients and in the PDF renderer.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from newsdesk.present.briefing.charts import data_uri, sentiment_chart, volume_chart
from newsdesk.present.briefing.matrix_groups import matrix_groups
from newsdesk.present.markdown import safe_url

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_ENV = Environment(loader=PackageLoader("newsdesk.present.briefing", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True), keep_trailing_newline=True)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:+.0%}"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:,}"


_ENV.filters.update(percent=_percent, signed=_signed, number=_number, http_only=safe_url)


def render_html(briefing: dict[str, Any]) -> str:
    """The page; deterministic for a given briefing structure."""
    charts = briefing["charts"]
    images = {"volume": data_uri(volume_chart(charts["weeks"], charts["volume"])),
              "sentiment": data_uri(sentiment_chart(charts["weeks"], charts["sentiment"]))}
    matrix_themes = sorted({c["theme"] for c in briefing["matrix"]})
    by_cell = {(c["segment"], c["theme"]): c for c in briefing["matrix"]}
    matrix_rows = [(heading, [(row, [by_cell.get((row, t)) for t in matrix_themes]) for row in rows])
                   for heading, rows in matrix_groups(briefing["matrix"])]
    return _ENV.get_template("briefing.html").render(b=briefing, csp=CSP, images=images,
                                                     matrix_themes=matrix_themes, matrix_rows=matrix_rows)
