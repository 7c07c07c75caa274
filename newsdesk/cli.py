"""The ``newsdesk`` command: parse arguments, call the library, print one line on error."""

from __future__ import annotations

import json
import sqlite3
import os
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from newsdesk import __version__
from newsdesk.config import Settings, documented_keys, load_settings
from newsdesk.errors import NewsdeskError, SourceError
from newsdesk.opml import read_opml, write_opml
from newsdesk.store import open_db
from newsdesk.store.articles import count_articles, search_articles
from newsdesk.store.db import schema_version
from newsdesk.store.sources import (
    add_source,
    find_source_by_url,
    list_sources,
    remove_source,
    retry_source,
    source_health,
)

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


class NewsdeskGroup(click.Group):
    """Turns user-facing failures into one line on stderr and exit status 1 (traceback with --debug):
    NewsdeskError, a file that cannot be written (missing folder, no permission, disk full) and a
    database SQLite cannot write (read-only file or folder, disk full)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (NewsdeskError, OSError, sqlite3.Error) as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(_one_line_error(exc)) from exc


def _one_line_error(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot use {exc.filename}: {exc.strerror or exc}"
    if isinstance(exc, sqlite3.Error):
        return f"store: {exc} (check that the database file and its folder are writable and the disk has room)"
    return str(exc)


def _settings(ctx: click.Context) -> Settings:
    if "settings" not in ctx.obj:
        ctx.obj["settings"] = load_settings(ctx.obj["config_path"])
    return ctx.obj["settings"]


def _db(ctx: click.Context):  # noqa: ANN202 (sqlite_utils.Database)
    return open_db(_settings(ctx).db_path)


def _skipped_note(problems: list[str]) -> str:
    """The end of a summary line: how many bad input lines were skipped, if any."""
    if not problems:
        return "."
    return f"; skipped {len(problems)} bad line{'s' if len(problems) != 1 else ''}."


@click.group(cls=NewsdeskGroup)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="NEWSDESK_CONFIG",
              help="Config file (default: ./newsdesk.toml if present).")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="newsdesk")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, debug: bool) -> None:
    """Track how AI is reshaping the entertainment industry.

    Example: newsdesk demo
    """
    ctx.ensure_object(dict)
    ctx.obj.update(config_path=config_path, debug=debug)


@cli.command()
@click.option("--port", default=8787, show_default=True, help="Preferred port for the sample server on 127.0.0.1.")
@click.pass_context
def demo(ctx: click.Context, port: int) -> None:
    """Crawl the bundled sample news, served on 127.0.0.1, into the database.

    Example: newsdesk demo
    """
    from pipelines.demo import run_demo

    settings = _settings(ctx)
    db = _db(ctx)
    report = _run_with_progress(lambda on_done: run_demo(settings, db, port=port, on_done=on_done), total=None)
    _print_crawl_table(report)
    from pipelines.enrich import run_enrich

    enriched = run_enrich(settings, db)
    from pipelines.analyse import run_analyse

    analysed = run_analyse(settings, db)
    from pipelines.brief import last_complete_week, make_briefing, write_formats

    made = make_briefing(settings, db, last_complete_week())
    written = write_formats(made, settings.beside_config(settings.briefing.out_dir), ("md", "html", "json"))
    totals = report.totals
    console.print(
        f"\n[bold]Demo done:[/bold] {totals['new']} new articles from {totals['sources']} sample feeds; "
        f"{count_articles(db)} articles in [cyan]{settings.db_path}[/cyan]; "
        f"{enriched.enriched} enriched now ({enriched.relevant} about AI in entertainment); "
        f"{analysed.stories_touched} stories updated."
    )
    console.print(f"Latest briefing ({made.week}): [cyan]{written[0]}[/cyan] (also .html and .json beside it)")
    launcher = os.environ.get("NEWSDESK_LAUNCHER", "newsdesk")
    console.print(f"\nOpen the dashboard:  [bold]{launcher} dashboard[/bold]   (then http://127.0.0.1:8501)")
    console.print("Next" + (" (after `source .venv/bin/activate`):" if launcher == "./dev" else ":"))
    console.print("  newsdesk stories                      this period's stories, highest impact first")
    console.print("  newsdesk search 'digital replica'     full-text search")
    console.print("  newsdesk sources list                 the sample feeds and their health")
    console.print("  newsdesk briefing --format pdf --out briefing.pdf   the weekly briefing as PDF")


@cli.command()
@click.option("--port", default=8501, show_default=True, help="Port to serve the dashboard on.")
@click.option("--address", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes it (see README, 'Exposing the dashboard').")
@click.pass_context
def dashboard(ctx: click.Context, port: int, address: str) -> None:
    """Serve the dashboard (Streamlit) on this machine, reading the configured database.

    Example: newsdesk dashboard
    """
    import importlib.util

    app_file = importlib.util.find_spec("newsdesk.present.dashboard.app").origin  # not imported here

    settings = _settings(ctx)
    if address not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]Serving on {address}: anyone who can reach it can read the dashboard and "
                          "record corrections. Put it behind a proxy with authentication.[/yellow]")
    env = {**os.environ, "NEWSDESK_DB": str(settings.db_path.resolve())}
    console.print(f"Dashboard on http://{address}:{port} (reading {settings.db_path}); Ctrl+C stops it.")
    command = [sys.executable, "-m", "streamlit", "run", str(app_file), "--server.address", address,
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "viewer"]
    sys.stdout.flush()
    sys.stderr.flush()
    # Streamlit takes this process's place, so a signal to it (Ctrl+C, SIGTERM) stops the server itself.
    os.execve(sys.executable, command, env)


def _log_to_stderr(debug: bool) -> None:
    import logging

    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, force=True,
                        format="%(asctime)s %(levelname)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
    for noisy in ("apscheduler", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@cli.command()
@click.pass_context
def schedule(ctx: click.Context) -> None:
    """Run the jobs on their schedules ([schedule] in newsdesk.toml) in the foreground, until SIGTERM.

    Example: newsdesk schedule
    """
    from newsdesk.schedule.service import Service
    from newsdesk.schedule.triggers import schedules
    from pipelines.jobs import JOBS

    settings = _settings(ctx)
    planned = schedules(settings.schedule)
    _db(ctx).close()  # migrate (and fail clearly) before anything is scheduled
    _log_to_stderr(ctx.obj.get("debug", False))
    Service(settings, JOBS, planned).serve()


@cli.command("run")
@click.argument("job", type=click.Choice(["crawl", "briefing", "retrain"]))
@click.option("--json", "as_json", is_flag=True, help="Print the run's outcome and counts as JSON.")
@click.pass_context
def run_command(ctx: click.Context, job: str, as_json: bool) -> None:
    """Run one job now (crawl, briefing or retrain), under the same lock as the scheduler.

    Example: newsdesk run crawl
    """
    import threading

    from newsdesk.schedule.runner import run_job
    from newsdesk.schedule.signals import stop_on_signals
    from pipelines.jobs import JOBS

    settings = _settings(ctx)
    _db(ctx).close()
    stop = threading.Event()

    if not as_json:
        _log_to_stderr(ctx.obj.get("debug", False))
    with stop_on_signals(stop, lambda name: err_console.print(f"{name}: finishing the current step, then stopping")):
        result = run_job(job, JOBS[job], settings, trigger="manual", stop=stop)
    if as_json:
        click.echo(json.dumps({"job": job, "outcome": result.outcome, "seconds": round(result.seconds, 2),
                               "counts": result.counts, "error": result.error}, sort_keys=True))
    if result.outcome in ("error", "skipped"):
        raise SystemExit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON, for monitoring.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show each job's last and next run, whether it is running, and the sources that need attention.

    Example: newsdesk status --json
    """
    from newsdesk.clock import utc_now
    from newsdesk.schedule.status import status as gather_status

    report = gather_status(_settings(ctx), _db(ctx), utc_now())
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True))
        return
    table = Table(title="Jobs")
    for column in ("job", "schedule", "last run", "outcome", "took", "what it did / error", "next run"):
        table.add_column(column)
    for job in report["jobs"]:
        last = job["last_run"] or {}
        took = ""
        if last.get("finished_at"):
            from newsdesk.clock import from_iso

            took = f"{(from_iso(last['finished_at']) - from_iso(last['started_at'])).total_seconds():.0f} s"
        outcome = f"running (pid {job['running_pid']})" if job["running_pid"] else last.get("outcome", "never ran")
        detail = last.get("error") or ", ".join(f"{k} {v}" for k, v in last.get("counts", {}).items()
                                                  if not isinstance(v, list))
        table.add_row(job["job"], job["schedule"] or "off", _plain(last.get("started_at", "-")), outcome, took,
                      _plain(detail), job["next_run"] or "-")
    console.print(table)
    if report["unhealthy_sources"]:
        sources = Table(title="Sources that need attention")
        for column in ("id", "source", "state", "error streak", "last error"):
            sources.add_column(column)
        for s in report["unhealthy_sources"]:
            state = "deactivated" if not s["active"] else "parked" if s["parked_at"] else "failing"
            sources.add_row(str(s["id"]), _plain(s["name"]), state, str(s["error_streak"]), _plain(s["last_error"] or ""))
        console.print(sources)
    else:
        console.print("All sources healthy.")


@cli.command()
@click.option("--source", "source_id", type=int, help="Only this source id (fetched even if not due).")
@click.option("--tag", help="Only sources with this tag.")
@click.option("--full-text/--no-full-text", default=None,
              help="Fetch article pages and extract their text (default: per source, then [fetch] full_text).")
@click.option("--force", is_flag=True, help="Ignore minimum intervals and backoff (parked sources stay parked).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with totals and per-source results.")
@click.pass_context
def crawl(ctx: click.Context, source_id: int | None, tag: str | None, full_text: bool | None, force: bool,
          as_json: bool) -> None:
    """Fetch the feeds of due sources and store new items.

    Exits 0 when the crawl ran, even if some sources failed (they are listed), and when another
    crawl was already running (it says so and does nothing); 1 only when it could not run.

    Example: newsdesk crawl --tag trade
    """
    from newsdesk.schedule.lock import JobLock, holder, lock_path

    settings = _settings(ctx)
    with JobLock(lock_path(settings.db_path, "crawl")) as lock:  # the scheduled crawl job takes the same lock
        if not lock.acquired:
            console.print(f"A crawl is already running (pid {holder(lock.path)}): this one did nothing. "
                          "Its results will be in 'newsdesk sources list'.")
            return
        _crawl_locked(ctx, settings, source_id, tag, full_text, force, as_json)


def _crawl_locked(ctx: click.Context, settings: Settings, source_id: int | None, tag: str | None,
                  full_text: bool | None, force: bool, as_json: bool) -> None:
    from pipelines.crawl import crawl as run_crawl
    from pipelines.crawl import select_sources

    db = _db(ctx)
    sources, not_due = select_sources(db, source_id=source_id, tag=tag, force=force)
    if not sources and not not_due:
        raise SourceError("crawl: no active source matches (add one with 'newsdesk sources add URL')")
    job = lambda on_done: run_crawl(settings, db, sources, full_text=full_text, on_done=on_done)  # noqa: E731
    started = time.monotonic()
    report = job(None) if as_json else _run_with_progress(job, total=len(sources))
    report.skipped_not_due = not_due
    if as_json:
        totals = {**report.totals, "elapsed_s": round(time.monotonic() - started, 3)}
        click.echo(json.dumps({"totals": totals, "sources": [r.__dict__ for r in report.results]}, indent=2))
        return
    _print_crawl_table(report)
    if not_due:
        console.print(f"{not_due} sources are not due yet (minimum interval or backoff); --force fetches them now.")


def _run_with_progress(job, total: int | None):  # noqa: ANN001, ANN202
    from rich.progress import Progress

    if not console.is_terminal:
        return job(None)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("crawling", total=total)
        return job(lambda result: progress.update(task, advance=1, description=f"crawled {result.name}"))


def _print_crawl_table(report) -> None:  # noqa: ANN001
    table = Table(title="Crawl", show_lines=False)
    for column in ("id", "source", "status", "HTTP", "seen", "new", "updated", "full text", "error"):
        table.add_column(column, overflow="fold")
    for r in report.results:
        style = {"ok": "green", "not_modified": "cyan", "error": "red"}[r.outcome]
        status = f"[{style}]{r.outcome}[/{style}]" + (" [red](parked)[/red]" if r.parked else "")
        full_text = f"{r.extracted}/{r.extracted + r.extraction_failed}" if r.extracted + r.extraction_failed else "-"
        table.add_row(str(r.source_id), _plain(r.name), status, str(r.http_status or "-"), str(r.seen), str(r.new),
                      str(r.updated), full_text, _plain(r.error or r.warning or ""))
    console.print(table)


@cli.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, limit: int) -> None:
    """Full-text search over stored articles.

    Example: newsdesk search "digital replica"
    """
    rows = search_articles(_db(ctx), query, limit=limit)
    if not rows:
        console.print(f"No article matches {query!r}.")
        return
    table = Table()
    for column in ("published", "source", "title"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["published_at"][:10], _plain(row["source"]), _plain(row["title"]))
    console.print(table)


def _plain(text: str):  # noqa: ANN202
    """Feed text for the terminal: never interpreted as rich markup."""
    from rich.text import Text

    return Text(text)


@cli.command()
@click.pass_context
def info(ctx: click.Context) -> None:
    """Where the database is and what it holds.

    Example: newsdesk info
    """
    settings = _settings(ctx)
    db = _db(ctx)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    console.print(f"database: {settings.db_path}")
    console.print(f"config:   {settings.source_file or '(defaults)'}")
    console.print(f"schema:   version {schema_version(db)}, integrity {integrity}")
    console.print(f"sources:  {len(list_sources(db))}")
    console.print(f"articles: {count_articles(db)}")


@cli.command("config")
def show_config() -> None:
    """Print every configuration key with its default, as a commented newsdesk.toml.

    Example: newsdesk config > newsdesk.toml
    """
    section = None
    for key in documented_keys():
        if key.section != section:
            click.echo(f"\n[{key.section}]" if section else f"[{key.section}]")
            section = key.section
        click.echo(f"# {key.help} ({key.type_name})")
        click.echo(f"{key.name} = {_toml_value(key.default)}")
    click.echo("\n# Themes of your own, beside labour, legal, technology and business (README: 'Adding a theme'):")
    click.echo('# [themes.dubbing]\n# description = "AI dubbing, voice cloning and localisation"\n'
               '# phrases = ["dubbing", "lip sync"]\n# examples = ["Streamer localises its drama with synthetic voices"]')


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


@cli.command()
@click.option("--all", "redo_all", is_flag=True, help="Re-enrich every article, not only new or outdated ones.")
@click.pass_context
def enrich(ctx: click.Context, redo_all: bool) -> None:
    """Judge relevance, themes, sentiment, entities and segments of articles not yet enriched.

    Incremental: only articles never enriched, or enriched by another model version.

    Example: newsdesk enrich
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipelines.enrich import run_enrich

    with Progress(TextColumn("enriching"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task("enrich", total=None)
        report = run_enrich(_settings(ctx), _db(ctx), redo_all=redo_all,
                            on_start=lambda total: progress.update(task, total=total),
                            on_batch=lambda done: progress.advance(task, done))
    if report.notice:
        console.print(report.notice)
    if report.enriched == 0:
        console.print(f"Nothing to enrich: every article is judged by the current model {report.model_version}.")
        return
    console.print(f"Enriched {report.enriched} articles ({report.relevant} relevant) with model {report.model_version}.")


CLASSIFY_CHUNK = 256  # items judged between two progress updates


@cli.command()
@click.option("--in", "in_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON Lines: objects with id, title, and optionally summary and text.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write one JSON object per classified line.")
@click.pass_context
def classify(ctx: click.Context, in_path: Path, out_path: Path) -> None:
    """Classify a JSON Lines file without a database.

    Bad lines are reported with their line number and skipped; the rest are classified.

    Example: newsdesk classify --in headlines.jsonl --out judged.jsonl
    """
    from newsdesk.enrich.batchfile import read_items
    from pipelines.enrich import make_enricher

    items, problems = read_items(in_path)
    for problem in problems:
        click.echo(problem, err=True)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    enricher = make_enricher(_settings(ctx))
    if enricher.notice:
        click.echo(enricher.notice, err=True)
    with out_path.open("w", encoding="utf-8") as out, Progress(
            TextColumn("classifying"), BarColumn(), MofNCompleteColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task("classify", total=len(items))
        for start in range(0, len(items), CLASSIFY_CHUNK):
            for enrichment in enricher.enrich(items[start:start + CLASSIFY_CHUNK]):
                out.write(json.dumps(enrichment.as_record(), ensure_ascii=False) + "\n")
            bar.advance(task, len(items[start:start + CLASSIFY_CHUNK]))
    console.print(f"Classified {len(items)} items into {out_path}" + _skipped_note(problems))


@cli.command()
@click.option("--labelled", "labelled", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON Lines with headline, lede, relevant, themes and sentiment.")
@click.option("--cv", "folds", type=click.IntRange(min=2), default=None,
              help="K-fold cross-validation grouped by event on this file (trains K models on it plus the seed set).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def evaluate(ctx: click.Context, labelled: Path, folds: int | None, as_json: bool) -> None:
    """Measure relevance, themes and sentiment against labelled items, beside the baselines,
    with bootstrap 95% intervals.

    Without --cv the installed model judges the file; with --cv K, models trained on K-1 folds
    (and the seed set) judge the K-th, items of one event never straddling folds.

    Example: newsdesk evaluate --labelled ../shared/corpus/labelled/dev.jsonl
    """
    from newsdesk.enrich.enricher import bundled_model_path
    from newsdesk.enrich.evaluation import read_labelled
    from newsdesk.enrich.model import Classifiers
    from newsdesk.present.evaluation import print_reports
    from pipelines.evaluate import cross_validated_reports, held_out_reports

    settings = _settings(ctx)
    items = read_labelled(labelled)
    with console.status("evaluating") as status:
        def step(message: str) -> None:
            status.update(f"evaluating: {message}")

        if folds:
            reports, intervals = cross_validated_reports(items, folds, on_step=step)
            title = f"{labelled} ({len(items)} items, grouped {folds}-fold CV)"
        else:
            reports, intervals = held_out_reports(Classifiers.load(settings.model_path or bundled_model_path()),
                                                  items, on_step=step)
            title = f"{labelled} ({len(items)} items)"
    if as_json:
        click.echo(json.dumps([{**r.as_dict(), "intervals": i} for r, i in zip(reports, intervals, strict=True)],
                              indent=2))
        return
    print_reports(console, reports, title=title, intervals=intervals)


@cli.command("train")
@click.option("--force", is_flag=True, help="Install the new model even if it does worse on the corrections.")
@click.pass_context
def train_command(ctx: click.Context, force: bool) -> None:
    """Retrain the classifiers from the seed set, the labelled training file (when present) and the
    corrections stored in the database.

    Prints, per label, how the current model and the new one do on the corrections (each correction
    judged by a model not trained on it); installs only a model that differs and is not worse,
    unless --force.

    Example: newsdesk train
    """
    from newsdesk.present.evaluation import print_reports
    from pipelines.train import run_train

    with console.status("training") as status:
        report = run_train(_settings(ctx), _db(ctx), force=force,
                           on_step=lambda step: status.update(f"training: {step}"))
    if report.unchanged:
        console.print(f"Nothing new to learn from ({report.corrections} corrections, all already in the current "
                      f"model {report.version}); nothing installed, so nothing needs re-enriching.")
        return
    if report.before is not None and report.after is not None:
        print_reports(console, [report.before, report.after],
                      title=f"{report.corrections} corrections, each judged by a model not trained on it")
    elif report.corrections:
        console.print(f"{report.corrections} correction(s) about too few distinct events to hold any out: "
                      "not measured on the corrections.")
    if report.reference_before is not None and report.reference_after is not None:
        print_reports(console, [report.reference_before, report.reference_after],
                      title="the held-out part of the seed set")
    if report.installed:
        console.print(f"Installed {report.version} at {report.path}. Run 'newsdesk enrich' to apply it.")
    elif not report.corrections:
        raise click.ClickException("train: no corrections to learn from yet (make some on the dashboard's Review "
                                   "page); kept the current model (use --force to retrain anyway)")
    else:
        raise click.ClickException(
            "train: the new model does worse on the corrections or on the held-out seed set; kept the current one "
            "(use --force to install)")


@cli.command()
@click.option("--week", help="ISO week like 2026-W47 (default: all stories).")
@click.option("--all", "include_all", is_flag=True, help="Include stories not about AI in entertainment.")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stories(ctx: click.Context, week: str | None, include_all: bool, limit: int, as_json: bool) -> None:
    """List stories (articles about one event across outlets), highest impact first.

    Example: newsdesk stories --week 2026-W47
    """
    from newsdesk.analyse.weeks import week_bounds
    from newsdesk.store.stories import list_stories

    start, end = week_bounds(week) if week else (None, None)
    rows = list_stories(_db(ctx), start=start, end=end, relevant_only=not include_all, limit=limit)
    if as_json:
        click.echo(json.dumps([{k: v for k, v in r.items() if k != "centroid"} for r in rows], indent=2))
        return
    if not rows:
        console.print("No stories yet. Run 'newsdesk demo', or 'newsdesk crawl' then 'newsdesk enrich' and 'newsdesk analyse'.")
        return
    table = Table(title=f"Stories{' in ' + week if week else ''}")
    for column in ("impact", "articles", "outlets", "first seen", "event", "themes", "sentiment", "story"):
        table.add_column(column, overflow="fold")
    for r in rows:
        sentiment = "-" if r["mean_sentiment"] is None else f"{r['mean_sentiment']:+.2f}"
        table.add_row(f"{r['impact']:.0f}", str(r["article_count"]), str(r["outlet_count"]), r["first_seen"][:10],
                      r["event_type"], ", ".join(r["themes"]), sentiment, _plain(r["title"]))
    console.print(table)


@cli.command()
@click.pass_context
def analyse(ctx: click.Context) -> None:
    """Put newly enriched articles into stories and refresh the stories they touched.

    Example: newsdesk analyse
    """
    from pipelines.analyse import run_analyse

    report = run_analyse(_settings(ctx), _db(ctx))
    console.print(f"Assigned {report.assigned} articles; {report.stories_touched} stories created or updated, "
                  f"{report.merged} merged.")


CLASSIFY_CHUNK = 256  # items judged between two progress updates


@cli.command()
@click.option("--in", "in_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON Lines: objects with id, title, date (ISO), source and optionally text.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write one {id, story_id} object per line.")
@click.option("--window-days", default=7, show_default=True, help="How long a story stays open without coverage.")
@click.option("--join-threshold", type=float, help="Cosine needed to join a story (default: 0.25, or 0.09 for titles only).")
def cluster(in_path: Path, out_path: Path, window_days: int, join_threshold: float | None) -> None:
    """Cluster an offline dataset into stories, without a database.

    Example: newsdesk cluster --in headlines.jsonl --out stories.jsonl
    """
    from datetime import timedelta

    from newsdesk.analyse.clustering import cluster_offline
    from newsdesk.analyse.offline import read_offline_items

    items, problems = read_offline_items(in_path)
    for problem in problems:
        click.echo(problem, err=True)
    assigned = cluster_offline(items, window=timedelta(days=window_days), join_threshold=join_threshold)
    with out_path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps({"id": item.id, "story_id": assigned[item.id]}) + "\n")
    console.print(f"{len(items)} items in {len(set(assigned.values()))} stories, written to {out_path}"
                  + _skipped_note(problems))


@cli.command()
@click.option("--week", help="ISO week like 2026-W47 (default: the last complete week).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "pdf", "json"]), default="md", show_default=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output (required for PDF).")
@click.option("--theme", help="Only this theme (labour, legal, technology, business...).")
@click.option("--email", "send_email", is_flag=True, help="Also email it as configured in [briefing.email].")
@click.pass_context
def briefing(ctx: click.Context, week: str | None, fmt: str, out_path: Path | None, theme: str | None,
             send_email: bool) -> None:
    """Write the weekly briefing: headline figures, top stories, themes, what changed, rising entities.

    Example: newsdesk briefing --week 2026-W47 --format html --out briefing.html
    """
    from newsdesk.analyse.weeks import week_bounds
    from pipelines.brief import email_briefing, last_complete_week, make_briefing

    settings = _settings(ctx)
    week = week or last_complete_week()
    week_bounds(week)  # a clear error for a malformed week
    if fmt == "pdf" and out_path is None:
        raise click.UsageError("PDF is binary: give --out FILE.pdf")
    if out_path is not None and not out_path.parent.is_dir():
        raise click.UsageError(f"--out: the folder {out_path.parent} does not exist")
    made = make_briefing(settings, _db(ctx), week, theme=theme, refuse_empty=True)
    if fmt == "pdf":
        from newsdesk.present.briefing.pdf import render_pdf

        out_path.write_bytes(render_pdf(made.html))
    elif out_path is not None:
        out_path.write_text(made.text(fmt), encoding="utf-8")
    else:
        click.echo(made.text(fmt), nl=False)
    if out_path is not None:
        err_console.print(f"Briefing for {week} ({made.articles} relevant articles) written to {out_path}")
    if send_email:
        recipients = email_briefing(settings, made)
        err_console.print(f"Briefing for {week} emailed to {', '.join(recipients)}")


def _week_or_current(week: str | None) -> str:
    from newsdesk.analyse.weeks import week_of
    from newsdesk.clock import utc_now

    return week or week_of(utc_now())


@cli.command()
@click.option("--week", help="Last ISO week of the range (default: this week).")
@click.option("--weeks", default=12, show_default=True, type=click.IntRange(min=1), help="How many weeks.")
@click.option("--by", type=click.Choice(["none", "theme", "segment", "source"]), default="theme", show_default=True)
@click.option("--all", "include_all", is_flag=True, help="Count all articles, not only those about AI in entertainment.")
@click.option("--daily", is_flag=True, help="One row per day instead of per ISO week.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def trends(ctx: click.Context, week: str | None, weeks: int, by: str, include_all: bool, daily: bool,
           as_json: bool) -> None:
    """Weekly (or daily) volume and mean sentiment with 95% interval, overall and per theme, segment or source.

    Example: newsdesk trends --weeks 8 --by segment
    """
    from newsdesk.analyse.trends import series_by_key, weekly_series
    from newsdesk.analyse.weeks import days_ending, week_bounds, weeks_ending
    from newsdesk.store.trends import cached_weekly_by, cached_weekly_volume

    db = _db(ctx)
    mondays = weeks_ending(_week_or_current(week), weeks)
    periods = days_ending(_week_or_current(week), weeks) if daily else mondays
    period = "day" if daily else "week"
    start, end = f"{mondays[0]}T00:00:00Z", week_bounds(_week_or_current(week))[1]
    overall = weekly_series(cached_weekly_volume(db, start, end, relevant_only=not include_all, period=period), periods)
    split = {} if by == "none" else series_by_key(
        cached_weekly_by(db, by, start, end, relevant_only=not include_all, period=period), periods)
    if as_json:
        click.echo(json.dumps({"overall": overall, "by": by, "series": split}, indent=2))
        return
    table = Table(title=f"{'Daily' if daily else 'Weekly'} trends "
                        f"({'all articles' if include_all else 'about AI in entertainment'})")
    table.add_column("day" if daily else "week of")
    table.add_column("articles", justify="right")
    table.add_column("change", justify="right")
    table.add_column("stories", justify="right")
    table.add_column("sentiment (95% CI)", justify="right")
    for key in split:
        table.add_column(key, justify="right")
    for i, row in enumerate(overall):
        s = row["sentiment"]
        interval = "-" if s["mean"] is None else f"{s['mean']:+.2f} ({s['low']:+.2f}..{s['high']:+.2f})"
        delta = "-" if row["change"] is None else f"{row['change']:+.0%}"
        table.add_row(row["week"], str(row["articles"]), delta, str(row["stories"]), interval,
                      *(str(series[i]["articles"]) for series in split.values()))
    console.print(table)


@cli.command()
@click.option("--week", help="ISO week (default: this week).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def rising(ctx: click.Context, week: str | None, as_json: bool) -> None:
    """Entities and headline terms used far more this week than in the 8 weeks before, with their burst factor.

    Example: newsdesk rising --week 2026-W38
    """
    from newsdesk.analyse.trends import rising_entities, weekly_term_counts
    from newsdesk.analyse.weeks import week_bounds, weeks_ending
    from newsdesk.store.cache import cached
    from newsdesk.store.trends import cached_weekly_entity_counts, weekly_titles

    target = _week_or_current(week)
    mondays = weeks_ending(target, 9)
    db = _db(ctx)
    start, end = f"{mondays[0]}T00:00:00Z", week_bounds(target)[1]
    found = rising_entities(cached_weekly_entity_counts(db, start, end), mondays[-1], mondays[:-1])
    term_counts = cached(db, f"weekly_terms:{start}:{end}", lambda: weekly_term_counts(weekly_titles(db, start, end)))
    found += rising_entities(term_counts, mondays[-1], mondays[:-1])
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in found], indent=2))
        return
    if not found:
        console.print(f"No entity is rising in {target}.")
        return
    table = Table(title=f"Rising in {target} (against the 8 weeks before)")
    for column in ("entity", "type", "this week", "weekly baseline", "factor", "z"):
        table.add_column(column)
    for r in found:
        table.add_row(_plain(r.name), r.type, str(r.count), f"{r.baseline:.1f}", f"x{r.factor:.1f}", f"{r.z:.1f}")
    console.print(table)


@cli.command()
@click.option("--week", help="Last ISO week of the period (default: this week).")
@click.option("--weeks", default=4, show_default=True, type=click.IntRange(min=1),
              help="Length of the period in weeks; compared with the one before.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def matrix(ctx: click.Context, week: str | None, weeks: int, as_json: bool) -> None:
    """The impact matrix: segments x themes, volume and mean sentiment, change against the previous period.

    Example: newsdesk matrix --weeks 13
    """
    from newsdesk.analyse.trends import impact_matrix
    from newsdesk.analyse.weeks import week_bounds, weeks_ending
    from newsdesk.store.trends import cached_matrix_cells

    db = _db(ctx)
    target = _week_or_current(week)
    mondays = weeks_ending(target, weeks * 2)
    start, middle, end = f"{mondays[0]}T00:00:00Z", f"{mondays[weeks]}T00:00:00Z", week_bounds(target)[1]
    cells = impact_matrix(cached_matrix_cells(db, middle, end), cached_matrix_cells(db, start, middle))
    if as_json:
        click.echo(json.dumps(cells, indent=2))
        return
    themes = sorted({c["theme"] for c in cells})
    table = Table(title=f"Impact matrix, {weeks} weeks to {target}: articles (mean sentiment) [change in volume]")
    table.add_column("segment")
    for theme in themes:
        table.add_column(theme, justify="right")
    for segment in sorted({c["segment"] for c in cells}):
        row = []
        for theme in themes:
            cell = next((c for c in cells if c["segment"] == segment and c["theme"] == theme), None)
            if cell is None:
                row.append("")
                continue
            delta = "new" if cell["volume_change"] is None else f"{cell['volume_change']:+.0%}"
            row.append(f"{cell['articles']} ({cell['mean_sentiment']:+.2f}) [{delta}]")
        table.add_row(segment, *row)
    console.print(table)


@cli.group()
def articles() -> None:
    """Manage stored articles."""


@articles.command("delete")
@click.argument("article_id")
@click.pass_context
def articles_delete(ctx: click.Context, article_id: str) -> None:
    """Delete an article, its judgements and corrections; a tombstone keeps later crawls from storing it again.

    Example: newsdesk articles delete 3f2a9c0d1e2b4a5c6d7e
    """
    from newsdesk.clock import to_iso, utc_now
    from newsdesk.store.articles import delete_article

    deleted = delete_article(_db(ctx), article_id, at=to_iso(utc_now()))
    console.print(f"Deleted {deleted['id']}: {deleted['title']} (later crawls will not store it again).")


@cli.group()
def sources() -> None:
    """Manage the feeds newsdesk follows."""


@sources.command("add")
@click.argument("url")
@click.option("--name", help="Display name (default: the feed's title after the first crawl).")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for several.")
@click.option("--full-text/--no-full-text", default=None, help="Fetch article pages for this source.")
@click.pass_context
def sources_add(ctx: click.Context, url: str, name: str | None, tags: tuple[str, ...], full_text: bool | None) -> None:
    """Follow a feed.

    Example: newsdesk sources add https://variety.com/feed/ --tag trade
    """
    from newsdesk.fetch.guard import check_scheme

    check_scheme(url)
    source = add_source(_db(ctx), url, name=name, tags=list(tags), full_text=full_text)
    console.print(f"Added source {source.id}: {source.url}")


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sources_list(ctx: click.Context, as_json: bool) -> None:
    """List sources with their health.

    Example: newsdesk sources list
    """
    rows = source_health(_db(ctx))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        console.print("No sources yet. Try 'newsdesk demo', 'newsdesk sources import-defaults' or 'newsdesk sources add URL'.")
        return
    table = Table()
    for column in ("id", "name", "tags", "active", "articles", "last success", "errors", "last error"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(str(row["id"]), _plain(row["name"]), ", ".join(json.loads(row["tags"])),
                      "yes" if row["active"] else "no", str(row["articles"]), row["last_success_at"] or "-",
                      str(row["error_streak"]), _plain(row["last_error"] or row["deactivated_reason"] or ""))
    console.print(table)


@sources.command("remove")
@click.argument("source_id", type=int)
@click.pass_context
def sources_remove(ctx: click.Context, source_id: int) -> None:
    """Stop following a source and delete its articles.

    Example: newsdesk sources remove 3
    """
    removed = remove_source(_db(ctx), source_id)
    console.print(f"Removed source {source_id} and its {removed} articles.")


@sources.command("retry")
@click.argument("source_id", type=int)
@click.pass_context
def sources_retry(ctx: click.Context, source_id: int) -> None:
    """Unpark a source after failures (or reactivate a gone one) so the next crawl fetches it.

    Example: newsdesk sources retry 3
    """
    source = retry_source(_db(ctx), source_id)
    console.print(f"Source {source.id} ({source.name}) will be fetched by the next crawl.")


def _import(db, subscriptions, *, extra_tags: list[str]) -> tuple[int, int]:  # noqa: ANN001
    added = skipped = 0
    for sub in subscriptions:
        if find_source_by_url(db, sub.url):
            skipped += 1
            continue
        add_source(db, sub.url, name=sub.name, tags=[*sub.tags, *extra_tags], site_url=sub.site_url)
        added += 1
    return added, skipped


@sources.command("import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tag", "tags", multiple=True, help="Add this tag to every imported source.")
@click.pass_context
def sources_import_opml(ctx: click.Context, file: Path, tags: tuple[str, ...]) -> None:
    """Follow every feed listed in an OPML file (folders become tags).

    Example: newsdesk sources import-opml feeds.opml
    """
    subscriptions = read_opml(file.read_bytes(), where=str(file))
    added, skipped = _import(_db(ctx), subscriptions, extra_tags=list(tags))
    console.print(f"Imported {added} sources from {file} ({skipped} already followed).")


sources.add_command(sources_import_opml, name="import")


@sources.command("export-opml")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.pass_context
def sources_export_opml(ctx: click.Context, file: Path | None) -> None:
    """Write the sources as OPML to FILE (default: stdout).

    Example: newsdesk sources export-opml backup.opml
    """
    data = write_opml(list_sources(_db(ctx)))
    if file is None:
        sys.stdout.buffer.write(data)
    else:
        file.write_bytes(data)
        console.print(f"Wrote {file}.")


@sources.command("import-defaults")
@click.pass_context
def sources_import_defaults(ctx: click.Context) -> None:
    """Follow a curated list of trade and tech publishers that cover AI in entertainment.

    Example: newsdesk sources import-defaults
    """
    data = resources.files("newsdesk").joinpath("default_sources.opml").read_bytes()
    added, skipped = _import(_db(ctx), read_opml(data, where="default_sources.opml"), extra_tags=[])
    console.print(f"Imported {added} default sources ({skipped} already followed). Run 'newsdesk crawl' next.")


def main() -> None:
    """Entry point for the console script."""
    cli(obj={})


if __name__ == "__main__":
    main()
