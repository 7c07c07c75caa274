"""Open the SQLite file: pragmas, migrations, and a clear refusal of newer schemas."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from newsdesk.errors import StoreError
from newsdesk.store.migrations import MIGRATIONS, known_migrations

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 10_000
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024  # after a checkpoint the WAL file is truncated back to this


class NewsdeskDatabase(Database):
    """sqlite-utils' Database whose transactions begin with ``BEGIN IMMEDIATE``.

    A deferred ``BEGIN`` takes the write lock only at the first write; if another process committed
    after this transaction's first read, SQLite cannot upgrade and answers "database is locked" at
    once, without waiting. Taking the write lock up front makes every writer wait its turn (up to the
    busy timeout) instead. Nested blocks stay savepoints.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def open_db(path: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are exactly the explicit db.atomic() blocks, so no stray
        # statement can leave an implicit transaction open that later blocks would nest inside.
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None)
        db = NewsdeskDatabase(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        # Durability: in WAL mode with synchronous=NORMAL a commit is atomic and the file is never corrupted,
        # but the last transactions before a power cut (not a process crash) may be lost. See README.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"store: cannot open {path}: {exc}") from exc
    if mode.lower() != "wal":
        raise StoreError(f"store: {path} could not switch to WAL journal mode (got {mode})")
    _refuse_newer_schema(db, path)
    if migrate:
        try:
            MIGRATIONS.apply(db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"store: cannot migrate {path}: {exc}") from exc
    return db


def check_integrity(db: Database, path: str | Path) -> None:
    """``PRAGMA quick_check``: a StoreError naming the first problem when the file is damaged."""
    try:
        problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        raise StoreError(f"store: {path} is damaged ({problems[0]}); restore it from a backup, or try "
                         f"'sqlite3 {path} .recover' into a new file")


def schema_version(db: Database) -> int:
    """How many of the known migrations are applied."""
    return len(MIGRATIONS.applied(db))


def _refuse_newer_schema(db: Database, path: Path) -> None:
    try:
        applied = [m.name for m in MIGRATIONS.applied(db)]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"store: {path} is not a newsdesk database ({exc})") from exc
    unknown = [name for name in applied if name not in known_migrations()]
    if unknown:
        raise StoreError(
            f"store: {path} was written by a newer newsdesk (unknown schema migration "
            f"{', '.join(unknown)}); upgrade newsdesk or use another database file"
        )


@contextmanager
def bulk_writes(db: Database, *, checkpoint_pages: int = 25_000) -> Iterator[None]:
    """Many small transactions in a row (a crawl): checkpoint the WAL once at the end, not every 4 MB.

    SQLite copies the WAL back into the database every 1,000 pages by default; a crawl storing
    thousands of articles would pay for that dozens of times, rewriting the same index pages.
    The WAL may grow to ``checkpoint_pages`` pages (4 KB each) meanwhile.
    """
    db.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")
    try:
        yield
    finally:
        try:
            db.execute("PRAGMA wal_autocheckpoint = 1000")
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:  # e.g. a full disk: what was committed stays in the WAL, still readable
            log.warning("store: could not checkpoint the WAL: %s", exc)
