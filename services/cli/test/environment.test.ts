import { describe, expect, it } from 'vitest';
import { ConfigError } from '@newsflow/core';
import { readEnvironment } from '../src/environment.ts';

describe('readEnvironment', () => {
  it('takes a Redis Cluster in place of REDIS_URL, with the prefix in braces (one hash slot)', () => {
    const env = readEnvironment({
      REDIS_URL: 'redis://ignored:6379',
      REDIS_CLUSTER_NODES: 'redis-1:6379, redis-2:6380',
      NEWSFLOW_PREFIX: 'news',
    });
    expect(env.redisUrl).toBe('redis-cluster://redis-1:6379,redis-2:6380');
    expect(env.prefix).toBe('{news}');
    expect(readEnvironment({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', NEWSFLOW_PREFIX: 'a:{b}' }).prefix).toBe('a:{b}');
  });

  it('keeps REDIS_URL and the prefix as they are without a cluster', () => {
    expect(readEnvironment({ REDIS_URL: 'redis://r:6379', NEWSFLOW_PREFIX: 'news' })).toMatchObject({
      redisUrl: 'redis://r:6379',
      prefix: 'news',
    });
  });

  it('says what is wrong with a cluster node list', () => {
    for (const nodes of ['redis-1', 'redis-1:port', ' , ', 'redis://redis-1:6379'])
      expect(() => readEnvironment({ REDIS_CLUSTER_NODES: nodes }), nodes).toThrow(ConfigError);
    expect(() => readEnvironment({ REDIS_CLUSTER_NODES: 'redis-1' })).toThrow(
      /REDIS_CLUSTER_NODES: expected host:port\[,host:port…\].*\(got "redis-1"\)/,
    );
  });
});
