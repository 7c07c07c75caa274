"""Sign-in for the dashboard: once any account exists (``newsdesk users add``), every browser session
signs in before it sees anything; the signed-in name is recorded with each correction."""

from __future__ import annotations

import streamlit as st
from sqlite_utils import Database

from newsdesk.clock import utc_now
from newsdesk.store.users import AccountError, has_user, sign_in

USER_KEY = "signed_in_user"


def signed_in_user() -> str | None:
    """The name this browser session signed in with, if any."""
    return st.session_state.get(USER_KEY)


def require_sign_in(db: Database) -> bool:
    """True when the page may be shown: no accounts exist, or this session has signed in.
    Otherwise shows the sign-in form (and says why a sign-in failed)."""
    if not has_user(db):
        return True
    user = signed_in_user()
    if user is not None and has_user(db, user):
        if st.sidebar.button(f"Sign out ({user})", key="sign_out"):
            del st.session_state[USER_KEY]
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
                st.session_state[USER_KEY] = name.strip()
                st.rerun()
            st.error("Wrong name or password.")
        except AccountError as exc:
            st.error(str(exc))
    return False
