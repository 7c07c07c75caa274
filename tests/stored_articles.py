"""Enriched articles written straight into a test's database, for tests that need a few of their own
beside (or instead of) the demo's."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlite_utils import Database

from newsdesk.clock import to_iso
from newsdesk.models import Article
from newsdesk.store.articles import upsert_articles
from newsdesk.store.enrichments import EnrichmentRow, save_enrichments


def add_relevant_article(db: Database, title: str, *, when: datetime, summary: str = "A summary.",
                         themes: Sequence[str] = ("legal",), guid: str = "",
                         entities: Sequence[tuple[str, str]] = ()) -> str:
    """A relevant, negative, film article from the first source, published and fetched at ``when``,
    naming ``(canonical name, text as written)`` entities; returns its id."""
    source_id = db.execute("SELECT MIN(id) FROM sources").fetchone()[0]
    guid = guid or title
    key = hashlib.sha1(guid.encode()).hexdigest()[:20]
    url = f"https://outlet.example/{key}"
    upsert_articles(db, [Article(id=key, source_id=source_id, guid=guid, url=url, canonical_url=url, title=title,
                                 summary=summary, summary_html="", content="", author=None,
                                 published_at=to_iso(when), published_raw=None, fetched_at=to_iso(when),
                                 content_hash=key)], now=to_iso(when))
    found = [{"id": f"org:{name.lower().replace(' ', '-')}", "name": name, "type": "org", "kind": "ai", "text": text}
             for name, text in entities]
    save_enrichments(db, [EnrichmentRow(article_id=key, model_version="test", relevant=True, relevance=0.9,
                                        themes=list(themes), theme_scores={t: 0.9 for t in themes},
                                        sentiment="negative", sentiment_score=-0.5, segments=["film"], evidence={},
                                        entities=found)], at=to_iso(when))
    return key
