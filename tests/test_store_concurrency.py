"""Several processes writing through newsdesk's own write paths at once: none sees "database is locked"."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from newsdesk.store import open_db
from newsdesk.store.enrichments import add_label, remove_label
from newsdesk.store.sources import add_source, update_source

WRITERS = 4
WRITES = 250


def _writer(path: str, number: int, article_id: str, source_id: int, errors) -> None:  # noqa: ANN001
    db = open_db(path)
    for i in range(WRITES):
        try:
            if i % 2:
                add_label(db, article_id, "sentiment", "neutral", who=f"writer-{number}", at=f"2026-11-30T00:00:{i:02d}Z")
            else:  # a read inside the transaction, then a write: the pattern a deferred BEGIN cannot upgrade
                with db.atomic():
                    streak = db.execute("SELECT error_streak FROM sources WHERE id = ?", [source_id]).fetchone()[0]
                    update_source(db, source_id, error_streak=streak + 1)
                    for row in db.execute("SELECT id FROM labels WHERE who = ? LIMIT 1", [f"writer-{number}"]):
                        remove_label(db, row[0])
        except Exception as exc:  # noqa: BLE001 (counted and reported by the test)
            errors.put(f"writer {number}, write {i}: {type(exc).__name__}: {exc}")
    db.close()


def test_four_writer_processes_never_see_database_is_locked(db, db_path: Path):
    source = add_source(db, "https://feeds.example/one.xml")
    db["articles"].insert({"id": "a1", "source_id": source.id, "guid": "g", "url": "https://x.example/1",
                           "canonical_url": "https://x.example/1", "title": "t", "summary": "", "content": "",
                           "published_at": "2026-11-30T00:00:00Z", "fetched_at": "2026-11-30T00:00:00Z",
                           "content_hash": "h"}, alter=False)
    context = multiprocessing.get_context("spawn")
    errors = context.Queue()
    processes = [context.Process(target=_writer, args=(str(db_path), n, "a1", source.id, errors))
                 for n in range(WRITERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert all(p.exitcode == 0 for p in processes)
    assert failures == [], failures[:5]
    streak = db.execute("SELECT error_streak FROM sources WHERE id = ?", [source.id]).fetchone()[0]
    assert streak == WRITERS * WRITES // 2  # every read-then-write counted once: none lost, none failed
