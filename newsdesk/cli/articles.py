"""Stored articles: ``articles delete``, ``search``."""

from __future__ import annotations

import click
from rich.table import Table

from newsdesk.cli.base import cli, console, open_database, plain
from newsdesk.present.markdown import safe_url
from newsdesk.store.articles import search_articles


@cli.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, limit: int) -> None:
    """Full-text search over stored articles.

    Example: newsdesk search "digital replica"
    """
    rows = search_articles(open_database(ctx), query, limit=limit)
    if not rows:
        console.print(f"No article matches {query!r}.")
        return
    table = Table()
    for column in ("id", "published", "source", "title", "link"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(plain(row["id"]), row["published_at"][:10], plain(row["source"]), plain(row["title"]),
                      plain(safe_url(row["url"]) or ""))
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

    deleted = delete_article(open_database(ctx), article_id, at=to_iso(utc_now()))
    console.print(f"Deleted {deleted['id']}: {deleted['title']} (later crawls will not store it again).")
