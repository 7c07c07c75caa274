"""SIGKILL `newsdesk crawl` at random moments: the file stays sound, every source is stored whole or
not at all, and the next crawl stores every item exactly once."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.store import open_db
from tests.feedserver import FeedServer, Route

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
FEEDS, ITEMS, KILLS = 12, 15, 50


def _feed(n: int) -> bytes:
    items = "".join(f"<item><title>Feed {n} story {i}: studio tests AI dubbing</title>"
                    f"<link>http://127.0.0.1/{n}/{i}</link><guid>{n}-{i}</guid>"
                    f"<description>{'Performers and studios talk. ' * 20}{i}</description></item>" for i in range(ITEMS))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F{n}</title>{items}</channel></rss>'.encode()


def _processes_using(marker: str) -> list[int]:
    """Live processes whose environment mentions ``marker`` (this test's folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            environment = (proc / "environ").read_bytes()
            state = next((line for line in (proc / "status").read_text().splitlines() if line.startswith("State:")),
                         "")
        except OSError:
            continue  # gone, or not ours to read
        if marker.encode() in environment and "zombie" not in state:
            found.append(int(proc.name))
    return found


def _check_whole_sources(path: Path) -> dict[int, int]:
    db = open_db(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_source = dict(db.execute("SELECT source_id, COUNT(*) FROM articles GROUP BY source_id").fetchall())
        assert set(per_source.values()) <= {ITEMS}, per_source  # never half a feed
        fetched = {row[0] for row in db.execute("SELECT DISTINCT source_id FROM fetches")}
        assert fetched == set(per_source)  # a fetch row exactly where the articles are
        return per_source
    finally:
        db.close()


@pytest.mark.timeout(900)
def test_sigkill_at_fifty_random_moments_never_leaves_half_a_source(tmp_path):
    rng = random.Random(2026)
    config = tmp_path / "newsdesk.toml"
    config.write_text("[fetch]\nallow_private_networks = true\nper_host_concurrency = 3\n")
    template = tmp_path / "template.db"
    outcomes = {"none": 0, "some": 0, "all": 0}
    with FeedServer() as server:
        for n in range(FEEDS):
            server.routes[f"/feed{n}.xml"] = Route(_feed(n), headers={"Content-Type": "application/rss+xml"},
                                                  delay=rng.uniform(0.0, 0.4))
        db = open_db(template)
        for n in range(FEEDS):
            db["sources"].insert({"url": server.url(f"/feed{n}.xml"), "name": f"F{n}", "added_at": "2026-01-01"})
        db.close()
        for kill in range(KILLS):
            path = tmp_path / f"run-{kill}.db"
            shutil.copy(template, path)
            env = {**os.environ, "NEWSDESK_CONFIG": str(config), "NEWSDESK_DB": str(path)}
            crawl = subprocess.Popen([NEWSDESK, "crawl", "--force", "--json"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(rng.uniform(0.2, 1.6))  # start-up takes about 0.7 s; the crawl about as long
            finally:
                crawl.send_signal(signal.SIGKILL)
                crawl.wait(timeout=60)
            stored = _check_whole_sources(path)
            outcomes["none" if not stored else "all" if len(stored) == FEEDS else "some"] += 1
            if kill % 10 == 9 or kill == KILLS - 1:  # the next crawl completes what the killed one left
                done = subprocess.run([NEWSDESK, "crawl", "--force", "--json"], env=env, capture_output=True,
                                      text=True, timeout=300)
                assert done.returncode == 0, done.stderr
                assert _check_whole_sources(path) == dict.fromkeys(range(1, FEEDS + 1), ITEMS), done.stdout[-3000:]
                db = open_db(path)
                assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == FEEDS * ITEMS  # exactly once
                db.close()
            os.unlink(path)
    assert outcomes["some"] > 0, outcomes  # some kills landed mid-crawl, which is what this test is about
    deadline = time.monotonic() + 30
    while _processes_using(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _processes_using(str(tmp_path)) == []  # no parser process outlives its killed crawl
