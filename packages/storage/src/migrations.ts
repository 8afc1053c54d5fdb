/**
 * Forward-only schema versions. Append a new entry for every change; never edit one that has shipped.
 * Each dialect gets the same meaning; SQLite keeps instants as ISO 8601 text, PostgreSQL as timestamptz.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'articles and paragraphs',
    sqlite: `
      CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        feed_url TEXT NOT NULL,
        title TEXT NOT NULL,
        author TEXT,
        published_at TEXT,
        language TEXT,
        site_name TEXT,
        fetched_at TEXT NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        duplicate_of_url TEXT,
        duplicate_similarity REAL
      );
      CREATE INDEX articles_fetched_at ON articles (fetched_at);
      CREATE INDEX articles_feed_url ON articles (feed_url);
      CREATE TABLE paragraphs (
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        duplicate_of_url TEXT,
        duplicate_of_position INTEGER,
        duplicate_similarity REAL,
        PRIMARY KEY (article_id, position)
      );`,
    postgres: `
      CREATE TABLE articles (
        id BIGSERIAL PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        feed_url TEXT NOT NULL,
        title TEXT NOT NULL,
        author TEXT,
        published_at TIMESTAMPTZ,
        language TEXT,
        site_name TEXT,
        fetched_at TIMESTAMPTZ NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        duplicate_of_url TEXT,
        duplicate_similarity DOUBLE PRECISION
      );
      CREATE INDEX articles_fetched_at ON articles (fetched_at);
      CREATE INDEX articles_feed_url ON articles (feed_url);
      CREATE TABLE paragraphs (
        article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        duplicate_of_url TEXT,
        duplicate_of_position INTEGER,
        duplicate_similarity DOUBLE PRECISION,
        PRIMARY KEY (article_id, position)
      );`,
  },
  {
    version: 2,
    name: 'versions, feeds, poll log, full-text search',
    sqlite: `
      ALTER TABLE articles ADD COLUMN first_fetched_at TEXT;
      ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      UPDATE articles SET first_fetched_at = fetched_at;
      CREATE TABLE article_versions (
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (article_id, version)
      );
      CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        name TEXT,
        last_polled_at TEXT,
        etag TEXT,
        last_modified TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );
      CREATE TABLE poll_log (
        id INTEGER PRIMARY KEY,
        feed_url TEXT NOT NULL,
        polled_at TEXT NOT NULL,
        status TEXT NOT NULL,
        items INTEGER,
        new_items INTEGER,
        not_modified INTEGER NOT NULL DEFAULT 0,
        duration_ms INTEGER,
        error TEXT
      );
      CREATE INDEX poll_log_feed ON poll_log (feed_url, polled_at);
      CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content = 'articles', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
      END;
      CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
      END;
      CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
      END;
      INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');`,
    postgres: `
      ALTER TABLE articles ADD COLUMN first_fetched_at TIMESTAMPTZ, ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      UPDATE articles SET first_fetched_at = fetched_at;
      CREATE TABLE article_versions (
        article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        fetched_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (article_id, version)
      );
      CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        name TEXT,
        last_polled_at TIMESTAMPTZ,
        etag TEXT,
        last_modified TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );
      CREATE TABLE poll_log (
        id BIGSERIAL PRIMARY KEY,
        feed_url TEXT NOT NULL,
        polled_at TIMESTAMPTZ NOT NULL,
        status TEXT NOT NULL,
        items INTEGER,
        new_items INTEGER,
        not_modified BOOLEAN NOT NULL DEFAULT false,
        duration_ms INTEGER,
        error TEXT
      );
      CREATE INDEX poll_log_feed ON poll_log (feed_url, polled_at);
      -- The text search configuration for an article's language; 'simple' (no stemming) when unknown.
      CREATE FUNCTION newsflow_ts_config(language TEXT) RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$
        SELECT (CASE language
          WHEN 'en' THEN 'english' WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish'
          WHEN 'pt' THEN 'portuguese' WHEN 'it' THEN 'italian' WHEN 'nl' THEN 'dutch' WHEN 'ru' THEN 'russian'
          WHEN 'sv' THEN 'swedish' WHEN 'da' THEN 'danish' WHEN 'fi' THEN 'finnish' WHEN 'no' THEN 'norwegian'
          WHEN 'hu' THEN 'hungarian' WHEN 'ro' THEN 'romanian' WHEN 'tr' THEN 'turkish' WHEN 'lt' THEN 'lithuanian'
          ELSE 'simple' END)::regconfig
      $$;
      ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(newsflow_ts_config(language), title), 'A') ||
        setweight(to_tsvector(newsflow_ts_config(language), text), 'B')
      ) STORED;
      CREATE INDEX articles_search ON articles USING gin (search);`,
  },
  {
    version: 3,
    name: 'full-text index built after the write',
    // SQLite's FTS5 triggers stayed until migration 8.
    sqlite: '',
    // Building a tsvector is over half the cost of storing an article; it moves out of the write transaction into
    // indexPending() (run by the storage worker every few seconds and before every search).
    postgres: `
      ALTER TABLE articles DROP COLUMN search;
      ALTER TABLE articles ADD COLUMN search tsvector;
      CREATE INDEX articles_search ON articles USING gin (search);
      CREATE INDEX articles_unindexed ON articles (id) WHERE search IS NULL;`,
  },
  {
    version: 4,
    name: 'one poll log row per poll',
    // Poll records stay in Redis until written, so a storage worker that dies after writing, or two that race,
    // write one again: the unique key makes that a no-op.
    sqlite: `
      DELETE FROM poll_log WHERE id NOT IN (SELECT min(id) FROM poll_log GROUP BY feed_url, polled_at);
      DROP INDEX poll_log_feed;
      CREATE UNIQUE INDEX poll_log_feed ON poll_log (feed_url, polled_at);`,
    postgres: `
      DELETE FROM poll_log a USING poll_log b WHERE a.feed_url = b.feed_url AND a.polled_at = b.polled_at AND a.id > b.id;
      DROP INDEX poll_log_feed;
      CREATE UNIQUE INDEX poll_log_feed ON poll_log (feed_url, polled_at);`,
  },
  {
    version: 5,
    name: 'feed name, tags, lead image, canonical URL and modification time on articles',
    sqlite: `
      ALTER TABLE articles ADD COLUMN modified_at TEXT;
      ALTER TABLE articles ADD COLUMN canonical_url TEXT;
      ALTER TABLE articles ADD COLUMN image TEXT;
      ALTER TABLE articles ADD COLUMN feed_name TEXT;
      ALTER TABLE articles ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';`,
    postgres: `
      ALTER TABLE articles ADD COLUMN modified_at TIMESTAMPTZ, ADD COLUMN canonical_url TEXT, ADD COLUMN image TEXT,
        ADD COLUMN feed_name TEXT, ADD COLUMN tags JSONB NOT NULL DEFAULT '[]';`,
  },
  {
    version: 6,
    name: 'HTTP status of each poll',
    sqlite: `ALTER TABLE poll_log ADD COLUMN http_status INTEGER;`,
    postgres: `ALTER TABLE poll_log ADD COLUMN http_status INTEGER;`,
  },
  {
    version: 7,
    // `feeds` holds what polling learned of each feed (migration 1); this is the list of feeds to poll.
    name: 'feed list in the database (feeds import --db), beside the config file',
    sqlite: `
      CREATE TABLE feed_list (url TEXT PRIMARY KEY, name TEXT, interval_ms INTEGER, tags TEXT NOT NULL DEFAULT '[]',
        added_at TEXT NOT NULL);`,
    postgres: `
      CREATE TABLE feed_list (url TEXT PRIMARY KEY, name TEXT, interval_ms BIGINT, tags JSONB NOT NULL DEFAULT '[]',
        added_at TIMESTAMPTZ NOT NULL DEFAULT now());`,
  },
  {
    version: 8,
    name: 'SQLite full-text index built after the write, as on PostgreSQL',
    // FTS5 indexing from a trigger, row by row, was a large part of a SQLite write; indexPending() adds the waiting
    // rows in batches, which FTS5 does for less per article. An indexed article's old words leave the index when it
    // changes or goes (FTS5 removes words only given the values it indexed); a waiting one has none there yet.
    sqlite: `
      DROP TRIGGER articles_fts_insert;
      DROP TRIGGER articles_fts_update;
      DROP TRIGGER articles_fts_delete;
      CREATE TABLE articles_unindexed (article_id INTEGER PRIMARY KEY);
      CREATE TRIGGER articles_unindexed_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_unindexed (article_id) VALUES (new.id);
      END;
      CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles
      WHEN old.id NOT IN (SELECT article_id FROM articles_unindexed) BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_unindexed (article_id) VALUES (new.id);
      END;
      CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
          SELECT 'delete', old.id, old.title, old.text WHERE old.id NOT IN (SELECT article_id FROM articles_unindexed);
        DELETE FROM articles_unindexed WHERE article_id = old.id;
      END;`,
    postgres: '',
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)!.version;
