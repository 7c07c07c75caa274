"""The dashboard's shared resources: one connection per database file, and query results cached
until the data changes (the data version is part of every cache key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlite_utils import Database

from newsdesk.present.dashboard.data import remembered
from newsdesk.store import open_db
from newsdesk.store.cache import data_version

T = TypeVar("T")


@st.cache_resource
def database(path: str) -> Database:
    """One connection per database file (a new NEWSDESK_DB gets its own)."""
    return open_db(path)


@st.cache_data(max_entries=512, show_spinner=False)
def _remembered(_compute: Callable[..., Any], name: str, path: str, version: str, args: tuple[Any, ...],
                shared: bool) -> Any:
    db = database(path)
    return remembered(db, _compute, *args) if shared else _compute(db, *args)


def cached(compute: Callable[..., T], db: Database, *args: Any, shared: bool = True) -> T:
    """``compute(db, *args)``, reused for the same arguments until new data arrives: from this process's
    memory, else from the database's analysis cache (where the crawl job warms the default views), else
    computed. ``shared=False`` keeps a result out of the database (a search someone typed)."""
    path = str(db.conn.execute("PRAGMA database_list").fetchone()[2])
    return _remembered(compute, f"{compute.__module__}.{compute.__qualname__}", path, data_version(db), args, shared)
