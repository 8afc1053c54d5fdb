import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from './chaos/harness.ts';
import { CLI, freePort, uniquePrefix, writeTestConfig } from './helpers.ts';

let directory: string;
let redis: RedisServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'newsflow-health-'));
  // A Redis of the test's own, so it can be stopped under a running worker.
  redis = new RedisServer(await freePort(), join(directory, 'redis'));
  await redis.start();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await redis.kill();
  rmSync(directory, { recursive: true, force: true });
});

/** Starts `newsflow worker NAME` with a health port of the OS's choosing; resolves with the URL it logged. */
async function startWorker(name: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'worker', name], {
    env: {
      ...process.env,
      REDIS_URL: redis.url,
      DATABASE_URL: `file:${join(directory, `${name}.db`)}`,
      NEWSFLOW_PREFIX: uniquePrefix('health'),
      NEWSFLOW_CONFIG: writeTestConfig(directory, ['http://127.0.0.1:9/never-polled.xml']),
      NEWSFLOW_HTTP_PORT: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let logs = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
      const match = /"health":"(http:\/\/[^"]+)"/.exec(logs);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited ${code}: ${logs}`)));
  });
  return { url, child };
}

describe('worker health and metrics endpoints', () => {
  it('answer /healthz, /readyz and /metrics on a storage worker, with our metrics and Node defaults', async () => {
    const { url } = await startWorker('storage');
    const healthz = await fetch(`${url}/healthz`);
    expect(healthz.status).toBe(200);
    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toEqual({ ready: true });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^newsflow_queue_jobs\{queue="article-store",state="waiting"\} 0$/m);
    expect(metrics).toContain('# TYPE newsflow_jobs_total counter');
    expect(metrics).toContain('# TYPE newsflow_job_duration_seconds histogram');
    expect(metrics).toContain('# TYPE newsflow_storage_batch_size histogram');
    expect(metrics).toMatch(/^newsflow_process_cpu_seconds_total /m);
  });

  it('says not ready, and why, while Redis is away, and ready again once it is back', async () => {
    const { url } = await startWorker('feed-fetcher');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await redis.stop();
    const down = await fetch(`${url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ready: false, failures: [{ name: 'redis' }] });
    // Alive all the same: a liveness probe must not restart a worker that only waits for Redis.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await redis.start();
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await fetch(`${url}/readyz`)).status;
    }
    expect(status).toBe(200);
  });
});
