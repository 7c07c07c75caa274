"""Article page HTML → main text (and, for archived pages, title and date), with trafilatura."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class ExtractedPage:
    """What an archived article page says: its headline, its date as the page states it, its main text."""

    title: str
    date: str | None
    text: str


def extract_page(html: bytes | str, *, url: str = "") -> ExtractedPage:
    """Title, date and main text of an article page (archives have no feed to give the first two);
    ExtractionError when there is no article text."""
    try:
        document = trafilatura.bare_extraction(html, url=url or None, with_metadata=True, include_comments=False,
                                               include_tables=False, favor_precision=True, deduplicate=False)
    except Exception as exc:  # as above: hostile markup raises many types
        raise ExtractionError(f"extract: {url or 'page'}: {type(exc).__name__}: {exc}") from exc
    text = (getattr(document, "text", None) or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractionError(f"extract: no article text found in {url or 'page'}")
    return ExtractedPage(getattr(document, "title", None) or "", getattr(document, "date", None), text)
