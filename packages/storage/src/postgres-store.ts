import pg from 'pg';
import {
  articleText,
  classifyFailure,
  cleanArticle,
  ConnectionError,
  redactUrl,
  type ArticleRecord,
  type ExportRecord,
} from '@newsflow/core';
import { contentHash } from './content-hash.ts';
import { MIGRATIONS } from './migrations.ts';
import { lastPoll, toExportRecord, type ArticleRow, type FeedHealthRow, type ParagraphRow } from './rows.ts';
import { groupByArticle } from './sqlite-store.ts';
import type {
  ArticleStore,
  ArticleVersion,
  ExportFilter,
  FeedHealth,
  PollRecord,
  SearchHit,
  SearchOptions,
  StoredFeed,
  UpsertOutcome,
  WriteResult,
} from './types.ts';

const EXPORT_BATCH = 500;
const INDEX_BATCH = 500;
const QUERY_TIMEOUT_MS = 30_000;
const PRUNE_BATCH = 1000;
/** Any constant: serializes migrations when several workers start at once. */
const MIGRATION_LOCK = 0x6e657773;
/** Matches an article's own text search configuration, so stemming follows its language. */
const QUERY = 'websearch_to_tsquery(newsflow_ts_config(a.language), $1)';

/** For deployments: several storage workers may write at once; row locks on the article URL keep them apart. */
export class PostgresStore implements ArticleStore {
  readonly description: string;
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    this.description = redactUrl(connectionString);
    // A server that stops answering (a network cut, not a reset) would hang a query forever: every query has a
    // deadline, and keepalive notices dead sockets. Batches of 50 articles take well under a second.
    this.pool = new pg.Pool({
      connectionString,
      max: 4,
      connectionTimeoutMillis: 5000,
      query_timeout: QUERY_TIMEOUT_MS,
      keepAlive: true,
    });
    this.pool.on('error', () => {
      // Idle clients that lose their connection are dropped from the pool; the next query reconnects.
    });
    // A connection reset while a client is checked out is emitted on the client too; with no listener it would
    // crash the process. The query in flight rejects with the same error, which is what we act on.
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
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
    });
  }

  async upsertArticle(article: ArticleRecord): Promise<UpsertOutcome> {
    const cleaned = cleanArticle(article);
    return this.transaction((client) => this.writeArticle(client, cleaned));
  }

  async upsertArticles(articles: ArticleRecord[]): Promise<WriteResult[]> {
    const cleaned = articles.map(cleanArticle);
    const distinctUrls = new Set(cleaned.map((article) => article.url)).size === cleaned.length;
    try {
      const outcomes = await this.transaction(async (client) => {
        if (cleaned.length > 1 && distinctUrls) return this.writeBatch(client, cleaned);
        const outcomes: UpsertOutcome[] = [];
        for (const article of cleaned) outcomes.push(await this.writeArticle(client, article));
        return outcomes;
      });
      return outcomes.map((outcome) => ({ ok: true, outcome }));
    } catch (error) {
      // A database that is away fails every article alike: retrying each alone would only wait longer.
      if (cleaned.length === 1 || classifyFailure(error) === 'transient')
        return cleaned.map(() => ({ ok: false, error }));
      // One bad article must not fail its batch-mates: each is tried in its own transaction.
      const results: WriteResult[] = [];
      for (const article of cleaned) {
        try {
          results.push({ ok: true, outcome: await this.transaction((client) => this.writeArticle(client, article)) });
        } catch (articleError) {
          results.push({ ok: false, error: articleError });
        }
      }
      return results;
    }
  }

  /**
   * A batch of distinct URLs in six statements, whatever its size: lock and read what exists, keep the versions
   * that change, upsert the rest in one statement, replace their paragraphs in two. The upsert's row locks keep a
   * racing writer out until commit, as in the one-article path.
   */
  private async writeBatch(client: pg.PoolClient, articles: ArticleRecord[]): Promise<UpsertOutcome[]> {
    const hashes = articles.map(contentHash);
    const { rows: existing } = await client.query<{ id: string; url: string; content_hash: string }>(
      'SELECT id, url, content_hash FROM articles WHERE url = ANY($1::text[]) ORDER BY url FOR UPDATE',
      [articles.map((article) => article.url)],
    );
    const existingByUrl = new Map(existing.map((row) => [row.url, row]));
    const outcomes = articles.map((article, i): UpsertOutcome => {
      const row = existingByUrl.get(article.url);
      return !row ? 'inserted' : row.content_hash === hashes[i] ? 'unchanged' : 'updated';
    });
    // In URL order, so two batches racing over the same articles take their row locks in the same order.
    const writes = articles
      .map((article, i) => ({ article, hash: hashes[i]!, outcome: outcomes[i]! }))
      .filter((write) => write.outcome !== 'unchanged')
      .sort((a, b) => (a.article.url < b.article.url ? -1 : a.article.url > b.article.url ? 1 : 0));
    if (writes.length === 0) return outcomes;
    const changedIds = writes.flatMap((write) =>
      write.outcome === 'updated' ? [existingByUrl.get(write.article.url)!.id] : [],
    );
    if (changedIds.length > 0) {
      await client.query(
        `INSERT INTO article_versions (article_id, version, title, text, content_hash, fetched_at)
         SELECT id, version, title, text, content_hash, fetched_at FROM articles WHERE id = ANY($1::bigint[])
         ON CONFLICT DO NOTHING`,
        [changedIds],
      );
    }
    const column = <T>(pick: (write: (typeof writes)[number]) => T) => writes.map(pick);
    const { rows: written } = await client.query<{ id: string; url: string }>(
      `INSERT INTO articles (url, feed_url, title, author, published_at, language, site_name, fetched_at, first_fetched_at,
         text, content_hash, duplicate_of_url, duplicate_similarity, modified_at, canonical_url, image, feed_name, tags)
       SELECT url, feed_url, title, author, published_at, language, site_name, fetched_at, fetched_at, text, content_hash,
         duplicate_of_url, duplicate_similarity, modified_at, canonical_url, image, feed_name, tags::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
         $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::float8[], $13::timestamptz[], $14::text[],
         $15::text[], $16::text[], $17::text[])
         AS a(url, feed_url, title, author, published_at, language, site_name, fetched_at, text, content_hash,
           duplicate_of_url, duplicate_similarity, modified_at, canonical_url, image, feed_name, tags)
       ON CONFLICT (url) DO UPDATE SET feed_url = EXCLUDED.feed_url, title = EXCLUDED.title, author = EXCLUDED.author,
         published_at = EXCLUDED.published_at, language = EXCLUDED.language, site_name = EXCLUDED.site_name,
         fetched_at = EXCLUDED.fetched_at, text = EXCLUDED.text, content_hash = EXCLUDED.content_hash,
         duplicate_of_url = EXCLUDED.duplicate_of_url, duplicate_similarity = EXCLUDED.duplicate_similarity,
         modified_at = EXCLUDED.modified_at, canonical_url = EXCLUDED.canonical_url, image = EXCLUDED.image,
         feed_name = EXCLUDED.feed_name, tags = EXCLUDED.tags,
         version = articles.version + 1, search = NULL
       RETURNING id, url`,
      [
        column((write) => write.article.url),
        column((write) => write.article.feedUrl),
        column((write) => write.article.title),
        column((write) => write.article.author),
        column((write) => write.article.publishedAt),
        column((write) => write.article.language),
        column((write) => write.article.siteName),
        column((write) => write.article.fetchedAt),
        column((write) => articleText(write.article.url, write.article.paragraphs)),
        column((write) => write.hash),
        column((write) => write.article.duplicateOf?.url ?? null),
        column((write) => write.article.duplicateOf?.similarity ?? null),
        column((write) => write.article.modifiedAt),
        column((write) => write.article.canonicalUrl),
        column((write) => write.article.image),
        column((write) => write.article.feedName),
        column((write) => JSON.stringify(write.article.tags)),
      ],
    );
    const idByUrl = new Map(written.map((row) => [row.url, row.id]));
    await client.query('DELETE FROM paragraphs WHERE article_id = ANY($1::bigint[])', [written.map((row) => row.id)]);
    const paragraphs = writes.flatMap((write) =>
      write.article.paragraphs.map((paragraph, position) => ({
        articleId: idByUrl.get(write.article.url)!,
        position,
        paragraph,
      })),
    );
    if (paragraphs.length > 0) {
      await client.query(
        `INSERT INTO paragraphs (article_id, position, text, duplicate_of_url, duplicate_of_position, duplicate_similarity)
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::int[], $6::float8[])`,
        [
          paragraphs.map((entry) => entry.articleId),
          paragraphs.map((entry) => entry.position),
          paragraphs.map((entry) => entry.paragraph.text),
          paragraphs.map((entry) => entry.paragraph.duplicateOf?.url ?? null),
          paragraphs.map((entry) => entry.paragraph.duplicateOf?.index ?? null),
          paragraphs.map((entry) => entry.paragraph.duplicateOf?.similarity ?? null),
        ],
      );
    }
    return outcomes;
  }

  private async writeArticle(client: pg.PoolClient, article: ArticleRecord): Promise<UpsertOutcome> {
    const hash = contentHash(article);
    const text = articleText(article.url, article.paragraphs);
    const values = [
      article.url,
      article.feedUrl,
      article.title,
      article.author,
      article.publishedAt,
      article.language,
      article.siteName,
      article.fetchedAt,
      text,
      hash,
      article.duplicateOf?.url ?? null,
      article.duplicateOf?.similarity ?? null,
      article.modifiedAt,
      article.canonicalUrl,
      article.image,
      article.feedName,
      JSON.stringify(article.tags),
    ];
    // The row lock (FOR UPDATE, or the insert's) makes a racing writer of the same URL wait for our commit, so
    // paragraphs are never interleaved. An insert that loses the race falls through to the update path.
    for (;;) {
      const existing = await client.query<{ id: string; content_hash: string }>(
        'SELECT id, content_hash FROM articles WHERE url = $1 FOR UPDATE',
        [article.url],
      );
      const row = existing.rows[0];
      if (row?.content_hash === hash) return 'unchanged';
      let articleId: string;
      if (row) {
        await client.query(
          `INSERT INTO article_versions (article_id, version, title, text, content_hash, fetched_at)
           SELECT id, version, title, text, content_hash, fetched_at FROM articles WHERE id = $1
           ON CONFLICT DO NOTHING`,
          [row.id],
        );
        await client.query(
          `UPDATE articles SET feed_url = $2, title = $3, author = $4, published_at = $5, language = $6, site_name = $7,
             fetched_at = $8, text = $9, content_hash = $10, duplicate_of_url = $11, duplicate_similarity = $12,
             modified_at = $13, canonical_url = $14, image = $15, feed_name = $16, tags = $17::jsonb,
             version = version + 1, search = NULL
           WHERE url = $1`,
          values,
        );
        await client.query('DELETE FROM paragraphs WHERE article_id = $1', [row.id]);
        articleId = row.id;
      } else {
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO articles (url, feed_url, title, author, published_at, language, site_name, fetched_at, first_fetched_at,
             text, content_hash, duplicate_of_url, duplicate_similarity, modified_at, canonical_url, image, feed_name, tags)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb)
           ON CONFLICT (url) DO NOTHING RETURNING id`,
          values,
        );
        if (!inserted.rows[0]) continue;
        articleId = inserted.rows[0].id;
      }
      if (article.paragraphs.length > 0) {
        await client.query(
          `INSERT INTO paragraphs (article_id, position, text, duplicate_of_url, duplicate_of_position, duplicate_similarity)
           SELECT $1, position - 1, text, dup_url, dup_position, dup_similarity
           FROM unnest($2::text[], $3::text[], $4::int[], $5::float8[]) WITH ORDINALITY
             AS p(text, dup_url, dup_position, dup_similarity, position)`,
          [
            articleId,
            article.paragraphs.map((paragraph) => paragraph.text),
            article.paragraphs.map((paragraph) => paragraph.duplicateOf?.url ?? null),
            article.paragraphs.map((paragraph) => paragraph.duplicateOf?.index ?? null),
            article.paragraphs.map((paragraph) => paragraph.duplicateOf?.similarity ?? null),
          ],
        );
      }
      return row ? 'updated' : 'inserted';
    }
  }

  async indexPending(): Promise<number> {
    let indexed = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(
        `UPDATE articles SET search = setweight(to_tsvector(newsflow_ts_config(language), title), 'A') ||
           setweight(to_tsvector(newsflow_ts_config(language), text), 'B')
         WHERE id IN (SELECT id FROM articles WHERE search IS NULL ORDER BY id LIMIT ${INDEX_BATCH})`,
      );
      indexed += rowCount ?? 0;
      if ((rowCount ?? 0) < INDEX_BATCH) return indexed;
    }
  }

  async *exportArticles(filter: ExportFilter = {}): AsyncIterable<ExportRecord> {
    if (filter.query !== undefined && !/[\p{L}\p{N}]/u.test(filter.query)) return;
    if (filter.query !== undefined) await this.indexPending();
    let after = '0';
    for (;;) {
      const params: unknown[] = [];
      const conditions: string[] = [];
      if (filter.query !== undefined) {
        params.push(filter.query);
        conditions.push(`a.search @@ ${QUERY}`);
      }
      conditions.push(`a.id > $${params.push(after)}`);
      if (filter.since) conditions.push(`a.fetched_at >= $${params.push(filter.since)}`);
      if (filter.feedUrl) conditions.push(`a.feed_url = $${params.push(filter.feedUrl)}`);
      const { rows } = await this.pool.query<ArticleRow>(
        `SELECT a.* FROM articles a WHERE ${conditions.join(' AND ')} ORDER BY a.id LIMIT ${EXPORT_BATCH}`,
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

  async latestArticles(limit: number): Promise<ExportRecord[]> {
    const { rows } = await this.pool.query<ArticleRow>('SELECT * FROM articles ORDER BY id DESC LIMIT $1', [limit]);
    if (rows.length === 0) return [];
    const paragraphRows = await this.pool.query<ParagraphRow>(
      'SELECT * FROM paragraphs WHERE article_id = ANY($1::bigint[]) ORDER BY article_id, position',
      [rows.map((row) => row.id)],
    );
    const paragraphs = groupByArticle(paragraphRows.rows);
    return rows.map((row) => toExportRecord(row, paragraphs.get(Number(row.id)) ?? []));
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    if (!/[\p{L}\p{N}]/u.test(query)) return [];
    // Whatever the storage worker has not indexed yet is indexed now: a search never misses a stored article.
    await this.indexPending();
    const params: unknown[] = [query];
    const conditions = [`a.search @@ ${QUERY}`];
    if (options.since) conditions.push(`a.fetched_at >= $${params.push(options.since)}`);
    if (options.feedUrl) conditions.push(`a.feed_url = $${params.push(options.feedUrl)}`);
    const limit = params.push(options.limit ?? 20);
    const { rows } = await this.pool.query<{
      url: string;
      title: string;
      feed_url: string;
      published_at: Date | null;
      fetched_at: Date;
      snippet: string;
    }>(
      `SELECT a.url, a.title, a.feed_url, a.published_at, a.fetched_at,
         ts_headline(newsflow_ts_config(a.language), a.text, ${QUERY},
           'StartSel=[, StopSel=], MaxWords=24, MinWords=10, MaxFragments=1, FragmentDelimiter=…') AS snippet
       FROM articles a WHERE ${conditions.join(' AND ')}
       ORDER BY ts_rank(a.search, ${QUERY}) DESC, a.id LIMIT $${limit}`,
      params,
    );
    return rows.map((row) => ({
      url: row.url,
      title: row.title,
      feedUrl: row.feed_url,
      publishedAt: row.published_at?.toISOString() ?? null,
      fetchedAt: row.fetched_at.toISOString(),
      snippet: row.snippet,
    }));
  }

  async articleVersions(url: string): Promise<ArticleVersion[]> {
    const { rows } = await this.pool.query<{ version: number; title: string; text: string; fetched_at: Date }>(
      `SELECT v.version, v.title, v.text, v.fetched_at FROM article_versions v JOIN articles a ON a.id = v.article_id
       WHERE a.url = $1 ORDER BY v.version`,
      [url],
    );
    return rows.map((row) => ({
      version: row.version,
      title: row.title,
      text: row.text,
      fetchedAt: row.fetched_at.toISOString(),
    }));
  }

  async pruneOlderThan(cutoff: string): Promise<string[]> {
    const removed: string[] = [];
    // Batches keep each transaction short; paragraphs and versions go with their article (ON DELETE CASCADE).
    for (;;) {
      const { rows } = await this.pool.query<{ url: string }>(
        `DELETE FROM articles WHERE id IN (SELECT id FROM articles WHERE fetched_at < $1 LIMIT ${PRUNE_BATCH}) RETURNING url`,
        [cutoff],
      );
      if (rows.length === 0) return removed;
      removed.push(...rows.map((row) => row.url));
    }
  }

  async recordPoll(poll: PollRecord): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(
        `INSERT INTO poll_log (feed_url, polled_at, status, items, new_items, not_modified, duration_ms, error, http_status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (feed_url, polled_at) DO NOTHING`,
        [
          poll.feedUrl,
          poll.polledAt,
          poll.status,
          poll.items,
          poll.newItems,
          poll.status === 'not-modified',
          poll.durationMs,
          poll.error,
          poll.httpStatus ?? null,
        ],
      );
      await client.query(
        `INSERT INTO feeds (url, name, last_polled_at, etag, last_modified, consecutive_failures, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (url) DO UPDATE SET name = coalesce(excluded.name, feeds.name), last_polled_at = excluded.last_polled_at,
           etag = coalesce(excluded.etag, feeds.etag), last_modified = coalesce(excluded.last_modified, feeds.last_modified),
           consecutive_failures = excluded.consecutive_failures, last_error = excluded.last_error
         WHERE feeds.last_polled_at IS NULL OR excluded.last_polled_at >= feeds.last_polled_at`,
        [
          poll.feedUrl,
          poll.feedName ?? null,
          poll.polledAt,
          poll.etag ?? null,
          poll.lastModified ?? null,
          poll.consecutiveFailures,
          poll.error,
        ],
      );
    });
  }

  async feedHealth(): Promise<FeedHealth[]> {
    const { rows } = await this.pool.query<{
      url: string;
      name: string | null;
      last_polled_at: Date | null;
      consecutive_failures: number;
      last_error: string | null;
      last_success_at: Date | null;
      new_items_week: string;
      polls: string;
      last_status: FeedHealthRow['last_status'];
      last_http_status: number | null;
      last_items: number | null;
      last_new_items: number | null;
    }>(
      `SELECT f.url, f.name, f.last_polled_at, f.consecutive_failures, f.last_error,
         (SELECT max(polled_at) FROM poll_log p WHERE p.feed_url = f.url AND p.status <> 'failed') AS last_success_at,
         (SELECT coalesce(sum(new_items), 0) FROM poll_log p WHERE p.feed_url = f.url AND p.polled_at >= now() - interval '7 days') AS new_items_week,
         (SELECT count(*) FROM poll_log p WHERE p.feed_url = f.url) AS polls,
         l.status AS last_status, l.http_status AS last_http_status, l.items AS last_items, l.new_items AS last_new_items
       FROM feeds f
       LEFT JOIN LATERAL (SELECT * FROM poll_log p WHERE p.feed_url = f.url ORDER BY polled_at DESC LIMIT 1) l ON true
       ORDER BY f.url`,
    );
    return rows.map((row) => ({
      url: row.url,
      name: row.name,
      lastPolledAt: row.last_polled_at?.toISOString() ?? null,
      lastSuccessAt: row.last_success_at?.toISOString() ?? null,
      consecutiveFailures: row.consecutive_failures,
      lastError: row.last_error || null,
      newItemsPerDay: Math.round((Number(row.new_items_week) / 7) * 10) / 10,
      polls: Number(row.polls),
      lastPoll: lastPoll(row),
    }));
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async countArticles(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>('SELECT count(*) AS count FROM articles');
    return Number(rows[0]!.count);
  }

  async addFeeds(feeds: StoredFeed[]): Promise<number> {
    let added = 0;
    // One statement per thousand feeds: a 100,000-feed import is a hundred round trips, not a hundred thousand.
    for (let start = 0; start < feeds.length; start += 1000) {
      const batch = feeds.slice(start, start + 1000);
      const result = await this.pool.query(
        `INSERT INTO feed_list (url, name, interval_ms, tags)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[]) ON CONFLICT (url) DO NOTHING`,
        [
          batch.map((feed) => feed.url),
          batch.map((feed) => feed.name),
          batch.map((feed) => feed.intervalMs),
          batch.map((feed) => JSON.stringify(feed.tags)),
        ],
      );
      added += result.rowCount ?? 0;
    }
    return added;
  }

  async removeFeeds(urls: string[]): Promise<number> {
    const result = await this.pool.query('DELETE FROM feed_list WHERE url = ANY($1::text[])', [urls]);
    return result.rowCount ?? 0;
  }

  async listFeeds(): Promise<StoredFeed[]> {
    const { rows } = await this.pool.query<{
      url: string;
      name: string | null;
      interval_ms: string | null;
      tags: string[];
    }>('SELECT url, name, interval_ms, tags FROM feed_list ORDER BY added_at, url');
    return rows.map((row) => ({
      url: row.url,
      name: row.name,
      intervalMs: row.interval_ms === null ? null : Number(row.interval_ms),
      tags: row.tags,
    }));
  }

  async feedsVersion(): Promise<string> {
    const { rows } = await this.pool.query<{ count: string; latest: Date | null; urls: string }>(
      'SELECT count(*) AS count, max(added_at) AS latest, coalesce(sum(length(url)), 0) AS urls FROM feed_list',
    );
    const row = rows[0]!;
    return `${row.count}:${row.latest?.toISOString() ?? ''}:${row.urls}`;
  }

  /** PostgreSQL takes many writers: nothing to claim. */
  async claimWriter(): Promise<void> {}

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let result: T;
    try {
      await client.query('BEGIN');
      result = await work(client);
      await client.query('COMMIT');
    } catch (error) {
      // A connection that timed out or broke may still deliver a stale reply: destroy it instead of reusing it.
      const broken = classifyFailure(error) === 'transient';
      if (!broken) await client.query('ROLLBACK').catch(() => {});
      client.release(broken ? (error as Error) : undefined);
      throw error;
    }
    client.release();
    return result;
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      // The server answered but has no such database: starting a server would not help.
      const hint =
        (error as { code?: unknown }).code === '3D000'
          ? `create it (\`createdb ${new URL(this.description).pathname.slice(1)}\`, or CREATE DATABASE) or set DATABASE_URL`
          : 'start it with `docker compose up -d postgres` or set DATABASE_URL';
      throw new ConnectionError(
        `cannot reach PostgreSQL at ${this.description}: ${(error as Error).message}; ${hint}`,
        this.description,
        hint,
      );
    }
  }
}
