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
];

export const LATEST_VERSION = MIGRATIONS.at(-1)!.version;
