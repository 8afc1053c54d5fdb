import {
  clusterPrefix,
  clusterUrl,
  ConfigError,
  DEFAULT_DATABASE_URL,
  DEFAULT_PREFIX,
  DEFAULT_REDIS_URL,
} from '@newsflow/core';

/** Settings that come from the environment (DESIGN.md), with their defaults. */
export interface Environment {
  /** A Redis URL, or a cluster's `redis-cluster://host:port,…` when REDIS_CLUSTER_NODES is set. */
  redisUrl: string;
  databaseUrl: string;
  configPath: string;
  /** BullMQ and Redis key prefix: separate pipelines (or test runs) can share one Redis. In braces on a cluster. */
  prefix: string;
  /** Where each worker serves /healthz, /readyz and /metrics; none when unset. */
  httpPort: number | null;
  /** The dashboard of `start` and `dashboard`: port (null: `start` serves none), host, and the token it needs. */
  dashboard: { port: number | null; host: string; token: string | null };
}

/** The dashboard's port unless NEWSFLOW_DASHBOARD_PORT says otherwise (`off`: `start` serves no dashboard). */
export const DEFAULT_DASHBOARD_PORT = 8787;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const prefix = env.NEWSFLOW_PREFIX || DEFAULT_PREFIX;
  // A cluster, when named, takes the place of REDIS_URL.
  const cluster = env.REDIS_CLUSTER_NODES ? clusterUrl(env.REDIS_CLUSTER_NODES) : null;
  return {
    redisUrl: cluster ?? (env.REDIS_URL || DEFAULT_REDIS_URL),
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    configPath: env.NEWSFLOW_CONFIG || 'config/feeds.yaml',
    prefix: cluster ? clusterPrefix(prefix) : prefix,
    httpPort: env.NEWSFLOW_HTTP_PORT ? parsePort(env.NEWSFLOW_HTTP_PORT, 'NEWSFLOW_HTTP_PORT') : null,
    dashboard: {
      port:
        env.NEWSFLOW_DASHBOARD_PORT === 'off'
          ? null
          : env.NEWSFLOW_DASHBOARD_PORT
            ? parsePort(env.NEWSFLOW_DASHBOARD_PORT, 'NEWSFLOW_DASHBOARD_PORT')
            : DEFAULT_DASHBOARD_PORT,
      host: env.NEWSFLOW_DASHBOARD_HOST || '127.0.0.1',
      token: env.NEWSFLOW_DASHBOARD_TOKEN || null,
    },
  };
}

export function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new ConfigError(`${name}: expected a port number from 0 to 65535 (got ${JSON.stringify(value)})`);
  return port;
}
