"""The alerts job: for each watch, record a digest of what is new (and a spike when there is one) in
the outbox, then send what is due: email through the briefing's SMTP settings, webhooks through the
guarded HTTP client. A failed send is retried with backoff on later runs, then given up."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from newsdesk.alerts.digest import digest, spike_alert
from newsdesk.analyse.spikes import HISTORY_DAYS, spike_of
from newsdesk.clock import to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.store.watches import (
    Message,
    Watch,
    daily_counts,
    due_messages,
    list_watches,
    mark_failed,
    mark_sent,
    matching_articles,
    record_alert,
    record_spike,
)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=2)
LONGEST_RETRY = timedelta(hours=6)
Sender = Callable[[dict[str, Any]], None]  # sends one outbox message; raises NewsdeskError when it fails


@dataclass
class AlertsReport:
    """What one run did."""

    watches: int = 0
    digests: int = 0
    spikes: int = 0
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    errors: list[str] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """2, 4, 8... minutes after the 1st, 2nd, 3rd... failure, at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _messages(watch: Watch, content: dict[str, Any]) -> list[Message]:
    return ([Message("email", address, content["kind"], content["subject"], content) for address in watch.emails]
            + [Message("webhook", url, content["kind"], content["subject"], content) for url in watch.webhooks])


def record_new_alerts(db: Database, now: datetime) -> AlertsReport:
    """Put each watch's digest of new matches, and its spike of today, in the outbox."""
    report = AlertsReport()
    at = to_iso(now)
    for watch in list_watches(db):
        report.watches += 1
        items = matching_articles(db, watch)
        if items:
            record_alert(db, watch.name, [i["id"] for i in items], _messages(watch, digest(watch, items)), at=at)
            report.digests += 1
        if watch.spike:
            today = now.date()
            counts = daily_counts(db, watch, (today - timedelta(days=HISTORY_DAYS)).isoformat(), today.isoformat())
            spike = spike_of(counts, today.isoformat())
            if spike.fired and record_spike(db, watch.name, spike.day, _messages(watch, spike_alert(watch, spike)),
                                            at=at):
                report.spikes += 1
    return report


def deliver(db: Database, send: dict[str, Sender], now: datetime, report: AlertsReport) -> AlertsReport:
    """Send every due message; mark it sent, or schedule its retry (giving up after MAX_ATTEMPTS)."""
    for message in due_messages(db, to_iso(now)):
        try:
            send[message["channel"]](message)
        except NewsdeskError as exc:
            attempts = message["attempts"] + 1
            retry = None if attempts >= MAX_ATTEMPTS else to_iso(now + retry_delay(attempts))
            mark_failed(db, message["id"], str(exc), retry_at=retry)
            report.failed += 1
            report.gave_up += retry is None
            report.errors.append(f"{message['watch']} -> {message['channel']} {message['target']}: {exc}")
            continue
        mark_sent(db, message["id"], at=to_iso(utc_now()))
        report.sent += 1
    return report


def senders(settings: Settings) -> dict[str, Sender]:
    """Email through [briefing.email]; webhooks through the guarded client, under the fetch limits."""
    from newsdesk.fetch.client import Fetcher
    from newsdesk.present.briefing.mail import build_message, send

    def email(message: dict[str, Any]) -> None:
        payload = message["payload"]
        send(settings.email, build_message(settings.email, subject=message["subject"], text=payload["plain"],
                                           html=payload["html"], to=[message["target"]]))

    def webhook(message: dict[str, Any]) -> None:
        payload = message["payload"]
        body = {key: payload[key] for key in ("text", "kind", "watch", "subject") if key in payload}
        body.update({key: payload[key] for key in ("stories", "spike") if key in payload})

        async def post() -> int:
            async with Fetcher(settings.fetch) as fetcher:
                return await fetcher.post_json(message["target"], body)

        status = asyncio.run(post())
        if not 200 <= status < 300:
            raise NewsdeskError(f"webhook: {message['target']} answered HTTP {status}")

    return {"email": email, "webhook": webhook}


def run_alerts(settings: Settings, db: Database, *, now: datetime | None = None,
               send: dict[str, Sender] | None = None) -> AlertsReport:
    """Record what is new for every watch, then send what is due."""
    now = now or utc_now()
    report = record_new_alerts(db, now)
    return deliver(db, send or senders(settings), now, report)
