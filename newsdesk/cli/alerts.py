"""Watchlists and what they send: ``watch add/list/show/remove``, ``alerts run``, ``feeds write``."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import click
from rich.table import Table

from newsdesk.cli.base import cli, console, open_database, plain, settings_of


@cli.group()
def watch() -> None:
    """Watchlists: saved conditions whose new matches are sent by email or webhook, and written as feeds."""


@watch.command("add")
@click.argument("name")
@click.option("--query", default="", help='Full-text search: every word and "quoted phrase" must occur.')
@click.option("--theme", "themes", multiple=True, help="A theme (repeat for any of several).")
@click.option("--entity", "entities", multiple=True, help="An entity id or name, e.g. org:runway (repeatable).")
@click.option("--segment", "segments", multiple=True, help="A segment or stakeholder, e.g. music (repeatable).")
@click.option("--event-type", "event_types", multiple=True, help="A story event type, e.g. 'lawsuit filed'.")
@click.option("--min-outlets", default=0, show_default=True, help="Only stories covered by this many outlets.")
@click.option("--spike", is_flag=True, help="Also alert when the day's volume spikes against the 14 days before.")
@click.option("--email", "emails", multiple=True, help="Send digests to this address (repeatable).")
@click.option("--webhook", "webhooks", multiple=True, help="POST digests to this URL, e.g. a Slack incoming webhook.")
@click.option("--backfill-days", default=0, show_default=True, help="Start this many days back instead of now.")
@click.pass_context
def watch_add(ctx: click.Context, name: str, query: str, themes: tuple[str, ...], entities: tuple[str, ...],
              segments: tuple[str, ...], event_types: tuple[str, ...], min_outlets: int, spike: bool,
              emails: tuple[str, ...], webhooks: tuple[str, ...], backfill_days: int) -> None:
    """Add a watch. Every kind of condition given must hold; several values of one kind mean any of them.

    Example: newsdesk watch add disney-suits --entity "Walt Disney Company" --event-type "lawsuit filed"
    --webhook https://hooks.slack.com/services/...
    """
    from newsdesk.alerts.new_watch import new_watch
    from newsdesk.clock import utc_now
    from newsdesk.store.watches import add_watch

    db = open_database(ctx)
    added = add_watch(db, new_watch(db, settings_of(ctx), name, now=utc_now(), query=query, themes=themes,
                                    entities=entities, segments=segments, event_types=event_types,
                                    min_outlets=min_outlets, spike=spike, emails=emails, webhooks=webhooks,
                                    backfill_days=backfill_days))
    where = ", ".join([*added.emails, *added.webhooks]) or "no email or webhook: feeds out only"
    console.print(f"Added watch {added.name!r}: {added.describe()}; sends to {where}. It watches articles published "
                  f"from {added.since[:16].replace('T', ' ')} UTC; 'newsdesk alerts run' (or the scheduled crawl) sends.")


@watch.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array.")
@click.pass_context
def watch_list(ctx: click.Context, as_json: bool) -> None:
    """Every watch, its conditions and where it sends."""
    from newsdesk.store.watches import list_watches

    watches = list_watches(open_database(ctx))
    if as_json:
        click.echo(json.dumps([{k: v for k, v in asdict(w).items() if k != "conditions"} for w in watches], indent=2))
        return
    if not watches:
        console.print("No watch yet: newsdesk watch add NAME --query '\"digital replica\"' --email you@example.com")
        return
    table = Table()
    for column in ("name", "conditions", "sends to", "since"):
        table.add_column(column, overflow="fold")
    for w in watches:
        table.add_row(plain(w.name), plain(w.describe()), plain(", ".join([*w.emails, *w.webhooks]) or "-"),
                      w.since[:10])
    console.print(table)


@watch.command("show")
@click.argument("name")
@click.option("--limit", default=20, show_default=True)
@click.pass_context
def watch_show(ctx: click.Context, name: str, limit: int) -> None:
    """What a watch matches (newest first, alerted or not, also from before the watch began)."""
    from newsdesk.present.markdown import safe_url
    from newsdesk.store.watches import get_watch, matching_articles

    db = open_database(ctx)
    found = get_watch(db, name)
    rows = matching_articles(db, replace(found, since=""), unseen_only=False, limit=limit)  # also before it began
    console.print(f"{found.name}: {found.describe()}")
    if not rows:
        console.print("Nothing matches yet.")
        return
    table = Table()
    for column in ("published", "outlet", "title", "story", "link"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r["published_at"][:10], plain(r["outlet"]), plain(r["title"]), plain(r["story_title"] or "-"),
                      plain(safe_url(r["url"]) or ""))
    console.print(table)


@watch.command("remove")
@click.argument("name")
@click.pass_context
def watch_remove(ctx: click.Context, name: str) -> None:
    """Remove a watch (its unsent messages go with it)."""
    from newsdesk.store.watches import remove_watch

    remove_watch(open_database(ctx), name)
    console.print(f"Removed watch {name!r}.")


@cli.group()
def alerts() -> None:
    """Send the watches' alerts."""


@alerts.command("run")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the counts.")
@click.pass_context
def alerts_run(ctx: click.Context, as_json: bool) -> None:
    """Send each watch one digest of what is new since its last one (and spike alerts); retry failed sends.

    The scheduled crawl runs this after enrich and analyse.
    """
    from pipelines.alerts import run_alerts

    report = run_alerts(settings_of(ctx), open_database(ctx))
    if as_json:
        click.echo(json.dumps(asdict(report), indent=2))
        return
    console.print(f"{report.watches} watch{'es' * (report.watches != 1)}: {report.digests} digest(s) and "
                  f"{report.spikes} spike alert(s) recorded; {report.sent} message(s) sent, {report.failed} failed"
                  + (f", {report.gave_up} given up" if report.gave_up else "") + ".")
    for error in report.errors:
        console.print(plain(f"  failed: {error} (retried with backoff on later runs)"))


@cli.group()
def feeds() -> None:
    """Feeds out, for any feed reader."""


@feeds.command("write")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def feeds_write(ctx: click.Context, folder: Path) -> None:
    """Write an Atom and a JSON Feed file per watch and per theme (the newest 50 items) into FOLDER.

    Example: newsdesk feeds write public/feeds
    """
    from pipelines.feeds import write_feeds

    written = write_feeds(settings_of(ctx), open_database(ctx), folder)
    console.print(f"Wrote {len(written)} files into {folder}: " + ", ".join(p.name for p in written[:6])
                  + (", ..." if len(written) > 6 else ""))
