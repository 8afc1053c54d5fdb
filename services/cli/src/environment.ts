import { DEFAULT_PREFIX, DEFAULT_REDIS_URL } from '@newsflow/core';
import { DEFAULT_DATABASE_URL } from '@newsflow/storage';

/** Settings that come from the environment (DESIGN.md), with their defaults. */
export interface Environment {
  redisUrl: string;
  databaseUrl: string;
  configPath: string;
  /** BullMQ and Redis key prefix: separate pipelines (or test runs) can share one Redis. */
  prefix: string;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return {
    redisUrl: env.REDIS_URL || DEFAULT_REDIS_URL,
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    configPath: env.NEWSFLOW_CONFIG || 'config/feeds.yaml',
    prefix: env.NEWSFLOW_PREFIX || DEFAULT_PREFIX,
  };
}
