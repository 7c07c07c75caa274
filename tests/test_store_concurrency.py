"""Several processes writing through newsdesk's own write paths at once: none sees "database is locked"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from newsdesk.store import open_db
from newsdesk.store.enrichments import add_label, remove_label
from newsdesk.store.sources import add_source, update_source

WRITERS = 4
WRITES = 250
REPO = Path(__file__).resolve().parents[1]


def writer_main(path: str, number: int, article_id: str, source_id: int) -> None:
    """One writer process: WRITES writes, each failure printed as a line (the test counts them)."""
    db = open_db(path)
    for i in range(WRITES):
        try:
            if i % 2:
                add_label(db, article_id, "sentiment", "neutral", who=f"writer-{number}",
                          at=f"2026-11-30T00:{i // 60:02d}:{i % 60:02d}Z")
            else:  # a read inside the transaction, then a write: the pattern a deferred BEGIN cannot upgrade
                with db.atomic():
                    streak = db.execute("SELECT error_streak FROM sources WHERE id = ?", [source_id]).fetchone()[0]
                    update_source(db, source_id, error_streak=streak + 1)
                    for row in db.execute("SELECT id FROM labels WHERE who = ? LIMIT 1", [f"writer-{number}"]):
                        remove_label(db, row[0])
        except Exception as exc:  # noqa: BLE001 (counted and reported by the test)
            print(f"writer {number}, write {i}: {type(exc).__name__}: {exc}", flush=True)
    db.close()


def test_four_writer_processes_never_see_database_is_locked(db, db_path: Path):
    source = add_source(db, "https://feeds.example/one.xml")
    db["articles"].insert({"id": "a1", "source_id": source.id, "guid": "g", "url": "https://x.example/1",
                           "canonical_url": "https://x.example/1", "title": "t", "summary": "", "content": "",
                           "published_at": "2026-11-30T00:00:00Z", "fetched_at": "2026-11-30T00:00:00Z",
                           "content_hash": "h"}, alter=False)
    code = "import sys; from tests.test_store_concurrency import writer_main; " \
           "writer_main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))"
    processes = [subprocess.Popen([sys.executable, "-c", code, str(db_path), str(n), "a1", str(source.id)],
                                  cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for n in range(WRITERS)]
    try:
        outputs = [p.communicate(timeout=300)[0] for p in processes]
    finally:
        for p in processes:
            p.kill()
    assert [p.returncode for p in processes] == [0] * WRITERS, outputs
    failures = [line for output in outputs for line in output.splitlines() if line.strip()]
    assert failures == [], failures[:5]
    streak = db.execute("SELECT error_streak FROM sources WHERE id = ?", [source.id]).fetchone()[0]
    assert streak == WRITERS * WRITES // 2  # every read-then-write counted once: none lost, none failed
