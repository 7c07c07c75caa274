"""Scheduled jobs: order, skips while running, failures recorded, SIGTERM mid-crawl, stale locks,
missed runs, adaptive polling, status, and `newsdesk schedule` running the demo sources unattended."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from newsdesk.config import FetchSettings, Settings
from newsdesk.fetch.politeness import poll_interval
from newsdesk.sample.server import serve_sample
from newsdesk.schedule.lock import lock_path
from newsdesk.schedule.runner import run_job
from newsdesk.schedule.service import Service
from newsdesk.schedule.triggers import Schedule, missed
from newsdesk.store import open_db
from newsdesk.store.runs import runs_of, start_run
from pipelines.demo import ensure_sample_sources
from pipelines.jobs import crawl_job
from tests.feedserver import FeedServer, Route

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
LOCAL = Settings().replace("fetch", allow_private_networks=True)


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def _every(seconds: float, job: str) -> Schedule:
    return Schedule(job, f"every {seconds}s", IntervalTrigger(seconds=seconds))


def _outcomes(db_path: Path, job: str) -> list[str]:
    return [r["outcome"] for r in reversed(runs_of(open_db(db_path), job))]


def test_the_crawl_job_crawls_then_enriches_then_clusters_and_later_runs_respect_polling(db_path, tmp_path):
    from newsdesk.clock import to_iso
    from newsdesk.store.watches import Watch, add_watch
    from tests.local_servers import webhook_receiver

    db = open_db(db_path)
    feeds = tmp_path / "feeds"
    with serve_sample(datetime.now(UTC), port=0) as base, webhook_receiver() as hook:
        ensure_sample_sources(db, base)
        add_watch(db, Watch("labour", themes=("labour",), webhooks=(hook.url,),
                            since=to_iso(datetime.now(UTC) - timedelta(days=30)), created_at=to_iso(datetime.now(UTC))))
        settings = LOCAL.replace("feeds", out_dir=str(feeds))
        service = Service(settings, {"crawl": crawl_job}, [_every(2.5, "crawl")])
        service.start()
        try:
            _wait_for(lambda: _outcomes(db_path, "crawl").count("ok") >= 2, 120, "two crawl runs")
        finally:
            service.stop()
    first, second = [r for r in reversed(runs_of(db, "crawl")) if r["outcome"] == "ok"][:2]
    assert first["trigger"] == "catch-up" and second["trigger"] == "schedule"  # a first start runs the crawl at once
    assert first["counts"]["alerts_sent"] == 1 and second["counts"]["alerts_sent"] == 0  # then the watch's digest
    assert len(hook.bodies) == 1 and hook.bodies[0]["watch"] == "labour"
    assert (feeds / "watch-labour.atom").is_file() and first["counts"]["feeds_written"] == 10
    assert first["counts"]["views_warmed"] == 10  # the dashboard's default views, ready for its next visitor
    assert first["counts"]["sources"] == 9 and first["counts"]["new"] >= 400
    articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert first["counts"]["enriched"] == articles  # enrich ran after the crawl, on everything it stored
    assert first["counts"]["assigned"] == db.execute("SELECT COUNT(*) FROM article_stories").fetchone()[0] > 0
    assert first["finished_at"] <= second["started_at"]
    # the second run finds nothing due: each source waits as long as its pace of publishing says
    assert second["counts"]["sources"] == 0 and second["counts"]["not_due"] == 9
    for source_id, wait, last_fetched in db.execute(
            "SELECT id, (julianday(next_fetch_at) - julianday(last_fetched_at)) * 1440, last_fetched_at FROM sources"):
        week_before = (datetime.fromisoformat(last_fetched) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
        pace = db.execute("SELECT COUNT(*) FROM articles WHERE source_id = ? AND published_at >= ?",
                          [source_id, week_before]).fetchone()[0]
        assert abs(wait - poll_interval(pace, FetchSettings()).total_seconds() / 60) < 0.1


def test_a_trigger_that_fires_while_the_job_runs_is_skipped_and_recorded(db_path):
    release = threading.Event()

    def slow(settings, db, stop):
        release.wait(10)
        return {"done": 1}

    service = Service(Settings(), {"slow": slow}, [_every(0.3, "slow")])
    service.start()
    try:
        _wait_for(lambda: "skipped" in _outcomes(db_path, "slow"), 10, "a skipped trigger")
        release.set()
        _wait_for(lambda: "ok" in _outcomes(db_path, "slow"), 10, "the slow run to end")
    finally:
        release.set()
        service.stop()
    rows = runs_of(open_db(db_path), "slow")
    skipped = [r for r in rows if r["outcome"] == "skipped"]
    assert skipped and all(r["error"] == f"slow was already running (pid {os.getpid()})" for r in skipped)
    first_ok = min((r for r in rows if r["outcome"] == "ok"), key=lambda r: r["id"])
    assert any(first_ok["started_at"] <= r["started_at"] <= first_ok["finished_at"] for r in skipped)


def test_a_job_that_raises_is_recorded_and_the_scheduler_goes_on(db_path):
    ticks = []

    def boom(settings, db, stop):
        raise RuntimeError("kaput")

    def tick(settings, db, stop):
        ticks.append(1)
        return {"ticks": len(ticks)}

    service = Service(Settings(), {"boom": boom, "tick": tick}, [_every(0.3, "boom"), _every(0.3, "tick")])
    service.start()
    try:
        _wait_for(lambda: _outcomes(db_path, "boom").count("error") >= 3 and len(ticks) >= 3, 15, "runs")
    finally:
        service.stop()
    errors = [r for r in runs_of(open_db(db_path), "boom") if r["outcome"] == "error"]
    assert {r["error"] for r in errors} == {"RuntimeError: kaput"} and all(r["finished_at"] for r in errors)
    assert set(_outcomes(db_path, "tick")) == {"ok"}


def _slow_feed(n: int) -> bytes:
    items = "".join(f"<item><title>Feed {n} story {i} about AI dubbing</title><link>http://127.0.0.1/{n}/{i}</link>"
                    f"<guid>{n}-{i}</guid><description>Text {i}.</description></item>" for i in range(10))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F{n}</title>{items}</channel></rss>'.encode()


def test_sigterm_during_a_crawl_stores_whole_sources_only_and_the_next_run_completes(db_path, tmp_path):
    config = tmp_path / "newsdesk.toml"
    config.write_text("[fetch]\nallow_private_networks = true\nper_host_concurrency = 2\n")
    env = {**os.environ, "NEWSDESK_CONFIG": str(config), "NEWSDESK_DB": str(db_path)}
    with FeedServer() as server:
        for n in range(8):
            server.routes[f"/feed{n}.xml"] = Route(_slow_feed(n), headers={"Content-Type": "application/rss+xml"},
                                                  delay=1.5)
        db = open_db(db_path)
        for n in range(8):
            db["sources"].insert({"url": server.url(f"/feed{n}.xml"), "name": f"F{n}", "added_at": "2026-01-01"})
        db.close()
        log = tmp_path / "crawl.log"
        with log.open("w") as sink:  # a file, not a pipe nobody reads while the process runs
            crawl = subprocess.Popen([NEWSDESK, "run", "crawl"], env=env, stdout=sink, stderr=subprocess.STDOUT)
            _wait_for(lambda: len(server.hits) >= 2, 60, "the crawl's first requests")
            crawl.send_signal(signal.SIGTERM)
            crawl.wait(timeout=60)
        output = log.read_text()
        assert crawl.returncode == 0, output
        assert "SIGTERM: finishing the current step" in output and "crawl interrupted" in output
        db = open_db(db_path)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_source = dict(db.execute("SELECT source_id, COUNT(*) FROM articles GROUP BY source_id").fetchall())
        assert per_source and set(per_source.values()) == {10}  # whole feeds, never half of one
        assert len(per_source) < 8
        assert db.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0] == sum(per_source.values())
        fetched = {row[0] for row in db.execute("SELECT source_id FROM fetches")}
        assert fetched == set(per_source)  # abandoned sources left no trace and stay due
        (interrupted,) = runs_of(db, "crawl")
        assert interrupted["outcome"] == "interrupted" and interrupted["counts"]["abandoned"] == 8 - len(per_source)
        db.close()
        result = subprocess.run([NEWSDESK, "run", "crawl", "--json"], env=env, capture_output=True, text=True,
                                timeout=180)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["outcome"] == "ok" and report["counts"]["new"] == 10 * (8 - len(per_source))
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 80
    assert db.execute("SELECT COUNT(*) FROM enrichments").fetchone()[0] == 80  # the enrich step caught up


def test_a_lock_left_by_a_killed_process_does_not_block_the_next_run(db_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from newsdesk.schedule.lock import JobLock\n"
         f"with JobLock(Path({str(lock_path(db_path, 'tick'))!r})) as lock:\n"
         "    print('locked' if lock.acquired else 'not locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    db = open_db(db_path)
    start_run(db, "tick", trigger="schedule", pid=holder.pid, at="2026-11-24T00:00:00Z")

    def tick(settings, db, stop):
        return {"ticked": 1}

    busy = run_job("tick", tick, Settings())
    assert busy.outcome == "skipped" and busy.error == f"tick was already running (pid {holder.pid})"
    holder.kill()
    holder.wait()
    assert run_job("tick", tick, Settings()).outcome == "ok"
    rows = runs_of(db, "tick")
    assert [r["outcome"] for r in reversed(rows)] == ["interrupted", "skipped", "ok"]
    assert rows[-1]["error"] == "the process stopped before the run finished"


def test_missed_fire_times_are_coalesced_into_one_catch_up_run():
    weekly = CronTrigger.from_crontab("0 7 * * mon", timezone=UTC)
    monday = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert not missed("briefing", weekly, monday, monday + timedelta(days=6))  # ran last Monday: nothing missed
    assert missed("briefing", weekly, monday, monday + timedelta(days=7, minutes=1))  # next Monday passed
    assert missed("briefing", weekly, monday - timedelta(weeks=3), monday + timedelta(hours=1))  # 3 missed -> 1 run
    assert not missed("briefing", weekly, None, monday)  # a briefing never run waits for Monday
    assert missed("crawl", CronTrigger.from_crontab("*/30 * * * *", timezone=UTC), None, monday)


def test_poll_interval_follows_the_pace_of_publishing():
    fetch = FetchSettings()
    assert poll_interval(300, fetch) == timedelta(minutes=7 * 24 * 60 / 300)
    assert poll_interval(10_000, fetch) == timedelta(minutes=15)
    assert poll_interval(1, fetch) == poll_interval(0, fetch) == timedelta(minutes=1440)


def test_run_and_status_from_the_command_line(db_path, runner):
    from newsdesk.cli import cli

    result = runner.invoke(cli, ["run", "briefing", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["outcome"] == "ok"
    db = open_db(db_path)
    db["sources"].insert({"url": "https://feeds.example/rss", "name": "Parked", "added_at": "2026-01-01",
                          "error_streak": 3, "parked_at": "2026-11-01T00:00:00Z", "last_error": "HTTP 500"})
    report = json.loads(runner.invoke(cli, ["status", "--json"]).output)
    jobs = {j["job"]: j for j in report["jobs"]}
    assert jobs["briefing"]["last_run"]["outcome"] == "ok" and jobs["briefing"]["next_run"]
    assert jobs["crawl"]["last_run"] is None and jobs["crawl"]["schedule"] == "*/30 * * * *"
    assert jobs["retrain"]["schedule"] is None and jobs["retrain"]["next_run"] is None
    assert [s["name"] for s in report["unhealthy_sources"]] == ["Parked"] and report["healthy"] is False
    assert [(r["job"], r["trigger"], r["outcome"]) for r in report["recent_runs"]] == [("briefing", "manual", "ok")]
    text = runner.invoke(cli, ["status"]).output
    assert "briefing" in text and "Sources that need attention" in text and "HTTP 500" in text
    bad = runner.invoke(cli, ["run", "nothing"])
    assert bad.exit_code == 2 and "crawl" in bad.output


def test_newsdesk_schedule_runs_the_demo_sources_unattended_and_stops_on_sigterm(db_path, tmp_path):
    config = tmp_path / "newsdesk.toml"
    config.write_text('[fetch]\nallow_private_networks = true\n[schedule]\ncrawl = "*/30 * * * *"\n')
    env = {**os.environ, "NEWSDESK_CONFIG": str(config), "NEWSDESK_DB": str(db_path)}
    with serve_sample(datetime.now(UTC), port=0) as base:
        ensure_sample_sources(open_db(db_path), base)
        log = tmp_path / "schedule.log"
        with log.open("w") as sink:
            service = subprocess.Popen([NEWSDESK, "schedule"], env=env, stdout=sink, stderr=subprocess.STDOUT)
            try:
                _wait_for(lambda: "ok" in _outcomes(db_path, "crawl"), 100, "the first crawl")
                status = subprocess.run([NEWSDESK, "status", "--json"], env=env, capture_output=True, text=True)
                jobs = {j["job"]: j for j in json.loads(status.stdout)["jobs"]}
                assert jobs["crawl"]["last_run"]["outcome"] == "ok" and jobs["briefing"]["next_run"]
            finally:
                service.send_signal(signal.SIGTERM)
                service.wait(timeout=60)
        output = log.read_text()
    assert service.returncode == 0, output
    assert "crawl scheduled '*/30 * * * *'" in output and "crawl ok in" in output
    assert "SIGTERM received" in output and "newsdesk schedule stopped" in output
    db = open_db(db_path)
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= 400
    assert db.execute("SELECT COUNT(*) FROM stories").fetchone()[0] > 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
