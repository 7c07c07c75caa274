"""Untrusted text written into Markdown: escaped so it renders as the same literal text, never as markup."""

from __future__ import annotations

import re
from urllib.parse import quote

# Characters that are active anywhere in a line (emphasis, code, links and images, raw HTML and
# entities, tables, strikethrough, GitHub's math); and what is active only at a line's start
# (headings, lists, setext underlines).
_INLINE = re.compile(r"([\\`*_\[\]<>|~!&$])")
_LINE_START = re.compile(r"^([#+=-]|\d+(?=[.)]))")
_SPACE = re.compile(r"\s+")
# Streamlit's Markdown also turns :red[x] into colour, :rocket: and :material/home: into icons, and bare
# http://... or www.... into links. A zero-width space after such a colon, and inside "www.", keeps the
# text as it reads while no pattern matches it any more.
_ZERO_WIDTH = "\u200b"
_DIRECTIVE_COLON = re.compile(r":(?=[^\s\d])")
_BARE_WWW = re.compile(r"(?i)\b(www)\.")


def escape_markdown(text: str) -> str:
    """One line of literal text: whitespace folded, every Markdown-active character backslash-escaped,
    and Streamlit's directives, emoji shortcodes and autolinks broken by zero-width spaces."""
    escaped = _INLINE.sub(r"\\\1", _SPACE.sub(" ", text).strip())
    escaped = _BARE_WWW.sub(rf"\1{_ZERO_WIDTH}.", _DIRECTIVE_COLON.sub(":" + _ZERO_WIDTH, escaped))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), escaped)


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None (no javascript:, data: or relative links)."""
    if not url:
        return None
    stripped = url.strip()
    return stripped if stripped.lower().startswith(("http://", "https://")) and " " not in stripped else None


def markdown_link(text: str, url: str | None) -> str:
    """``[text](url)`` with the text escaped and the URL percent-encoded; just the text without a safe URL."""
    label = escape_markdown(text)
    target = safe_url(url)
    if target is None:
        return label
    return f"[{label}]({quote(target, safe=':/?#@!$&*+,;=%~.-_')})"
