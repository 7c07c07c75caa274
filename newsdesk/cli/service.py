"""Running it as a service: ``dashboard``, ``schedule``, ``run``, ``status``."""

from __future__ import annotations

import json
import os
import sys

import click
from rich.table import Table

from newsdesk.cli.base import cli, console, err_console, open_database, plain, settings_of
from newsdesk.store.db import check_integrity


@cli.command()
@click.option("--port", default=8501, show_default=True, help="Port to serve the dashboard on.")
@click.option("--address", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes it (see README, 'Exposing the dashboard').")
@click.option("--no-auth", is_flag=True,
              help="Serve a non-loopback address without accounts (only behind a proxy that authenticates).")
@click.pass_context
def dashboard(ctx: click.Context, port: int, address: str, no_auth: bool) -> None:
    """Serve the dashboard (Streamlit) on this machine, reading the configured database.

    Example: newsdesk dashboard
    """
    import importlib.util

    app_file = importlib.util.find_spec("newsdesk.present.dashboard.app").origin  # not imported here

    from newsdesk.store.users import has_user

    settings = settings_of(ctx)
    db = open_database(ctx)
    check_integrity(db, settings.db_path)  # a damaged file is said here, once, not on every page
    accounts = has_user(db)
    db.close()
    if address not in ("127.0.0.1", "localhost", "::1") and not accounts:
        if not no_auth:
            raise click.UsageError(
                f"refusing to serve on {address} without accounts: anyone who can reach it could read everything "
                "and record corrections. Add one with 'newsdesk users add NAME' (then everyone signs in), or "
                "pass --no-auth if something in front of it already authenticates.")
        err_console.print(f"[yellow]--no-auth: serving on {address} with no sign-in. Anyone who can reach it can "
                          "read the dashboard and record corrections under any name.[/yellow]")
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

    settings = settings_of(ctx)
    planned = schedules(settings.schedule)
    db = open_database(ctx)  # migrate (and fail clearly) before anything is scheduled
    check_integrity(db, settings.db_path)
    db.close()
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

    settings = settings_of(ctx)
    open_database(ctx).close()
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

    report = gather_status(settings_of(ctx), open_database(ctx), utc_now())
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
        table.add_row(job["job"], job["schedule"] or "off", plain(last.get("started_at", "-")), outcome, took,
                      plain(detail), job["next_run"] or "-")
    console.print(table)
    if report["unhealthy_sources"]:
        sources = Table(title="Sources that need attention")
        for column in ("id", "source", "state", "error streak", "last error"):
            sources.add_column(column)
        for s in report["unhealthy_sources"]:
            state = "deactivated" if not s["active"] else "parked" if s["parked_at"] else "failing"
            sources.add_row(str(s["id"]), plain(s["name"]), state, str(s["error_streak"]), plain(s["last_error"] or ""))
        console.print(sources)
    else:
        console.print("All sources healthy.")
    alerts = report["alerts"]
    if alerts["retrying"] or alerts["gave_up"]:
        failed = Table(title=f"Alerts: {alerts['retrying']} failed and waiting to be retried, {alerts['gave_up']} given up")
        for column in ("watch", "to", "attempts", "next attempt", "last error"):
            failed.add_column(column, overflow="fold")
        for e in alerts["errors"]:
            failed.add_row(plain(e["watch"]), plain(f"{e['channel']} {e['target']}"), str(e["attempts"]),
                           "given up" if e["status"] == "gave_up" else e["next_attempt_at"], plain(e["last_error"] or ""))
        console.print(failed)
    elif alerts["waiting"]:
        console.print(f"{alerts['waiting']} alert message(s) waiting to be sent.")
