import type { ArticleRecord, ExportRecord, PollRecord } from '@newsflow/core';

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

/** One article's result in a batch write: a batch-mate that cannot be written fails alone. */
export type WriteResult = { ok: true; outcome: UpsertOutcome } | { ok: false; error: unknown };

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

export type { PollRecord };

/** A feed kept in the database (`newsflow feeds import --db`): polled like the config file's feeds. */
export interface StoredFeed {
  url: string;
  name: string | null;
  /** Null: the config's `defaults.interval`. */
  intervalMs: number | null;
  tags: string[];
}

/** A feed's health as the poll log tells it (`newsflow feeds health`). */
export interface FeedHealth {
  url: string;
  name: string | null;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  /** New items per day over the last 7 days of polls. */
  newItemsPerDay: number;
  polls: number;
  /** The last poll: its outcome, HTTP status, items in the feed and new ones. */
  lastPoll: {
    status: 'fetched' | 'not-modified' | 'failed';
    httpStatus: number | null;
    items: number | null;
    newItems: number | null;
  } | null;
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
  /**
   * Several articles in one transaction. When it fails for one article's sake, each is tried in a transaction of
   * its own, so every article gets its own result; when the database itself is away, all fail with that error.
   */
  upsertArticles(articles: ArticleRecord[]): Promise<WriteResult[]>;
  /** Streams stored articles in storage order, in constant memory. */
  exportArticles(filter?: ExportFilter): AsyncIterable<ExportRecord>;
  /** The most recently stored articles, newest first (the dashboard's list). */
  latestArticles(limit: number): Promise<ExportRecord[]>;
  /**
   * Brings the full-text index up to date with the articles written so far; returns how many it indexed. Writes
   * leave the indexing to this (the storage worker runs it every 2 seconds, search and a query export first).
   */
  indexPending(): Promise<number>;
  /** Full-text search, ranked (title matches weigh more), language-aware on PostgreSQL. */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** Earlier texts of an article that changed, oldest first. */
  articleVersions(url: string): Promise<ArticleVersion[]>;
  /** Deletes articles fetched before `cutoff` (ISO) with their paragraphs and versions; returns their URLs. */
  pruneOlderThan(cutoff: string): Promise<string[]>;
  recordPoll(poll: PollRecord): Promise<void>;
  /** Every feed that was ever polled, with its health from the poll log. */
  feedHealth(): Promise<FeedHealth[]>;
  /** Adds feeds to the database's feed list; those already there are left as they are. Returns how many were new. */
  addFeeds(feeds: StoredFeed[]): Promise<number>;
  /** Removes feeds from the database's feed list; returns how many were there. */
  removeFeeds(urls: string[]): Promise<number>;
  listFeeds(): Promise<StoredFeed[]>;
  /** Changes whenever the database's feed list does: the scheduler reads the list again only then. */
  feedsVersion(): Promise<string>;
  countArticles(): Promise<number>;
  /** Resolves when the database answers (readiness probes). */
  ping(): Promise<void>;
  /**
   * Makes this process the database's only writer where the database needs one (SQLite); throws, naming the other
   * process, when another storage worker already writes to it.
   */
  claimWriter(): Promise<void>;
  close(): Promise<void>;
  /** Where the store lives, for logs and errors (password redacted). */
  readonly description: string;
}
