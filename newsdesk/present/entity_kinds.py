"""Entity kinds as a reader says them (the store keeps short codes: ai, games, org...)."""

from __future__ import annotations

KIND_LABELS = {"ai": "AI company", "studio": "studio", "streamer": "streamer", "label": "label", "games": "game company",
               "platform": "platform", "agency": "agency or festival", "union": "union", "person": "person",
               "product": "product", "law": "law", "org": "organisation", "term": "headline word"}


def kind_label(kind: str | None) -> str:
    """'ai' -> 'AI company'; an unknown kind reads as itself."""
    return KIND_LABELS.get(kind or "org", kind or "organisation")
