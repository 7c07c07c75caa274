"""The sample's fictional outlets and the feed format each publishes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outlet:
    """A fictional publication in the sample."""

    slug: str
    name: str
    format: str  # "rss", "atom" or "json"
    beat: str


OUTLETS: tuple[Outlet, ...] = (
    Outlet("reel-ledger", "The Reel Ledger", "rss", "film and television business"),
    Outlet("backlot-daily", "Backlot Daily", "rss", "Hollywood news"),
    Outlet("streaming-desk", "Streaming Desk", "rss", "television and streaming"),
    Outlet("guild-wire", "Guild Wire", "rss", "labour and the entertainment unions"),
    Outlet("soundcheck", "Soundcheck Weekly", "rss", "the music business"),
    Outlet("frame-rate", "Frame Rate", "atom", "video games"),
    Outlet("circuit-review", "Circuit Review", "atom", "technology"),
    Outlet("render-farm", "Render Farm", "atom", "animation and visual effects"),
    Outlet("pressroom-json", "Studio Pulse", "json", "the entertainment business, as a newsletter"),
)

FEED_PATHS = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}


def feed_path(outlet: Outlet) -> str:
    """The path of an outlet's feed on the sample server."""
    return f"/{outlet.slug}/{FEED_PATHS[outlet.format]}"
