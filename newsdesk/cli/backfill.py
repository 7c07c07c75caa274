"""Archive scale: ``backfill`` (years of archived news on Dask)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import click

from newsdesk.cli.base import cli, console, err_console, open_database, plain, settings_of


def workers_and_scheduler(ctx: click.Context, workers: int | None, scheduler: str | None) -> tuple[int, str]:
    """The workers and scheduler to use: the options, else [scale] in config, else one worker per core."""
    scale = settings_of(ctx).scale
    scheduler = scheduler if scheduler is not None else scale.scheduler
    count = workers if workers is not None else (scale.workers or os.cpu_count() or 1)
    return count, scheduler


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(min=0), help="Worker processes of a LocalCluster here (default: one "
                                                            "per core; 0 runs everything in this process).")
@click.option("--scheduler", help="Address of a Dask scheduler to run on instead, like tcp://10.0.0.5:8786.")
@click.option("--since", help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only articles published on or before this date (YYYY-MM-DD).")
@click.option("--relevant-only/--all", default=True, show_default=True,
              help="Store only articles about AI in entertainment (most of an archive is not).")
@click.option("--work-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the judged parts are written (default: backfill-work beside the database).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the counts.")
@click.pass_context
def backfill(ctx: click.Context, paths: tuple[Path, ...], workers: int | None, scheduler: str | None,
             since: str | None, until: str | None, relevant_only: bool, work_dir: Path | None, as_json: bool) -> None:
    """Read archives of past news (WARC, WARC.gz as in CC-NEWS, or JSON Lines of articles), judge every
    article on Dask, store them and put them into stories. Resumable: a rerun reuses the parts written.

    Example: newsdesk backfill CC-NEWS-2025*.warc.gz --since 2025-01-01 --workers 8
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from newsdesk.archive import archive_files
    from newsdesk.errors import NewsdeskError
    from pipelines.backfill import run_backfill

    settings = settings_of(ctx)
    for label, value in (("--since", since), ("--until", until)):
        if value is not None and not (len(value) == 10 and value[4] == "-" and value[7] == "-"):
            raise NewsdeskError(f"backfill: {label} {value!r} is not a date like 2025-01-31")
    count, address = workers_and_scheduler(ctx, workers, scheduler)
    try:
        files = archive_files(list(paths))
    except ValueError as exc:
        raise NewsdeskError(str(exc)) from exc
    folder = work_dir or settings.db_path.parent / "backfill-work"
    with Progress(TextColumn("backfill"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                  TimeRemainingColumn(), console=err_console, transient=True) as progress:
        task = progress.add_task("files", total=len(files))
        report = run_backfill(settings, open_database(ctx), list(paths), work_dir=folder, workers=count,
                              scheduler=address, relevant_only=relevant_only, since=since, until=until,
                              on_file=lambda _counts: progress.advance(task))
    if as_json:
        click.echo(json.dumps(asdict(report), indent=2))
        return
    where = f"the Dask scheduler at {address}" if address else (f"{count} local worker processes" if count
                                                                else "this process")
    console.print(f"Backfilled {report.files} file{'s' * (report.files != 1)} on {where}"
                  + (f" ({report.reused} reused from an earlier run)" if report.reused else "") + ": "
                  f"{report.pages:,} pages, {report.relevant:,} about AI in entertainment, {report.stored:,} stored, "
                  f"{report.duplicates:,} already stored, {report.outside_dates:,} outside the dates, "
                  f"{report.failed:,} failed; {report.stories_touched:,} stories updated.")
    for reason, n in report.reasons.items():
        console.print(plain(f"  {n:,} x {reason}"))
