"""Evaluation figures as terminal tables, systems side by side."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from newsdesk.enrich.evaluation import Report
from newsdesk.enrich.model import SENTIMENTS, THEMES


def print_reports(console: Console, reports: list[Report], *, title: str,
                  intervals: list[dict[str, tuple[float, float]]] | None = None) -> None:
    """Relevance, per-theme and sentiment figures for each system (with 95% intervals when given),
    then each confusion matrix."""
    table = Table(title=f"Evaluation on {title}")
    table.add_column("measure")
    for report in reports:
        table.add_column(report.system, justify="right")
    rows = [("relevance P / R / F1", lambda r: f"{r.relevance.precision:.3f} / {r.relevance.recall:.3f} / {r.relevance.f1:.3f}")]
    for theme in THEMES:
        rows.append((f"theme {theme} P / R / F1 (n={reports[0].themes[theme].support})",
                     lambda r, t=theme: f"{r.themes[t].precision:.3f} / {r.themes[t].recall:.3f} / {r.themes[t].f1:.3f}"))
    rows += [("theme macro-F1", lambda r: f"{r.theme_macro_f1:.3f}"),
             ("sentiment accuracy", lambda r: f"{r.sentiment_accuracy:.3f}"),
             ("sentiment macro-F1", lambda r: f"{r.sentiment_macro_f1:.3f}")]
    if intervals:
        for name, key in (("relevance F1 95% interval", "relevance_f1"),
                          ("theme macro-F1 95% interval", "theme_macro_f1"),
                          ("sentiment macro-F1 95% interval", "sentiment_macro_f1")):
            rows.append((name, lambda r, k=key: "{:.3f}–{:.3f}".format(*intervals[reports.index(r)][k])))
    for name, cell in rows:
        table.add_row(name, *(cell(r) for r in reports))
    console.print(table)
    for report in reports:
        matrix = Table(title=f"sentiment confusion: {report.system} (rows gold, columns predicted)")
        matrix.add_column("")
        for label in SENTIMENTS:
            matrix.add_column(label, justify="right")
        for gold in SENTIMENTS:
            matrix.add_row(gold, *(str(report.confusion[gold][p]) for p in SENTIMENTS))
        console.print(matrix)
