import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleRecord } from '@newsflow/core';
import { openStore } from '@newsflow/storage';
import { CLI, runCli } from './helpers.ts';

let directory: string;
let databaseUrl: string;
const ARTICLES = 3000;
const DAY = 86_400_000;

function article(i: number): ArticleRecord {
  return {
    url: `https://news.example/${i}`,
    feedUrl: 'https://news.example/feed.xml',
    title: `Story ${i}`,
    author: null,
    publishedAt: null,
    language: 'en',
    siteName: null,
    // The first ten were fetched a month ago, the rest now.
    fetchedAt: new Date(Date.now() - (i < 10 ? 30 * DAY : 0)).toISOString(),
    modifiedAt: null,
    canonicalUrl: null,
    image: null,
    feedName: 'News',
    tags: [],
    paragraphs: [{ text: `Paragraph of story ${i}. `.repeat(20), duplicateOf: null }],
    duplicateOf: null,
  };
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'newsflow-export-'));
  databaseUrl = `file:${join(directory, 'export.db')}`;
  const store = await openStore(databaseUrl);
  for (let start = 0; start < ARTICLES; start += 500)
    await store.upsertArticles(Array.from({ length: 500 }, (_, k) => article(start + k)));
  await store.close();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('newsflow export', () => {
  it('stops quietly, exit 0, when its reader goes away (`export | head`)', async () => {
    const child = spawn('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" export | head -n 1`], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('takes a duration for --since', async () => {
    const recent = await runCli(['export', '--since', '7d'], { DATABASE_URL: databaseUrl });
    expect(recent.code, recent.stderr).toBe(0);
    expect(recent.stdout.trim().split('\n')).toHaveLength(ARTICLES - 10);
    const bad = await runCli(['export', '--since', 'last week'], { DATABASE_URL: databaseUrl });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since takes an ISO date or a duration such as 7d or 12h');
  });
});
