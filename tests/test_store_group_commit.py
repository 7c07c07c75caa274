import asyncio
import sqlite3

from newsdesk.store.db import open_db
from newsdesk.store.group_commit import GroupCommit
from newsdesk.store.sources import add_source


def _writes(db, names):
    def write(name):
        def insert():
            source = add_source(db, f"https://{name}.example/feed")
            if name.startswith("bad"):
                raise ValueError(f"{name} refused")
            return source.id
        return insert
    return [write(name) for name in names]


def test_writes_queued_together_share_one_transaction(db):
    writer = GroupCommit(db)

    async def main():
        return await asyncio.gather(*(writer.write(w) for w in _writes(db, ["a", "b", "c"])))

    ids = asyncio.run(main())
    assert len(set(ids)) == 3 and writer.transactions == 1
    assert db.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 3


def test_a_failing_write_undoes_only_itself_and_its_caller_gets_the_error(db, db_path):
    writer = GroupCommit(db)

    async def main():
        return await asyncio.gather(*(writer.write(w) for w in _writes(db, ["a", "bad-one", "c"])),
                                    return_exceptions=True)

    first, failed, third = asyncio.run(main())
    assert isinstance(failed, ValueError) and str(failed) == "bad-one refused"
    assert isinstance(first, int) and isinstance(third, int)
    other = open_db(db_path)  # committed: another connection sees it
    try:
        urls = [r[0] for r in other.execute("SELECT url FROM sources ORDER BY id")]
    finally:
        other.close()
    assert urls == ["https://a.example/feed", "https://c.example/feed"]


def test_writes_queued_while_a_transaction_commits_go_into_the_next_one(db):
    writer = GroupCommit(db)
    order = []

    async def main():
        async def later(name):
            await asyncio.sleep(0)
            order.append(name)
            return await writer.write(_writes(db, [name])[0])

        first = asyncio.ensure_future(writer.write(_writes(db, ["first"])[0]))
        await asyncio.gather(first, later("x"), later("y"))

    asyncio.run(main())
    assert order == ["x", "y"] and writer.transactions == 2


def test_when_the_database_is_locked_every_write_gets_the_error_and_nothing_is_stored(db, db_path):
    writer = GroupCommit(db)
    blocker = open_db(db_path)
    blocker.execute("PRAGMA busy_timeout = 0")
    db.execute("PRAGMA busy_timeout = 0")
    blocker.execute("BEGIN IMMEDIATE")  # holds the write lock: this batch cannot commit

    async def main():
        return await asyncio.gather(*(writer.write(w) for w in _writes(db, ["a", "b"])), return_exceptions=True)

    try:
        results = asyncio.run(main())
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert all(isinstance(r, sqlite3.OperationalError) for r in results)
    assert db.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == 0
