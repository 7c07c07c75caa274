"""The SSRF guard: only http(s), and only public addresses unless the config allows more.

Addresses are checked after resolution, so integer, octal and IPv4-mapped IPv6
spellings of a private address are refused like the dotted form. The guard acts
twice: before a request (``check_url``) and again inside the connection backend
(``GuardedBackend``), which connects only to the address it checked, so a DNS
answer that changes between the two cannot slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore

from newsdesk.errors import BlockedURLError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
ALLOWED_SCHEMES = ("http", "https")


def is_public_address(address: IPAddress) -> bool:
    """True only for globally routable unicast addresses (IPv4 or IPv6)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or _teredo_client(address)
        if embedded is not None:
            return is_public_address(embedded)
    return address.is_global and not address.is_multicast and not address.is_reserved


def _teredo_client(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    teredo = address.teredo
    return teredo[1] if teredo else None


def refusal_reason(address: IPAddress) -> str:
    """Why an address is refused, in words."""
    for attribute in ("is_loopback", "is_private", "is_link_local", "is_multicast", "is_reserved", "is_unspecified"):
        if getattr(address, attribute, False):
            return attribute.removeprefix("is_").replace("_", "-")
    if isinstance(address, ipaddress.IPv4Address) and address in ipaddress.ip_network("100.64.0.0/10"):
        return "carrier-grade NAT"
    return "not a public address"


def check_scheme(url: str) -> str:
    """The URL's host, after refusing anything but http(s) with a host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError as exc:
        raise BlockedURLError(f"fetch: refused {url!r}: not a valid URL ({exc})", url=url) from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise BlockedURLError(f"fetch: refused {url!r}: only http and https URLs are fetched", url=url)
    if not parts.hostname:
        raise BlockedURLError(f"fetch: refused {url!r}: no host", url=url)
    return parts.hostname


def check_addresses(url: str, addresses: Iterable[IPAddress]) -> None:
    """Refuse when any resolved address is not public."""
    for address in addresses:
        if not is_public_address(address):
            raise BlockedURLError(
                f"fetch: refused {url}: it resolves to {address} ({refusal_reason(address)}); "
                "set [fetch] allow_private_networks = true to allow such addresses",
                url=url,
            )


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address a host name (or literal) resolves to."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


async def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse a URL by its scheme and, unless private networks are allowed, by its addresses."""
    host = check_scheme(url)
    if allow_private:
        return
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        addresses = await resolve(host, port)
    except httpcore.ConnectError:
        return  # unresolvable: the request itself will fail and say so
    check_addresses(url, addresses)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """A network backend that connects only to addresses the guard accepts."""

    def __init__(self, *, allow_private: bool, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._allow_private = allow_private
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve(host, port)
        if not self._allow_private:
            try:
                check_addresses(f"{host}:{port}", addresses)
            except BlockedURLError as exc:
                raise httpcore.ConnectError(str(exc)) from exc
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error or httpcore.ConnectError(f"cannot connect to {host}:{port}")

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used by newsdesk")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
