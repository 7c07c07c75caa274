"""The ``users`` and ``sign_in_failures`` tables: dashboard accounts and rate-limited sign-in."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from functools import cache

from sqlite_utils import Database

from newsdesk.accounts import hash_password, password_matches, password_problem
from newsdesk.clock import to_iso
from newsdesk.errors import NewsdeskError

MAX_FAILURES = 5  # failed sign-ins per account within FAILURE_WINDOW before it is locked for that long
FAILURE_WINDOW = timedelta(minutes=15)


class AccountError(NewsdeskError):
    """An account cannot be added, changed, found or signed in to."""


@cache
def _stand_in_hash() -> str:
    """A hash no password matches in practice, checked against for names that are not accounts."""
    return hash_password(os.urandom(16).hex())


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise AccountError(f"users: {name!r} is not a valid name (letters, digits and . _ - @, at most 64)")
    return name


def _check_password(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(f"users: {problem}")


def add_user(db: Database, name: str, password: str, *, at: str) -> None:
    """A new account; AccountError when the name is taken or the password too weak."""
    name = _check_name(name)
    _check_password(password)
    if has_user(db, name):
        raise AccountError(f"users: {name} already exists (change the password with 'newsdesk users passwd {name}')")
    with db.atomic():
        db.execute("INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)",
                   [name, hash_password(password), at])


def set_password(db: Database, name: str, password: str) -> None:
    """Replace an account's password."""
    _check_password(password)
    with db.atomic():
        changed = db.execute("UPDATE users SET password_hash = ? WHERE name = ?", [hash_password(password), name])
        if changed.rowcount == 0:
            raise AccountError(f"users: no account called {name}")


def remove_user(db: Database, name: str) -> None:
    """Delete an account."""
    with db.atomic():
        if db.execute("DELETE FROM users WHERE name = ?", [name]).rowcount == 0:
            raise AccountError(f"users: no account called {name}")


def list_users(db: Database) -> list[dict[str, str]]:
    """Every account's name and creation time (never the hash)."""
    return [dict(row) for row in db.query("SELECT name, created_at FROM users ORDER BY name")]


def has_user(db: Database, name: str | None = None) -> bool:
    """Whether any account exists (or the one called ``name``)."""
    if name is None:
        return db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None
    return db.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone() is not None


def sign_in(db: Database, name: str, password: str, *, now: datetime) -> bool:
    """Whether the password is right; AccountError while the account is locked after repeated failures.

    Unknown names are hashed against too, so timing does not tell which names exist.
    """
    since = to_iso(now - FAILURE_WINDOW)
    failures = db.execute("SELECT COUNT(*) FROM sign_in_failures WHERE name = ? AND at > ?",
                          [name, since]).fetchone()[0]
    if failures >= MAX_FAILURES:
        raise AccountError(f"Too many failed sign-ins for {name}: try again in {FAILURE_WINDOW.seconds // 60} minutes.")
    row = db.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone()
    matches = password_matches(password, row[0] if row else _stand_in_hash())  # the same work either way
    if row is not None and matches:
        with db.atomic():
            db.execute("DELETE FROM sign_in_failures WHERE name = ?", [name])
        return True
    with db.atomic():
        db.execute("INSERT INTO sign_in_failures (name, at) VALUES (?, ?)", [name, to_iso(now)])
    return False
