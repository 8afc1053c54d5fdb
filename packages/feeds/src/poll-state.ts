import { pollLogKey, pollRecord, urlKey, type PollRecord, type RedisClient } from '@newsflow/core';

/** What the feed-fetchers remember of a feed between polls, in one Redis hash per feed (a few hundred bytes). */
export interface PollState {
  etag: string | null;
  lastModified: string | null;
  /** Epoch ms before which a scheduled poll is skipped (the server's or the backoff's wish). */
  nextPollAt: number;
  failures: number;
  lastSuccessAt: string | null;
}

/** Poll records wait in a capped Redis list until a storage worker writes them to the poll log. */
const POLL_LOG_CAP = 10_000;

export function feedStateKey(prefix: string, feedUrl: string): string {
  return `${prefix}:feed:${urlKey(feedUrl)}`;
}

/** Reads, updates and reports one feed's poll state. */
export class FeedPollState {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    readonly feedUrl: string,
  ) {
    this.key = feedStateKey(prefix, feedUrl);
  }

  async read(): Promise<PollState> {
    const raw = await this.redis.hgetall(this.key);
    return {
      etag: raw.etag || null,
      lastModified: raw.lastModified || null,
      nextPollAt: Number(raw.nextPollAt ?? 0),
      failures: Number(raw.failures ?? 0),
      lastSuccessAt: raw.lastSuccessAt || null,
    };
  }

  /** A poll that answered (fetched or not modified): failures reset, validators kept for the next conditional GET. */
  async recordSuccess(nextPollAt: number, validators?: { etag: string | null; lastModified: string | null }) {
    const now = new Date().toISOString();
    await this.redis.hset(this.key, {
      ...(validators ? { etag: validators.etag ?? '', lastModified: validators.lastModified ?? '' } : {}),
      lastPolledAt: now,
      lastSuccessAt: now,
      failures: 0,
      lastError: '',
      nextPollAt: Math.round(nextPollAt),
    });
  }

  /** A failed poll; returns how many in a row have failed now. */
  async recordFailure(reason: string, failedAt: number, nextPollInMs: (failures: number) => number): Promise<number> {
    const failures = await this.redis.hincrby(this.key, 'failures', 1);
    await this.redis.hset(this.key, {
      lastError: reason,
      lastFailedAt: new Date(failedAt).toISOString(),
      nextPollAt: Math.round(failedAt + nextPollInMs(failures)),
    });
    return failures;
  }

  /** Queues the poll's record for the poll log (validated here, and again by the storage worker that writes it). */
  async report(poll: PollRecord): Promise<void> {
    const key = pollLogKey(this.prefix);
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(pollRecord.parse(poll)))
      .ltrim(key, 0, POLL_LOG_CAP - 1)
      .exec();
  }
}
