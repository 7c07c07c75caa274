"""The ``users``, ``sign_in_failures`` and ``browser_sessions`` tables: dashboard accounts, rate-limited
sign-in, and signed-in browsers."""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timedelta
from functools import cache

from sqlite_utils import Database

from newsdesk.accounts import hash_password, password_matches, password_problem
from newsdesk.clock import to_iso
from newsdesk.errors import NewsdeskError

MAX_FAILURES = 5  # failed sign-ins per account within FAILURE_WINDOW before it is locked for that long
FAILURE_WINDOW = timedelta(minutes=15)
SESSION_LENGTH = timedelta(days=14)  # a signed-in browser stays signed in this long, or until it signs out


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
        db.execute("DELETE FROM browser_sessions WHERE name = ?", [name])  # a new password signs every browser out


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


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Database, name: str, *, now: datetime) -> str:
    """A new random token for a browser that signed in as ``name`` (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    with db.atomic():
        db.execute("DELETE FROM browser_sessions WHERE expires_at <= ?", [to_iso(now)])
        db.execute("INSERT INTO browser_sessions (token_hash, name, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   [_token_hash(token), name, to_iso(now), to_iso(now + SESSION_LENGTH)])
    return token


def session_user(db: Database, token: str, *, now: datetime) -> str | None:
    """The account a browser's token signs in, while the session lasts and the account exists."""
    row = db.execute("SELECT name FROM browser_sessions WHERE token_hash = ? AND expires_at > ?",
                     [_token_hash(token), to_iso(now)]).fetchone()
    return row[0] if row is not None else None


def end_session(db: Database, token: str) -> None:
    """Sign a browser out: its token signs nobody in any more."""
    with db.atomic():
        db.execute("DELETE FROM browser_sessions WHERE token_hash = ?", [_token_hash(token)])
