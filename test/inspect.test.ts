import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli, serve } from './helpers.ts';

const SEED = readFileSync(new URL('../services/cli/demo/seed-article.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter(Boolean);

let directory: string;
let site: Awaited<ReturnType<typeof serve>>;
const env = { NEWSFLOW_CONFIG: '/nonexistent/feeds.yaml' };

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'newsflow-inspect-'));
  site = await serve({
    '/feed.xml': (_, response) =>
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(
          '<rss version="2.0"><channel><title>T</title><link>http://x.example/</link><item><title>One</title><link>/one</link></item></channel></rss>',
        ),
  });
});
afterAll(async () => {
  await site.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('newsflow extract', () => {
  it('prints one JSON line per file, gzipped or not, and an error line for a missing one', async () => {
    const html = `<html lang="lt"><head><title>Minsk | Daily</title><meta property="og:site_name" content="Daily"></head><body><article>${SEED.map((line) => `<p>${line}</p>`).join('')}</article></body></html>`;
    writeFileSync(join(directory, 'page.html'), html);
    writeFileSync(join(directory, 'page.html.gz'), gzipSync(html));
    const run = await runCli(
      ['extract', join(directory, 'page.html'), join(directory, 'page.html.gz'), join(directory, 'missing.html')],
      env,
    );
    expect(run.code).toBe(1);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      file: join(directory, 'page.html'),
      title: 'Minsk',
      language: 'lt',
      siteName: 'Daily',
    });
    expect(lines[1]!.text).toBe(lines[0]!.text);
    expect(lines[0]!.text).not.toContain('[ad_');
    expect((lines[0]!.paragraphs as unknown[]).length).toBe(SEED.length - 2);
    expect(lines[2]).toMatchObject({ file: join(directory, 'missing.html'), error: expect.stringContaining('ENOENT') });
  });
});

describe('newsflow parse-feed', () => {
  it('prints the feed of a URL and an error for a file that is not a feed', async () => {
    writeFileSync(join(directory, 'not-a-feed.txt'), 'hello');
    // The guard is on by default: parse a loopback URL with private networks allowed in a config.
    const config = join(directory, 'feeds.yaml');
    writeFileSync(config, 'fetch: { allowPrivateNetworks: true }\n');
    const run = await runCli(
      ['parse-feed', '--config', config, `${site.url}/feed.xml`, join(directory, 'not-a-feed.txt')],
      env,
    );
    const [feed, broken] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(feed).toEqual({
      url: `${site.url}/feed.xml`,
      format: 'rss',
      title: 'T',
      link: 'http://x.example/',
      items: [
        {
          id: 'http://x.example/one',
          title: 'One',
          link: 'http://x.example/one',
          publishedAt: null,
          author: null,
          summary: null,
        },
      ],
    });
    expect(broken).toMatchObject({
      file: join(directory, 'not-a-feed.txt'),
      items: [],
      error: expect.stringMatching(/^not a feed/),
    });
    expect(run.code).toBe(1);
  });
});

describe('newsflow dedup', () => {
  it("flags the seed article's repeated paragraph against what it read before", async () => {
    const input = SEED.map((text, index) => JSON.stringify({ id: `p${index}`, text })).join('\n');
    const run = await runCli(['dedup'], env, 60_000, `${input}\n`);
    expect(run.code, run.stderr).toBe(0);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; duplicateOf: string | null; similarity: number | null });
    expect(results).toHaveLength(SEED.length);
    const first = SEED.findIndex((line) => line.startsWith('In Belarus, mass protests'));
    const second = SEED.findLastIndex((line) => line.startsWith('In Belarus, mass protests'));
    const flagged = results.filter((result) => result.duplicateOf !== null);
    // The short [ad_1] and [ad_2] lines differ after normalization: only the protest pair is flagged.
    expect(flagged.map((result) => [result.id, result.duplicateOf])).toEqual([[`p${second}`, `p${first}`]]);
    expect(flagged[0]!.similarity).toBeGreaterThan(0.45);
  });
});

describe('the offline commands on hostile input', () => {
  it('stops a gzip bomb at the fetch size cap with a clear error, and answers the other files', async () => {
    // 200 MB of zeros in a file of about 200 KB.
    writeFileSync(join(directory, 'bomb.html.gz'), gzipSync(Buffer.alloc(200 * 1024 * 1024)));
    writeFileSync(join(directory, 'fine.html'), `<html><body><article><p>${SEED[2]}</p></article></body></html>`);
    const run = await runCli(['extract', join(directory, 'bomb.html.gz'), join(directory, 'fine.html')], env);
    expect(run.code).toBe(1);
    const [bomb, fine] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(bomb).toMatchObject({ error: expect.stringMatching(/inflates to more than fetch\.maxBytes/) });
    expect(fine).toMatchObject({ file: join(directory, 'fine.html'), text: SEED[2] });
  });

  it('answers every valid dedup line and reports the others (null, arrays, strings, missing text) by line', async () => {
    const valid = SEED.slice(0, 13).map((text, index) => JSON.stringify({ id: `p${index}`, text }));
    const invalid = ['null', '[]', '"text"', '{"id":"x"}', '42', '{not json'];
    const lines = valid.flatMap((line, index) => (index < invalid.length ? [line, invalid[index]!] : [line]));
    const run = await runCli(['dedup'], env, 60_000, `${lines.join('\n')}\n`);
    expect(run.code).toBe(1);
    const answered = run.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(answered).toEqual(SEED.slice(0, 13).map((_, index) => `p${index}`));
    expect(run.stderr.match(/^newsflow dedup: line \d+:/gm)).toHaveLength(invalid.length);
  });

  it('writes every line into a pipe that is read slowly before it exits', async () => {
    const page = join(directory, 'page-for-pipe.html');
    writeFileSync(
      page,
      `<html><body><article>${SEED.map((line) => `<p>${line}</p>`).join('')}</article></body></html>`,
    );
    const child = spawn(process.execPath, [CLI, 'extract', ...Array.from({ length: 60 }, () => page)], {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // Nobody reads for a while: the pipe fills and the command must wait for its reader, not drop lines.
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.resume();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(output.trim().split('\n')).toHaveLength(60);
  });
});
