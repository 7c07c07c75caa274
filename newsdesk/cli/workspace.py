"""Getting started and looking around: ``demo``, ``info``, ``config``."""

from __future__ import annotations

import json
import os
from typing import Any

import click

from newsdesk.cli.base import cli, console, open_database, settings_of
from newsdesk.cli.crawling import print_crawl_table, run_with_progress
from newsdesk.config import documented_keys
from newsdesk.store.articles import count_articles
from newsdesk.store.db import schema_version
from newsdesk.store.sources import (
    list_sources,
)


@cli.command()
@click.option("--port", default=8787, show_default=True, help="Preferred port for the sample server on 127.0.0.1.")
@click.pass_context
def demo(ctx: click.Context, port: int) -> None:
    """Crawl the bundled sample news, served on 127.0.0.1, into the database.

    Example: newsdesk demo
    """
    from pipelines.demo import run_demo

    settings = settings_of(ctx)
    db = open_database(ctx)
    report = run_with_progress(lambda on_done: run_demo(settings, db, port=port, on_done=on_done), total=None)
    print_crawl_table(report)
    from pipelines.enrich import run_enrich

    enriched = run_enrich(settings, db)
    from pipelines.analyse import run_analyse

    analysed = run_analyse(settings, db)
    from pipelines.brief import last_complete_week, make_briefing, write_formats

    made = make_briefing(settings, db, last_complete_week())
    written = write_formats(made, settings.beside_config(settings.briefing.out_dir), ("md", "html", "json"))
    from newsdesk.clock import utc_now
    from newsdesk.present.dashboard.data import warm

    warm(db, utc_now().date())  # the dashboard opens on views computed here
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
@click.option("--check", is_flag=True, help="Also check the whole file's integrity (reads every page: about "
                                            "20 s at a million articles).")
@click.pass_context
def info(ctx: click.Context, check: bool) -> None:
    """Where the database is and what it holds.

    Example: newsdesk info --check
    """
    settings = settings_of(ctx)
    db = open_database(ctx)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0] if check else "not checked (--check)"
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
