"""Untrusted HTML from feeds: an allowlisted copy for display, and plain text."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import nh3

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "figcaption", "figure", "h2", "h3",
    "h4", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "u", "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|blockquote|pre|tr|figure|figcaption)\s*>|<br\s*/?>", re.IGNORECASE)
# Runs of spaces and tabs that need replacing by one space: a single space matches nothing, so the
# usual text (words one space apart) is scanned, not rebuilt.
_WHITESPACE = re.compile(r"[\t\r\f\v][ \t\r\f\v]*| [ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def sanitise_html(fragment: str, base_url: str = "") -> str:
    """Allowlisted HTML safe to show: no scripts, styles, handlers or non-http(s) links.

    Relative links are resolved against ``base_url`` (the feed's URL).
    """

    def resolve(tag: str, attribute: str, value: str) -> str:
        return urljoin(base_url, value) if attribute == "href" else value

    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=resolve if base_url else None,
    )


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, whitespace tidied.

    Script and style contents are removed with their tags, so none of it reaches the text.
    """
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment)
    marked = _BLOCK_END.sub("\n", fragment)
    stripped = nh3.clean(marked, tags=set(), clean_content_tags={"script", "style"}, strip_comments=True)
    return _tidy(html.unescape(stripped))


def _tidy(text: str) -> str:
    lines = (_WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
