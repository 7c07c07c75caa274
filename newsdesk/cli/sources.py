"""Feeds followed: ``sources add/list/remove/retry/import-opml/export-opml/import-defaults``."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import click
from rich.table import Table

from newsdesk.cli.base import cli, console, err_console, open_database, plain
from newsdesk.errors import NewsdeskError, SourceError
from newsdesk.opml import read_opml, write_opml
from newsdesk.store.sources import (
    add_source,
    get_source,
    list_sources,
    remove_source,
    retry_source,
    source_health,
)


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
    source = add_source(open_database(ctx), feed_url(url), name=name, tags=list(tags), full_text=full_text)
    console.print(f"Added source {source.id}: {source.url}")


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sources_list(ctx: click.Context, as_json: bool) -> None:
    """List sources with their health.

    Example: newsdesk sources list
    """
    rows = source_health(open_database(ctx))
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
        table.add_row(str(row["id"]), plain(row["name"]), ", ".join(json.loads(row["tags"])),
                      "yes" if row["active"] else "no", str(row["articles"]), row["last_success_at"] or "-",
                      str(row["error_streak"]), plain(row["last_error"] or row["deactivated_reason"] or ""))
    console.print(table)


@sources.command("remove")
@click.argument("source_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def sources_remove(ctx: click.Context, source_id: int, yes: bool) -> None:
    """Stop following a source and delete its articles (asks first, unless --yes).

    Example: newsdesk sources remove 3 --yes
    """
    db = open_database(ctx)
    source = get_source(db, source_id)
    count = db.execute("SELECT COUNT(*) FROM articles WHERE source_id = ?", [source_id]).fetchone()[0]
    if not yes and not click.confirm(f"Remove {source.name} ({source.url}) and its {count} articles?"):
        raise click.ClickException("sources: nothing removed")
    removed = remove_source(db, source_id)
    console.print(f"Removed source {source_id} and its {removed} articles.")


@sources.command("retry")
@click.argument("source_id", type=int)
@click.pass_context
def sources_retry(ctx: click.Context, source_id: int) -> None:
    """Unpark a source after failures (or reactivate a gone one) so the next crawl fetches it.

    Example: newsdesk sources retry 3
    """
    source = retry_source(open_database(ctx), source_id)
    console.print(f"Source {source.id} ({source.name}) will be fetched by the next crawl.")


def feed_url(url: str) -> str:
    """The URL a feed is followed at: http(s) with a host (as for fetching), in canonical form."""
    from newsdesk.fetch.guard import check_scheme
    from newsdesk.normalise.clean import normalise_url

    check_scheme(url)
    return normalise_url(url) or url


def _import(db, subscriptions, *, extra_tags: list[str]) -> str:  # noqa: ANN001
    """Follow each subscription, with the checks of 'sources add'; refused ones are said, one line each.
    Returns the counts as words."""
    added = known = refused = 0
    for sub in subscriptions:
        try:
            add_source(db, feed_url(sub.url), name=sub.name, tags=[*sub.tags, *extra_tags], site_url=sub.site_url)
            added += 1
        except SourceError:
            known += 1
        except NewsdeskError as exc:
            refused += 1
            err_console.print(f"skipped {sub.url!r}: {exc}", markup=False)
    return f"{added} sources ({known} already followed" + (f", {refused} refused)" if refused else ")")


@sources.command("import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tag", "tags", multiple=True, help="Add this tag to every imported source.")
@click.pass_context
def sources_import_opml(ctx: click.Context, file: Path, tags: tuple[str, ...]) -> None:
    """Follow every feed listed in an OPML file (folders become tags).

    Example: newsdesk sources import-opml feeds.opml
    """
    subscriptions = read_opml(file.read_bytes(), where=str(file))
    counts = _import(open_database(ctx), subscriptions, extra_tags=list(tags))
    console.print(f"Imported {counts} from {file}.", markup=False)


sources.add_command(sources_import_opml, name="import")


@sources.command("export-opml")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.pass_context
def sources_export_opml(ctx: click.Context, file: Path | None) -> None:
    """Write the sources as OPML to FILE (default: stdout).

    Example: newsdesk sources export-opml backup.opml
    """
    data = write_opml(list_sources(open_database(ctx)))
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
    counts = _import(open_database(ctx), read_opml(data, where="default_sources.opml"), extra_tags=[])
    console.print(f"Imported {counts} from the default list. Run 'newsdesk crawl' next.", markup=False)
