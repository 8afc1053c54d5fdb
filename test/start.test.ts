import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { openStore } from '@newsflow/storage';
import { startDemoSite } from '@newsflow/cli';
import { CLI, runCli, TEST_REDIS_URL, uniquePrefix, writeTestConfig } from './helpers.ts';

let site: Awaited<ReturnType<typeof startDemoSite>>;
let directory: string;
const prefix = uniquePrefix('start');

beforeAll(async () => {
  site = await startDemoSite();
  directory = mkdtempSync(join(tmpdir(), 'newsflow-start-'));
});
// Processes a test started; a test that fails before stopping its process must not leave it running.
const children: { child: ChildProcess; group: boolean }[] = [];

afterAll(async () => {
  for (const { child, group } of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    if (group) process.kill(-child.pid!, 'SIGKILL');
    else child.kill('SIGKILL');
  }
  const redis = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
  await site.close();
  rmSync(directory, { recursive: true, force: true });
});

it('`start` polls the feeds, stores the articles and exits 0 on SIGINT', async () => {
  const databaseUrl = `file:${join(directory, 'start.db')}`;
  const child = spawn(process.execPath, [CLI, 'start', '--config', writeTestConfig(directory, site.feedUrls)], {
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: databaseUrl,
      NEWSFLOW_PREFIX: prefix,
      NEWSFLOW_DASHBOARD_PORT: '0',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push({ child, group: false });
  let logs = '';
  child.stderr.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const store = await openStore(databaseUrl);
  let stored = 0;
  for (let attempt = 0; attempt < 240 && stored < 3; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stored = await store.countArticles();
  }
  await store.close();
  expect(stored, logs).toBe(3);

  // `start` serves the dashboard too, and says where.
  const dashboard = /"dashboard":"(http:\/\/127\.0\.0\.1:\d+\/)"/.exec(logs)?.[1];
  expect(dashboard, logs).toBeDefined();
  const overview = (await (await fetch(`${dashboard}api/overview`)).json()) as { storedArticles: number };
  expect(overview.storedArticles).toBe(3);

  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(logs).toContain('"msg":"stopping: finishing active jobs (signal again to exit now)"');
  expect(logs).toMatch(/"stage":"scheduler".*"msg":"feed schedules synced"/);
});

it('`run --once` after `start` on the same prefix waits only for its own work, not the next scheduled poll', async () => {
  // The job schedulers `start` registered persist, each with its next poll waiting as a delayed job.
  const run = await runCli(
    ['run', '--once', '--timeout', '90', '--config', writeTestConfig(directory, site.feedUrls)],
    {
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: `file:${join(directory, 'start.db')}`,
      NEWSFLOW_PREFIX: prefix,
    },
  );
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).not.toContain('timed out');
});

it('`pnpm start` stopped with Ctrl-C exits 0, without ELIFECYCLE', async () => {
  // A terminal's Ctrl-C signals its whole foreground group: pnpm, and the node it runs (which pnpm signals again).
  const child = spawn('pnpm', ['start'], {
    cwd: new URL('..', import.meta.url).pathname,
    detached: true,
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: `file:${join(directory, 'pnpm-start.db')}`,
      NEWSFLOW_CONFIG: writeTestConfig(directory, site.feedUrls),
      NEWSFLOW_PREFIX: prefix,
      NEWSFLOW_DASHBOARD_PORT: 'off',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push({ child, group: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let attempt = 0; attempt < 200 && !output.includes('newsflow started'); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  expect(output).toContain('newsflow started');
  // A person presses Ctrl-C some time after the start, not within its first milliseconds.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  process.kill(-child.pid!, 'SIGINT');
  expect(await exited, output).toBe(0);
  expect(output).not.toContain('ELIFECYCLE');
  expect(output).toContain('"msg":"stopping: finishing active jobs (signal again to exit now)"');
});
