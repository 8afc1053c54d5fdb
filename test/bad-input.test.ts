import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, type ExportRecord } from '@newsflow/core';
import { spawn } from 'node:child_process';
import { CLI, runCli, serve, TEST_REDIS_URL, uniquePrefix, writeTestConfig } from './helpers.ts';

const ARTICLE = (title: string) =>
  `<html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1>` +
  '<p>The council approved the budget on Tuesday after a debate that lasted well into the night, officials said.</p>' +
  '<p>Opposition members said the plan cut too deeply into spending on schools, roads and public transport.</p></article></body></html>';

let site: Awaited<ReturnType<typeof serve>>;
let directory: string;
let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'newsflow-bad-'));
  redis = new Redis(TEST_REDIS_URL);
  site = await serve({
    '/feeds/not-xml.xml': (_, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Moved!</body></html>'),
    '/feeds/news.rss': (_, response) => {
      const items = ['/good.html', '/huge.html', '/loop.html', '/gone.html', '/private/secret.html']
        .map((path) => `<item><title>${path}</title><link>${site.url}${path}</link></item>`)
        .join('');
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss version="2.0"><channel><title>News</title>${items}</channel></rss>`);
    },
    '/robots.txt': (_, response) =>
      response.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n'),
    '/private/secret.html': (_, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end(ARTICLE('Secret')),
    '/good.html': (_, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end(ARTICLE('Council approves budget')),
    '/huge.html': (_, response) =>
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(ARTICLE('Huge').replace('</body>', `${'<p>filler text</p>'.repeat(20_000)}</body>`)),
    '/loop.html': (_, response) => response.writeHead(302, { location: '/loop.html?again=1' }).end(),
    '/gone.html': (_, response) => response.writeHead(404).end(),
  });
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
  await site.close();
  rmSync(directory, { recursive: true, force: true });
});

function environment(): Record<string, string> {
  const prefix = uniquePrefix('bad');
  prefixes.push(prefix);
  return {
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: `file:${join(directory, `${prefix}.db`)}`,
    NEWSFLOW_PREFIX: prefix,
  };
}

describe('bad input gets a clear error and loses nothing', () => {
  it('exits 2 on an invalid config, naming the file, line, key and what is allowed', async () => {
    const path = join(directory, 'invalid.yaml');
    writeFileSync(path, 'feeds:\n  - url: https://example.org/rss\n    interval: often\n');
    const run = await runCli(['run', '--once', '--config', path], environment());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${path}:3: feeds[0].interval: expected a duration of at least 10s such as 30s, 10m or 1h (got "often")`,
    );
  });

  it('says so when the config has no feeds', async () => {
    const path = join(directory, 'empty.yaml');
    writeFileSync(path, '# no feeds yet\n');
    const run = await runCli(['run', '--once', '--config', path], environment());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`no feeds in ${path}: nothing will be polled until one is added`);
  });

  it('exits 2 when the config file is missing', async () => {
    const run = await runCli(['run', '--once', '--config', join(directory, 'nope.yaml')], environment());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nope\.yaml: cannot read config file/);
  });

  it('exits 3 when Redis cannot be reached, with the address and how to start one', async () => {
    const config = writeTestConfig(directory, [`${site.url}/feeds/news.rss`]);
    const run = await runCli(
      ['run', '--once', '--config', config],
      { ...environment(), REDIS_URL: 'redis://127.0.0.1:1' },
      15_000,
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1');
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).toContain('docker compose up -d redis');
    const unknownHost = await runCli(
      ['status'],
      { ...environment(), REDIS_URL: 'redis://no-such-host.invalid:6379' },
      15_000,
    );
    expect(unknownHost.code).toBe(3);
    expect(unknownHost.stderr).toMatch(
      /cannot reach Redis at redis:\/\/no-such-host\.invalid:6379\/?: .*(ENOTFOUND|EAI_AGAIN)/,
    );
  });

  it('exits 3 when PostgreSQL cannot be reached', async () => {
    const config = writeTestConfig(directory, [`${site.url}/feeds/news.rss`]);
    const run = await runCli(
      ['run', '--once', '--config', config],
      { ...environment(), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/newsflow' },
      30_000,
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot reach PostgreSQL at postgres://postgres@127.0.0.1:1/newsflow');
  });

  it('exits 3 on a PostgreSQL server without the database, saying to create it', async () => {
    const run = await runCli(['export'], {
      ...environment(),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/newsflow_no_such_database',
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('database "newsflow_no_such_database" does not exist');
    expect(run.stderr).toContain('createdb newsflow_no_such_database');
    expect(run.stderr).not.toContain('docker compose up -d postgres');
  });

  it('reports a feed that is not XML, a page over the size cap, a redirect loop, a dead link and a page robots.txt disallows, and still stores the good page', async () => {
    const config = writeTestConfig(
      directory,
      [`${site.url}/feeds/not-xml.xml`, `${site.url}/feeds/news.rss`],
      '  maxBytes: 100000\n',
    );
    const env = environment();
    const run = await runCli(['run', '--once', '--config', config], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('feeds: 1 polled, 1 failed');
    expect(run.stdout).toContain('stored: 1');
    expect(run.stdout).toContain('failed: 5');
    // Grouped by reason, each with its example URLs.
    expect(run.stdout).toMatch(
      /1× feed-fetch: not a feed: expected RSS, Atom or JSON Feed.*\n.*\/feeds\/not-xml\.xml: /,
    );
    expect(run.stdout).toMatch(/1× article-scrape: response from <url> is larger than the <n>-byte cap/);
    expect(run.stdout).toMatch(
      / {6}.*\/huge\.html: response from .* is larger than the 100000-byte cap \(fetch\.maxBytes\)/,
    );
    expect(run.stdout).toMatch(/ {6}.*\/loop\.html: redirect loop/);
    expect(run.stdout).toMatch(/ {6}.*\/gone\.html: HTTP 404/);
    expect(run.stdout).toMatch(/ {6}.*\/private\/secret\.html: robots\.txt of 127\.0\.0\.1:\d+ disallows/);
    // Each failure is also logged with its reason.
    expect(run.stderr).toMatch(/"reason":"not a feed/);

    const exported = await runCli(['export'], env);
    const records = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ExportRecord);
    expect(records.map((record) => record.title)).toEqual(['Council approves budget']);
  });

  it('refuses a loopback feed when private networks are not allowed', async () => {
    const config = join(directory, 'guarded.yaml');
    writeFileSync(config, `feeds:\n  - url: ${site.url}/feeds/news.rss\n`);
    const run = await runCli(['run', '--once', '--config', config], environment());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('stored: 0');
    expect(run.stdout).toMatch(
      / {6}.*\/feeds\/news\.rss: refused to connect to 127\.0\.0\.1 \(127\.0\.0\.1\): private or internal address \(set fetch\.allowPrivateNetworks: true to allow\)/,
    );
  });

  it('refuses a second storage worker on the same SQLite file, naming the first', async () => {
    const env = environment();
    const config = writeTestConfig(directory, [`${site.url}/feeds/news.rss`]);
    const first = spawn(process.execPath, [CLI, 'worker', 'storage', '--config', config], {
      env: { ...process.env, ...env, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let firstLog = '';
    first.stderr.on('data', (chunk: Buffer) => (firstLog += chunk.toString()));
    try {
      for (let attempt = 0; attempt < 120 && !firstLog.includes('worker started'); attempt++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(firstLog).toContain('worker started');
      const second = await runCli(['worker', 'storage', '--config', config], env, 30_000);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`already has a storage worker (`);
      expect(second.stderr).toContain(`${first.pid}): SQLite takes one writer per file`);
    } finally {
      first.kill('SIGTERM');
      await new Promise((resolve) => first.once('exit', resolve));
    }
  });

  it('rejects an unknown command with usage', async () => {
    const run = await runCli(['frobnicate'], environment());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
    expect(run.stderr).toContain('usage: newsflow <command>');
  });
});
