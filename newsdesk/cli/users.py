"""Dashboard accounts: ``users add/list/remove/passwd``."""

from __future__ import annotations

import json
import sys

import click

from newsdesk.cli.base import cli, console, open_database


@cli.group()
def users() -> None:
    """Manage dashboard accounts (once one exists, the dashboard asks everyone to sign in)."""


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
@click.pass_context
def users_add(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Add an account; the password is asked twice (or read from standard input).

    Example: newsdesk users add dana
    """
    from newsdesk.clock import to_iso, utc_now
    from newsdesk.store.users import add_user

    add_user(open_database(ctx), name, _password(password_stdin), at=to_iso(utc_now()))
    console.print(f"Added {name.strip()}. The dashboard now asks everyone to sign in.")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.pass_context
def users_passwd(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a new password for an account.

    Example: newsdesk users passwd dana
    """
    from newsdesk.store.users import set_password

    set_password(open_database(ctx), name, _password(password_stdin))
    console.print(f"Changed the password of {name}.")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def users_list(ctx: click.Context, as_json: bool) -> None:
    """List the accounts (names and when they were added).

    Example: newsdesk users list
    """
    from newsdesk.store.users import list_users

    accounts = list_users(open_database(ctx))
    if as_json:
        click.echo(json.dumps(accounts, indent=2))
    elif not accounts:
        console.print("No accounts: the dashboard is open to whoever can reach it (loopback only by default).")
    else:
        for account in accounts:
            console.print(f"{account['name']}  (added {account['created_at']})")


@users.command("remove")
@click.argument("name")
@click.pass_context
def users_remove(ctx: click.Context, name: str) -> None:
    """Remove an account.

    Example: newsdesk users remove dana
    """
    from newsdesk.store.users import remove_user

    remove_user(open_database(ctx), name)
    console.print(f"Removed {name}.")
