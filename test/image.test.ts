import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { Redis } from 'ioredis';
import { imageEnvironment, replayRepositoryImage, type ReplayResult } from './dockerfile-replay.ts';
import { freePort, TEST_REDIS_URL, uniquePrefix } from './helpers.ts';

/**
 * No Docker engine runs here: infra/Dockerfile's steps are replayed on the tracked files in a scratch folder outside
 * the repository, and the commands the image runs start from the runtime stage's folder alone.
 */
const REPO = new URL('..', import.meta.url).pathname;
let scratch: string;
let image: ReplayResult;
const prefix = uniquePrefix('image');

function runImage(args: string[], extra: Record<string, string> = {}) {
  return spawnSync(image.entrypoint[0]!, [...image.entrypoint.slice(1), ...args], {
    cwd: image.workdir,
    env: imageEnvironment(image, extra),
    encoding: 'utf8',
    timeout: 120_000,
  });
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'newsflow-image-'));
  image = replayRepositoryImage(REPO, scratch);
  // Only the runtime stage stays: nothing can fall back on the build stage's node_modules.
  for (const entry of readdirSync(scratch))
    if (join(scratch, entry) !== image.root) rmSync(join(scratch, entry), { recursive: true, force: true });
}, 600_000);

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  const redis = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
});

describe('the image (infra/Dockerfile replayed without Docker)', () => {
  it('holds compiled JavaScript and production dependencies only: no TypeScript, no tsx', () => {
    const app = image.workdir;
    expect(existsSync(join(app, 'dist/main.js'))).toBe(true);
    const pnpmStore = readdirSync(join(app, 'node_modules/.pnpm'));
    // (typescript itself comes along as an optional peer of valibot, bull-board's validator; nothing loads it.)
    for (const devOnly of ['tsx@', 'vitest@', 'esbuild@', 'eslint@', 'vite@'])
      expect(
        pnpmStore.filter((entry) => entry.startsWith(devOnly)),
        devOnly,
      ).toEqual([]);
    const workspacePackages = join(app, 'node_modules/@newsflow');
    for (const name of readdirSync(workspacePackages)) {
      const packageDir = realpathSync(join(workspacePackages, name));
      expect(existsSync(join(packageDir, 'dist/index.js')), name).toBe(true);
      expect(existsSync(join(packageDir, 'src/index.ts')), name).toBe(false);
    }
    expect(image.entrypoint).toEqual(['newsflow']);
    expect(image.cmd).toEqual(['start']);
  });

  it('answers --help from the image alone', () => {
    const help = runImage(['--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('usage: newsflow <command>');
  });

  it('runs the demo through the whole pipeline', () => {
    const demo = runImage(['demo'], { REDIS_URL: TEST_REDIS_URL, NEWSFLOW_PREFIX: prefix, LOG_LEVEL: 'warn' });
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('mass protests have continued');
    // The demo keeps its database for the user to look at; the test does not.
    const database = /The articles are in file:(\S+)\./.exec(demo.stdout)?.[1];
    if (database) rmSync(dirname(database), { recursive: true, force: true });
  });

  it('starts a scraper worker that its HEALTHCHECK finds healthy and that stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env = imageEnvironment(image, {
      REDIS_URL: TEST_REDIS_URL,
      NEWSFLOW_PREFIX: prefix,
      NEWSFLOW_HTTP_PORT: String(port),
      LOG_LEVEL: 'info',
    });
    const worker = spawn(image.entrypoint[0]!, [...image.entrypoint.slice(1), 'worker', 'scraper'], {
      cwd: image.workdir,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let logs = '';
    worker.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const exited = new Promise<string>((resolve) =>
      worker.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit ${code}`)),
    );
    try {
      let healthy = false;
      for (let attempt = 0; attempt < 100 && !healthy && worker.exitCode === null; attempt++) {
        const check = spawnSync(image.healthcheck![0]!, image.healthcheck!.slice(1), { env, encoding: 'utf8' });
        healthy = check.status === 0;
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(healthy, logs).toBe(true);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^newsflow_queue_jobs\{queue="article-scrape",state="waiting"\} \d+$/m);
      expect(logs).toContain('"msg":"worker started"');
      worker.kill('SIGTERM');
      // On failure, the worker's own log says how far its shutdown got.
      expect(await exited, logs).toBe('exit 0');
    } finally {
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
  });
});
