"""Article page HTML → main text, with trafilatura."""

from __future__ import annotations

import trafilatura

from newsdesk.errors import ExtractionError

MIN_TEXT_CHARS = 80


def extract_article_text(html: bytes | str, *, url: str = "") -> str:
    """The main text of an article page; ExtractionError when none can be found."""
    try:
        text = trafilatura.extract(html, url=url or None, include_comments=False, include_tables=False,
                                   favor_precision=True, deduplicate=False)
    except Exception as exc:  # trafilatura/lxml raise many types on hostile markup; name it and go on
        raise ExtractionError(f"extract: {url or 'page'}: {type(exc).__name__}: {exc}") from exc
    if not text or len(text) < MIN_TEXT_CHARS:
        raise ExtractionError(f"extract: no article text found in {url or 'page'}")
    return text.strip()
