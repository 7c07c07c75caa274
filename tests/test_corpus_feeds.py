"""Every feed in ../shared/corpus/feeds/ (real publishers' feeds and feedparser's edge cases)
goes through parse and normalise: no exception escapes, and every item feedparser finds in a
well-formed file is kept."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime

import feedparser
import pytest

from newsdesk.errors import FeedParseError
from newsdesk.normalise.clean import normalise_entry
from newsdesk.parse.fastpath import parse_plain_feed
from newsdesk.parse.feed import parse_feed, parse_with_feedparser

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


def test_the_fast_path_reads_every_feed_it_accepts_exactly_as_feedparser(shared_corpus):
    """Plain RSS 2.0 and Atom 1.0 are read with lxml; on every corpus file it accepts, the stored articles must
    be identical, field by field, to those read through feedparser."""
    accepted, items, differences, formats = 0, 0, [], Counter()
    for row in _manifest(shared_corpus):
        data = (shared_corpus / "feeds" / row["file"]).read_bytes()
        url = f"https://corpus.example/{row['file']}"
        fast = parse_plain_feed(data, url, {})
        if fast is None:
            continue
        accepted += 1
        formats[fast.format] += 1
        slow = parse_with_feedparser(data, url=url)
        if (fast.title, fast.site_url, fast.format, len(fast.entries)) != \
                (slow.title, slow.site_url, slow.format, len(slow.entries)):
            differences.append(f"{row['file']}: feed {fast.title!r} {fast.site_url!r} vs {slow.title!r} {slow.site_url!r}")
            continue
        for a, b in zip(fast.entries, slow.entries, strict=True):
            items += 1
            mine, reference = (asdict(normalise_entry(e, source_id=1, feed_url=url, fetched_at=FETCHED)) for e in (a, b))
            differences += [f"{row['file']}: {key} {mine[key]!r:.80} vs {reference[key]!r:.80}"
                            for key in mine if mine[key] != reference[key]]
    assert differences == [], "\n".join(differences[:20])
    assert accepted > 400 and items > 2000  # the fast path is not a path nobody takes
    assert formats["atom10"] > 200 and formats["rss20"] > 200
