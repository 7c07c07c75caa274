"""The ``newsdesk`` group: global options, settings and database for commands, one line on error."""

from __future__ import annotations

import sqlite3
from typing import Any

import click
from rich.console import Console

from newsdesk import __version__
from newsdesk.config import Settings, load_settings
from newsdesk.errors import NewsdeskError
from newsdesk.store import open_db

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


def settings_of(ctx: click.Context) -> Settings:
    if "settings" not in ctx.obj:
        ctx.obj["settings"] = load_settings(ctx.obj["config_path"])
    return ctx.obj["settings"]


def open_database(ctx: click.Context):  # noqa: ANN202 (sqlite_utils.Database)
    return open_db(settings_of(ctx).db_path)


def skipped_note(problems: list[str]) -> str:
    """The end of a summary line: how many bad input lines were skipped, if any."""
    if not problems:
        return "."
    return f"; skipped {len(problems)} bad line{'s' if len(problems) != 1 else ''}."


def plain(text: str):  # noqa: ANN202
    """Feed text for the terminal: never interpreted as rich markup."""
    from rich.text import Text

    return Text(text)


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


def main() -> None:
    """Entry point for the console script."""
    cli(obj={})
