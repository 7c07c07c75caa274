"""Syndicated copies: articles that repeat, nearly word for word, an earlier article from another source.

Copies are linked after articles are stored, over everything stored since the last pass
(``syndication_checked`` remembers how far that reaches), many articles at a time: a crawl
stores each source's items without band lookups in its path, the SimHash band rows go in
sorted (each index page written once per batch, not once per source), and articles stored
by a crawl that was killed are linked by the next pass.
"""

from __future__ import annotations

import json
from collections import Counter

from sqlite_utils import Database

from newsdesk.normalise.dedup import band_keys, is_syndicated_copy
from newsdesk.store.articles import mark_duplicate

BATCH = 5000
CANDIDATE_MAX_BITS = 12
WINDOW_HOURS = 72
MAX_CANDIDATES = 20


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
            batch = db.execute("SELECT rowid, id, source_id, simhash FROM articles WHERE rowid > ? ORDER BY rowid "
                               "LIMIT ?", [upto, BATCH]).fetchall()
            if not batch:
                return linked
            top = batch[-1][0]
            bands = sorted((band, article_id) for _, article_id, _, simhash in batch if simhash
                           for band in band_keys(simhash))
            db.conn.executemany("INSERT OR IGNORE INTO simhash_bands (band, article_id) VALUES (?, ?)", bands)
            source_of = {article_id: source_id for _, article_id, source_id, _ in batch}
            for copy_id, original_id in _copies(db, upto, top):
                mark_duplicate(db, copy_id, original_id)
                linked[source_of[copy_id]] += 1
            db.execute("UPDATE syndication_checked SET checked_upto = ?", [top])


def _copies(db: Database, after_rowid: int, upto_rowid: int) -> list[tuple[str, str]]:
    """(copy, original) for the articles in the rowid range, oldest first.

    An article is compared with earlier articles from other sources published within
    ``WINDOW_HOURS`` that are not copies themselves (including copies found earlier in this
    range), newest first, and linked to the first whose text it nearly repeats.
    """
    candidates = syndication_candidates(db, after_rowid, upto_rowid)
    wanted = {c for found in candidates.values() for c in found} | set(candidates)
    texts = article_texts_joined(db, sorted(wanted))
    copies: list[tuple[str, str]] = []
    found_copies: set[str] = set()
    for article_id, found in candidates.items():
        original = next((c for c in found if c not in found_copies and is_syndicated_copy(texts[article_id], texts[c])),
                        None)
        if original is not None:
            copies.append((article_id, original))
            found_copies.add(article_id)
    return copies


def syndication_candidates(db: Database, after_rowid: int, upto_rowid: int) -> dict[str, list[str]]:
    """For each article in the rowid range, the earlier articles from other sources that may be its original.

    A candidate shares a SimHash band with the article, was published within ``WINDOW_HOURS``,
    is not a stored copy, and its fingerprint differs in at most ``CANDIDATE_MAX_BITS`` bits
    (a shared 16-bit band alone is common among thousands of articles; a near-identical text is
    also close in the other bands). Returns article id -> candidate ids, newest candidate first,
    with the articles in storage order.
    """
    rows = db.execute(
        """
        SELECT DISTINCT n.rowid, n.id, c.rowid, c.id, n.simhash, c.simhash
        FROM articles n  -- CROSS JOIN keeps this order: the band index finds the few candidates
        CROSS JOIN simhash_bands nb ON nb.article_id = n.id
        CROSS JOIN simhash_bands cb ON cb.band = nb.band AND cb.article_id != n.id
        CROSS JOIN articles c ON c.id = cb.article_id
        WHERE n.rowid > ? AND n.rowid <= ?
          AND c.source_id != n.source_id
          AND c.duplicate_of IS NULL
          AND c.rowid < n.rowid
          AND abs(julianday(c.published_at) - julianday(n.published_at)) * 24 <= ?
        """,
        [after_rowid, upto_rowid, WINDOW_HOURS],
    ).fetchall()
    close: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for rowid, article_id, candidate_rowid, candidate_id, mine, theirs in rows:
        if (int(mine, 16) ^ int(theirs, 16)).bit_count() <= CANDIDATE_MAX_BITS:
            close.setdefault((rowid, article_id), []).append((candidate_rowid, candidate_id))
    return {article_id: [c for _, c in sorted(found, reverse=True)[:MAX_CANDIDATES]]
            for (_, article_id), found in sorted(close.items())}


def article_texts_joined(db: Database, article_ids: list[str]) -> dict[str, str]:
    """Title, summary and content of each article, joined, for comparisons."""
    rows = db.execute("SELECT id, title, summary, content FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                      [json.dumps(article_ids)])
    return {row[0]: "\n".join(row[1:]) for row in rows}
