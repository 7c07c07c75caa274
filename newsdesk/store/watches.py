"""The ``watches``, ``watch_seen``, ``watch_spikes`` and ``alert_outbox`` tables.

An alert is recorded before it is sent: the articles it reports are marked seen and its messages
put in the outbox in one transaction, then each message is sent and marked sent. A crash can
therefore repeat at most the message in flight, and never reports an article twice.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlite_utils import Database

from newsdesk.errors import NewsdeskError
from newsdesk.store.search_query import fts_query

MATCH_LIMIT = 200  # articles one digest reports at most; the rest come in the next run


class WatchError(NewsdeskError):
    """A watch cannot be added, found or removed."""


@dataclass(frozen=True)
class Watch:
    """What to watch for (every kind of condition given must hold; within a kind, any value will do)
    and where to send what matches."""

    name: str
    query: str = ""
    themes: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    min_outlets: int = 0
    spike: bool = False
    emails: tuple[str, ...] = ()
    webhooks: tuple[str, ...] = ()
    since: str = ""
    created_at: str = ""
    conditions: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def describe(self) -> str:
        """The conditions in words: 'query "digital replica"; themes legal; 2+ outlets; spikes'."""
        parts = [f"query {self.query}"] if self.query else []
        for label, values in (("themes", self.themes), ("entities", self.entities), ("segments", self.segments),
                              ("event types", self.event_types)):
            if values:
                parts.append(f"{label} {', '.join(values)}")
        if self.min_outlets:
            parts.append(f"{self.min_outlets}+ outlets")
        if self.spike:
            parts.append("spikes")
        return "; ".join(parts) or "every relevant article"


_CONDITIONS = ("query", "themes", "entities", "segments", "event_types", "min_outlets", "spike")


def add_watch(db: Database, watch: Watch) -> Watch:
    """Store a new watch; a name already taken is an error."""
    if not watch.name.strip():
        raise WatchError("watch: a watch needs a name")
    conditions = {key: value for key, value in asdict(watch).items() if key in _CONDITIONS}
    with db.atomic():
        if db.execute("SELECT 1 FROM watches WHERE name = ?", [watch.name]).fetchone():
            raise WatchError(f"watch: {watch.name!r} exists already ('newsdesk watch remove {watch.name}' first)")
        db.execute("INSERT INTO watches (name, conditions, emails, webhooks, since, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   [watch.name, json.dumps(conditions), json.dumps(list(watch.emails)), json.dumps(list(watch.webhooks)),
                    watch.since, watch.created_at])
    return watch


def _watch(row: dict[str, Any]) -> Watch:
    conditions = json.loads(row["conditions"])
    values = {key: tuple(value) if isinstance(value, list) else value for key, value in conditions.items()
              if key in _CONDITIONS}
    return Watch(row["name"], **values, emails=tuple(json.loads(row["emails"])),
                 webhooks=tuple(json.loads(row["webhooks"])), since=row["since"], created_at=row["created_at"],
                 conditions=conditions)


def list_watches(db: Database) -> list[Watch]:
    """Every watch, by name."""
    return [_watch(r) for r in db.query("SELECT * FROM watches ORDER BY name")]


def get_watch(db: Database, name: str) -> Watch:
    """The watch called ``name``, or a clear error listing the watches there are."""
    rows = list(db.query("SELECT * FROM watches WHERE name = ?", [name]))
    if not rows:
        names = [w.name for w in list_watches(db)]
        raise WatchError(f"watch: no watch called {name!r}" + (f" (there are: {', '.join(names)})" if names else
                                                                 " (none yet: 'newsdesk watch add NAME ...')"))
    return _watch(rows[0])


def remove_watch(db: Database, name: str) -> None:
    """Remove a watch with what it has seen; its unsent messages are dropped too."""
    get_watch(db, name)
    with db.atomic():
        for table in ("watch_seen", "watch_spikes"):
            db.execute(f"DELETE FROM {table} WHERE watch = ?", [name])
        db.execute("DELETE FROM alert_outbox WHERE watch = ? AND status = 'pending'", [name])
        db.execute("DELETE FROM watches WHERE name = ?", [name])


def _match_clauses(watch: Watch) -> tuple[list[str], dict[str, Any]]:
    clauses = ["a.duplicate_of IS NULL", "a.published_at >= :since"]
    params: dict[str, Any] = {"since": watch.since, "watch": watch.name}
    query = fts_query(watch.query)
    if query:
        clauses.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :query)")
        params["query"] = query
    for values, table, column, key in ((watch.themes, "article_themes", "theme", "themes"),
                                       (watch.segments, "article_segments", "segment", "segments"),
                                       (watch.entities, "article_entities", "entity_id", "entities")):
        if values:
            clauses.append(f"EXISTS (SELECT 1 FROM {table} x WHERE x.article_id = a.id "
                           f"AND x.{column} IN (SELECT value FROM json_each(:{key})))")
            params[key] = json.dumps(list(values))
    if watch.event_types:
        clauses.append("st.event_type IN (SELECT value FROM json_each(:event_types))")
        params["event_types"] = json.dumps(list(watch.event_types))
    if watch.min_outlets:
        clauses.append("st.outlet_count >= :min_outlets")
        params["min_outlets"] = watch.min_outlets
    return clauses, params


_MATCH_SELECT = """SELECT a.id, a.title, a.url, a.published_at, s.name AS outlet, e.themes, e.sentiment,
                          e.sentiment_score, m.story_id, st.title AS story_title, st.outlet_count, st.event_type
                   FROM articles a JOIN enrichments e ON e.article_id = a.id AND e.relevant = 1
                   JOIN sources s ON s.id = a.source_id
                   LEFT JOIN article_stories m ON m.article_id = a.id LEFT JOIN stories st ON st.id = m.story_id"""


def matching_articles(db: Database, watch: Watch, *, unseen_only: bool = True,
                      limit: int = MATCH_LIMIT) -> list[dict[str, Any]]:
    """Relevant articles published since the watch began that meet all its conditions, oldest first
    (only those not yet alerted about, unless ``unseen_only`` is False: then newest first)."""
    clauses, params = _match_clauses(watch)
    if unseen_only:
        clauses.append("NOT EXISTS (SELECT 1 FROM watch_seen w WHERE w.watch = :watch AND w.article_id = a.id)")
    order = "a.published_at, a.id" if unseen_only else "a.published_at DESC, a.id"
    rows = db.query(f"{_MATCH_SELECT} WHERE {' AND '.join(clauses)} ORDER BY {order} LIMIT :limit",
                    {**params, "limit": limit})
    return [{**r, "themes": json.loads(r["themes"])} for r in rows]


def daily_counts(db: Database, watch: Watch, first_day: str, last_day: str) -> dict[str, int]:
    """Matching articles per publication day in [first_day, last_day] (seen or not; the watch's start ignored)."""
    clauses, params = _match_clauses(watch)
    clauses[1] = "date(a.published_at) BETWEEN :first AND :last"
    rows = db.execute(
        f"""SELECT date(a.published_at), COUNT(*) FROM articles a JOIN enrichments e ON e.article_id = a.id
            AND e.relevant = 1 LEFT JOIN article_stories m ON m.article_id = a.id
            LEFT JOIN stories st ON st.id = m.story_id WHERE {' AND '.join(clauses)} GROUP BY 1""",
        {**params, "first": first_day, "last": last_day})
    return dict(rows.fetchall())


@dataclass(frozen=True)
class Message:
    """One message for the outbox: to whom, about what."""

    channel: str  # email or webhook
    target: str
    kind: str  # digest or spike
    subject: str
    payload: dict[str, Any]


def record_alert(db: Database, watch: str, article_ids: list[str], messages: list[Message], *, at: str) -> None:
    """Mark the articles seen by the watch and put its messages in the outbox, in one transaction."""
    with db.atomic():
        db.conn.executemany("INSERT OR IGNORE INTO watch_seen (watch, article_id) VALUES (?, ?)",
                            [(watch, article_id) for article_id in article_ids])
        _enqueue(db, watch, messages, at)


def record_spike(db: Database, watch: str, day: str, messages: list[Message], *, at: str) -> bool:
    """Record the watch's spike of ``day`` and enqueue its messages, unless that day already had one."""
    with db.atomic():
        if db.execute("SELECT 1 FROM watch_spikes WHERE watch = ? AND day = ?", [watch, day]).fetchone():
            return False
        db.execute("INSERT INTO watch_spikes (watch, day) VALUES (?, ?)", [watch, day])
        _enqueue(db, watch, messages, at)
    return True


def _enqueue(db: Database, watch: str, messages: list[Message], at: str) -> None:
    db.conn.executemany(
        """INSERT INTO alert_outbox (watch, channel, target, kind, subject, payload, created_at, next_attempt_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [(watch, m.channel, m.target, m.kind, m.subject, json.dumps(m.payload), at, at) for m in messages])


def due_messages(db: Database, now: str) -> list[dict[str, Any]]:
    """Pending messages whose (next) attempt is due, oldest first."""
    rows = db.query("SELECT * FROM alert_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id", [now])
    return [{**r, "payload": json.loads(r["payload"])} for r in rows]


def mark_sent(db: Database, message_id: int, *, at: str) -> None:
    """The message went out."""
    with db.atomic():
        db.execute("UPDATE alert_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL "
                   "WHERE id = ?", [at, message_id])


def mark_failed(db: Database, message_id: int, error: str, *, retry_at: str | None) -> None:
    """The attempt failed: try again at ``retry_at``, or give up when it is None."""
    with db.atomic():
        db.execute("""UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?,
                      status = CASE WHEN ? IS NULL THEN 'gave_up' ELSE 'pending' END,
                      next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?""",
                   [error[:500], retry_at, retry_at, message_id])


def outbox_health(db: Database) -> dict[str, Any]:
    """Messages waiting (and how many of those have failed before), given up, and the latest errors."""
    waiting, retrying = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(attempts > 0), 0) FROM alert_outbox WHERE status = 'pending'").fetchone()
    gave_up = db.execute("SELECT COUNT(*) FROM alert_outbox WHERE status = 'gave_up'").fetchone()[0]
    errors = list(db.query(
        """SELECT watch, channel, target, attempts, last_error, next_attempt_at, status FROM alert_outbox
           WHERE last_error IS NOT NULL AND status != 'sent' ORDER BY id DESC LIMIT 5"""))
    return {"waiting": waiting, "retrying": retrying, "gave_up": gave_up, "errors": errors}
