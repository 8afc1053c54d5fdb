import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { openStore } from '@newsflow/storage';
import { startDemoSite } from '@newsflow/cli';
import { CLI, createTestDatabase, TEST_REDIS_URL, uniquePrefix, writeTestConfig } from './helpers.ts';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  restart?: string;
  deploy?: { replicas?: number };
  healthcheck?: unknown;
  build?: { context: string; dockerfile: string };
  pull_policy?: string;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
}

const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const workers = Object.entries(compose.services).filter(([, service]) => service.command?.[0] === 'worker');

describe('docker-compose.yml', () => {
  it('runs one container per worker, on the same image, restarting, with the config mounted read-only', () => {
    expect(workers.map(([, service]) => service.command![1]).sort()).toEqual([
      'deduper',
      'feed-fetcher',
      'scheduler',
      'scraper',
      'storage',
    ]);
    for (const [, service] of workers) {
      expect(service.image).toBe('newsflow:latest');
      expect(service.restart).toBe('unless-stopped');
      expect(service.volumes).toContain('./config:/app/config:ro');
      expect(service.environment?.NEWSFLOW_HTTP_PORT).toBe('9464');
      expect(JSON.stringify(service.healthcheck)).toContain('http://127.0.0.1:9464/healthz');
    }
    expect(compose.services.scraper!.deploy?.replicas).toBeGreaterThan(1);
    expect(compose.services.deduper!.deploy?.replicas).toBeGreaterThanOrEqual(1);
  });

  it('builds the image once, in one service, and starts workers only when Redis and PostgreSQL are healthy', () => {
    const builders = workers.filter(([, service]) => service.build);
    expect(builders).toHaveLength(1);
    expect(builders[0]![1].build!.dockerfile).toBe('infra/Dockerfile');
    // The others run the image by name and never pull it: a registry's "newsflow" image is not ours.
    for (const [, service] of workers.filter(([, entry]) => !entry.build)) expect(service.pull_policy).toBe('never');
    for (const [, service] of workers)
      expect(service.depends_on).toEqual({
        redis: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
    const dockerfile = readFileSync(new URL('../infra/Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/healthz/ms);
  });

  it('keeps Redis and PostgreSQL data on volumes, with healthchecks', () => {
    expect(compose.services.redis!.volumes).toContain('redis-data:/data');
    expect(readFileSync(new URL('../infra/redis.conf', import.meta.url), 'utf8')).toMatch(/^appendonly yes$/m);
    expect(compose.services.postgres!.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(compose.services.redis!.healthcheck).toBeDefined();
    expect(compose.services.postgres!.healthcheck).toBeDefined();
  });

  it('publishes no host port, unless the optional ports file is added (and then on loopback only)', () => {
    for (const [name, service] of Object.entries(compose.services)) expect(service.ports, name).toBeUndefined();
    const ports = parse(readFileSync(new URL('../docker-compose.ports.yml', import.meta.url), 'utf8')) as {
      services: Record<string, { ports: string[] }>;
    };
    const published = Object.values(ports.services).flatMap((service) => service.ports);
    expect(published).toEqual(['127.0.0.1:6379:6379', '127.0.0.1:5432:5432']);
  });
});

describe('the compose services started as plain processes', () => {
  let site: Awaited<ReturnType<typeof startDemoSite>>;
  let directory: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const prefix = uniquePrefix('compose');
  const processes: ChildProcess[] = [];

  beforeAll(async () => {
    site = await startDemoSite();
    directory = mkdtempSync(join(tmpdir(), 'newsflow-compose-'));
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    const redis = new Redis(TEST_REDIS_URL);
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await database.drop();
    await site.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('carry the feeds through to PostgreSQL and stop cleanly on SIGTERM', async () => {
    const configPath = writeTestConfig(directory, site.feedUrls);
    // Compose's addresses are container names; here the same services listen on 127.0.0.1.
    const localAddresses: Record<string, string> = {
      'redis://redis:6379': TEST_REDIS_URL,
      'postgres://newsflow:newsflow@postgres:5432/newsflow': database.url,
      '/app/config/feeds.yaml': configPath,
      // Containers each have their own port 9464; processes on one machine take a free one each.
      '9464': '0',
    };
    const logs: string[] = [];
    for (const [name, service] of workers) {
      const environment = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => {
          if (['REDIS_URL', 'DATABASE_URL', 'NEWSFLOW_CONFIG', 'NEWSFLOW_HTTP_PORT'].includes(key)) {
            expect(localAddresses[value], `${name}: ${key}=${value}`).toBeDefined();
            return [key, localAddresses[value]!];
          }
          return [key, value];
        }),
      );
      for (let replica = 0; replica < (service.deploy?.replicas ?? 1); replica++) {
        const child = spawn(process.execPath, [CLI, ...service.command!], {
          env: { ...process.env, ...environment, NEWSFLOW_PREFIX: prefix },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        child.stderr!.on('data', (chunk: Buffer) => logs.push(`${name}: ${chunk.toString()}`));
        processes.push(child);
      }
    }

    const store = await openStore(database.url);
    try {
      let stored = 0;
      for (let attempt = 0; attempt < 240 && stored < 3; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        stored = await store.countArticles();
      }
      expect(stored, logs.join('')).toBe(3);
      const exported = [];
      for await (const record of store.exportArticles()) exported.push(record);
      expect(exported.filter((record) => record.duplicateOf)).toHaveLength(1);
      expect(
        exported.flatMap((record) => record.paragraphs).filter((paragraph) => paragraph.duplicateOf).length,
      ).toBeGreaterThanOrEqual(2);
    } finally {
      await store.close();
    }
    // Every worker serves its health and metrics endpoints (on a free port here, 9464 in its container).
    const healthUrls = [...logs.join('').matchAll(/"health":"(http:\/\/[^"]+)"/g)].map((match) => match[1]!);
    expect(healthUrls).toHaveLength(processes.length);
    for (const url of healthUrls) {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${url}/metrics`)).text()).toContain('newsflow_jobs_total');
    }
    // The storage worker builds the full-text index by itself, without a search asking for it.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      let unindexed = -1;
      for (let attempt = 0; attempt < 80 && unindexed !== 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250));
        const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM articles WHERE search IS NULL');
        unindexed = Number(rows[0]!.count);
      }
      expect(unindexed).toBe(0);
    } finally {
      await client.end();
    }

    const exits = processes.map(
      (child) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))),
    );
    for (const child of processes) child.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual(processes.map(() => 0));
    // Every job logged its start and end with stage, url and duration.
    const lines = logs
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{') || line.includes(': {'));
    expect(
      lines.some(
        (line) =>
          line.includes('"msg":"job done"') &&
          line.includes('"durationMs"') &&
          line.includes('"stage":"article-store"'),
      ),
    ).toBe(true);
  });
});
