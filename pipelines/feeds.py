"""The feeds-out job: an Atom and a JSON Feed file per watch and per theme, written atomically."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from sqlite_utils import Database

from newsdesk.clock import to_iso, utc_now
from newsdesk.config import Settings
from newsdesk.models import BUILTIN_THEMES
from newsdesk.present.feeds_out import atom_feed, json_feed
from newsdesk.store.watches import Watch, list_watches, matching_articles

NEWEST = 50


def slug(name: str) -> str:
    """A file-name-safe form of a watch or theme name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed"


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)  # a reader sees the old file or the new one, never half of one


def write_feeds(settings: Settings, db: Database, folder: Path) -> list[Path]:
    """Write watch-NAME.atom/.json for every watch and theme-NAME.atom/.json for every theme; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    updated = to_iso(utc_now())
    sources = [(f"watch-{slug(w.name)}", f"newsdesk watch: {w.name}", w) for w in list_watches(db)]
    themes = BUILTIN_THEMES + tuple(t.name for t in settings.themes)
    sources += [(f"theme-{slug(t)}", f"newsdesk: {t}", Watch(t, themes=(t,))) for t in themes]
    written = []
    for stem, title, watch in sources:
        items = matching_articles(db, replace(watch, since=""), unseen_only=False, limit=NEWEST)  # not only since its start
        for suffix, text in ((".atom", atom_feed(title, f"urn:newsdesk:feed:{stem}", items, updated=updated)),
                             (".json", json_feed(title, items))):
            path = folder / f"{stem}{suffix}"
            _write_atomically(path, text)
            written.append(path)
    return written
