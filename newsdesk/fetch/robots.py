"""robots.txt for article pages: fetched once per host per crawl, through the same guarded client."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsdesk.errors import FetchError
from newsdesk.fetch.client import Fetcher


class RobotsCache:
    """Answers 'may we fetch this page?' per robots.txt, with one fetch per host."""

    def __init__(self, fetcher: Fetcher, user_agent: str) -> None:
        self._fetcher = fetcher
        self._agent = user_agent.split("/", 1)[0]
        self._parsers: dict[str, RobotFileParser] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        """True when robots.txt of the URL's host allows our agent to fetch it."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._parsers:
                self._parsers[origin] = await self._load(origin)
        return self._parsers[origin].can_fetch(self._agent, url)

    async def _load(self, origin: str) -> RobotFileParser:
        parser = RobotFileParser()
        try:
            response = await self._fetcher.get(f"{origin}/robots.txt")
        except FetchError:
            parser.parse([])  # unreachable robots.txt: treated as no rules, as crawlers conventionally do
            return parser
        if response.status in (401, 403):
            parser.disallow_all = True
        elif response.status >= 400:
            parser.parse([])
        else:
            parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        return parser
