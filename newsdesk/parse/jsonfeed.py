"""JSON Feed 1.0 and 1.1 (jsonfeed.org), read into the same model as XML feeds."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from newsdesk.errors import FeedParseError
from newsdesk.models import Entry, ParsedFeed

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON's \\ud800 escapes decode to text no encoder accepts
_VERSIONS = {"https://jsonfeed.org/version/1": "json1", "https://jsonfeed.org/version/1.1": "json11"}


def looks_like_json(body: bytes, content_type: str) -> bool:
    """True when the body is meant as JSON (by media type, or by its first character)."""
    if "json" in content_type.lower():
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def parse_json_feed(body: bytes, *, url: str = "") -> ParsedFeed:
    """Parse a JSON Feed document; FeedParseError when it is not one."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedParseError(f"parse: {url or 'body'} is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise FeedParseError(f"parse: {url or 'body'} is JSON nested too deeply to be a feed") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise FeedParseError(f"parse: {url or 'body'} is JSON but not a JSON Feed (no 'items' list)")
    version = str(doc.get("version", ""))
    warning = None if version in _VERSIONS else f"unknown JSON Feed version {version!r}"
    entries = [_entry(item) for item in doc["items"] if isinstance(item, dict)]
    return ParsedFeed(
        title=_str(doc.get("title")) or "",
        site_url=_str(doc.get("home_page_url")),
        entries=entries,
        format=_VERSIONS.get(version, "json"),
        warning=warning,
    )


def _entry(item: dict[str, Any]) -> Entry:
    published_raw = _str(item.get("date_published")) or _str(item.get("date_modified"))
    content_html = _str(item.get("content_html"))
    if content_html is None and _str(item.get("content_text")):
        content_html = _escape_text(item["content_text"])
    return Entry(
        guid=_str(item.get("id")),
        link=_str(item.get("url")) or _str(item.get("external_url")),
        title=html.escape(_str(item.get("title")) or ""),
        summary_html=_escape_text(item["summary"]) if _str(item.get("summary")) else "",
        content_html=content_html or "",
        author=_author(item),
        published_raw=published_raw,
        published=parse_date(published_raw),
    )


def _author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        return _str(authors[0].get("name"))
    author = item.get("author")
    return _str(author.get("name")) if isinstance(author, dict) else None


def parse_date(raw: str | None) -> datetime | None:
    """RFC 3339 (as JSON Feed asks) or, leniently, RFC 822; always aware and in UTC."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _escape_text(text: str) -> str:
    return html.escape(_LONE_SURROGATE.sub("\ufffd", str(text)))


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = _LONE_SURROGATE.sub("\ufffd", str(value)).strip()
    return text or None
