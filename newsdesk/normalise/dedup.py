"""Stable identifiers, so that storing an item twice is an update, not a copy."""

from __future__ import annotations

import hashlib


def article_id(source_id: int, guid_key: str) -> str:
    """A short stable id from the source and the item's guid (or its fallback key)."""
    return _digest(f"{source_id}\n{guid_key}")


def content_hash(*parts: str) -> str:
    """A fingerprint of the text, to tell a changed item from an unchanged one."""
    return _digest("\n\x1f".join(parts))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
