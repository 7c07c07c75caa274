"""Ordered forward migrations; each is applied once, in order, in a transaction.

Never edit a migration that has shipped: add the next one instead.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from newsdesk.normalise.dedup import band_keys

MIGRATIONS = Migrations("newsdesk")


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            site_url TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            full_text INTEGER,
            etag TEXT,
            last_modified TEXT,
            added_at TEXT NOT NULL,
            deactivated_reason TEXT,
            error_streak INTEGER NOT NULL DEFAULT 0,
            parked_at TEXT,
            next_fetch_at TEXT,
            last_fetched_at TEXT,
            last_success_at TEXT,
            last_error TEXT
        );
        CREATE TABLE fetches (
            id INTEGER PRIMARY KEY,
            source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            started_at TEXT NOT NULL,
            duration_ms INTEGER NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'not_modified', 'error')),
            http_status INTEGER,
            items_seen INTEGER NOT NULL DEFAULT 0,
            items_new INTEGER NOT NULL DEFAULT 0,
            items_updated INTEGER NOT NULL DEFAULT 0,
            error TEXT
        );
        CREATE INDEX fetches_source_started ON fetches (source_id, started_at);
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            url TEXT NOT NULL,
            canonical_url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            summary_html TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            author TEXT,
            published_at TEXT NOT NULL,
            published_raw TEXT,
            fetched_at TEXT NOT NULL,
            updated_at TEXT,
            content_hash TEXT NOT NULL,
            date_missing INTEGER NOT NULL DEFAULT 0,
            date_clamped INTEGER NOT NULL DEFAULT 0,
            duplicate_of TEXT REFERENCES articles(id) ON DELETE SET NULL,
            UNIQUE (source_id, guid)
        );
        CREATE INDEX articles_published_at ON articles (published_at);
        CREATE INDEX articles_source ON articles (source_id, published_at);
        """
    )
    db["articles"].enable_fts(["title", "summary", "content"], create_triggers=True, tokenize="porter")


@MIGRATIONS(name="0002_labels")
def _labels(db: Database) -> None:
    """Corrections made by people, which `newsdesk train` learns from."""
    db.executescript(
        """
        CREATE TABLE labels (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            field TEXT NOT NULL CHECK (field IN ('relevant', 'themes', 'sentiment')),
            value TEXT NOT NULL,
            who TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX labels_article ON labels (article_id, field, created_at);
        """
    )


@MIGRATIONS(name="0003_fingerprints_and_extraction")
def _fingerprints(db: Database) -> None:
    """Near-duplicate fingerprints (syndicated copies) and why a page's text could not be extracted."""
    db.executescript(
        """
        ALTER TABLE articles ADD COLUMN simhash TEXT;
        ALTER TABLE articles ADD COLUMN extraction_error TEXT;
        ALTER TABLE articles ADD COLUMN extracted_at TEXT;
        CREATE INDEX articles_duplicate_of ON articles (duplicate_of);
        CREATE TABLE simhash_bands (
            band TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (band, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX simhash_bands_article ON simhash_bands (article_id);
        """
    )


@MIGRATIONS(name="0004_enrichments")
def _enrichments(db: Database) -> None:
    """What the classifiers concluded about each article, and the entities it names."""
    db.executescript(
        """
        CREATE TABLE enrichments (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            model_version TEXT NOT NULL,
            relevant INTEGER NOT NULL,
            relevance REAL NOT NULL,
            themes TEXT NOT NULL DEFAULT '[]',
            theme_scores TEXT NOT NULL DEFAULT '{}',
            sentiment TEXT NOT NULL CHECK (sentiment IN ('positive', 'neutral', 'negative')),
            sentiment_score REAL NOT NULL,
            segments TEXT NOT NULL DEFAULT '[]',
            evidence TEXT NOT NULL DEFAULT '{}',
            enriched_at TEXT NOT NULL
        );
        CREATE INDEX enrichments_version ON enrichments (model_version);
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            kind TEXT
        );
        CREATE TABLE article_entities (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL REFERENCES entities(id),
            text TEXT NOT NULL,
            PRIMARY KEY (article_id, entity_id)
        ) WITHOUT ROWID;
        CREATE INDEX article_entities_entity ON article_entities (entity_id);
        CREATE TABLE article_themes (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            theme TEXT NOT NULL,
            PRIMARY KEY (article_id, theme)
        ) WITHOUT ROWID;
        CREATE INDEX article_themes_theme ON article_themes (theme);
        CREATE TABLE article_segments (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            segment TEXT NOT NULL,
            PRIMARY KEY (article_id, segment)
        ) WITHOUT ROWID;
        CREATE INDEX article_segments_segment ON article_segments (segment);
        """
    )


@MIGRATIONS(name="0005_stories")
def _stories(db: Database) -> None:
    """Stories (articles about one event across outlets) and the term statistics clustering needs."""
    db.executescript(
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            article_count INTEGER NOT NULL,
            outlet_count INTEGER NOT NULL,
            relevant INTEGER NOT NULL,
            themes TEXT NOT NULL DEFAULT '[]',
            mean_sentiment REAL,
            entities TEXT NOT NULL DEFAULT '[]',
            segments TEXT NOT NULL DEFAULT '[]',
            event_type TEXT NOT NULL DEFAULT 'other',
            impact REAL NOT NULL DEFAULT 0,
            impact_components TEXT NOT NULL DEFAULT '{}',
            centroid TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL
        );
        CREATE INDEX stories_last_seen ON stories (last_seen);
        CREATE INDEX stories_first_seen ON stories (first_seen);
        CREATE TABLE article_stories (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL  -- stories are aggregates written after assignment
        );
        CREATE INDEX article_stories_story ON article_stories (story_id);
        CREATE TABLE term_df (
            term TEXT PRIMARY KEY,
            df INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
    )


@MIGRATIONS(name="0006_analysis_cache")
def _analysis_cache(db: Database) -> None:
    """Materialised aggregate results, valid while the data they were computed from is unchanged."""
    db.executescript(
        """
        CREATE TABLE analysis_cache (
            key TEXT PRIMARY KEY,
            data_version TEXT NOT NULL,
            value TEXT NOT NULL,
            computed_at TEXT NOT NULL
        );
        """
    )


@MIGRATIONS(name="0007_facts_and_briefings")
def _facts_and_briefings(db: Database) -> None:
    """One narrow row per enriched, original article, so filtered aggregates scan integers, not joins
    (themes and segments become bit masks; ``facet_bits`` gives each name its bit); and the briefings
    generated so far, in every text format.
    """
    db.executescript(
        """
        CREATE TABLE facet_bits (
            kind TEXT NOT NULL CHECK (kind IN ('theme', 'segment')),
            name TEXT NOT NULL,
            bit INTEGER NOT NULL CHECK (bit BETWEEN 0 AND 62),
            PRIMARY KEY (kind, name),
            UNIQUE (kind, bit)
        ) WITHOUT ROWID;
        CREATE TABLE article_facts (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            week TEXT NOT NULL,
            source_id INTEGER NOT NULL,
            relevant INTEGER NOT NULL,
            theme_mask INTEGER NOT NULL,
            segment_mask INTEGER NOT NULL,
            sentiment REAL NOT NULL
        );
        CREATE INDEX article_facts_day ON article_facts
            (day, relevant, week, source_id, theme_mask, segment_mask, sentiment);
        CREATE TABLE briefings (
            week TEXT NOT NULL,
            theme TEXT NOT NULL DEFAULT '',
            generated_at TEXT NOT NULL,
            model_version TEXT,
            markdown TEXT NOT NULL,
            html TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (week, theme)
        );
        INSERT INTO facet_bits (kind, name, bit)
            SELECT 'theme', theme, ROW_NUMBER() OVER (ORDER BY theme) - 1
            FROM (SELECT DISTINCT theme FROM article_themes) LIMIT 63;
        INSERT INTO facet_bits (kind, name, bit)
            SELECT 'segment', segment, ROW_NUMBER() OVER (ORDER BY segment) - 1
            FROM (SELECT DISTINCT segment FROM article_segments) LIMIT 63;
        """
    )
    db.execute(_FIRST_FACTS_SELECT)


@MIGRATIONS(name="0008_runs")
def _runs(db: Database) -> None:
    """One row per job run (scheduled or manual): when, how it ended, what it did, or why it was skipped."""
    db.executescript(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            job TEXT NOT NULL,
            trigger TEXT NOT NULL,
            pid INTEGER,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'error', 'skipped', 'interrupted')),
            counts TEXT NOT NULL DEFAULT '{}',
            error TEXT
        );
        CREATE INDEX runs_job_started ON runs (job, started_at);
        """
    )



@MIGRATIONS(name="0009_batched_search_index")
def _batched_search_index(db: Database) -> None:
    """Full-text indexing in batches instead of a trigger per inserted row.

    FTS5 writes a segment each time it flushes, and a row trigger makes it flush per row:
    indexing 2.5 KB articles cost ~150 us each that way and ~30 us in batches of a thousand.
    New rows are indexed by ``store.search_index.index_new_articles``; ``search_index``
    remembers how far the index reaches, and the update and delete triggers touch only rows
    the index already holds (a later batch indexes the others with their current text).
    """
    db.executescript(
        """
        DROP TRIGGER articles_ai;
        DROP TRIGGER articles_au;
        DROP TRIGGER articles_ad;
        CREATE TABLE search_index (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_upto INTEGER NOT NULL);
        INSERT INTO search_index (id, indexed_upto) SELECT 1, COALESCE(MAX(rowid), 0) FROM articles;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles
        WHEN old.rowid <= (SELECT indexed_upto FROM search_index) BEGIN
          INSERT INTO articles_fts (articles_fts, rowid, title, summary, content)
          VALUES ('delete', old.rowid, old.title, old.summary, old.content);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, summary, content ON articles
        WHEN old.rowid <= (SELECT indexed_upto FROM search_index) BEGIN
          INSERT INTO articles_fts (articles_fts, rowid, title, summary, content)
          VALUES ('delete', old.rowid, old.title, old.summary, old.content);
          INSERT INTO articles_fts (rowid, title, summary, content)
          VALUES (new.rowid, new.title, new.summary, new.content);
        END;
        """
    )


@MIGRATIONS(name="0010_syndication_index")
def _syndication_index(db: Database) -> None:
    """Syndicated copies are linked in batches after storing (``store.syndication``), not per source.

    ``simhash_bands`` is keyed by band and publication time and carries what the first
    comparison needs (source, fingerprint), so finding the candidates of an article reads
    only the few rows of its bands within the time window, without visiting the articles.
    A delete trigger replaces the foreign key (whose cascade needed an index by article).
    ``syndication_checked`` remembers how far the checks reach; articles stored before this
    migration were checked when they were stored.
    """
    db.executescript(
        """
        DROP TABLE simhash_bands;
        CREATE TABLE simhash_bands (
            band TEXT NOT NULL,
            published_at TEXT NOT NULL,
            article_id TEXT NOT NULL,
            source_id INTEGER NOT NULL,
            simhash TEXT NOT NULL,
            PRIMARY KEY (band, published_at, article_id)
        ) WITHOUT ROWID;
        CREATE TRIGGER articles_delete_bands AFTER DELETE ON articles WHEN old.simhash IS NOT NULL BEGIN
          DELETE FROM simhash_bands WHERE published_at = old.published_at AND article_id = old.id AND band IN (
            '0:' || substr(old.simhash, 1, 4), '1:' || substr(old.simhash, 5, 4),
            '2:' || substr(old.simhash, 9, 4), '3:' || substr(old.simhash, 13, 4));
        END;
        CREATE TABLE syndication_checked (id INTEGER PRIMARY KEY CHECK (id = 1), checked_upto INTEGER NOT NULL);
        INSERT INTO syndication_checked (id, checked_upto) VALUES (1, 0);
        """
    )
    # every stored article's bands, in the new form (they are re-derived from the fingerprints)
    rows = db.execute("SELECT id, source_id, published_at, simhash FROM articles WHERE simhash IS NOT NULL "
                      "ORDER BY rowid").fetchall()
    db.conn.executemany("INSERT OR IGNORE INTO simhash_bands VALUES (?, ?, ?, ?, ?)",
                        sorted((band, published, article_id, source_id, simhash)
                               for article_id, source_id, published, simhash in rows for band in band_keys(simhash)))
    db.execute("UPDATE syndication_checked SET checked_upto = (SELECT COALESCE(MAX(rowid), 0) FROM articles)")


@MIGRATIONS(name="0011_tombstones")
def _tombstones(db: Database) -> None:
    """Articles a person deleted: what identified them, so no later crawl stores them again."""
    db.executescript(
        """
        CREATE TABLE tombstones (
            source_id INTEGER NOT NULL,
            guid TEXT NOT NULL,
            canonical_url TEXT NOT NULL,
            title TEXT NOT NULL,
            deleted_at TEXT NOT NULL,
            PRIMARY KEY (source_id, guid)
        );
        CREATE INDEX tombstones_url ON tombstones (canonical_url);
        """
    )


@MIGRATIONS(name="0012_retry_after")
def _retry_after(db: Database) -> None:
    """Until when a server asked not to be fetched again (Retry-After), which even --force honours."""
    db.execute("ALTER TABLE sources ADD COLUMN retry_after_until TEXT")


@MIGRATIONS(name="0013_users")
def _users(db: Database) -> None:
    """Dashboard accounts (salted scrypt hashes) and recent failed sign-ins, for rate limiting."""
    db.executescript(
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sign_in_failures (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX sign_in_failures_name ON sign_in_failures (name, at);
        """
    )


@MIGRATIONS(name="0014_bands_by_source")
def _bands_by_source(db: Database) -> None:
    """Band rows by band and source: candidates from other sources are found without visiting the
    source's own rows (a feed of thousands of near-identical items made the old lookup quadratic)."""
    db.execute("CREATE INDEX simhash_bands_source ON simhash_bands (band, source_id, published_at)")


@MIGRATIONS(name="0015_fetch_error_kind")
def _fetch_error_kind(db: Database) -> None:
    """What sort of failure a fetch was (tls_error, timeout, ...), beside its message."""
    db.execute("ALTER TABLE fetches ADD COLUMN error_kind TEXT")


@MIGRATIONS(name="0016_watches")
def _watches(db: Database) -> None:
    """Watchlists, the articles each has alerted about, its spikes, and the alert outbox (record, send, mark)."""
    db.executescript(
        """
        CREATE TABLE watches (
            name TEXT PRIMARY KEY,
            conditions TEXT NOT NULL,     -- JSON: query, themes, entities, segments, event_types, min_outlets, spike
            emails TEXT NOT NULL DEFAULT '[]',
            webhooks TEXT NOT NULL DEFAULT '[]',
            since TEXT NOT NULL,          -- articles published from then on are watched
            created_at TEXT NOT NULL
        );
        CREATE TABLE watch_seen (
            watch TEXT NOT NULL REFERENCES watches(name) ON DELETE CASCADE,
            article_id TEXT NOT NULL,
            PRIMARY KEY (watch, article_id)
        ) WITHOUT ROWID;
        CREATE TABLE watch_spikes (
            watch TEXT NOT NULL REFERENCES watches(name) ON DELETE CASCADE,
            day TEXT NOT NULL,
            PRIMARY KEY (watch, day)
        ) WITHOUT ROWID;
        CREATE TABLE alert_outbox (
            id INTEGER PRIMARY KEY,
            watch TEXT NOT NULL,
            channel TEXT NOT NULL,        -- email or webhook
            target TEXT NOT NULL,         -- the address or URL
            kind TEXT NOT NULL,           -- digest or spike
            subject TEXT NOT NULL,
            payload TEXT NOT NULL,        -- JSON: text, html, items
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',  -- pending, sent, gave_up
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            sent_at TEXT
        );
        CREATE INDEX alert_outbox_due ON alert_outbox (status, next_attempt_at);
        """
    )


@MIGRATIONS(name="0017_story_and_entity_facts")
def _story_and_entity_facts(db: Database) -> None:
    """Each fact row carries its story and its share of the story's impact (story counts and the impact
    matrix without a join), and ``entity_facts`` holds one narrow row per article and entity, on the
    entity's integer rowid (entity trends and pairs without joining text ids); judgements are indexed by
    how unsure they are."""
    db.executescript(
        """
        ALTER TABLE article_facts ADD COLUMN story_id TEXT;
        ALTER TABLE article_facts ADD COLUMN impact_share REAL NOT NULL DEFAULT 0;
        UPDATE article_facts SET
            story_id = (SELECT m.story_id FROM article_stories m WHERE m.article_id = article_facts.article_id),
            impact_share = COALESCE((SELECT s.impact / s.article_count FROM article_stories m
                                     JOIN stories s ON s.id = m.story_id
                                     WHERE m.article_id = article_facts.article_id), 0);
        DROP INDEX article_facts_day;
        CREATE INDEX article_facts_day ON article_facts
            (day, relevant, week, source_id, theme_mask, segment_mask, sentiment, story_id, impact_share);
        CREATE TABLE entity_facts (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            entity INTEGER NOT NULL,      -- entities.rowid
            day TEXT NOT NULL,
            week TEXT NOT NULL,
            relevant INTEGER NOT NULL,
            source_id INTEGER NOT NULL,
            theme_mask INTEGER NOT NULL,
            segment_mask INTEGER NOT NULL,
            PRIMARY KEY (article_id, entity)
        ) WITHOUT ROWID;
        """
    )
    db.execute(ENTITY_FACTS_SELECT.format(where="1"))
    db.execute("CREATE INDEX entity_facts_day ON entity_facts "
               "(day, relevant, week, entity, source_id, theme_mask, segment_mask)")
    # the Review page walks judgements least sure first, stopping at the first few in its period
    db.execute("CREATE INDEX enrichments_margin ON enrichments (abs(relevance - 0.5))")


@MIGRATIONS(name="0018_facts_article_rowid")
def _facts_article_rowid(db: Database) -> None:
    """Each fact row carries its article's rowid (the full-text index's key), in the day index: a search
    within the dashboard's filters joins the index's matches to the facts by integer, not by text id."""
    db.executescript(
        """
        ALTER TABLE article_facts ADD COLUMN article_rowid INTEGER;
        UPDATE article_facts SET article_rowid = (SELECT a.rowid FROM articles a WHERE a.id = article_facts.article_id);
        DROP INDEX article_facts_day;
        CREATE INDEX article_facts_day ON article_facts (day, relevant, week, source_id, theme_mask, segment_mask,
                                                         sentiment, story_id, impact_share, article_rowid);
        """
    )


@MIGRATIONS(name="0019_browser_sessions")
def _browser_sessions(db: Database) -> None:
    """A signed-in browser's session, by the hash of the token its cookie holds (never the token)."""
    db.executescript(
        """
        CREATE TABLE browser_sessions (
            token_hash TEXT PRIMARY KEY,
            name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX browser_sessions_name ON browser_sessions (name);
        """
    )


@MIGRATIONS(name="0020_term_df_recount")
def _term_df_recount(db: Database) -> None:
    """Clustering's words changed (compounds split, possessives folded, dates dropped): the document
    frequencies are counted again, from the clustered articles, by the next analyse run."""
    db.execute("DELETE FROM term_df")


@MIGRATIONS(name="0021_story_sequence")
def _story_sequence(db: Database) -> None:
    """The number of the next new story, kept between analyse runs (each run counted from 1 before, so
    a story started the same day as a stored one could take its id)."""
    db.executescript(
        """
        CREATE TABLE story_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), next INTEGER NOT NULL);
        INSERT INTO story_sequence (id, next)
        SELECT 1, COALESCE(MAX(CAST(substr(id, instr(id, '-') + 1) AS INTEGER)), 0) + 1 FROM stories;
        """
    )


_FIRST_FACTS_SELECT = """
INSERT OR REPLACE INTO article_facts
    (article_id, day, week, source_id, relevant, theme_mask, segment_mask, sentiment)
SELECT a.id, date(a.published_at), date(a.published_at, '-6 days', 'weekday 1'), a.source_id, e.relevant,
       COALESCE((SELECT SUM(1 << b.bit) FROM article_themes t
                 JOIN facet_bits b ON b.kind = 'theme' AND b.name = t.theme WHERE t.article_id = a.id), 0),
       COALESCE((SELECT SUM(1 << b.bit) FROM article_segments g
                 JOIN facet_bits b ON b.kind = 'segment' AND b.name = g.segment WHERE g.article_id = a.id), 0),
       e.sentiment_score
FROM articles a JOIN enrichments e ON e.article_id = a.id
WHERE a.duplicate_of IS NULL
"""  # as the migration that created article_facts filled it (0017 adds the story columns)

ENTITY_FACTS_SELECT = """
INSERT OR REPLACE INTO entity_facts (article_id, entity, day, week, relevant, source_id, theme_mask, segment_mask)
SELECT f.article_id, n.rowid, f.day, f.week, f.relevant, f.source_id, f.theme_mask, f.segment_mask
FROM article_facts f JOIN article_entities x ON x.article_id = f.article_id JOIN entities n ON n.id = x.entity_id
WHERE {where}
"""

FACTS_SELECT = """
INSERT OR REPLACE INTO article_facts
    (article_id, day, week, source_id, relevant, theme_mask, segment_mask, sentiment, story_id, impact_share,
     article_rowid)
SELECT a.id, date(a.published_at), date(a.published_at, '-6 days', 'weekday 1'), a.source_id, e.relevant,
       COALESCE((SELECT SUM(1 << b.bit) FROM article_themes t
                 JOIN facet_bits b ON b.kind = 'theme' AND b.name = t.theme WHERE t.article_id = a.id), 0),
       COALESCE((SELECT SUM(1 << b.bit) FROM article_segments g
                 JOIN facet_bits b ON b.kind = 'segment' AND b.name = g.segment WHERE g.article_id = a.id), 0),
       e.sentiment_score, m.story_id, COALESCE(s.impact / s.article_count, 0), a.rowid
FROM articles a JOIN enrichments e ON e.article_id = a.id
LEFT JOIN article_stories m ON m.article_id = a.id LEFT JOIN stories s ON s.id = m.story_id
WHERE a.duplicate_of IS NULL AND {where}
"""


def known_migrations() -> list[str]:
    """Names of every migration this version of newsdesk knows, in order."""
    return [m.name for m in MIGRATIONS._migrations]
