"""Stored articles: ``articles delete``, ``search``."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from newsdesk.cli.base import cli, console, open_database, plain
from newsdesk.present.markdown import safe_url
from newsdesk.store.articles import search_articles
from newsdesk.store.facts import SORTS
from newsdesk.store.search_query import MARK_END, MARK_START


@cli.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
              help="Best match first, or newest first.")
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, sort: str) -> None:
    """Full-text search over stored articles: every word and every "quoted phrase" must occur.

    Example: newsdesk search '"digital replica" consent' --sort newest
    """
    found = search_articles(open_database(ctx), query, limit=limit, sort=sort)
    if not found["rows"]:
        console.print(f"No article matches {query!r}.")
        return
    title = f"{found['total']:,} match{'es' * (found['total'] != 1)}"
    if found["total"] > len(found["rows"]):
        title += f", the first {len(found['rows'])} shown"
    if sort == "relevance" and found["ranked"] < found["total"]:
        title += f" (best of the newest {found['ranked']:,})"
    table = Table(title=title)
    for column in ("id", "published", "source", "title", "snippet", "link"):
        table.add_column(column, overflow="fold")
    for row in found["rows"]:
        table.add_row(plain(row["id"]), row["published_at"][:10], plain(row["source"]), plain(row["title"]),
                      _snippet(row["snippet"] or ""), plain(safe_url(row["url"]) or ""))
    console.print(table)


def _snippet(marked: str) -> Text:
    """A snippet as terminal text, its matches in bold (feed text is never read as markup)."""
    first, *rest = marked.split(MARK_START)
    text = Text(first.replace(MARK_END, ""))
    for part in rest:
        match, _, after = part.partition(MARK_END)
        text.append(match, style="bold")
        text.append(after.replace(MARK_END, ""))
    return text


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
