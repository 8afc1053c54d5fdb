/**
 * `pnpm test:chaos`: the five workers as separate processes against a Redis of the suite's own (AOF on) and their
 * own database, on a generated site of 500 articles over several feeds, while the suite kills workers with -9,
 * slows the pages, restarts Redis with its AOF and then empty, and cuts PostgreSQL through a proxy. When the queues
 * drain, every article must be stored exactly once, with the duplicate structure of a calm run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_QUEUES, type ExportRecord } from '@newsflow/core';
import { openStore } from '@newsflow/storage';
import { createTestDatabase, freePort, runCli } from '../helpers.ts';
import { random, RedisServer, sleep, startChaosSite, TcpProxy, WorkerFleet, type ChaosSite } from './harness.ts';

const ARTICLES = 500;
const FEEDS = 5;
const RELEASE_SPREAD_MS = 45_000;
const DRAIN_DEADLINE_MS = 6 * 60_000;
const STAGES = ['scheduler', 'feed-fetcher', 'scraper', 'deduper', 'storage'];

interface Snapshot {
  urls: string[];
  paragraphCounts: Map<string, number>;
  /** Groups of near-identical paragraphs and of republished articles, as the pointers link them. */
  groups: string[][];
  versions: number;
}

/**
 * Which paragraph points at which depends on which article a deduper saw first, and that order differs from run to
 * run even without faults. What must not differ is which paragraphs (and articles) end up linked together.
 */
function duplicateGroups(records: ExportRecord[]): string[][] {
  const parent = new Map<string, string>();
  const find = (node: string): string => {
    let root = node;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    parent.set(find(a), find(b));
  };
  for (const record of records) {
    record.paragraphs.forEach((paragraph, index) => {
      if (paragraph.duplicateOf)
        union(`${record.url}#${index}`, `${paragraph.duplicateOf.url}#${paragraph.duplicateOf.index}`);
    });
    if (record.duplicateOf) union(record.url, record.duplicateOf.url);
  }
  const groups = new Map<string, string[]>();
  for (const node of parent.keys()) {
    const root = find(node);
    groups.set(root, [...(groups.get(root) ?? []), node]);
  }
  return [...groups.values()].map((group) => group.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

async function snapshot(databaseUrl: string): Promise<Snapshot> {
  const store = await openStore(databaseUrl);
  try {
    const records: ExportRecord[] = [];
    for await (const record of store.exportArticles()) records.push(record);
    let versions = 0;
    for (const record of records) versions += (await store.articleVersions(record.url)).length;
    return {
      urls: records.map((record) => record.url).sort(),
      paragraphCounts: new Map(records.map((record) => [record.url, record.paragraphs.length])),
      groups: duplicateGroups(records),
      versions,
    };
  } finally {
    await store.close();
  }
}

async function countStored(databaseUrl: string): Promise<number> {
  const store = await openStore(databaseUrl);
  try {
    return await store.countArticles();
  } finally {
    await store.close();
  }
}

interface QueueState {
  pending: number;
  failed: number;
  failures: string[];
}

/** Work left in the queues (waiting, active, delayed) and failed jobs. */
async function queueState(redisUrl: string): Promise<QueueState> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = ALL_QUEUES.map((name) => new Queue(name, { connection, prefix: 'newsflow' }));
  try {
    let pending = 0;
    let failed = 0;
    const failures: string[] = [];
    for (const queue of queues) {
      const counts = await queue.getJobCounts(
        'waiting',
        'active',
        'prioritized',
        'waiting-children',
        'delayed',
        'failed',
      );
      pending += (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0);
      pending += (counts['waiting-children'] ?? 0) + (counts.delayed ?? 0);
      failed += counts.failed ?? 0;
      for (const job of await queue.getFailed(0, 9)) failures.push(`${queue.name} ${job.id}: ${job.failedReason}`);
    }
    return { pending, failed, failures };
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
    await connection.quit();
  }
}

let site: ChaosSite;
let directory: string;
let calm: Snapshot;

beforeAll(async () => {
  site = await startChaosSite(ARTICLES, FEEDS);
  directory = mkdtempSync(join(tmpdir(), 'newsflow-chaos-'));
  // The calm run: the same site, everything released at once, one process, no faults.
  site.release(0);
  const redis = new RedisServer(await freePort(), join(directory, 'redis-calm'));
  await redis.start();
  try {
    const configPath = join(directory, 'calm.yaml');
    writeFileSync(configPath, config(site));
    const databaseUrl = `file:${join(directory, 'calm.db')}`;
    // Asynchronously: the site answers from this process.
    const run = await runCli(
      ['run', '--once', '--config', configPath],
      { REDIS_URL: redis.url, DATABASE_URL: databaseUrl },
      170_000,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^failed: 0$/m);
    calm = await snapshot(databaseUrl);
  } finally {
    await redis.kill();
  }
  expect(calm.urls).toHaveLength(ARTICLES);
}, 180_000);

afterAll(async () => {
  await site?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

function config(chaosSite: ChaosSite): string {
  return (
    `feeds:\n${chaosSite.feedUrls.map((url) => `  - url: ${url}\n    interval: 10s`).join('\n')}\n` +
    'fetch: { allowPrivateNetworks: true, perHostDelayMs: 0, perHostConcurrency: 8, respectRobots: false, timeoutMs: 10000 }\n'
  );
}

interface Outage {
  atMs: number;
  run(): Promise<void>;
}

async function chaosRun(options: { postgres: boolean; seed: number }) {
  const rng = random(options.seed);
  const runDirectory = join(directory, `run-${options.seed}`);
  const redis = new RedisServer(await freePort(), join(runDirectory, 'redis'));
  await redis.start();
  const database = options.postgres ? await createTestDatabase() : null;
  const proxy = new TcpProxy('127.0.0.1', 5432);
  await proxy.start();
  const directUrl = database?.url ?? `file:${join(runDirectory, 'chaos.db')}`;
  const workerDatabaseUrl = database ? database.url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`) : directUrl;
  const configPath = join(runDirectory, 'feeds.yaml');
  writeFileSync(configPath, config(site));
  const env = {
    REDIS_URL: redis.url,
    DATABASE_URL: workerDatabaseUrl,
    NEWSFLOW_CONFIG: configPath,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
  };
  const fleet = new WorkerFleet(
    { scheduler: 1, 'feed-fetcher': 1, scraper: 2, deduper: 2, storage: options.postgres ? 2 : 1 },
    env,
    join(runDirectory, 'workers.log'),
    () => 300 + rng() * 1200,
  );
  const kills: string[] = [];
  const killOne = (name: string) => {
    const replicas = fleet.replicas(name);
    const slot = replicas[Math.floor(rng() * replicas.length)]!;
    slot.kill();
    kills.push(name);
  };
  try {
    site.release(RELEASE_SPREAD_MS);
    fleet.start();
    const started = Date.now();
    const at = (ms: number) => sleep(Math.max(0, started + ms - Date.now()));

    const killer = (async () => {
      // Every stage in turn, a random replica, every 2–4 s: more than 20 kills over 75 s.
      for (let i = 0; Date.now() - started < 75_000; i++) {
        await sleep(2000 + rng() * 2000);
        killOne(STAGES[i % STAGES.length]!);
      }
    })();
    const outages: Outage[] = [
      {
        atMs: 8000,
        async run() {
          // Slow pages, and the scraper killed every 4–7 s while they are served.
          site.slow = true;
          for (const end = Date.now() + 16_000; Date.now() < end;) {
            await sleep(4000 + rng() * 3000);
            killOne('scraper');
          }
          site.slow = false;
        },
      },
      {
        atMs: 27_000,
        async run() {
          await redis.stop();
          await sleep(3000);
          await redis.start();
        },
      },
      ...(options.postgres
        ? [
            {
              atMs: 36_000,
              async run() {
                proxy.set('reset');
                await sleep(12_000);
                proxy.set('up');
              },
            },
            {
              atMs: 54_000,
              async run() {
                proxy.set('hang');
                await sleep(10_000);
                proxy.set('up');
              },
            },
          ]
        : []),
      {
        atMs: 68_000,
        async run() {
          // Nobody runs `reindex`: the storage workers must notice and rebuild by themselves.
          await redis.restartEmpty();
        },
      },
    ];
    for (const outage of outages) {
      await at(outage.atMs);
      await outage.run();
    }
    await killer;

    let state: QueueState = { pending: -1, failed: 0, failures: [] };
    let stored = 0;
    for (const deadline = Date.now() + DRAIN_DEADLINE_MS; Date.now() < deadline;) {
      await sleep(2000);
      stored = await countStored(directUrl);
      state = await queueState(redis.url);
      if (stored >= ARTICLES && state.pending === 0) break;
    }
    const cleanShutdown = await fleet.stop();
    const after = await snapshot(directUrl);
    const bodies = redis.cli('--scan', '--pattern', 'newsflow:body:*').stdout.split('\n').filter(Boolean);
    const unstoredBodies = bodies.filter((key) => redis.cli('get', key).stdout.trim() !== 'stored');
    const peakRssMiB = Object.fromEntries(fleet.peakRssMiB);
    console.log(
      `chaos run (${options.postgres ? 'PostgreSQL' : 'SQLite'}): ${kills.length} kills, peak RSS MiB`,
      peakRssMiB,
    );
    return {
      after,
      state,
      stored,
      kills,
      exits: fleet.exits,
      cleanShutdown,
      log: fleet.logText(),
      unstoredBodies,
      peakRssMiB,
    };
  } finally {
    await fleet.stop().catch(() => {});
    await redis.kill();
    await proxy.close();
    await database?.drop();
  }
}

function expectNoLoss(result: Awaited<ReturnType<typeof chaosRun>>) {
  const { after, state } = result;
  const plainLines = result.log.split('\n').filter((line) => line.trim() && !line.startsWith('{'));
  const context = `failures: ${state.failures.join('\n')}\nplain log lines:\n${plainLines.slice(0, 60).join('\n')}`;
  // Every stage was hit, more than 20 times in all.
  expect(new Set(result.kills)).toEqual(new Set(STAGES));
  expect(result.kills.length).toBeGreaterThanOrEqual(20);
  // Every article stored exactly once, with its paragraphs once.
  expect(after.urls, context).toEqual(calm.urls);
  for (const url of calm.urls) expect(after.paragraphCounts.get(url), url).toBe(calm.paragraphCounts.get(url));
  // Nothing failed, nothing left waiting, active or stalled, no article body stranded.
  expect(state.failed, context).toBe(0);
  expect(state.pending, context).toBe(0);
  expect(result.unstoredBodies).toEqual([]);
  // The same duplicate structure as the calm run, and no spurious versions from the re-ingest after Redis came
  // back empty.
  expect(after.groups).toEqual(calm.groups);
  expect(after.versions).toBe(0);
  // No crash: a worker only ever exited because we killed it, or (code 3) because Redis or the database was away
  // when it started; and each shut down cleanly on SIGTERM.
  const crashes = result.exits.filter((exit) => !exit.killedByUs && exit.code !== 3);
  expect(crashes, context).toEqual([]);
  expect(result.cleanShutdown.every((code) => code === 0 || code === null)).toBe(true);
  // Bounded memory: no worker grows anywhere near what a leak or an unbounded buffer would take.
  for (const [name, mib] of Object.entries(result.peakRssMiB)) expect(mib, name).toBeLessThan(768);
  // Logs stay one JSON object a line: no raw stack traces from clients without an error listener.
  // The one plain line allowed is the CLI's own exit message (`newsflow: cannot reach …`, exit code 3).
  const rawLines = result.log
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('{') && !line.startsWith('newsflow: cannot reach'));
  expect(rawLines.slice(0, 5)).toEqual([]);
}

describe('the pipeline under faults', () => {
  it('loses and doubles nothing on PostgreSQL: kill -9, slow pages, Redis restarted with AOF and empty, PostgreSQL cut', async () => {
    expectNoLoss(await chaosRun({ postgres: true, seed: 9 }));
  }, 600_000);

  it('loses and doubles nothing on SQLite with one storage worker', async () => {
    expectNoLoss(await chaosRun({ postgres: false, seed: 10 }));
  }, 600_000);
});
