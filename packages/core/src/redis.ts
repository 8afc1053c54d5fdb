import { Redis } from 'ioredis';
import { ConnectionError } from './errors.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const REDIS_HINT = 'start one with `docker compose up -d redis` (or `redis-server`), or set REDIS_URL';

export interface RedisOptions {
  /** Workers block on Redis and must not give up on a command: BullMQ requires maxRetriesPerRequest null. */
  forWorker?: boolean;
}

export function createRedis(
  url: string = process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  options: RedisOptions = {},
): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: options.forWorker ? null : 2,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}

/** Fails within `timeoutMs` with the address tried and how to start Redis, instead of retrying forever. */
export async function checkRedis(
  url: string = process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  timeoutMs = 3000,
): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) arrives as an event; connect() only says "Connection is closed".
  let socketError: Error | undefined;
  probe.on('error', (error: Error) => (socketError ??= error));
  try {
    await withTimeout(
      probe.connect().then(() => probe.ping()),
      timeoutMs,
    );
  } catch (error) {
    const reason = socketError?.message ?? (error instanceof Error ? error.message : String(error));
    throw new ConnectionError(
      `cannot reach Redis at ${redactUrl(url)}: ${reason}; ${REDIS_HINT}`,
      redactUrl(url),
      REDIS_HINT,
    );
  } finally {
    probe.disconnect();
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Removes every key under `prefix:` (SCAN, never KEYS: it does not block a busy server). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
