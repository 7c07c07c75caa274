"""Group commit: writes queued on an event loop while a transaction is being written share the next one.

A crawl stores one source at a time, and each commit writes every index page the source's
rows touched: article ids and URLs are hashes, so fifty articles dirty pages all over each
index. While one transaction is written, other sources finish fetching and queue their
writes; committing those together writes each page once per batch instead of once per source.
Each write still runs in its own savepoint, so a write that fails undoes only itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlite_utils import Database

T = TypeVar("T")


class GroupCommit:
    """Runs writes on the event loop's thread, in batches of one transaction each."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._queue: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self.transactions = 0

    async def write(self, write: Callable[[], T]) -> T:
        """Queue ``write`` for the next transaction; returns its result once that transaction commits."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((write, future))
        if len(self._queue) == 1:
            loop.call_soon(self._commit_queued)
        return await future

    def _commit_queued(self) -> None:
        batch, self._queue = self._queue, []
        outcomes: list[tuple[Any, BaseException | None]] = []
        try:
            with self.db.atomic():
                for write, _ in batch:
                    try:
                        with self.db.atomic():  # a savepoint: a failing write undoes only its own changes
                            outcomes.append((write(), None))
                    except Exception as exc:  # handed to the write's awaiting caller, which decides
                        outcomes.append((None, exc))
                        if not self.db.conn.in_transaction:  # it ended the whole transaction (a full disk does)
                            raise
        except Exception as exc:  # the commit itself failed: no write of the batch is stored
            outcomes = [(None, exc)] * len(batch)
        self.transactions += 1
        for (_, future), (result, error) in zip(batch, outcomes, strict=True):
            if future.cancelled():
                continue
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)
