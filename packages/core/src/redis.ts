import { Cluster, Redis } from 'ioredis';
import { ConfigError, ConnectionError } from './errors.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const REDIS_HINT = 'start one with `docker compose up -d redis` (or `redis-server`), or set REDIS_URL';

/** One Redis server or a Redis Cluster: every service, command and test works with either. */
export type RedisClient = Redis | Cluster;

/**
 * A Redis Cluster is addressed as `redis-cluster://host1:6379,host2:6379` (the form REDIS_CLUSTER_NODES takes in
 * readEnvironment), so a cluster travels through the code as a Redis URL does.
 */
const CLUSTER_SCHEME = 'redis-cluster://';

export function clusterUrl(nodes: string): string {
  const list = nodes
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
  const invalid = list.find((node) => !/^[^\s:/,]+:\d{1,5}$/.test(node));
  if (list.length === 0 || invalid !== undefined)
    throw new ConfigError(
      `REDIS_CLUSTER_NODES: expected host:port[,host:port…], one or more of the cluster's nodes (got ${JSON.stringify(invalid ?? nodes)})`,
    );
  return `${CLUSTER_SCHEME}${list.join(',')}`;
}

export function isClusterUrl(url: string): boolean {
  return url.startsWith(CLUSTER_SCHEME);
}

function clusterNodes(url: string): { host: string; port: number }[] {
  return url
    .slice(CLUSTER_SCHEME.length)
    .split(',')
    .map((node) => {
      const at = node.lastIndexOf(':');
      return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
    });
}

/**
 * On a cluster every key of a pipeline goes into one hash slot: BullMQ needs its prefix in braces (each queue's
 * keys in one slot, and flows across queues), and our Lua scripts, MULTI blocks and pipelines touch several keys at
 * once. `newsflow` becomes `{newsflow}`; a prefix that has its own braces is kept as it is.
 */
export function clusterPrefix(prefix: string): string {
  return /\{[^}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}

export interface RedisOptions {
  /** Workers block on Redis and must not give up on a command: BullMQ requires maxRetriesPerRequest null. */
  forWorker?: boolean;
}

export function createRedis(
  url: string = process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  options: RedisOptions = {},
): RedisClient {
  const commandOptions = {
    maxRetriesPerRequest: options.forWorker ? null : 2,
    enableOfflineQueue: true,
  };
  if (isClusterUrl(url)) return new Cluster(clusterNodes(url), { redisOptions: commandOptions });
  return new Redis(url, { ...commandOptions, lazyConnect: false });
}

/** Fails within `timeoutMs` with the address tried and how to start Redis, instead of retrying forever. */
export async function checkRedis(
  url: string = process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  timeoutMs = 3000,
): Promise<void> {
  const probe: RedisClient = isClusterUrl(url)
    ? new Cluster(clusterNodes(url), {
        lazyConnect: true,
        clusterRetryStrategy: () => null,
        enableOfflineQueue: false,
        redisOptions: { maxRetriesPerRequest: 0, connectTimeout: timeoutMs },
      })
    : new Redis(url, {
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

/**
 * Removes every key under `prefix:` (SCAN, never KEYS: it does not block a busy server); on a cluster, on each
 * master, as SCAN sees one node's keys only.
 */
export async function deleteKeysWithPrefix(redis: RedisClient, prefix: string): Promise<number> {
  const cluster = redis instanceof Cluster;
  const nodes = cluster ? redis.nodes('master') : [redis];
  // On a cluster one UNLINK per key: a node's keys lie in many slots, and one command may touch only one.
  const unlink = async (node: Redis, keys: string[]) =>
    cluster
      ? (await Promise.all(keys.map((key) => node.unlink(key)))).reduce((sum, count) => sum + count, 0)
      : node.unlink(...keys);
  let deleted = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${escapeGlob(prefix)}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await unlink(node, keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return deleted;
}

/** A prefix such as `{newsflow}` matched literally: braces are not glob characters, but brackets and stars are. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
