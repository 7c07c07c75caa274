"""A new watch from what a user typed (CLI or dashboard): names checked against what newsdesk knows,
entities found by id or name, webhook URLs and email addresses checked; a clear error otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlite_utils import Database

from newsdesk.analyse.events import EVENT_TYPES
from newsdesk.clock import to_iso
from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.fetch.guard import check_scheme
from newsdesk.models import BUILTIN_THEMES, INDUSTRY_SEGMENTS, STAKEHOLDERS
from newsdesk.store.watches import Watch, WatchError


def _checked(kind: str, given: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    by_lower = {k.lower(): k for k in known}
    unknown = [g for g in given if g.strip().lower() not in by_lower]
    if unknown:
        raise WatchError(f"watch: unknown {kind} {', '.join(map(repr, unknown))} (one of {', '.join(known)})")
    return tuple(by_lower[g.strip().lower()] for g in given)


def _entity_ids(db: Database, given: Sequence[str]) -> tuple[str, ...]:
    ids = []
    for value in given:
        row = db.execute("SELECT id FROM entities WHERE id = ? OR lower(name) = lower(?) ORDER BY id = ? DESC LIMIT 1",
                         [value, value, value]).fetchone()
        if row is None:
            raise WatchError(f"watch: no entity {value!r} (ids look like org:runway; see the Entities page)")
        ids.append(row[0])
    return tuple(ids)


def new_watch(db: Database, settings: Settings, name: str, *, now: datetime, query: str = "",
              themes: Sequence[str] = (), entities: Sequence[str] = (), segments: Sequence[str] = (),
              event_types: Sequence[str] = (), min_outlets: int = 0, spike: bool = False,
              emails: Sequence[str] = (), webhooks: Sequence[str] = (), backfill_days: int = 0) -> Watch:
    """The watch these fields describe, checked (not yet stored)."""
    emails = [e.strip() for e in emails if e.strip()]
    webhooks = [w.strip() for w in webhooks if w.strip()]
    bad = [e for e in emails if "@" not in e or " " in e]
    if bad:
        raise WatchError(f"watch: not an email address: {', '.join(map(repr, bad))}")
    for url in webhooks:
        try:
            check_scheme(url)
        except NewsdeskError as exc:
            raise WatchError(f"watch: webhook {url!r}: only http and https URLs are sent to") from exc
    if min_outlets < 0 or backfill_days < 0:
        raise WatchError("watch: --min-outlets and --backfill-days cannot be negative")
    return Watch(name.strip(), query=query.strip(),
                 themes=_checked("theme", themes, BUILTIN_THEMES + tuple(t.name for t in settings.themes)),
                 entities=_entity_ids(db, entities), segments=_checked("segment", segments,
                                                                        INDUSTRY_SEGMENTS + STAKEHOLDERS),
                 event_types=_checked("event type", event_types, EVENT_TYPES[:-1]), min_outlets=min_outlets,
                 spike=spike, emails=tuple(emails), webhooks=tuple(webhooks),
                 since=to_iso(now - timedelta(days=backfill_days)), created_at=to_iso(now))
