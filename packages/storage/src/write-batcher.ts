import { storageBatchSize, type ArticleRecord } from '@newsflow/core';
import type { ArticleStore, UpsertOutcome } from './types.ts';

interface Pending {
  article: ArticleRecord;
  resolve(outcome: UpsertOutcome): void;
  reject(error: unknown): void;
}

/**
 * Groups concurrent article writes into one transaction: a write resolves only once its batch has committed, so a
 * job that completes is durably stored, and rejects with its own article's error only. Batches close at `maxSize` articles or `maxWaitMs` after the first one, and
 * commit one after another.
 */
export class WriteBatcher {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Pick<ArticleStore, 'upsertArticles'>,
    private readonly maxSize = 50,
    private readonly maxWaitMs = 20,
  ) {}

  upsertArticle(article: ArticleRecord): Promise<UpsertOutcome> {
    return new Promise<UpsertOutcome>((resolve, reject) => {
      this.pending.push({ article, resolve, reject });
      // Each write's own promise carries its outcome; the flush promise only says the batch is done.
      if (this.pending.length >= this.maxSize) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxWaitMs);
    });
  }

  /** Commits what is pending now; resolves when everything handed in so far is committed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0);
    if (batch.length > 0) {
      storageBatchSize.observe(batch.length);
      this.committing = this.committing.then(async () => {
        try {
          const results = await this.store.upsertArticles(batch.map((entry) => entry.article));
          batch.forEach((entry, i) => {
            const result = results[i]!;
            if (result.ok) entry.resolve(result.outcome);
            else entry.reject(result.error);
          });
        } catch (error) {
          batch.forEach((entry) => entry.reject(error));
        }
      });
    }
    return this.committing;
  }
}
