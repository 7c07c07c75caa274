"""The scheduled jobs, each a small composition of library steps.

A job takes the settings, an open database and a stop event, returns its counts, and checks
the stop event between steps (and the crawl and enrich steps check it inside), so SIGTERM ends
it at a clean point; whatever is left is picked up by the next run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from newsdesk.clock import utc_now
from newsdesk.config import Settings
from newsdesk.present.dashboard.data import warm
from pipelines.alerts import run_alerts
from pipelines.analyse import run_analyse
from pipelines.brief import email_briefing, last_complete_week, make_briefing, write_formats
from pipelines.crawl import crawl, select_sources
from pipelines.enrich import run_enrich
from pipelines.feeds import write_feeds
from pipelines.train import run_train

Job = Callable[[Settings, Database, threading.Event], dict[str, Any]]


def crawl_job(settings: Settings, db: Database, stop: threading.Event) -> dict[str, Any]:
    """Crawl the sources that are due, enrich the new articles, put them into stories, send the watches'
    alerts, when [feeds] out_dir is set rewrite the feeds out, and warm the dashboard's default views."""
    sources, not_due = select_sources(db)
    report = crawl(settings, db, sources, should_stop=stop.is_set)
    totals = report.totals
    counts: dict[str, Any] = {"sources": totals["sources"], "failed": totals["failed"], "new": totals["new"],
                              "updated": totals["updated"], "not_due": not_due, "abandoned": report.abandoned}
    if stop.is_set():
        return counts
    enriched = run_enrich(settings, db, should_stop=stop.is_set)
    counts.update(enriched=enriched.enriched, relevant=enriched.relevant)
    if stop.is_set():
        return counts
    analysed = run_analyse(settings, db)
    counts.update(assigned=analysed.assigned, stories_touched=analysed.stories_touched)
    if stop.is_set():
        return counts
    alerts = run_alerts(settings, db)
    counts.update(alerts_sent=alerts.sent, alerts_failed=alerts.failed)
    if settings.feeds.out_dir:
        counts["feeds_written"] = len(write_feeds(settings, db, settings.beside_config(settings.feeds.out_dir)))
    if not stop.is_set():  # the dashboard's first visitor after this crawl reads its default views ready-made
        counts["views_warmed"] = warm(db, utc_now().date())
    return counts


def briefing_job(settings: Settings, db: Database, stop: threading.Event) -> dict[str, Any]:
    """Write last week's briefing into the briefings folder, and email it when configured to."""
    week = last_complete_week()
    made = make_briefing(settings, db, week)
    formats = ("md", "html", "json")
    written = write_formats(made, settings.beside_config(settings.briefing.out_dir), formats)
    counts: dict[str, Any] = {"week": week, "articles": made.articles, "files": [str(p) for p in written]}
    if settings.schedule.email_briefing and not stop.is_set():
        counts["emailed_to"] = email_briefing(settings, made)
    return counts


def retrain_job(settings: Settings, db: Database, stop: threading.Event) -> dict[str, Any]:  # noqa: ARG001
    """Retrain from the seed set and the corrections; install only if not worse on held-out seed examples."""
    report = run_train(settings, db)
    return {"corrections": report.corrections, "installed": report.installed}


JOBS: dict[str, Job] = {"crawl": crawl_job, "briefing": briefing_job, "retrain": retrain_job}
