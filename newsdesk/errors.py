"""The exceptions newsdesk raises.

Every error a user can cause derives from ``NewsdeskError``; the CLI turns
them into one line on stderr (tracebacks only with ``--debug``)::

    NewsdeskError
    ├── ConfigError          a config file is missing, malformed or has a bad key
    ├── StoreError           the database cannot be opened, migrated or written
    ├── SourceError          a source cannot be added, found or imported (OPML)
    ├── FetchError           a request failed (carries ``url``)
    │   ├── FetchTimeout     the wall-clock deadline passed
    │   ├── HTTPStatusError  the server answered with an error status
    │   ├── BodyTooLargeError the decoded body passed the size cap
    │   └── BlockedURLError  the URL is not http(s) or resolves to a refused address
    ├── FeedParseError       the bytes are not a feed we can read
    └── ExtractionError      no article text could be extracted from a page
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Root of every error newsdesk raises on purpose."""


class ConfigError(NewsdeskError):
    """The configuration is missing, malformed or invalid."""


class StoreError(NewsdeskError):
    """The database cannot be opened, migrated or written."""


class SourceError(NewsdeskError):
    """A source cannot be added, found or imported."""


class FetchError(NewsdeskError):
    """A request failed; ``url`` names what was requested; ``kind`` says what sort of failure it was."""

    kind = "fetch_error"

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class FetchTimeout(FetchError):
    """The request did not finish before its wall-clock deadline."""

    kind = "timeout"


class TLSError(FetchError):
    """The TLS handshake failed: an untrusted or expired certificate, a wrong host name, no common protocol."""

    kind = "tls_error"


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, message: str, *, url: str, status: int) -> None:
        super().__init__(message, url=url)
        self.status = status


class BodyTooLargeError(FetchError):
    """The decoded body grew past the configured maximum."""

    kind = "too_large"


class BlockedURLError(FetchError):
    """The URL is not http(s) or resolves to an address the guard refuses."""

    kind = "blocked"


class FeedParseError(NewsdeskError):
    """The bytes could not be read as a feed."""

    kind = "parse_error"


class ExtractionError(NewsdeskError):
    """No article text could be extracted from a page."""


class CrawlStopped(NewsdeskError):
    """The crawl was asked to stop before this request got its connection slot (not a failure)."""
