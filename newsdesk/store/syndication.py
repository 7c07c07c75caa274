"""Syndicated copies: articles that repeat, nearly word for word, an earlier article from another source.

Copies are linked after articles are stored, over everything stored since the last pass
(``syndication_checked`` remembers how far that reaches), many articles at a time: a crawl
stores each source's items without band lookups in its path, the band rows go in sorted
(each index page written once per batch, not once per source), and articles stored by a
crawl that was killed are linked by the next pass.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from newsdesk.normalise.dedup import band_keys, is_syndicated_copy
from newsdesk.store.articles import mark_duplicate

BATCH = 5000
CANDIDATE_MAX_BITS = 12
WINDOW_HOURS = 72
MAX_CANDIDATES = 20


@dataclass(frozen=True)
class _New:
    rowid: int
    id: str
    source_id: int
    published_at: str
    simhash: str
    bands: tuple[str, ...]


def pending_checks(db: Database) -> int:
    """How many stored articles have not been checked for being a copy yet."""
    row = db.execute("SELECT COALESCE(MAX(rowid), 0) - (SELECT checked_upto FROM syndication_checked) FROM articles")
    return max(0, int(row.fetchone()[0]))


def link_syndicated_copies(db: Database) -> Counter[int]:
    """Check every article stored since the last pass; link copies to their originals.

    Returns how many copies were linked, per source. Safe to run from several processes at
    once: each batch takes the write lock before it reads how far the checks reach.
    """
    linked: Counter[int] = Counter()
    while True:
        with db.atomic():
            db.execute("UPDATE syndication_checked SET checked_upto = checked_upto")  # the write lock, first
            upto = db.execute("SELECT checked_upto FROM syndication_checked").fetchone()[0]
            rows = db.execute("SELECT rowid, id, source_id, published_at, simhash FROM articles WHERE rowid > ? "
                              "ORDER BY rowid LIMIT ?", [upto, BATCH]).fetchall()
            if not rows:
                return linked
            batch = [_New(*row, tuple(band_keys(row[4]))) for row in rows if row[4]]
            db.conn.executemany("INSERT OR IGNORE INTO simhash_bands VALUES (?, ?, ?, ?, ?)",
                                sorted((band, a.published_at, a.id, a.source_id, a.simhash)
                                       for a in batch for band in a.bands))
            for copy, original_id in _copies(db, batch):
                mark_duplicate(db, copy.id, original_id)
                linked[copy.source_id] += 1
            db.execute("UPDATE syndication_checked SET checked_upto = ?", [rows[-1][0]])


def _copies(db: Database, batch: list[_New]) -> list[tuple[_New, str]]:
    """(copy, original id) among the batch, in storage order.

    An article is compared with earlier articles from other sources published within
    ``WINDOW_HOURS`` that are not copies themselves (including copies found earlier in this batch),
    newest first, and linked to the first whose text it nearly repeats.
    """
    candidates = syndication_candidates(db, batch)
    wanted = sorted({c for found in candidates.values() for c in found} | set(candidates))
    texts = article_texts_joined(db, wanted)
    copies: list[tuple[_New, str]] = []
    copy_ids: set[str] = set()
    for article in batch:
        found = candidates.get(article.id, [])
        original = next((c for c in found if c not in copy_ids and is_syndicated_copy(texts[article.id], texts[c])),
                        None)
        if original is not None:
            copies.append((article, original))
            copy_ids.add(article.id)
    return copies


def syndication_candidates(db: Database, batch: list[_New]) -> dict[str, list[str]]:
    """For each article of the batch (bands stored), the earlier articles that may be its original.

    A candidate shares a SimHash band with the article, comes from another source, was
    published within ``WINDOW_HOURS``, is not a stored copy, and its fingerprint differs in at most
    ``CANDIDATE_MAX_BITS`` bits (a shared 16-bit band alone is common among thousands of
    articles; a near-identical text is also close in the other bands). The band index holds
    source and fingerprint, so only the close candidates are looked up. Returns article id ->
    candidate ids, newest first.
    """
    probes = [[a.published_at, a.id, a.source_id, a.bands] for a in batch]
    # Two range scans of (band, source_id) per probe band, below and above the probe's own source: the
    # source's own rows, which near-identical items of one feed multiply, are never visited.
    rows = db.execute(
        """
        WITH n (low, high, article_id, source_id, bands) AS MATERIALIZED (
            SELECT strftime('%Y-%m-%dT%H:%M:%SZ', value ->> 0, :back),
                   strftime('%Y-%m-%dT%H:%M:%SZ', value ->> 0, :ahead), value ->> 1, value ->> 2, value -> 3
            FROM json_each(:probes))
        SELECT n.article_id, b.article_id, b.simhash
        FROM n CROSS JOIN json_each(n.bands) nb
        CROSS JOIN simhash_bands b INDEXED BY simhash_bands_source ON b.band = nb.value AND b.source_id < n.source_id
        WHERE b.published_at BETWEEN n.low AND n.high
        UNION ALL
        SELECT n.article_id, b.article_id, b.simhash
        FROM n CROSS JOIN json_each(n.bands) nb
        CROSS JOIN simhash_bands b INDEXED BY simhash_bands_source ON b.band = nb.value AND b.source_id > n.source_id
        WHERE b.published_at BETWEEN n.low AND n.high
        """,
        {"probes": json.dumps(probes), "back": f"-{WINDOW_HOURS} hours", "ahead": f"+{WINDOW_HOURS} hours"},
    ).fetchall()
    fingerprints = {a.id: int(a.simhash, 16) for a in batch}
    close: dict[str, set[str]] = {}
    for article_id, candidate_id, theirs in rows:
        if (fingerprints[article_id] ^ int(theirs, 16)).bit_count() <= CANDIDATE_MAX_BITS:
            close.setdefault(article_id, set()).add(candidate_id)
    stored = _uncopied_rowids(db, sorted({c for found in close.values() for c in found}))
    order = {a.id: a.rowid for a in batch}
    result: dict[str, list[str]] = {}
    for article_id, found in close.items():
        earlier = [(stored[c], c) for c in found if c in stored and stored[c] < order[article_id]]
        if earlier:
            result[article_id] = [c for _, c in sorted(earlier, reverse=True)[:MAX_CANDIDATES]]
    return result


def _uncopied_rowids(db: Database, article_ids: list[str]) -> dict[str, int]:
    rows = db.execute("SELECT id, rowid FROM articles WHERE id IN (SELECT value FROM json_each(?)) "
                      "AND duplicate_of IS NULL", [json.dumps(article_ids)])
    return dict(rows.fetchall())


def article_texts_joined(db: Database, article_ids: list[str]) -> dict[str, str]:
    """Title, summary and content of each article, joined, for comparisons."""
    rows = db.execute("SELECT id, title, summary, content FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                      [json.dumps(article_ids)])
    return {row[0]: "\n".join(row[1:]) for row in rows}
