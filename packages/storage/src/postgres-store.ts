import pg from 'pg';
import { articleText, ConnectionError, redactUrl, type ArticleRecord, type ExportRecord } from '@newsflow/core';
import { contentHash } from './content-hash.ts';
import { MIGRATIONS } from './migrations.ts';
import { toExportRecord, type ArticleRow, type ParagraphRow } from './rows.ts';
import { groupByArticle } from './sqlite-store.ts';
import type { ArticleStore, ExportFilter, UpsertOutcome } from './types.ts';

const EXPORT_BATCH = 500;
/** Any constant: serializes migrations when several workers start at once. */
const MIGRATION_LOCK = 0x6e657773;

/** For deployments: several storage workers may write at once; row locks on the article URL keep them apart. */
export class PostgresStore implements ArticleStore {
  readonly description: string;
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    this.description = redactUrl(connectionString);
    this.pool = new pg.Pool({ connectionString, max: 4, connectionTimeoutMillis: 5000 });
    this.pool.on('error', () => {
      // Idle clients that lose their connection are dropped from the pool; the next query reconnects.
    });
  }

  async migrate(): Promise<void> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.version));
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async upsertArticle(article: ArticleRecord): Promise<UpsertOutcome> {
    const hash = contentHash(article);
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      // The upsert takes the row lock: a racing writer of the same URL waits here until we commit, so paragraphs
      // are never interleaved. Unchanged content matches no row and writes nothing.
      const { rows } = await client.query<{ id: string; inserted: boolean }>(
        `INSERT INTO articles (url, feed_url, title, author, published_at, language, site_name, fetched_at, text,
           content_hash, duplicate_of_url, duplicate_similarity)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (url) DO UPDATE SET feed_url = EXCLUDED.feed_url, title = EXCLUDED.title, author = EXCLUDED.author,
           published_at = EXCLUDED.published_at, language = EXCLUDED.language, site_name = EXCLUDED.site_name,
           fetched_at = EXCLUDED.fetched_at, text = EXCLUDED.text, content_hash = EXCLUDED.content_hash,
           duplicate_of_url = EXCLUDED.duplicate_of_url, duplicate_similarity = EXCLUDED.duplicate_similarity
         WHERE articles.content_hash IS DISTINCT FROM EXCLUDED.content_hash
         RETURNING id, (xmax = 0) AS inserted`,
        [
          article.url,
          article.feedUrl,
          article.title,
          article.author,
          article.publishedAt,
          article.language,
          article.siteName,
          article.fetchedAt,
          articleText(article.url, article.paragraphs),
          hash,
          article.duplicateOf?.url ?? null,
          article.duplicateOf?.similarity ?? null,
        ],
      );
      const row = rows[0];
      if (!row) {
        await client.query('COMMIT');
        return 'unchanged';
      }
      if (!row.inserted) await client.query('DELETE FROM paragraphs WHERE article_id = $1', [row.id]);
      if (article.paragraphs.length > 0) {
        await client.query(
          `INSERT INTO paragraphs (article_id, position, text, duplicate_of_url, duplicate_of_position, duplicate_similarity)
           SELECT $1, position - 1, text, dup_url, dup_position, dup_similarity
           FROM unnest($2::text[], $3::text[], $4::int[], $5::float8[]) WITH ORDINALITY
             AS p(text, dup_url, dup_position, dup_similarity, position)`,
          [
            row.id,
            article.paragraphs.map((paragraph) => paragraph.text),
            article.paragraphs.map((paragraph) => paragraph.duplicateOf?.url ?? null),
            article.paragraphs.map((paragraph) => paragraph.duplicateOf?.index ?? null),
            article.paragraphs.map((paragraph) => paragraph.duplicateOf?.similarity ?? null),
          ],
        );
      }
      await client.query('COMMIT');
      return row.inserted ? 'inserted' : 'updated';
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async *exportArticles(filter: ExportFilter = {}): AsyncIterable<ExportRecord> {
    let after = '0';
    for (;;) {
      const params: unknown[] = [after];
      const conditions = ['id > $1'];
      if (filter.since) conditions.push(`fetched_at >= $${params.push(filter.since)}`);
      if (filter.feedUrl) conditions.push(`feed_url = $${params.push(filter.feedUrl)}`);
      const { rows } = await this.pool.query<ArticleRow>(
        `SELECT * FROM articles WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${EXPORT_BATCH}`,
        params,
      );
      if (rows.length === 0) return;
      const paragraphRows = await this.pool.query<ParagraphRow>(
        'SELECT * FROM paragraphs WHERE article_id = ANY($1::bigint[]) ORDER BY article_id, position',
        [rows.map((row) => row.id)],
      );
      const paragraphs = groupByArticle(paragraphRows.rows);
      for (const row of rows) yield toExportRecord(row, paragraphs.get(Number(row.id)) ?? []);
      after = String(rows.at(-1)!.id);
    }
  }

  async countArticles(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>('SELECT count(*) AS count FROM articles');
    return Number(rows[0]!.count);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw new ConnectionError(
        `cannot reach PostgreSQL at ${this.description}: ${(error as Error).message}; start it with \`docker compose up -d postgres\` or set DATABASE_URL`,
        this.description,
      );
    }
  }
}
