import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  articleText,
  classifyFailure,
  cleanArticle,
  ConfigError,
  type ArticleRecord,
  type ExportRecord,
} from '@newsflow/core';
import { contentHash } from './content-hash.ts';
import { MIGRATIONS } from './migrations.ts';
import { lastPoll, toExportRecord, type ArticleRow, type FeedHealthRow, type ParagraphRow } from './rows.ts';
import { toFtsQuery } from './search-query.ts';
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
const PRUNE_BATCH = 1000;
/** Articles per full-text indexing transaction: FTS5 costs less per article in batches than one by one. */
const INDEX_BATCH = 100;
const WEEK_MS = 7 * 86_400_000;

/** The embedded default: one file, WAL mode so readers (export, search) never block the writer. */
export class SqliteStore implements ArticleStore {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly writeBatch: Database.Transaction<(articles: ArticleRecord[]) => UpsertOutcome[]>;
  /** Adds up to INDEX_BATCH waiting articles to the full-text index; returns how many it added. */
  private readonly indexBatch: Database.Transaction<() => number>;
  private lockPath: string | null = null;
  private lockRenewal: NodeJS.Timeout | undefined;
  /** The write path's statements, compiled once: writeArticle runs for every article of every batch. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('synchronous = NORMAL');
    this.description = `sqlite:${path}`;
    this.writeBatch = this.db.transaction((articles: ArticleRecord[]) =>
      articles.map((article) => this.writeArticle(article)),
    );
    this.indexBatch = this.db.transaction(() => {
      const waiting = `SELECT article_id FROM articles_unindexed ORDER BY article_id LIMIT ${INDEX_BATCH}`;
      const { changes } = this.prepared(
        `INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles WHERE id IN (${waiting})`,
      ).run();
      this.prepared(`DELETE FROM articles_unindexed WHERE article_id IN (${waiting})`).run();
      return changes;
    });
  }

  async migrate(): Promise<void> {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const apply = this.db.transaction(() => {
      const applied = new Set(
        this.db
          .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
          .all()
          .map((row) => row.version),
      );
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        this.db.exec(migration.sqlite);
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
      }
    });
    apply.immediate();
  }

  async upsertArticle(article: ArticleRecord): Promise<UpsertOutcome> {
    return this.writeBatch.immediate([cleanArticle(article)])[0]!;
  }

  async upsertArticles(articles: ArticleRecord[]): Promise<WriteResult[]> {
    const cleaned = articles.map(cleanArticle);
    try {
      return this.writeBatch.immediate(cleaned).map((outcome) => ({ ok: true, outcome }));
    } catch (error) {
      // A busy or failing database fails every article alike; anything else may be one article's fault.
      if (articles.length === 1 || classifyFailure(error) === 'transient')
        return articles.map(() => ({ ok: false, error }));
      return cleaned.map((article) => {
        try {
          return { ok: true, outcome: this.writeBatch.immediate([article])[0]! };
        } catch (articleError) {
          return { ok: false, error: articleError };
        }
      });
    }
  }

  private writeArticle(article: ArticleRecord): UpsertOutcome {
    const hash = contentHash(article);
    const existing = this.prepared<
      [string],
      { id: number; content_hash: string; version: number; title: string; text: string; fetched_at: string }
    >('SELECT id, content_hash, version, title, text, fetched_at FROM articles WHERE url = ?').get(article.url);
    if (existing?.content_hash === hash) return 'unchanged';
    const values = {
      url: article.url,
      feed_url: article.feedUrl,
      title: article.title,
      author: article.author,
      published_at: article.publishedAt,
      language: article.language,
      site_name: article.siteName,
      fetched_at: article.fetchedAt,
      modified_at: article.modifiedAt,
      canonical_url: article.canonicalUrl,
      image: article.image,
      feed_name: article.feedName,
      tags: JSON.stringify(article.tags),
      text: articleText(article.url, article.paragraphs),
      content_hash: hash,
      duplicate_of_url: article.duplicateOf?.url ?? null,
      duplicate_similarity: article.duplicateOf?.similarity ?? null,
    };
    let articleId: number;
    if (existing) {
      // The text it replaces stays retrievable as a version (news-please keeps versions the same way).
      this.prepared(
        'INSERT OR IGNORE INTO article_versions (article_id, version, title, text, content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(existing.id, existing.version, existing.title, existing.text, existing.content_hash, existing.fetched_at);
      this.prepared(
        `UPDATE articles SET feed_url = @feed_url, title = @title, author = @author, published_at = @published_at,
             language = @language, site_name = @site_name, fetched_at = @fetched_at, modified_at = @modified_at,
             canonical_url = @canonical_url, image = @image, feed_name = @feed_name, tags = @tags, text = @text,
             content_hash = @content_hash, duplicate_of_url = @duplicate_of_url,
             duplicate_similarity = @duplicate_similarity, version = version + 1
           WHERE url = @url`,
      ).run(values);
      articleId = existing.id;
      this.prepared('DELETE FROM paragraphs WHERE article_id = ?').run(articleId);
    } else {
      const result = this.prepared(
        `INSERT INTO articles (url, feed_url, title, author, published_at, language, site_name, fetched_at, first_fetched_at,
             modified_at, canonical_url, image, feed_name, tags, text, content_hash, duplicate_of_url, duplicate_similarity)
           VALUES (@url, @feed_url, @title, @author, @published_at, @language, @site_name, @fetched_at, @fetched_at,
             @modified_at, @canonical_url, @image, @feed_name, @tags, @text, @content_hash, @duplicate_of_url,
             @duplicate_similarity)`,
      ).run(values);
      articleId = Number(result.lastInsertRowid);
    }
    const insertParagraph = this.prepared(
      `INSERT INTO paragraphs (article_id, position, text, duplicate_of_url, duplicate_of_position, duplicate_similarity)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    article.paragraphs.forEach((paragraph, position) => {
      const original = paragraph.duplicateOf;
      insertParagraph.run(
        articleId,
        position,
        paragraph.text,
        original?.url ?? null,
        original?.index ?? null,
        original?.similarity ?? null,
      );
    });
    return existing ? 'updated' : 'inserted';
  }

  private prepared<P extends unknown[] | object = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as unknown as Database.Statement<P, R>;
  }

  async *exportArticles(filter: ExportFilter = {}): AsyncIterable<ExportRecord> {
    const conditions = ['a.id > @after'];
    const params: Record<string, unknown> = {};
    if (filter.since) {
      conditions.push('a.fetched_at >= @since');
      params.since = new Date(filter.since).toISOString();
    }
    if (filter.feedUrl) {
      conditions.push('a.feed_url = @feedUrl');
      params.feedUrl = filter.feedUrl;
    }
    if (filter.query !== undefined) {
      const match = toFtsQuery(filter.query);
      if (match === null) return;
      await this.indexPending();
      conditions.push('a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH @match)');
      params.match = match;
    }
    const selectArticles = this.db.prepare<Record<string, unknown>, ArticleRow>(
      `SELECT a.* FROM articles a WHERE ${conditions.join(' AND ')} ORDER BY a.id LIMIT ${EXPORT_BATCH}`,
    );
    const selectParagraphs = this.db.prepare<[number, number], ParagraphRow>(
      'SELECT * FROM paragraphs WHERE article_id BETWEEN ? AND ? ORDER BY article_id, position',
    );
    // Keyset pages keep memory flat however many articles there are, and never hold a read transaction open.
    let after = 0;
    for (;;) {
      const rows = selectArticles.all({ ...params, after });
      if (rows.length === 0) return;
      const paragraphs = groupByArticle(selectParagraphs.all(Number(rows[0]!.id), Number(rows.at(-1)!.id)));
      for (const row of rows) yield toExportRecord(row, paragraphs.get(Number(row.id)) ?? []);
      after = Number(rows.at(-1)!.id);
    }
  }

  async latestArticles(limit: number): Promise<ExportRecord[]> {
    const rows = this.prepared<[number], ArticleRow>('SELECT * FROM articles ORDER BY id DESC LIMIT ?').all(limit);
    if (rows.length === 0) return [];
    const paragraphs = groupByArticle(
      this.prepared<[number, number], ParagraphRow>(
        'SELECT * FROM paragraphs WHERE article_id BETWEEN ? AND ? ORDER BY article_id, position',
      ).all(Number(rows.at(-1)!.id), Number(rows[0]!.id)),
    );
    return rows.map((row) => toExportRecord(row, paragraphs.get(Number(row.id)) ?? []));
  }

  async indexPending(): Promise<number> {
    let indexed = 0;
    for (;;) {
      // Looked for before the write lock is taken: a search in another process, usually with nothing to index,
      // neither waits for the storage worker's writes nor needs a writable file.
      if (!this.prepared('SELECT 1 FROM articles_unindexed LIMIT 1').get()) return indexed;
      const batch = this.indexBatch.immediate();
      indexed += batch;
      if (batch < INDEX_BATCH) return indexed;
      // A batch holds the event loop while FTS5 works: the pipeline's I/O runs between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const match = toFtsQuery(query);
    if (match === null) return [];
    // Whatever the storage worker has not indexed yet is indexed now: a search never misses a stored article.
    await this.indexPending();
    const conditions = ['articles_fts MATCH @match'];
    if (options.since) conditions.push('a.fetched_at >= @since');
    if (options.feedUrl) conditions.push('a.feed_url = @feedUrl');
    const rows = this.db
      .prepare<
        Record<string, unknown>,
        {
          url: string;
          title: string;
          feed_url: string;
          published_at: string | null;
          fetched_at: string;
          snippet: string;
        }
      >(
        `SELECT a.url, a.title, a.feed_url, a.published_at, a.fetched_at,
           snippet(articles_fts, 1, '[', ']', '…', 16) AS snippet
         FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
         WHERE ${conditions.join(' AND ')}
         ORDER BY bm25(articles_fts, 4.0, 1.0) LIMIT @limit`,
      )
      .all({
        match,
        since: options.since ? new Date(options.since).toISOString() : null,
        feedUrl: options.feedUrl ?? null,
        limit: options.limit ?? 20,
      });
    return rows.map((row) => ({
      url: row.url,
      title: row.title,
      feedUrl: row.feed_url,
      publishedAt: row.published_at,
      fetchedAt: row.fetched_at,
      snippet: row.snippet,
    }));
  }

  async articleVersions(url: string): Promise<ArticleVersion[]> {
    return this.db
      .prepare<[string], { version: number; title: string; text: string; fetched_at: string }>(
        `SELECT v.version, v.title, v.text, v.fetched_at FROM article_versions v JOIN articles a ON a.id = v.article_id
         WHERE a.url = ? ORDER BY v.version`,
      )
      .all(url)
      .map((row) => ({ version: row.version, title: row.title, text: row.text, fetchedAt: row.fetched_at }));
  }

  async pruneOlderThan(cutoff: string): Promise<string[]> {
    const select = this.db.prepare<[string], { id: number; url: string }>(
      `SELECT id, url FROM articles WHERE fetched_at < ? LIMIT ${PRUNE_BATCH}`,
    );
    const remove = this.db.prepare('DELETE FROM articles WHERE id = ?');
    const removed: string[] = [];
    // Batches keep each write transaction short: the pipeline's writes interleave with a large prune.
    for (;;) {
      const rows = select.all(new Date(cutoff).toISOString());
      if (rows.length === 0) return removed;
      this.db.transaction(() => rows.forEach((row) => remove.run(row.id))).immediate();
      removed.push(...rows.map((row) => row.url));
    }
  }

  async recordPoll(poll: PollRecord): Promise<void> {
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO poll_log (feed_url, polled_at, status, items, new_items, not_modified, duration_ms, error, http_status)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed_url, polled_at) DO NOTHING`,
          )
          .run(
            poll.feedUrl,
            poll.polledAt,
            poll.status,
            poll.items,
            poll.newItems,
            poll.status === 'not-modified' ? 1 : 0,
            poll.durationMs,
            poll.error,
            poll.httpStatus ?? null,
          );
        this.db
          .prepare(
            `INSERT INTO feeds (url, name, last_polled_at, etag, last_modified, consecutive_failures, last_error)
             VALUES (@url, @name, @polledAt, @etag, @lastModified, @failures, @error)
             ON CONFLICT (url) DO UPDATE SET name = coalesce(excluded.name, feeds.name), last_polled_at = excluded.last_polled_at,
               etag = coalesce(excluded.etag, feeds.etag), last_modified = coalesce(excluded.last_modified, feeds.last_modified),
               consecutive_failures = excluded.consecutive_failures, last_error = excluded.last_error
             WHERE feeds.last_polled_at IS NULL OR excluded.last_polled_at >= feeds.last_polled_at`,
          )
          .run({
            url: poll.feedUrl,
            name: poll.feedName ?? null,
            polledAt: poll.polledAt,
            etag: poll.etag ?? null,
            lastModified: poll.lastModified ?? null,
            failures: poll.consecutiveFailures,
            error: poll.error,
          });
      })
      .immediate();
  }

  async feedHealth(): Promise<FeedHealth[]> {
    const rows = this.db
      .prepare<
        { weekAgo: string },
        {
          url: string;
          name: string | null;
          last_polled_at: string | null;
          consecutive_failures: number;
          last_error: string | null;
          last_success_at: string | null;
          new_items_week: number;
          polls: number;
          last_status: FeedHealthRow['last_status'];
          last_http_status: number | null;
          last_items: number | null;
          last_new_items: number | null;
        }
      >(
        `SELECT f.url, f.name, f.last_polled_at, f.consecutive_failures, f.last_error,
           (SELECT max(polled_at) FROM poll_log p WHERE p.feed_url = f.url AND p.status <> 'failed') AS last_success_at,
           (SELECT coalesce(sum(new_items), 0) FROM poll_log p WHERE p.feed_url = f.url AND p.polled_at >= @weekAgo) AS new_items_week,
           (SELECT count(*) FROM poll_log p WHERE p.feed_url = f.url) AS polls,
           l.status AS last_status, l.http_status AS last_http_status, l.items AS last_items, l.new_items AS last_new_items
         FROM feeds f
         LEFT JOIN poll_log l ON l.id = (SELECT id FROM poll_log p WHERE p.feed_url = f.url ORDER BY polled_at DESC LIMIT 1)
         ORDER BY f.url`,
      )
      .all({ weekAgo: new Date(Date.now() - WEEK_MS).toISOString() });
    return rows.map((row) => ({
      url: row.url,
      name: row.name,
      lastPolledAt: row.last_polled_at,
      lastSuccessAt: row.last_success_at,
      consecutiveFailures: row.consecutive_failures,
      lastError: row.last_error || null,
      newItemsPerDay: Math.round((row.new_items_week / 7) * 10) / 10,
      polls: row.polls,
      lastPoll: lastPoll(row),
    }));
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async countArticles(): Promise<number> {
    return this.db.prepare<[], { count: number }>('SELECT count(*) AS count FROM articles').get()!.count;
  }

  async addFeeds(feeds: StoredFeed[]): Promise<number> {
    const insert = this.db.prepare(
      'INSERT INTO feed_list (url, name, interval_ms, tags, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING',
    );
    const now = new Date().toISOString();
    return this.db.transaction(() =>
      feeds.reduce(
        (added, feed) =>
          added + insert.run(feed.url, feed.name, feed.intervalMs, JSON.stringify(feed.tags), now).changes,
        0,
      ),
    )();
  }

  async removeFeeds(urls: string[]): Promise<number> {
    const remove = this.db.prepare('DELETE FROM feed_list WHERE url = ?');
    return this.db.transaction(() => urls.reduce((removed, url) => removed + remove.run(url).changes, 0))();
  }

  async listFeeds(): Promise<StoredFeed[]> {
    return this.db
      .prepare<[], { url: string; name: string | null; interval_ms: number | null; tags: string }>(
        'SELECT url, name, interval_ms, tags FROM feed_list ORDER BY added_at, url',
      )
      .all()
      .map((row) => ({
        url: row.url,
        name: row.name,
        intervalMs: row.interval_ms,
        tags: JSON.parse(row.tags) as string[],
      }));
  }

  async feedsVersion(): Promise<string> {
    const row = this.db
      .prepare<[], { count: number; latest: string | null; rowid: number | null }>(
        'SELECT count(*) AS count, max(added_at) AS latest, max(rowid) AS rowid FROM feed_list',
      )
      .get()!;
    return `${row.count}:${row.latest ?? ''}:${row.rowid ?? 0}`;
  }

  /**
   * SQLite has one writer. A lock file next to the database names the process holding it, and the holder touches
   * it every few seconds: a second storage worker is refused with that name, and a lock is taken over when its
   * holder died (same host, process gone), when it was left by an earlier process with our own PID (a container
   * restarted: node is PID 1 again), or when nobody renewed it for LOCK_LEASE_MS (a holder on another host died).
   */
  async claimWriter(): Promise<void> {
    if (this.path === ':memory:' || this.lockPath) return;
    const lockPath = `${this.path}.writer.lock`;
    const owner = `${hostname()} ${process.pid}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const descriptor = openSync(lockPath, 'wx');
        writeSync(descriptor, owner);
        closeSync(descriptor);
        this.lockPath = lockPath;
        locksHeldHere.add(lockPath);
        this.lockRenewal = setInterval(() => renewLock(lockPath), LOCK_RENEW_MS);
        this.lockRenewal.unref();
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readLock(lockPath);
        if (holder === null || (!locksHeldHere.has(lockPath) && isStale(holder, owner))) {
          rmSync(lockPath, { force: true });
          continue;
        }
        throw new ConfigError(
          `${this.path} already has a storage worker (${holder.owner}): SQLite takes one writer per file. Run one storage worker, or use PostgreSQL (DATABASE_URL=postgres://…) to run several.`,
        );
      }
    }
  }

  async close(): Promise<void> {
    this.db.close();
    clearInterval(this.lockRenewal);
    if (this.lockPath) {
      rmSync(this.lockPath, { force: true });
      locksHeldHere.delete(this.lockPath);
    }
    this.lockPath = null;
  }
}

/** The writer lock's holder renews it this often; a lock not renewed for LOCK_LEASE_MS has no live holder. */
const LOCK_RENEW_MS = 5000;
const LOCK_LEASE_MS = 30_000;
/** Lock files this process holds: a lock naming our own PID that is not among them was left by an earlier process. */
const locksHeldHere = new Set<string>();

function renewLock(lockPath: string): void {
  try {
    const now = new Date();
    utimesSync(lockPath, now, now);
  } catch {
    // Removed by hand: the next start takes it again.
  }
}

function readLock(lockPath: string): { owner: string; renewedAt: number } | null {
  try {
    return { owner: readFileSync(lockPath, 'utf8').trim(), renewedAt: statSync(lockPath).mtimeMs };
  } catch {
    return null;
  }
}

function isStale(holder: { owner: string; renewedAt: number }, self: string): boolean {
  if (holder.owner === self) return true;
  if (Date.now() - holder.renewedAt > LOCK_LEASE_MS) return true;
  const [host, pid] = holder.owner.split(' ');
  return host === hostname() && !isAlive(Number(pid));
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function groupByArticle(rows: ParagraphRow[]): Map<number, ParagraphRow[]> {
  const grouped = new Map<number, ParagraphRow[]>();
  for (const row of rows) {
    const id = Number(row.article_id);
    const list = grouped.get(id);
    if (list) list.push(row);
    else grouped.set(id, [row]);
  }
  return grouped;
}
