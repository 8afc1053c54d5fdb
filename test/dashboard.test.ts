import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, deleteKeysWithPrefix, QUEUES, type Queues } from '@newsflow/core';
import { openStore, type ArticleStore } from '@newsflow/storage';
import { startDemoSite } from '@newsflow/cli';
import { CLI, freePort, runCli, TEST_REDIS_URL, uniquePrefix, writeTestConfig } from './helpers.ts';

/**
 * The dashboard in a real browser (Debian's Chromium, driven by playwright-core) after a `run --once` over the demo
 * site plus a feed that is gone: what it shows must be what the queues and the database hold.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = new URL('../.tmp/test-output/dashboard/', import.meta.url).pathname;

let directory: string;
let site: Awaited<ReturnType<typeof startDemoSite>>;
let prefix: string;
let redis: Redis;
let queues: Queues;
let store: ArticleStore;
let env: Record<string, string>;
let browser: Browser;
const children: ChildProcess[] = [];

/** Starts `newsflow dashboard` with `args`; resolves with the URL it prints. */
async function startDashboard(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'dashboard', ...args], {
    env: { ...process.env, ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /newsflow dashboard at (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`dashboard exited ${code}: ${output}`)));
  });
}

async function openPage(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-loaded="true"]');
  return { page, problems };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH); .ci/run installs it`);
  directory = mkdtempSync(join(tmpdir(), 'newsflow-dashboard-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await startDemoSite();
  prefix = uniquePrefix('dashboard');
  env = {
    REDIS_URL: TEST_REDIS_URL,
    NEWSFLOW_PREFIX: prefix,
    DATABASE_URL: `file:${join(directory, 'newsflow.db')}`,
    NEWSFLOW_CONFIG: writeTestConfig(directory, [...site.feedUrls, `${site.baseUrl}/feeds/gone.rss`]),
  };
  const run = await runCli(['run', '--once'], env);
  expect(run.code, run.stderr).toBe(0);
  redis = new Redis(TEST_REDIS_URL);
  queues = createQueues(redis, prefix);
  store = await openStore(env.DATABASE_URL!);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await browser?.close();
  await store?.close();
  if (queues) await Promise.all(Object.values(queues).map((queue) => queue.close()));
  if (redis) {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  }
  await site?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('newsflow dashboard', () => {
  it('shows what the database and the queues hold, and retry puts failed jobs back', async () => {
    const url = await startDashboard(['--port', '0']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const { page, problems } = await openPage(url);

    const stored = await store.countArticles();
    expect(stored).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="stored-articles"]')).toBe(String(stored));

    // Throughput: every stored article was one scrape job this run (`run --once` dedups and stores in the scrape
    // job), drawn in the chart's scraper line beside the failed one.
    const legend = await page.textContent('#throughput .legend');
    expect(legend).toContain(`scraper: ${stored} in 15 min`);
    expect(legend).toContain('storage: 0 in 15 min');

    const counts = await queues[QUEUES.articleScrape].getJobCounts('failed', 'completed');
    const scraperRow = page.locator('#queues tr[data-stage="scraper"] td');
    expect(await scraperRow.nth(5).textContent()).toBe(String(counts.completed));
    expect(await scraperRow.nth(6).textContent()).toBe(String(counts.failed));
    expect(counts.failed).toBe(1); // the demo's dead link

    // Feeds: one row per configured feed, the gone one failing with its HTTP status and no next poll scheduled
    // (run --once registers no schedule).
    const health = await store.feedHealth();
    expect(await page.locator('#feeds tbody tr').count()).toBe(3);
    const gone = page.locator(`#feeds tr[data-url="${site.baseUrl}/feeds/gone.rss"] td`);
    expect(await gone.nth(0).textContent()).toBe('failing');
    expect(await gone.nth(3).textContent()).toBe('404');
    const world = health.find((feed) => feed.url === site.feedUrls[0])!;
    const worldRow = page.locator(`#feeds tr[data-url="${site.feedUrls[0]}"] td`);
    expect(await worldRow.nth(0).textContent()).toBe('ok');
    expect(await worldRow.nth(4).textContent()).toBe(String(world.lastPoll!.items));
    expect(await worldRow.nth(5).textContent()).toBe(String(world.lastPoll!.newItems));

    // Latest articles: the seed's repeated paragraph is marked and links to the paragraph it repeats.
    const latest = await store.latestArticles(20);
    expect(await page.locator('#articles article').count()).toBe(latest.length);
    const repeated = latest.flatMap((article) => article.paragraphs.filter((paragraph) => paragraph.duplicateOf));
    expect(repeated.length).toBeGreaterThan(0);
    expect(await page.locator('#articles p.duplicate').count()).toBe(repeated.length);
    const protest = latest
      .flatMap((article) => article.paragraphs)
      .filter((paragraph) => paragraph.duplicateOf && paragraph.text.includes('mass protests have continued'));
    expect(protest.length).toBeGreaterThan(0);
    const marked = page.locator('#articles p.duplicate', { hasText: 'mass protests have continued' });
    expect(await marked.count()).toBe(protest.length);
    const links = await marked
      .locator('a')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    expect(links.sort()).toEqual(protest.map((paragraph) => paragraph.duplicateOf!.url).sort());

    await page.fill('#search', 'Belarus');
    await page.click('#search-form button');
    await page.waitForSelector('#search-results li a');
    const hits = await store.search('Belarus');
    expect(await page.locator('#search-results li').count()).toBe(hits.length);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    // Failures by reason, each with a retry: the scraper's 404 goes back to its queue.
    const failureRow = page.locator('#failures tr[data-stage="scraper"]');
    expect(await failureRow.locator('td').nth(1).textContent()).toContain('HTTP 404');
    expect(await failureRow.locator('td a').first().textContent()).toContain(site.baseUrl);
    await failureRow.locator('button.retry').click();
    await page.waitForSelector(
      '#failures tr[data-stage="scraper"] button:has-text("1 re-queued"), #failures:not(:has(tr[data-stage="scraper"]))',
    );
    const after = await queues[QUEUES.articleScrape].getJobCounts('failed', 'waiting');
    expect(after).toMatchObject({ failed: 0, waiting: 1 });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-after-retry.png'), fullPage: true });
    expect(problems).toEqual([]);

    // bull-board, for one job at a time. Its page asks Google Fonts for a web font, which this offline machine
    // cannot reach (the text falls back to a system font): that request is the only failure allowed there.
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(new URL(request.url()).host));
    problems.length = 0;
    await page.goto(`${url}queues`);
    await page.waitForSelector('text=article-scrape');
    await page.waitForFunction("!document.body.innerText.includes('Loading')");
    await page.screenshot({ path: join(SCREENSHOTS, 'bull-board.png') });
    expect(failedRequests.filter((host) => host !== 'fonts.googleapis.com')).toEqual([]);
    expect(problems.filter((problem) => !problem.includes('ERR_NAME_NOT_RESOLVED'))).toEqual([]);
    expect(problems.length).toBe(failedRequests.length);
    await page.close();
  });

  it('refuses another address than loopback without a token', async () => {
    const refused = await runCli(['dashboard', '--host', '0.0.0.0', '--port', '0'], env, 30_000);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('NEWSFLOW_DASHBOARD_TOKEN');
  });

  it('with a token, answers only requests that carry it', async () => {
    const token = 'a-secret-for-the-test';
    const port = await freePort();
    const url = await startDashboard(['--host', '0.0.0.0', '--port', String(port)], {
      NEWSFLOW_DASHBOARD_TOKEN: token,
    });
    expect(url).toBe(`http://0.0.0.0:${port}/`);
    const local = `http://127.0.0.1:${port}`;
    expect((await fetch(`${local}/api/overview`)).status).toBe(401);
    expect((await fetch(`${local}/queues/`)).status).toBe(401);
    expect((await fetch(`${local}/api/overview`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const overview = await fetch(`${local}/api/overview`, { headers: { authorization: `Bearer ${token}` } });
    expect(overview.status).toBe(200);
    expect(((await overview.json()) as { storedArticles: number }).storedArticles).toBe(await store.countArticles());
    // In a browser: once through the URL, then the cookie; the token leaves the address bar.
    const { page, problems } = await openPage(`${local}/?token=${token}`);
    expect(page.url()).toBe(`${local}/`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
