"""Entry → Article: canonical URLs, UTC dates, clean text and sanitised HTML."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from newsdesk.clock import to_iso
from newsdesk.models import Article, Entry
from newsdesk.normalise.dedup import article_id, content_hash, fingerprint
from newsdesk.parse.sanitise import html_to_text, sanitise_html

_TRACKING_PREFIXES = ("utm_",)
_TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid",
    "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wickedid", "__s",
}
_DEFAULT_PORTS = {"http": 80, "https": 443}
FUTURE_TOLERANCE = timedelta(days=1)


def normalise_url(url: str | None, base: str = "") -> str | None:
    """The canonical form of an http(s) URL, or None for anything else.

    Relative links are resolved against ``base``; scheme and host are lower-cased,
    default ports, fragments and tracking parameters dropped.
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(urljoin(base, url) if base else url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def feed_identity(url: str) -> str | None:
    """What makes two feed URLs one feed: the canonical URL, less a trailing slash on its path."""
    canonical = normalise_url(url)
    if canonical is None:
        return None
    parts = urlsplit(canonical)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") or "/", parts.query, ""))


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def normalise_entry(entry: Entry, *, source_id: int, feed_url: str, fetched_at: datetime) -> Article:
    """Turn a parsed entry into an Article with a stable id, clean text and a UTC date."""
    canonical = normalise_url(entry.link, feed_url)
    title = html_to_text(entry.title) or "(untitled)"
    summary_source = entry.summary_html or entry.content_html
    summary = html_to_text(summary_source)
    content = html_to_text(entry.content_html) if entry.content_html else ""
    guid_key = entry.guid or canonical or f"{title}\n{summary}"
    identifier = article_id(source_id, guid_key)
    published, missing, clamped = _publication_time(entry.published, fetched_at)
    return Article(
        id=identifier,
        source_id=source_id,
        guid=entry.guid or canonical or identifier,
        url=canonical or "",
        # Without a link, the item is known by its title and date (or text): a feed that rotates its GUIDs
        # on every fetch would otherwise store the same item again each time.
        canonical_url=canonical or f"newsdesk:{article_id(source_id, title + chr(10) + (entry.published_raw or summary))}",
        title=title,
        summary=summary,
        summary_html=sanitise_html(summary_source, feed_url),
        content=content,
        author=html_to_text(entry.author) if entry.author else None,
        published_at=to_iso(published),
        published_raw=entry.published_raw,
        fetched_at=to_iso(fetched_at),
        content_hash=content_hash(title, summary, content),
        date_missing=missing,
        date_clamped=clamped,
        simhash=fingerprint(f"{title}\n{summary}\n{content}"),
    )


def _publication_time(published: datetime | None, fetched_at: datetime) -> tuple[datetime, bool, bool]:
    """(time to sort by, date was missing, date was in the future and clamped)."""
    if published is None:
        return fetched_at, True, False
    if published > fetched_at + FUTURE_TOLERANCE:
        return fetched_at, False, True
    return published, False, False
