import type { ArticleRecord, ExportRecord } from '@newsflow/core';

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

export interface ExportFilter {
  /** Only articles fetched at or after this instant (ISO 8601). */
  since?: string;
  /** Only articles from this feed. */
  feedUrl?: string;
  /** Only articles matching this full-text query. */
  query?: string;
}

export interface SearchOptions {
  since?: string;
  feedUrl?: string;
  /** At most this many hits, best first. Default 20. */
  limit?: number;
}

export interface SearchHit {
  url: string;
  title: string;
  feedUrl: string;
  publishedAt: string | null;
  fetchedAt: string;
  /** The best matching passage, matches in [brackets]. */
  snippet: string;
}

export interface ArticleVersion {
  version: number;
  title: string;
  text: string;
  fetchedAt: string;
}

/** One poll of a feed, for the poll log and the feed's health row. */
export interface PollRecord {
  feedUrl: string;
  feedName?: string | null;
  polledAt: string;
  status: 'fetched' | 'not-modified' | 'failed';
  items: number | null;
  newItems: number | null;
  durationMs: number;
  error: string | null;
  etag?: string | null;
  lastModified?: string | null;
  consecutiveFailures: number;
}

/**
 * Where articles end up. Writes are idempotent, keyed by canonical URL, one transaction per batch: a job delivered
 * twice, or two workers racing on one article, leave exactly one row set. A changed article keeps its previous
 * text as a version; unchanged content writes nothing.
 */
export interface ArticleStore {
  /** Applies pending migrations (forward-only, versioned); safe to call from several processes at once. */
  migrate(): Promise<void>;
  upsertArticle(article: ArticleRecord): Promise<UpsertOutcome>;
  /** Several articles in one transaction: all stored, or none (then each is tried alone). */
  upsertArticles(articles: ArticleRecord[]): Promise<UpsertOutcome[]>;
  /** Streams stored articles in storage order, in constant memory. */
  exportArticles(filter?: ExportFilter): AsyncIterable<ExportRecord>;
  /**
   * Brings the full-text index up to date with the articles written so far; returns how many it indexed. A no-op
   * where the write already indexes (SQLite).
   */
  indexPending(): Promise<number>;
  /** Full-text search, ranked (title matches weigh more), language-aware on PostgreSQL. */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** Earlier texts of an article that changed, oldest first. */
  articleVersions(url: string): Promise<ArticleVersion[]>;
  /** Deletes articles fetched before `cutoff` (ISO) with their paragraphs and versions; returns their URLs. */
  pruneOlderThan(cutoff: string): Promise<string[]>;
  recordPoll(poll: PollRecord): Promise<void>;
  countArticles(): Promise<number>;
  /**
   * Makes this process the database's only writer where the database needs one (SQLite); throws, naming the other
   * process, when another storage worker already writes to it.
   */
  claimWriter(): Promise<void>;
  close(): Promise<void>;
  /** Where the store lives, for logs and errors (password redacted). */
  readonly description: string;
}
