import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { startDemoSite } from '@newsflow/cli';
import { runCli, serve, TEST_REDIS_URL, uniquePrefix, writeTestConfig } from './helpers.ts';

const directory = mkdtempSync(join(tmpdir(), 'newsflow-feeds-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('newsflow feeds', () => {
  it('adds, lists and removes feeds, keeping the comments, and refuses an edit that would break the config', async () => {
    const path = join(directory, 'feeds.yaml');
    const original =
      '# my feeds\nfeeds:\n  # the first one\n  - url: https://a.example/rss.xml\n    interval: 10m\ndefaults: { interval: 30m } # slow\n';
    writeFileSync(path, original);
    const env = { NEWSFLOW_CONFIG: path };

    const added = await runCli(['feeds', 'add', 'https://b.example/atom.xml', '--name', 'B News', '--no-check'], env);
    expect(added.code, added.stderr).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('# the first one');
    expect(readFileSync(path, 'utf8')).toContain('# slow');

    const list = await runCli(['feeds', 'list'], env);
    expect(list.stdout.trim().split('\n')).toEqual([
      'https://a.example/rss.xml\ta.example\tevery 10m',
      'https://b.example/atom.xml\tB News\tevery 30m',
    ]);

    const before = readFileSync(path, 'utf8');
    const duplicate = await runCli(['feeds', 'add', 'https://a.example/rss.xml', '--no-check'], env);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('duplicate feed URL https://a.example/rss.xml');
    const invalid = await runCli(['feeds', 'add', 'ftp://c.example/', '--no-check'], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('expected an http(s) URL');
    expect(readFileSync(path, 'utf8')).toBe(before);

    expect((await runCli(['feeds', 'remove', 'https://b.example/atom.xml'], env)).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(original);
    const missing = await runCli(['feeds', 'remove', 'https://zzz.example/'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no feed with url https://zzz.example/');
  });

  it('imports an OPML file into the config (folders as tags, known feeds skipped) and exports it back', async () => {
    const path = join(directory, 'opml-feeds.yaml');
    writeFileSync(path, '# mine\nfeeds:\n  - url: https://known.example/rss.xml\n');
    const opml = join(directory, 'reader.opml');
    writeFileSync(
      opml,
      '<?xml version="1.0"?><opml version="1.0"><body><outline text="Tech">' +
        '<outline text="Gadgets" type="rss" xmlUrl="https://gadgets.example/feed.xml"/>' +
        '<outline text="Known again" type="rss" xmlUrl="HTTPS://Known.example/rss.xml"/>' +
        '</outline><outline text="Not a URL" type="rss" xmlUrl="ftp://x.example/"/></body></opml>',
    );
    const env = { NEWSFLOW_CONFIG: path };
    const imported = await runCli(['feeds', 'import', opml], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('imported 1 of 3 feeds');
    expect(readFileSync(path, 'utf8')).toContain('# mine');
    const list = await runCli(['feeds', 'list'], env);
    expect(list.stdout).toContain('https://gadgets.example/feed.xml\tGadgets');
    const exported = await runCli(['feeds', 'export'], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('<outline text="Tech" title="Tech">');
    expect(exported.stdout).toContain('xmlUrl="https://gadgets.example/feed.xml" category="/Tech"');
    expect(exported.stdout).toContain('xmlUrl="https://known.example/rss.xml"');
  });

  it('keeps a feed list in the database (--db) that run --once polls beside the config file', async () => {
    const site = await startDemoSite();
    const prefix = uniquePrefix('feeds-db');
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const env = {
        DATABASE_URL: `file:${join(directory, 'feeds-db.db')}`,
        REDIS_URL: TEST_REDIS_URL,
        NEWSFLOW_PREFIX: prefix,
      };
      const [world, partner] = site.feedUrls as [string, string];
      const list = join(directory, 'feeds.txt');
      writeFileSync(list, '# more feeds\nhttps://extra.example/rss\n\nnot a url\nhttps://extra.example/rss  # twice\n');
      const imported = await runCli(['feeds', 'import', list, '--db'], env);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain(`imported 1 new of 2 feeds from ${list} into the database`);
      expect(imported.stdout).toContain('line 4: not an http(s) URL: "not a url"');

      const opml = join(directory, 'db.opml');
      writeFileSync(
        opml,
        `<opml version="2.0"><body><outline text="Wire"><outline text="Partner Wire" xmlUrl="${partner}"/></outline></body></opml>`,
      );
      expect((await runCli(['feeds', 'import', opml, '--db'], env)).stdout).toContain('imported 1 new of 1 feeds');
      const listed = await runCli(['feeds', 'list', '--db'], env);
      expect(listed.stdout.trim().split('\n').sort()).toEqual(
        ['https://extra.example/rss\t\tdefault interval', `${partner}\tPartner Wire\tdefault interval`].sort(),
      );
      expect((await runCli(['feeds', 'remove', 'https://extra.example/rss', '--db'], env)).stdout).toContain('removed');

      // The config lists one feed, the database the other: one run polls both, and the database feed's articles
      // carry its name and tags though no config file names them.
      const run = await runCli(['run', '--once', '--config', writeTestConfig(directory, [world])], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('feeds: 2 polled');
      expect(run.stdout).toContain('stored: 3');
      const records = (await runCli(['export'], env)).stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { feedUrl: string; feedName: string | null; tags: string[] });
      const fromPartner = records.filter((record) => record.feedUrl === partner);
      expect(fromPartner.length).toBeGreaterThan(0);
      for (const record of fromPartner) expect(record).toMatchObject({ feedName: 'Partner Wire', tags: ['Wire'] });
    } finally {
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
      await site.close();
    }
  });

  it('adds a feed only when it answers as one, and finds the feed a home page announces', async () => {
    const site = await serve({
      '/': (_, response) =>
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            '<html><head><title>Home</title><link rel="alternate" type="application/rss+xml" title="RSS" href="/news.rss"></head><body>Hi</body></html>',
          ),
      '/news.rss': (_, response) =>
        response
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(
            '<rss version="2.0"><channel><title>Local News</title><item><title>x</title><link>/x</link></item></channel></rss>',
          ),
      '/about': (_, response) =>
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>About</body></html>'),
    });
    try {
      const path = join(directory, 'checked.yaml');
      writeFileSync(path, 'feeds:\n  - url: https://known.example/rss.xml\nfetch:\n  allowPrivateNetworks: true\n');
      const env = { NEWSFLOW_CONFIG: path };
      const fromHome = await runCli(['feeds', 'add', `${site.url}/`], env);
      expect(fromHome.code, fromHome.stderr).toBe(0);
      expect(fromHome.stderr).toContain(`it announces the feed ${site.url}/news.rss`);
      expect((await runCli(['feeds', 'list'], env)).stdout).toContain(`${site.url}/news.rss\tLocal News`);
      const notAFeed = await runCli(['feeds', 'add', `${site.url}/about`], env);
      expect(notAFeed.code).toBe(2);
      expect(notAFeed.stderr).toContain('the page announces no feed');
      const dead = await runCli(['feeds', 'add', `${site.url}/missing.xml`], env);
      expect(dead.code).toBe(2);
      expect(dead.stderr).toMatch(/cannot add .*missing\.xml: HTTP 404/);
    } finally {
      await site.close();
    }
  });
});
