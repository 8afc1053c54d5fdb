import type { ArticleRecord, ExportRecord } from '@newsflow/core';

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

export interface ExportFilter {
  /** Only articles fetched at or after this instant (ISO 8601). */
  since?: string;
  /** Only articles from this feed. */
  feedUrl?: string;
}

/**
 * Where articles end up. Writes are idempotent, keyed by canonical URL, one transaction per article: a job
 * delivered twice, or two workers racing on one article, leave exactly one row set.
 */
export interface ArticleStore {
  /** Applies pending migrations (forward-only, versioned); safe to call from several processes at once. */
  migrate(): Promise<void>;
  upsertArticle(article: ArticleRecord): Promise<UpsertOutcome>;
  /** Streams stored articles in storage order, in constant memory. */
  exportArticles(filter?: ExportFilter): AsyncIterable<ExportRecord>;
  countArticles(): Promise<number>;
  close(): Promise<void>;
  /** Where the store lives, for logs and errors (password redacted). */
  readonly description: string;
}
