"""Dashboard accounts: salted scrypt hashes, the users commands, rate-limited sign-in, and the dashboard
asking to sign in once an account exists."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from newsdesk.accounts import hash_password, password_matches
from newsdesk.cli import cli
from newsdesk.store import open_db
from newsdesk.store.users import (
    MAX_FAILURES,
    SESSION_LENGTH,
    AccountError,
    add_user,
    end_session,
    remove_user,
    session_user,
    set_password,
    sign_in,
    start_session,
)

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSWORD = "correct horse battery"


def test_hashes_are_salted_and_only_the_right_password_matches():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$") and PASSWORD not in first
    assert password_matches(PASSWORD, first) and password_matches(PASSWORD, second)
    assert not password_matches("correct horse batterY", first)
    assert not password_matches(PASSWORD, "md5$abc") and not password_matches(PASSWORD, "garbage")


def test_users_commands_add_list_passwd_remove(runner, db_path):
    added = runner.invoke(cli, ["users", "add", "dana", "--password-stdin"], input=PASSWORD + "\n", obj={})
    assert added.exit_code == 0, added.output
    listed = json.loads(runner.invoke(cli, ["users", "list", "--json"], obj={}).output)
    assert [u["name"] for u in listed] == ["dana"] and "password_hash" not in listed[0]
    stored = open_db(db_path).execute("SELECT password_hash FROM users").fetchone()[0]
    assert password_matches(PASSWORD, stored) and PASSWORD not in stored
    again = runner.invoke(cli, ["users", "add", "dana", "--password-stdin"], input=PASSWORD + "\n", obj={})
    assert again.exit_code == 1 and "already exists" in again.output
    weak = runner.invoke(cli, ["users", "add", "bo", "--password-stdin"], input="short\n", obj={})
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    prompted = runner.invoke(cli, ["users", "passwd", "dana"], input="another long one\nanother long one\n", obj={})
    assert prompted.exit_code == 0, prompted.output  # asked twice
    stored = open_db(db_path).execute("SELECT password_hash FROM users").fetchone()[0]
    assert password_matches("another long one", stored)
    assert runner.invoke(cli, ["users", "remove", "dana"], obj={}).exit_code == 0
    gone = runner.invoke(cli, ["users", "remove", "dana"], obj={})
    assert gone.exit_code == 1 and "no account called dana" in gone.output


def test_sign_in_is_rate_limited_per_account(db):
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    add_user(db, "dana", PASSWORD, at="2026-11-30T00:00:00Z")
    assert sign_in(db, "dana", PASSWORD, now=now)
    for _ in range(MAX_FAILURES):
        assert not sign_in(db, "dana", "guess guess guess", now=now)
    with pytest.raises(AccountError, match="Too many failed sign-ins"):
        sign_in(db, "dana", PASSWORD, now=now)  # even the right password waits
    assert sign_in(db, "dana", PASSWORD, now=now + timedelta(minutes=16))
    assert not sign_in(db, "nobody", PASSWORD, now=now)  # unknown names fail the same way


def test_a_browser_session_lasts_until_it_expires_signs_out_or_the_account_changes(db):
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    add_user(db, "ana", PASSWORD, at="2026-11-30T00:00:00Z")
    add_user(db, "ben", PASSWORD, at="2026-11-30T00:00:00Z")
    token = start_session(db, "ana", now=now)
    assert session_user(db, token, now=now + timedelta(days=1)) == "ana"
    assert token not in json.dumps(list(db.query("SELECT * FROM browser_sessions")))  # only its hash is kept
    assert session_user(db, token, now=now + SESSION_LENGTH) is None  # expired
    assert session_user(db, token + "x", now=now) is None
    end_session(db, token)
    assert session_user(db, token, now=now) is None  # signed out
    again, other = start_session(db, "ana", now=now), start_session(db, "ben", now=now)
    set_password(db, "ana", "another long secret")
    assert session_user(db, again, now=now) is None and session_user(db, other, now=now) == "ben"
    remove_user(db, "ben")
    assert session_user(db, other, now=now) is None


def test_dashboard_on_a_network_address_refuses_to_start_without_accounts(runner, db_path):
    result = runner.invoke(cli, ["dashboard", "--address", "0.0.0.0"], obj={})
    assert result.exit_code == 2
    assert "refusing to serve on 0.0.0.0 without accounts" in result.output and "newsdesk users add" in result.output


def test_with_an_account_the_dashboard_shows_nothing_before_sign_in(demo_db):
    add_user(open_db(demo_db), "dana", PASSWORD, at="2026-11-30T00:00:00Z")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not at.metric and not at.dataframe  # no data before signing in
    at.text_input(key="sign_in_name").input("dana")
    at.text_input(key="sign_in_password").input("wrong password!")
    at.button[0].click().run()
    assert at.error and "Wrong name or password" in at.error[0].value and not at.metric
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["Articles", "Stories", "Active sources", "Mean sentiment"]
    assert any(b.label == "Sign out (dana)" for b in at.sidebar.button)


def test_corrections_record_the_signed_in_user(demo_db):
    from datetime import date

    from newsdesk.store.facts import FactFilter
    from tests.test_app import _page

    today = date.today()
    f = FactFilter(start=(today - timedelta(weeks=16)).isoformat(), end=(today + timedelta(days=1)).isoformat())
    at = _page("review", demo_db, f)
    at.session_state["signed_in_user"] = "dana"
    at.run()
    saves = [b for b in at.button if b.key and b.key.startswith("fb_save_")]
    assert saves and not saves[0].disabled  # no name to type: the account is the name
    assert not [t for t in at.sidebar.text_input if t.key == "reviewer"]
    saves[0].click().run()
    who = {r[0] for r in open_db(demo_db).execute("SELECT who FROM labels")}
    assert who == {"dashboard:dana"}
