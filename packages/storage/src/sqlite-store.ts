import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { articleText, type ArticleRecord, type ExportRecord } from '@newsflow/core';
import { contentHash } from './content-hash.ts';
import { MIGRATIONS } from './migrations.ts';
import { toExportRecord, type ArticleRow, type ParagraphRow } from './rows.ts';
import type { ArticleStore, ExportFilter, UpsertOutcome } from './types.ts';

const EXPORT_BATCH = 500;

/** The embedded default: one file, WAL mode so readers (export, search) never block the writer. */
export class SqliteStore implements ArticleStore {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly upsertTransaction: Database.Transaction<(article: ArticleRecord) => UpsertOutcome>;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('synchronous = NORMAL');
    this.description = `sqlite:${path}`;
    this.upsertTransaction = this.db.transaction((article: ArticleRecord) => this.writeArticle(article));
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
    return this.upsertTransaction.immediate(article);
  }

  private writeArticle(article: ArticleRecord): UpsertOutcome {
    const hash = contentHash(article);
    const existing = this.db
      .prepare<[string], { id: number; content_hash: string }>('SELECT id, content_hash FROM articles WHERE url = ?')
      .get(article.url);
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
      text: articleText(article.url, article.paragraphs),
      content_hash: hash,
      duplicate_of_url: article.duplicateOf?.url ?? null,
      duplicate_similarity: article.duplicateOf?.similarity ?? null,
    };
    let articleId: number;
    if (existing) {
      this.db
        .prepare(
          `UPDATE articles SET feed_url = @feed_url, title = @title, author = @author, published_at = @published_at,
             language = @language, site_name = @site_name, fetched_at = @fetched_at, text = @text,
             content_hash = @content_hash, duplicate_of_url = @duplicate_of_url,
             duplicate_similarity = @duplicate_similarity
           WHERE url = @url`,
        )
        .run(values);
      articleId = existing.id;
      this.db.prepare('DELETE FROM paragraphs WHERE article_id = ?').run(articleId);
    } else {
      const result = this.db
        .prepare(
          `INSERT INTO articles (url, feed_url, title, author, published_at, language, site_name, fetched_at, text,
             content_hash, duplicate_of_url, duplicate_similarity)
           VALUES (@url, @feed_url, @title, @author, @published_at, @language, @site_name, @fetched_at, @text,
             @content_hash, @duplicate_of_url, @duplicate_similarity)`,
        )
        .run(values);
      articleId = Number(result.lastInsertRowid);
    }
    const insertParagraph = this.db.prepare(
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

  async *exportArticles(filter: ExportFilter = {}): AsyncIterable<ExportRecord> {
    const conditions = ['id > @after'];
    if (filter.since) conditions.push('fetched_at >= @since');
    if (filter.feedUrl) conditions.push('feed_url = @feedUrl');
    const selectArticles = this.db.prepare<Record<string, unknown>, ArticleRow>(
      `SELECT * FROM articles WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${EXPORT_BATCH}`,
    );
    const selectParagraphs = this.db.prepare<[number, number], ParagraphRow>(
      'SELECT * FROM paragraphs WHERE article_id BETWEEN ? AND ? ORDER BY article_id, position',
    );
    // Keyset pages keep memory flat however many articles there are, and never hold a read transaction open.
    let after = 0;
    for (;;) {
      const rows = selectArticles.all({
        after,
        since: filter.since ? new Date(filter.since).toISOString() : null,
        feedUrl: filter.feedUrl ?? null,
      });
      if (rows.length === 0) return;
      const paragraphs = groupByArticle(selectParagraphs.all(Number(rows[0]!.id), Number(rows.at(-1)!.id)));
      for (const row of rows) yield toExportRecord(row, paragraphs.get(Number(row.id)) ?? []);
      after = Number(rows.at(-1)!.id);
    }
  }

  async countArticles(): Promise<number> {
    return this.db.prepare<[], { count: number }>('SELECT count(*) AS count FROM articles').get()!.count;
  }

  async close(): Promise<void> {
    this.db.close();
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
