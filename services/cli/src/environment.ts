import { ConfigError, DEFAULT_PREFIX, DEFAULT_REDIS_URL } from '@newsflow/core';
import { DEFAULT_DATABASE_URL } from '@newsflow/storage';

/** Settings that come from the environment (DESIGN.md), with their defaults. */
export interface Environment {
  redisUrl: string;
  databaseUrl: string;
  configPath: string;
  /** BullMQ and Redis key prefix: separate pipelines (or test runs) can share one Redis. */
  prefix: string;
  /** Where each worker serves /healthz, /readyz and /metrics; none when unset. */
  httpPort: number | null;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return {
    redisUrl: env.REDIS_URL || DEFAULT_REDIS_URL,
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    configPath: env.NEWSFLOW_CONFIG || 'config/feeds.yaml',
    prefix: env.NEWSFLOW_PREFIX || DEFAULT_PREFIX,
    httpPort: env.NEWSFLOW_HTTP_PORT ? parsePort(env.NEWSFLOW_HTTP_PORT) : null,
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`NEWSFLOW_HTTP_PORT: expected a port number from 0 to 65535 (got ${JSON.stringify(value)})`);
  return port;
}
