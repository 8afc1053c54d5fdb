import { TransientError, type RedisClient } from '@newsflow/core';
import { fetchUrl, type FetchOptions, type FetchResult } from './http-client.ts';

/** Keeps a host off limits for `ms` (after a 429 with Retry-After, or a robots.txt Crawl-delay). */
export async function holdHost(redis: RedisClient, keyPrefix: string, host: string, ms: number): Promise<void> {
  if (ms > 0) await redis.set(`${keyPrefix}:host:${host}`, '1', 'PX', Math.ceil(ms));
}

// Slots are members of a sorted set scored by lease expiry: expired leases (a crashed replica) free themselves. The
// delay between requests is a key that lives for the delay (or for a Retry-After, which holds even without a delay);
// it is claimed only with a slot, and a slot only with it.
const CLAIM_SLOT_LUA = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local delayMs = tonumber(ARGV[6])
local free
if delayMs > 0 then free = redis.call('SET', KEYS[2], '1', 'PX', delayMs, 'NX')
else free = redis.call('EXISTS', KEYS[2]) == 0 end
if not free then
  local remaining = redis.call('PTTL', KEYS[2])
  if remaining > 0 then return remaining end
  return 1
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 0`;

/** How long a request waits when its host already has its concurrency's worth of requests in flight. */
export const SLOT_RETRY_MS = 500;

export type HostClaim = { token: string; waitMs: 0 } | { token: null; waitMs: number };

/**
 * Claims the right to send one request to `host` now, across every replica sharing this Redis, in one round trip:
 * one of `limit` concurrent request slots, leased for `leaseMs` (longer than a fetch can last), and the host's
 * `delayMs` since the previous request (or a Retry-After hold) passed. Returns the slot's token to release, or how
 * long to wait: until the delay has passed, or SLOT_RETRY_MS when the host is at its limit.
 */
export async function claimHostSlot(
  redis: RedisClient,
  keyPrefix: string,
  host: string,
  { limit, leaseMs, delayMs }: { limit: number; leaseMs: number; delayMs: number },
): Promise<HostClaim> {
  // A defined command runs by EVALSHA: the script text is not sent with every request.
  if (!('newsflowClaimHostSlot' in redis))
    redis.defineCommand('newsflowClaimHostSlot', { numberOfKeys: 2, lua: CLAIM_SLOT_LUA });
  const claim = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<number>>)
    .newsflowClaimHostSlot!;
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const now = Date.now();
  const outcome = await claim.call(
    redis,
    `${keyPrefix}:hostslots:${host}`,
    `${keyPrefix}:host:${host}`,
    now,
    limit,
    now + leaseMs,
    token,
    leaseMs,
    Math.ceil(delayMs),
  );
  if (outcome === 0) return { token, waitMs: 0 };
  return { token: null, waitMs: outcome < 0 ? SLOT_RETRY_MS : outcome };
}

export async function releaseHostSlot(
  redis: RedisClient,
  keyPrefix: string,
  host: string,
  token: string,
): Promise<void> {
  await redis.zrem(`${keyPrefix}:hostslots:${host}`, token);
}

/** A slot outlives the longest fetch by this much before it frees itself (a replica that died mid-request). */
const SLOT_MARGIN_MS = 5000;

/** A claimed slot: its token in the host's sorted set, and when it was claimed (ms since the epoch). */
export interface HeldSlot {
  token: string;
  claimedAt: number;
}

export interface HostSlotTiming {
  /** How long a slot whose request finished stays with this process for its host's next request. Default 250 ms. */
  keepMs?: number;
  /**
   * How long after its claim a slot may still be reused. Past it, the next request claims in Redis again and so sees
   * the concurrency limit and another replica's Retry-After hold anew. Default 2 s.
   */
  holdMs?: number;
}

/**
 * The host slots of one process (a scraper). A request to a host with no delay between requests (`perHostDelayMs: 0`
 * and no Crawl-delay) takes a slot this process's previous request to that host left, without a round trip to Redis:
 * a busy host costs one claim per slot per `holdMs` instead of a claim and a release per request. A kept slot still
 * counts towards the host's limit for every replica, so `perHostConcurrency` holds; it goes back to Redis `keepMs`
 * after its request, at `close`, or at once when the host answers with a Retry-After. With a delay every request
 * start is claimed in Redis, where every replica sees it.
 */
export class HostSlots {
  private readonly kept = new Map<string, (HeldSlot & { timer: NodeJS.Timeout })[]>();
  /** Releases nothing waits on (a kept slot's time ran out): close() waits for them. */
  private readonly releasing = new Set<Promise<void>>();
  private readonly keepMs: number;
  private readonly holdMs: number;
  private closed = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    timing: HostSlotTiming = {},
  ) {
    this.keepMs = timing.keepMs ?? 250;
    this.holdMs = timing.holdMs ?? 2000;
  }

  /** A slot for one request to `host` now, or how long to wait (see claimHostSlot). */
  async claim(
    host: string,
    { limit, leaseMs, delayMs }: { limit: number; leaseMs: number; delayMs: number },
  ): Promise<{ slot: HeldSlot; waitMs: 0 } | { slot: null; waitMs: number }> {
    const reusable = delayMs === 0;
    if (reusable) {
      const slot = this.takeKept(host);
      if (slot) return { slot, waitMs: 0 };
    }
    const claimedAt = Date.now();
    // A slot that may be reused is leased for as long as its last reuse's request can last.
    const claim = await claimHostSlot(this.redis, this.keyPrefix, host, {
      limit,
      leaseMs: reusable ? leaseMs + this.holdMs : leaseMs,
      delayMs,
    });
    return claim.token === null
      ? { slot: null, waitMs: claim.waitMs }
      : { slot: { token: claim.token, claimedAt }, waitMs: 0 };
  }

  /**
   * Ends a request: its slot is kept for the host's next request when `keep` (a request that went well, to a host
   * without a delay) and it is young enough, else released in Redis.
   */
  async release(host: string, slot: HeldSlot, keep: boolean): Promise<void> {
    if (!keep || this.closed || Date.now() - slot.claimedAt >= this.holdMs) {
      await releaseHostSlot(this.redis, this.keyPrefix, host, slot.token);
      return;
    }
    const timer = setTimeout(() => void this.releaseKept(host, slot.token), this.keepMs);
    // A process that exits without close() leaves the slot to its lease, as a crashed replica does.
    timer.unref();
    const slots = this.kept.get(host) ?? [];
    slots.push({ ...slot, timer });
    this.kept.set(host, slots);
  }

  /**
   * Keeps every replica away from `host` for `ms` (a Retry-After) and gives back the slots kept for it here, so
   * this process's next request to it claims in Redis and sees the hold.
   */
  async holdHost(host: string, ms: number): Promise<void> {
    await holdHost(this.redis, this.keyPrefix, host, ms);
    await this.releaseKeptFor(host);
  }

  /** Gives back every kept slot and keeps none from now on. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.kept.keys()].map((host) => this.releaseKeptFor(host)));
    await Promise.all(this.releasing);
  }

  private async releaseKeptFor(host: string): Promise<void> {
    const slots = this.kept.get(host) ?? [];
    this.kept.delete(host);
    await Promise.all(slots.map((slot) => this.forget(host, slot)));
  }

  private takeKept(host: string): HeldSlot | undefined {
    const slots = this.kept.get(host);
    const slot = slots?.pop();
    if (!slot) return undefined;
    if (slots!.length === 0) this.kept.delete(host);
    clearTimeout(slot.timer);
    if (Date.now() - slot.claimedAt < this.holdMs) return { token: slot.token, claimedAt: slot.claimedAt };
    // Too old to reuse: back to Redis, and this request claims anew.
    void this.forget(host, slot);
    return this.takeKept(host);
  }

  private async releaseKept(host: string, token: string): Promise<void> {
    const slots = this.kept.get(host) ?? [];
    const index = slots.findIndex((slot) => slot.token === token);
    if (index < 0) return;
    const [slot] = slots.splice(index, 1);
    if (slots.length === 0) this.kept.delete(host);
    await this.forget(host, slot!);
  }

  /** Releases a kept slot in Redis; a failure leaves it to its lease, as no request waits on it. */
  private async forget(host: string, slot: HeldSlot & { timer: NodeJS.Timeout }): Promise<void> {
    clearTimeout(slot.timer);
    const released = releaseHostSlot(this.redis, this.keyPrefix, host, slot.token).catch(() => {});
    this.releasing.add(released);
    await released;
    this.releasing.delete(released);
  }
}

export type PoliteFetch = { waitMs: number; response?: undefined } | { waitMs: 0; response: FetchResult };

/**
 * Fetches `url` as a polite crawler does, across every replica sharing this Redis: at most `perHostConcurrency`
 * requests in flight per host, one start per `max(perHostDelayMs, crawlDelayMs)`, and a 429 or 503 with
 * Retry-After keeps every replica away from the host for that long. When the host is busy, returns how long to
 * wait instead (the caller reschedules rather than holding a worker slot). `slots`: the process's (HostSlots).
 */
export async function fetchPolitely(
  slots: HostSlots,
  url: string,
  options: FetchOptions & { perHostConcurrency: number; perHostDelayMs: number; crawlDelayMs?: number },
): Promise<PoliteFetch> {
  const host = new URL(url).host;
  const delayMs = Math.max(options.perHostDelayMs, options.crawlDelayMs ?? 0);
  const { slot, waitMs } = await slots.claim(host, {
    limit: options.perHostConcurrency,
    leaseMs: options.timeoutMs + SLOT_MARGIN_MS,
    delayMs,
  });
  if (slot === null) return { waitMs };
  let answered = false;
  try {
    const response = await fetchUrl(url, options).catch(async (error: unknown) => {
      if (error instanceof TransientError && error.retryAfterMs) await slots.holdHost(host, error.retryAfterMs);
      throw error;
    });
    answered = true;
    return { waitMs: 0, response };
  } finally {
    await slots.release(host, slot, answered && delayMs === 0);
  }
}
