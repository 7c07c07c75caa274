"""Collecting: ``crawl``."""

from __future__ import annotations

import json
import time

import click
from rich.table import Table

from newsdesk.cli.base import cli, console, open_database, plain, settings_of
from newsdesk.config import Settings
from newsdesk.errors import SourceError
from newsdesk.models import Source
from newsdesk.store.sources import ARCHIVE_SOURCE, get_source


@cli.command()
@click.option("--source", "source_id", type=int, help="Only this source id (fetched even if not due).")
@click.option("--tag", help="Only sources with this tag.")
@click.option("--full-text/--no-full-text", default=None,
              help="Fetch article pages and extract their text (default: per source, then [fetch] full_text).")
@click.option("--force", is_flag=True, help="Ignore minimum intervals and backoff (parked sources stay parked).")
@click.option("--ignore-retry-after", is_flag=True,
              help="With --force or --source, also fetch sources whose server asked to wait (Retry-After).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with totals and per-source results.")
@click.pass_context
def crawl(ctx: click.Context, source_id: int | None, tag: str | None, full_text: bool | None, force: bool,
          ignore_retry_after: bool, as_json: bool) -> None:
    """Fetch the feeds of due sources and store new items.

    Exits 0 when the crawl ran, even if some sources failed (they are listed), and when another
    crawl was already running (it says so and does nothing); 1 only when it could not run.

    Example: newsdesk crawl --tag trade
    """
    from newsdesk.schedule.lock import JobLock, holder, lock_path

    settings = settings_of(ctx)
    with JobLock(lock_path(settings.db_path, "crawl")) as lock:  # the scheduled crawl job takes the same lock
        if not lock.acquired:
            console.print(f"A crawl is already running (pid {holder(lock.path)}): this one did nothing. "
                          "Its results will be in 'newsdesk sources list'.")
            return
        _crawl_locked(ctx, settings, source_id, tag, full_text, force, ignore_retry_after, as_json)


def _explain_inactive(source: Source) -> None:
    """Raise why this inactive source is not crawled, and what would change that."""
    if source.url.startswith(ARCHIVE_SOURCE):
        raise SourceError(f"crawl: source {source.id} holds articles from a backfill; it has no feed to fetch")
    if not source.active:
        raise SourceError(f"crawl: source {source.id} is inactive; 'newsdesk sources retry {source.id}' "
                          "activates it again")


def _crawl_locked(ctx: click.Context, settings: Settings, source_id: int | None, tag: str | None,
                  full_text: bool | None, force: bool, ignore_retry_after: bool, as_json: bool) -> None:
    from pipelines.crawl import crawl as run_crawl
    from pipelines.crawl import select_sources

    db = open_database(ctx)
    sources, not_due = select_sources(db, source_id=source_id, tag=tag, force=force,
                                      ignore_retry_after=ignore_retry_after)
    if not sources and not not_due:
        if source_id is not None:
            _explain_inactive(get_source(db, source_id))
        raise SourceError("crawl: no active source matches (add one with 'newsdesk sources add URL')")
    job = lambda on_done: run_crawl(settings, db, sources, full_text=full_text, on_done=on_done)  # noqa: E731
    started = time.monotonic()
    report = job(None) if as_json else run_with_progress(job, total=len(sources))
    report.skipped_not_due = not_due
    if as_json:
        totals = {**report.totals, "elapsed_s": round(time.monotonic() - started, 3)}
        click.echo(json.dumps({"totals": totals, "sources": [r.__dict__ for r in report.results]}, indent=2))
        return
    print_crawl_table(report)
    if not_due:
        console.print(f"{not_due} sources are not due yet (minimum interval or backoff); --force fetches them now.")


def run_with_progress(job, total: int | None):  # noqa: ANN001, ANN202
    from rich.progress import Progress

    if not console.is_terminal:
        return job(None)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("crawling", total=total)
        return job(lambda result: progress.update(task, advance=1, description=f"crawled {result.name}"))


def print_crawl_table(report) -> None:  # noqa: ANN001
    table = Table(title="Crawl", show_lines=False)
    for column in ("id", "source", "status", "HTTP", "seen", "new", "updated", "full text", "error"):
        table.add_column(column, overflow="fold")
    for r in report.results:
        style = {"ok": "green", "not_modified": "cyan", "error": "red"}[r.outcome]
        status = f"[{style}]{r.outcome}[/{style}]" + (" [red](parked)[/red]" if r.parked else "")
        full_text = f"{r.extracted}/{r.extracted + r.extraction_failed}" if r.extracted + r.extraction_failed else "-"
        table.add_row(str(r.source_id), plain(r.name), status, str(r.http_status or "-"), str(r.seen), str(r.new),
                      str(r.updated), full_text, plain(r.error or r.warning or ""))
    console.print(table)
