"""Sign-in for the dashboard: once any account exists (``newsdesk users add``), a browser signs in before
it sees anything, and stays signed in across reloads and tabs for ``SESSION_LENGTH`` (a cookie holding a
random token whose hash the database keeps) until it signs out; the signed-in name is recorded with
each correction."""

from __future__ import annotations

import json

import streamlit as st
from sqlite_utils import Database

from newsdesk.clock import utc_now
from newsdesk.store.users import (
    SESSION_LENGTH,
    AccountError,
    end_session,
    has_user,
    session_user,
    sign_in,
    start_session,
)

USER_KEY = "signed_in_user"
TOKEN_KEY = "session_token"
PENDING_COOKIE_KEY = "session_cookie_to_write"  # (value, max-age) the browser has not been given yet
COOKIE = "newsdesk_session"


def signed_in_user() -> str | None:
    """The name this browser session signed in with, if any."""
    return st.session_state.get(USER_KEY)


def require_sign_in(db: Database) -> bool:
    """True when the page may be shown: no accounts exist, or this browser has signed in.
    Otherwise shows the sign-in form (and says why a sign-in failed)."""
    if not has_user(db):
        return True
    _write_pending_cookie()
    user = signed_in_user() or _resumed(db)
    if user is not None and has_user(db, user):
        if st.sidebar.button(f"Sign out ({user})", key="sign_out"):
            token = st.session_state.pop(TOKEN_KEY, None)
            if token:
                end_session(db, token)
            del st.session_state[USER_KEY]
            st.session_state[PENDING_COOKIE_KEY] = ("", 0)
            st.rerun()
        return True
    st.title("newsdesk")
    with st.form("sign_in"):
        name = st.text_input("Name", key="sign_in_name")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        try:
            if sign_in(db, name.strip(), password, now=utc_now()):
                token = start_session(db, name.strip(), now=utc_now())
                st.session_state[USER_KEY] = name.strip()
                st.session_state[TOKEN_KEY] = token
                st.session_state[PENDING_COOKIE_KEY] = (token, int(SESSION_LENGTH.total_seconds()))
                st.rerun()
            st.error("Wrong name or password.")
        except AccountError as exc:
            st.error(str(exc))
    return False


def _resumed(db: Database) -> str | None:
    """The account this browser's session cookie still signs in (a reload, another tab), if any."""
    token = st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token:  # no cookie (or a test harness without a browser)
        return None
    user = session_user(db, token, now=utc_now())
    if user is not None:
        st.session_state[USER_KEY] = user
        st.session_state[TOKEN_KEY] = token
    return user


def _write_pending_cookie() -> None:
    """Give the browser the session cookie set or cleared by the last run. Streamlit cannot send headers,
    so a script on the page writes it: SameSite=Strict, Secure over HTTPS; the token is URL-safe base64."""
    pending = st.session_state.pop(PENDING_COOKIE_KEY, None)
    if pending is None:
        return
    value, max_age = pending
    cookie = json.dumps(f"{COOKIE}={value}; Max-Age={max_age}; Path=/; SameSite=Strict")
    st.sidebar.html(f"<script>document.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : '');"
                    "</script>", unsafe_allow_javascript=True)
