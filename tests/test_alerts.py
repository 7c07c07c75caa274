"""Watchlists, alerts and feeds out on the demo database, over loopback only: an SMTP server (aiosmtpd)
and a webhook receiver on 127.0.0.1 get one digest per watch and run, never an article twice, a
failing receiver gets it once after retries, a crash repeats at most the message in flight, spikes
fire once a day, hostile feed text stays inert, and the feeds out parse."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import feedparser
import pytest

import pipelines.alerts
from newsdesk.analyse.spikes import spike_of
from newsdesk.cli import cli
from newsdesk.clock import to_iso
from newsdesk.config import Settings
from newsdesk.store import open_db
from newsdesk.store.watches import Watch, add_watch, list_watches, matching_articles
from pipelines.alerts import run_alerts
from pipelines.feeds import write_feeds
from tests.local_servers import smtp_inbox, webhook_receiver
from tests.stored_articles import add_relevant_article

NOW = datetime.now(UTC).replace(microsecond=0)
HOSTILE = "<script>alert(1)</script> <!channel> Studio & union sue <https://evil.example|click> over AI"


def _settings(smtp_port: int = 0) -> Settings:
    return (Settings().replace("fetch", allow_private_networks=True, timeout=10.0)  # the receiver is on loopback
            .replace("email", host="127.0.0.1", port=smtp_port, security="none", sender="newsdesk@example.org"))


def _watch(name: str, *, days: int = 30, **conditions) -> Watch:
    return Watch(name, since=to_iso(NOW - timedelta(days=days)), created_at=to_iso(NOW), **conditions)


def test_one_digest_per_watch_and_run_by_email_and_webhook_and_never_an_article_twice(demo_db):
    db = open_db(demo_db)
    with smtp_inbox() as (inbox, port), webhook_receiver() as hook:
        add_watch(db, _watch("suits", event_types=("lawsuit filed",), emails=("analyst@example.org",)))
        add_watch(db, _watch("labour", themes=("labour",), webhooks=(hook.url,)))
        first = run_alerts(_settings(port), db, now=NOW)
        assert (first.digests, first.sent, first.failed) == (2, 2, 0)
        (recipients, message), = inbox.messages
        assert recipients == ["analyst@example.org"] and "'suits'" in message["Subject"]
        html = message.get_body(("html",)).get_content()
        plain = message.get_body(("plain",)).get_content()
        suits = matching_articles(db, db_watch(db, "suits"), unseen_only=False)
        assert suits and all(item["title"] in plain for item in suits)
        assert "<h3>" in html
        (body,) = hook.bodies
        assert body["watch"] == "labour" and body["text"].startswith("newsdesk: ")
        sent_ids = [a["id"] for story in body["stories"] for a in story["articles"]]
        assert len(sent_ids) == len(set(sent_ids)) > 0
        again = run_alerts(_settings(port), db, now=NOW)
        assert (again.digests, again.sent) == (0, 0) and len(inbox.messages) == 1 and len(hook.bodies) == 1
        new_id = add_relevant_article(db, "Union members walk out over AI dubbing", themes=("labour",), when=NOW)
        third = run_alerts(_settings(port), db, now=NOW)
        assert third.sent == 1 and len(hook.bodies) == 2
        assert [a["id"] for s in hook.bodies[1]["stories"] for a in s["articles"]] == [new_id]


def db_watch(db, name: str) -> Watch:
    return next(w for w in list_watches(db) if w.name == name)


def test_a_failing_receiver_gets_the_digest_once_after_retries_with_backoff(demo_db):
    db = open_db(demo_db)
    with webhook_receiver(fail_first=2) as hook:
        add_watch(db, _watch("labour", themes=("labour",), webhooks=(hook.url,)))
        first = run_alerts(_settings(), db, now=NOW)
        assert (first.sent, first.failed) == (0, 1) and "HTTP 500" in first.errors[0]
        assert run_alerts(_settings(), db, now=NOW + timedelta(seconds=30)).sent == 0  # backing off: not due yet
        status = open_db(demo_db).execute("SELECT attempts, status FROM alert_outbox").fetchone()
        assert tuple(status) == (1, "pending")
        second = run_alerts(_settings(), db, now=NOW + timedelta(minutes=3))
        third = run_alerts(_settings(), db, now=NOW + timedelta(minutes=10))
        assert (second.failed, third.sent) == (1, 1)
        assert hook.attempts == 3 and len(hook.bodies) == 1
        assert run_alerts(_settings(), db, now=NOW + timedelta(hours=1)).sent == 0


def test_a_crash_between_sending_and_marking_repeats_only_the_message_in_flight(demo_db, monkeypatch):
    db = open_db(demo_db)
    with webhook_receiver() as hook:
        add_watch(db, _watch("a-labour", themes=("labour",), webhooks=(hook.url,)))
        add_watch(db, _watch("b-legal", themes=("legal",), webhooks=(hook.url,)))

        def crash(*args, **kwargs):
            raise KeyboardInterrupt("killed after sending, before marking")

        monkeypatch.setattr(pipelines.alerts, "mark_sent", crash)
        with pytest.raises(KeyboardInterrupt):
            run_alerts(_settings(), db, now=NOW)
        assert [b["watch"] for b in hook.bodies] == ["a-labour"]
        monkeypatch.undo()
        report = run_alerts(_settings(), db, now=NOW)
        assert report.digests == 0  # nothing new was recorded: the articles were marked seen with the outbox
        assert Counter(b["watch"] for b in hook.bodies) == {"a-labour": 2, "b-legal": 1}
        assert run_alerts(_settings(), db, now=NOW).sent == 0


def test_hostile_feed_text_arrives_escaped_in_email_html_and_webhook_json(demo_db):
    db = open_db(demo_db)
    add_relevant_article(db, HOSTILE, themes=("legal",), when=NOW)
    with smtp_inbox() as (inbox, port), webhook_receiver() as hook:
        add_watch(db, _watch("hostile", query="studio union sue", emails=("a@example.org",), webhooks=(hook.url,)))
        assert run_alerts(_settings(port), db, now=NOW).sent == 2
        html = inbox.messages[0][1].get_body(("html",)).get_content()
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<!channel>" not in html
        (body,) = hook.bodies
        assert "<script>" not in body["text"] and "<!channel>" not in body["text"]
        assert "&lt;!channel&gt;" in body["text"] and "<https://evil.example|" not in body["text"]
        titles = [a["title"] for s in body["stories"] for a in s["articles"]]
        assert titles == [HOSTILE]  # the structured items keep the text as it was, as JSON data


def test_webhooks_to_private_addresses_are_refused_unless_allowed(demo_db):
    db = open_db(demo_db)
    with webhook_receiver() as hook:
        add_watch(db, _watch("labour", themes=("labour",), webhooks=(hook.url,)))
        report = run_alerts(Settings(), db, now=NOW)  # allow_private_networks is off by default
        assert report.sent == 0 and report.failed == 1 and "127.0.0.1 (loopback)" in report.errors[0]
        assert hook.attempts == 0  # refused before any connection
        status = json.loads(_cli(demo_db, ["status", "--json"]).output)
        assert status["alerts"]["retrying"] == 1 and not status["healthy"]


def test_a_spike_is_found_against_the_days_before_and_fires_once_a_day(demo_db):
    quiet = {(datetime(2026, 11, 16) + timedelta(days=n)).date().isoformat(): 1 for n in range(14)}
    assert spike_of({**quiet, "2026-11-30": 6}, "2026-11-30").fired
    assert not spike_of({**quiet, "2026-11-30": 2}, "2026-11-30").fired  # below the minimum count
    busy = {day: 6 for day in quiet}
    assert not spike_of({**busy, "2026-11-30": 7}, "2026-11-30").fired  # usual for this watch
    db = open_db(demo_db)
    for n in range(5):
        add_relevant_article(db, f"Zebracorn studio story number {n}", guid=f"zebra-{n}", when=NOW)
    with webhook_receiver() as hook:
        add_watch(db, _watch("zebracorn", query="zebracorn", spike=True, webhooks=(hook.url,)))
        assert run_alerts(_settings(), db, now=NOW).spikes == 1
        assert run_alerts(_settings(), db, now=NOW + timedelta(hours=2)).spikes == 0  # once a day
        spikes = [b for b in hook.bodies if b["kind"] == "spike"]
        assert len(spikes) == 1 and spikes[0]["spike"]["count"] == 5 and spikes[0]["spike"]["z"] >= 3


def test_feeds_out_parse_as_atom_and_json_feed_with_stable_ids(demo_db, tmp_path):
    db = open_db(demo_db)
    add_relevant_article(db, HOSTILE, themes=("legal",), when=NOW)
    add_watch(db, _watch("runway", entities=("org:runway",)))
    written = write_feeds(Settings(), db, tmp_path)
    names = {p.name for p in written}
    assert {"watch-runway.atom", "watch-runway.json", "theme-legal.atom", "theme-labour.json"} <= names
    assert not list(tmp_path.glob(".*partial"))  # written whole, then renamed
    legal = feedparser.parse(str(tmp_path / "theme-legal.atom"))
    assert not legal.bozo and 0 < len(legal.entries) <= 50
    assert legal.entries[0].title == HOSTILE  # newest first, the text exactly as it was, escaped in the XML
    assert "<script>" not in (tmp_path / "theme-legal.atom").read_text()
    runway = json.loads((tmp_path / "watch-runway.json").read_text())
    assert runway["version"] == "https://jsonfeed.org/version/1.1" and runway["items"]
    assert all(i["id"].startswith("urn:newsdesk:article:") and i["url"].startswith("http") for i in runway["items"])
    again = write_feeds(Settings(), db, tmp_path)
    assert json.loads((tmp_path / "watch-runway.json").read_text())["items"] == runway["items"] and len(again) == len(written)


def _cli(db_path, args):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, args, obj={}, env={"NEWSDESK_DB": str(db_path), "COLUMNS": "200"})


def test_watch_commands_add_list_show_remove_and_explain_mistakes(demo_db):
    added = _cli(demo_db, ["watch", "add", "runway", "--entity", "Runway", "--theme", "Legal",
                           "--event-type", "lawsuit filed", "--webhook", "https://hooks.example/x", "--backfill-days", "60"])
    assert added.exit_code == 0, added.output
    assert "entities org:runway" in added.output and "themes legal" in added.output
    listed = json.loads(_cli(demo_db, ["watch", "list", "--json"]).output)
    assert listed[0]["name"] == "runway" and listed[0]["webhooks"] == ["https://hooks.example/x"]
    assert _cli(demo_db, ["watch", "add", "runway-all", "--entity", "org:runway"]).exit_code == 0
    shown = _cli(demo_db, ["watch", "show", "runway-all"])
    assert shown.exit_code == 0 and "Runway" in shown.output.split("\n", 1)[1]  # matches, not just the name
    assert _cli(demo_db, ["watch", "remove", "runway-all"]).exit_code == 0
    for bad, message in ((["watch", "add", "x", "--theme", "nope"], "unknown theme 'nope'"),
                         (["watch", "add", "x", "--entity", "Nobody"], "no entity 'Nobody'"),
                         (["watch", "add", "x", "--webhook", "ftp://x"], "only http and https"),
                         (["watch", "add", "x", "--email", "not-an-address"], "not an email address"),
                         (["watch", "add", "runway"], "exists already"),
                         (["watch", "show", "nope"], "no watch called 'nope'")):
        result = _cli(demo_db, bad)
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert _cli(demo_db, ["watch", "remove", "runway"]).exit_code == 0
    assert json.loads(_cli(demo_db, ["watch", "list", "--json"]).output) == []
    assert "--min-outlets" in _cli(demo_db, ["watch", "add", "--help"]).output
