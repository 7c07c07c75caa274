"""Every feed in ../shared/corpus/feeds/ (real publishers' feeds and feedparser's edge cases)
goes through parse and normalise: no exception escapes, and every item feedparser finds in a
well-formed file is kept."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import feedparser
import pytest

from newsdesk.errors import FeedParseError
from newsdesk.normalise.clean import normalise_entry
from newsdesk.parse.feed import parse_feed

pytestmark = pytest.mark.corpus
FETCHED = datetime(2026, 11, 24, tzinfo=UTC)


def _manifest(corpus):
    with open(corpus / "feeds" / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _expected_items(data: bytes, row: dict) -> int | None:
    """How many items a reference parser finds, for files that are well-formed; None otherwise."""
    if row["feedparser_bozo"]:
        return None
    if "JSON" in row["format"]:
        try:
            doc = json.loads(data)
        except ValueError:
            return None
        return len([i for i in doc.get("items", []) if isinstance(i, dict)]) if isinstance(doc, dict) else None
    reference = feedparser.parse(io.BytesIO(data))
    return None if reference.bozo else len(reference.entries)


def test_every_corpus_feed_parses_and_normalises(shared_corpus):
    rows = _manifest(shared_corpus)
    assert len(rows) > 1000
    escaped, lost, parsed_files, items = [], [], 0, 0
    for row in rows:
        data = (shared_corpus / "feeds" / row["file"]).read_bytes()
        url = f"https://corpus.example/{row['file']}"
        try:
            feed = parse_feed(data, url=url)
            articles = [normalise_entry(e, source_id=1, feed_url=url, fetched_at=FETCHED) for e in feed.entries]
        except FeedParseError:
            articles = None
        except Exception as exc:  # the assertion below lists every file that let one escape
            escaped.append(f"{row['file']}: {type(exc).__name__}: {exc}")
            continue
        expected = _expected_items(data, row)
        kept = 0 if articles is None else len(articles)
        if expected is not None and kept != expected:
            lost.append(f"{row['file']}: reference parser found {expected} items, we kept {kept}")
        if articles is not None:
            parsed_files += 1
            items += len(articles)
            assert all(a.url == "" or a.url.startswith(("http://", "https://")) for a in articles), row["file"]
    assert escaped == [], "\n".join(escaped[:20])
    assert lost == [], "\n".join(lost[:20])
    assert parsed_files > 1000 and items > 5000
