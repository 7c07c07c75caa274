"""One shared async HTTP client with hard limits: deadline, body cap, redirects, guard.

httpx's timeouts apply per network operation, so a server that drips a byte a
second never trips them; every request here also runs under a wall-clock
deadline. Bodies are counted after decompression while streaming, and
redirects are followed by hand so that each hop passes the SSRF guard.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsdesk.config import FetchSettings
from newsdesk.errors import BlockedURLError, BodyTooLargeError, CrawlStopped, FetchError, FetchTimeout, TLSError
from newsdesk.fetch.decode import BodyTooLarge, BoundedDecoder, DecodeFailed
from newsdesk.fetch.guard import GuardedBackend, check_url

_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}


@dataclass(frozen=True)
class Response:
    """A finished response: final URL, status, headers (lower-case keys) and body."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed_ms: int
    permanent_redirect: str | None = None
    redirects: list[str] = field(default_factory=list)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool whose backend enforces the guard."""

    def __init__(self, *, allow_private: bool, max_connections: int) -> None:
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=self._pool._ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=30.0,
            network_backend=GuardedBackend(allow_private=allow_private),
        )


class Fetcher:
    """Fetch URLs concurrently within global and per-host limits. Use as an async context."""

    def __init__(self, settings: FetchSettings, *, transport: httpx.AsyncBaseTransport | None = None,
                 should_stop: Callable[[], bool] = lambda: False) -> None:
        self.settings = settings
        self.should_stop = should_stop
        self._transport = transport or GuardedTransport(
            allow_private=settings.allow_private_networks, max_connections=settings.concurrency
        )
        self._client = httpx.AsyncClient(
            transport=self._transport,
            headers={
                "User-Agent": settings.effective_user_agent(),
                "Accept-Encoding": "gzip, deflate, br",
            },
            timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
            follow_redirects=False,
            trust_env=False,
        )
        self._global = asyncio.Semaphore(settings.concurrency)
        self._per_host: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(settings.per_host_concurrency)
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._client.aclose()

    async def get(self, url: str, *, headers: dict[str, str] | None = None) -> Response:
        """GET a URL, following redirects; any HTTP status is returned, failures raise FetchError.

        The wall-clock deadline starts when the first request gets its connection slot (time
        spent queued behind the concurrency limits does not count) and covers every hop.
        """
        started = time.monotonic()
        deadline: list[float] = []
        try:
            return await self._follow(url, headers or {}, started, deadline)
        except TimeoutError as exc:
            raise FetchTimeout(
                f"fetch: {url} did not finish within {self.settings.timeout:g} s", url=url
            ) from exc

    async def post_json(self, url: str, payload: object, *, max_response_bytes: int = 65_536) -> int:
        """POST ``payload`` as JSON (a webhook) and return the status. The URL passes the same guard as
        feeds (scheme, and no private address unless allowed), under the same deadline; redirects are
        not followed and at most ``max_response_bytes`` of the reply are read. Failures raise FetchError."""
        await check_url(url, allow_private=self.settings.allow_private_networks)
        body = json.dumps(payload, ensure_ascii=False).encode()
        try:
            async with asyncio.timeout(self.settings.timeout), self._client.stream(
                    "POST", url, content=body, headers={"Content-Type": "application/json"}) as response:
                read = 0
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read > max_response_bytes:
                        break
                return response.status_code
        except TimeoutError as exc:
            raise FetchTimeout(f"webhook: {url} did not answer within {self.settings.timeout:g} s", url=url) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"webhook: {url}: {exc}", url=url) from exc

    async def _follow(self, url: str, headers: dict[str, str], started: float, deadline: list[float]) -> Response:
        seen: list[str] = []
        permanent: str | None = None
        all_permanent = True
        current = url
        while True:
            if current in seen:
                raise FetchError(f"fetch: redirect loop at {current} (via {' -> '.join(seen)})", url=url)
            seen.append(current)
            status, response_headers, body = await self._one(current, headers, deadline)
            if status in _REDIRECTS and "location" in response_headers:
                if len(seen) > self.settings.max_redirects:
                    raise FetchError(
                        f"fetch: more than {self.settings.max_redirects} redirects from {url}", url=url
                    )
                all_permanent = all_permanent and status in _PERMANENT
                current = urljoin(current, response_headers["location"])
                if all_permanent:
                    permanent = current
                continue
            return Response(
                url=current,
                status=status,
                headers=response_headers,
                body=body,
                elapsed_ms=int((time.monotonic() - started) * 1000),
                permanent_redirect=permanent,
                redirects=seen[1:],
            )

    async def _one(
        self, url: str, headers: dict[str, str], deadline: list[float]
    ) -> tuple[int, dict[str, str], bytes]:
        await check_url(url, allow_private=self.settings.allow_private_networks)
        host = (urlsplit(url).hostname or "").lower()
        async with self._per_host[host], self._global:  # a host slot first: no global slot idles waiting for a busy host
            if self.should_stop():
                raise CrawlStopped(f"fetch: {url} not fetched: the crawl is stopping")
            if not deadline:
                deadline.append(asyncio.get_running_loop().time() + self.settings.timeout)
            try:
                async with (
                    asyncio.timeout_at(deadline[0]),
                    self._client.stream("GET", url, headers=headers) as response,
                ):
                    body = await self._read_capped(url, response)
                    return response.status_code, {k.lower(): v for k, v in response.headers.items()}, body
            except httpx.TimeoutException as exc:
                raise FetchTimeout(f"fetch: {url} timed out ({type(exc).__name__})", url=url) from exc
            except httpx.ConnectError as exc:
                if "refused" in str(exc) and "resolves to" in str(exc):
                    raise BlockedURLError(str(exc), url=url) from exc
                if _tls_failure(exc):
                    raise TLSError(f"fetch: TLS with {url} failed: {_tls_failure(exc)}", url=url) from exc
                raise FetchError(f"fetch: cannot connect to {url}: {exc}", url=url) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"fetch: {url} failed: {type(exc).__name__}: {exc}", url=url) from exc

    async def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        cap = self.settings.max_body_bytes
        too_large = f"fetch: {url} body passed the {cap}-byte cap"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and "content-encoding" not in response.headers and int(declared) > cap:
            raise BodyTooLargeError(f"fetch: {url} declares {declared} bytes, over the {cap}-byte cap", url=url)
        try:
            decoder = BoundedDecoder(response.headers.get("content-encoding", ""), cap)
            chunks = [decoder.feed(raw) async for raw in response.aiter_raw()]
        except BodyTooLarge as exc:
            raise BodyTooLargeError(too_large, url=url) from exc
        except DecodeFailed as exc:
            raise FetchError(f"fetch: {url} sent a body that does not decode: {exc}", url=url) from exc
        return b"".join(chunks)


def _tls_failure(exc: BaseException) -> str | None:
    """The TLS reason behind a connection error (certificate, host name, protocol), if that is what it was."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return getattr(seen, "verify_message", None) or getattr(seen, "reason", None) or str(seen)
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    return text if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text else None
