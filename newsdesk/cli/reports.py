"""Reports: ``briefing``."""

from __future__ import annotations

from pathlib import Path

import click

from newsdesk.cli.base import cli, err_console, open_database, settings_of


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

    settings = settings_of(ctx)
    week = week or last_complete_week()
    week_bounds(week)  # a clear error for a malformed week
    if fmt == "pdf" and out_path is None:
        raise click.UsageError("PDF is binary: give --out FILE.pdf")
    if out_path is not None and not out_path.parent.is_dir():
        raise click.UsageError(f"--out: the folder {out_path.parent} does not exist")
    made = make_briefing(settings, open_database(ctx), week, theme=theme, refuse_empty=True)
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
