/**
 * `pnpm bench pipeline [--articles N] [--feeds F] [--db sqlite|postgres] [--extract-threads T] [--fingerprint-threads T] [--no-profile] [--hosts H --polite] [--chrome spare|news]`: N news articles (ASB corpus
 * bodies in page chrome: a spare one by default, `news` for a news site's menus, teasers and footer links) served on 127.0.0.1 through F RSS feeds, one host, politeness off, carried through every
 * stage by the compiled `newsflow run --once` in a child process, as a user runs it. `--hosts H --polite`: the
 * articles spread over H hosts (one port each) and the default politeness (one request per host per second, two at
 * once), to show the hosts fetched in parallel against the bound the delay sets. Prints articles per second,
 * the same pages through Readability.js + linkedom alone in this process for comparison, the child's peak RSS,
 * Redis memory left after the run, each of the child's threads' time on a core and time runnable but waiting for one
 * (from /proc), and (from a second, profiled run) CPU-ms per article for each stage.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import pg from 'pg';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '@newsflow/core';
import { openStore } from '@newsflow/storage';
import { loadAsbPages, redisCpuSeconds } from './corpus.ts';

const CLI = new URL('../services/cli/bin/newsflow.mjs', import.meta.url).pathname;
const POSTGRES_ADMIN_URL = process.env.NEWSFLOW_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface SiteArticle {
  path: string;
  title: string;
  paragraphs: string[];
}

export async function benchPipeline(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      articles: { type: 'string' },
      feeds: { type: 'string' },
      db: { type: 'string' },
      'extract-threads': { type: 'string' },
      'no-profile': { type: 'boolean' },
      'fingerprint-threads': { type: 'string' },
      hosts: { type: 'string' },
      polite: { type: 'boolean' },
      chrome: { type: 'string' },
    },
  });
  const count = Number(values.articles ?? 1000);
  const feeds = Number(values.feeds ?? 20);
  const database = values.db ?? 'sqlite';
  if (database !== 'sqlite' && database !== 'postgres') throw new Error('--db takes sqlite or postgres');
  const hostCount = Number(values.hosts ?? 1);
  const polite = values.polite ?? false;
  const chrome = values.chrome ?? 'spare';
  if (chrome !== 'spare' && chrome !== 'news') throw new Error('--chrome takes spare or news');
  const render = (article: SiteArticle) => pageHtml(article, chrome);

  const articles = generateArticles(count);
  const site = await serveSite(articles, feeds, hostCount, render);
  const pages = articles.map(render);
  // Measured before and after the timed run: a shared machine's speed drifts, and the ratio is taken to their mean.
  // Not with politeness on, where the delay, not the work, sets the pace.
  const readabilityBefore = polite ? 0 : readabilityPagesPerSecond(pages);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const scratch = mkdtempSync(join(tmpdir(), 'newsflow-bench-pipeline-'));
  try {
    const configPath = join(scratch, 'feeds.yaml');
    writeFileSync(
      configPath,
      `feeds:\n${Array.from({ length: feeds }, (_, i) => `  - url: ${site.feedUrl(i)}`).join('\n')}\n` +
        (polite
          ? // The defaults users get: one request start per host per second, two at once, robots.txt read.
            'fetch: { allowPrivateNetworks: true }\n'
          : // Politeness off, so the figures are the pipeline's own.
            'fetch: { allowPrivateNetworks: true, perHostDelayMs: 0, perHostConcurrency: 64, respectRobots: false }\n') +
        workersLine(values['extract-threads'], values['fingerprint-threads']),
    );
    console.log(
      `pipeline: ${count} articles (ASB bodies in page chrome, ${feeds} RSS feeds on 127.0.0.1, ` +
        `${hostCount === 1 ? 'one host' : `${hostCount} hosts`}, politeness ${polite ? 'on (the defaults)' : 'off'}) → ${database}, ` +
        '`newsflow run --once` (compiled) in a child process',
    );
    const run = await runOnce({ configPath, database, scratch, redis, label: 'timed' });
    const perSecond = run.stored / run.seconds;
    if (polite) {
      // Each host's first request starts at once, each later one a second after the one before.
      const perHost = Math.ceil(count / hostCount);
      console.log(
        `  ${run.seconds.toFixed(1)} s: ${perSecond.toFixed(1)} articles/s; stored ${run.stored} (${run.distinctUrls} distinct URLs); ` +
          `one request per host per second: ${perHost} articles per host take ${perHost - 1} s at the least (${hostCount}/s in the long run)`,
      );
      return;
    }
    const readabilityAfter = readabilityPagesPerSecond(pages);
    const readability = (readabilityBefore + readabilityAfter) / 2;
    console.log(
      `  ${run.seconds.toFixed(1)} s: ${perSecond.toFixed(0)} articles/s; stored ${run.stored} (${run.distinctUrls} distinct URLs), peak RSS ${run.peakRssMiB} MiB, ${((run.cpuSeconds * 1000) / count).toFixed(1)} CPU-ms per article (the process, start-up included)`,
    );
    console.log(
      `  Readability.js 0.6 + linkedom alone on the same pages, this process: ${readabilityBefore.toFixed(0)} pages/s before the run, ${readabilityAfter.toFixed(0)} after → pipeline at ${(perSecond / readability).toFixed(2)}× their mean`,
    );
    console.log(
      `  Redis after the run: ${run.redisKeys} keys, ${(run.redisBytes / 1024 ** 2).toFixed(1)} MiB (${(run.redisBytes / count).toFixed(0)} bytes per article); Redis server CPU ${((run.redisCpuSeconds * 1000) / count).toFixed(2)} ms per article`,
    );
    // Threads that wait for a core while the cores idle hand work to each other faster than the scheduler spreads it.
    const perArticle = ({ runMs, waitMs }: RunFigures['threads'][number]) =>
      `${(runMs / count).toFixed(2)} (${(waitMs / count).toFixed(2)})`;
    const [main, ...others] = run.threads;
    console.log(
      `  threads, ms per article on a core (and runnable but waiting for one), start-up included: main ${main ? perArticle(main) : '?'}; ` +
        `the others, busiest first (the extraction thread, then V8's own): ${others
          .filter((thread) => thread.runMs / count >= 0.01)
          .map(perArticle)
          .join(', ')}`,
    );
    if (!values['no-profile']) {
      const profiled = await runOnce({ configPath, database, scratch, redis, label: 'profiled', profile: true });
      printStageTable(profiled, count);
    }
  } finally {
    await redis.quit();
    site.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function generateArticles(count: number): SiteArticle[] {
  const pages = loadAsbPages();
  return Array.from({ length: count }, (_, i) => {
    const page = pages[i % pages.length]!;
    const paragraphs = page.articleBody.split(/\n+/).filter((line) => line.trim());
    // Later rounds through the corpus republish earlier articles: the dedup stage has real work.
    return { path: `/a/${i}.html`, title: `Article ${i}`, paragraphs };
  });
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The chrome around the story: spare, or as much as a news site prints (the work of both extractors grows with it). */
const CHROME = {
  spare: {
    menu: '<a href="/">Home</a><a href="/world">World</a>',
    related: '<li><a href="/x">Related story</a></li>',
    footer: '',
  },
  news: {
    menu: Array.from({ length: 60 }, (_, i) => `<a href="/section/${i}">Section ${i}</a>`).join(''),
    related: Array.from(
      { length: 12 },
      (_, i) =>
        `<li><a href="/x/${i}">Related story number ${i} about the news of the day</a><p>A teaser line for story ${i}.</p></li>`,
    ).join(''),
    footer: Array.from({ length: 30 }, (_, i) => `<a href="/f/${i}">Footer link ${i}</a>`).join(' '),
  },
};

function pageHtml(article: SiteArticle, chrome: keyof typeof CHROME): string {
  const { menu, related, footer } = CHROME[chrome];
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${article.title} | Bench News</title></head><body>` +
    `<header><nav>${menu}</nav></header><div class="cookie-banner">We use cookies.</div>` +
    `<main><article><h1>${article.title}</h1>${article.paragraphs.map((text) => `<p>${escape(text)}</p>`).join('')}</article>` +
    `<aside class="related"><ul>${related}</ul></aside></main><footer>${footer}© Bench News</footer></body></html>`
  );
}

/** The site on `hosts` ports of 127.0.0.1 (each a host to politeness); article i is on host i % hosts. */
async function serveSite(
  articles: SiteArticle[],
  feeds: number,
  hosts: number,
  render: (article: SiteArticle) => string,
): Promise<{ feedUrl(feed: number): string; close(): void }> {
  const bases: string[] = [];
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const feedMatch = /^\/feed(\d+)\.xml$/.exec(path);
    if (feedMatch) {
      const feed = Number(feedMatch[1]);
      const items = articles.flatMap((article, i) =>
        i % feeds === feed
          ? [`<item><title>${article.title}</title><link>${bases[i % hosts]}${article.path}</link></item>`]
          : [],
      );
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss version="2.0"><channel><title>Feed ${feed}</title>${items.join('')}</channel></rss>`);
      return;
    }
    const article = articles[Number(/^\/a\/(\d+)\.html$/.exec(path)?.[1] ?? -1)];
    if (!article) response.writeHead(404).end();
    else response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(render(article));
  };
  const servers: Server[] = [];
  for (let host = 0; host < hosts; host++) {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    bases.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return {
    feedUrl: (feed) => `${bases[feed % hosts]}/feed${feed}.xml`,
    close: () => servers.forEach((server) => server.close()),
  };
}

/** Pages per second through Readability.js on linkedom, best of two passes (the first warms the JIT). */
function readabilityPagesPerSecond(pages: string[]): number {
  let best = 0;
  for (let pass = 0; pass < 2; pass++) {
    const started = performance.now();
    for (const html of pages) {
      const { document } = parseHTML(html);
      new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
    }
    best = Math.max(best, pages.length / ((performance.now() - started) / 1000));
  }
  return best;
}

interface RunFigures {
  seconds: number;
  stored: number;
  distinctUrls: number;
  peakRssMiB: number;
  redisKeys: number;
  redisBytes: number;
  redisCpuSeconds: number;
  cpuSeconds: number;
  /** Per thread, from /proc/PID/task/TID/schedstat: time on a core and time runnable but waiting for one (ms). */
  threads: { main: boolean; runMs: number; waitMs: number }[];
  profileDir?: string;
  /** From `--trace-opt` (profiled run): functions compiled by the optimizing compiler, and its time on them (ms). */
  compiled?: { count: number; ms: number };
}

async function runOnce(options: {
  configPath: string;
  database: 'sqlite' | 'postgres';
  scratch: string;
  redis: Redis;
  label: string;
  profile?: boolean;
}): Promise<RunFigures> {
  const { scratch, redis, label } = options;
  const prefix = `newsflow-bench-pipeline-${process.pid}-${label}`;
  const databaseUrl =
    options.database === 'sqlite' ? `file:${join(scratch, `${label}.db`)}` : await createPostgresDatabase(label);
  const profileDir = options.profile ? join(scratch, `profile-${label}`) : undefined;
  if (profileDir) mkdirSync(profileDir);
  const redisCpuBefore = await redisCpuSeconds(redis);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      // The profiled run also logs the optimizing compiler's work, which runs on V8's own threads (not profiled).
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--trace-opt'] : []),
      CLI,
      'run',
      '--once',
      '--config',
      options.configPath,
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NEWSFLOW_PREFIX: prefix,
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // VmHWM is the kernel's own peak-RSS mark for the process, and /proc/PID/stat its CPU time (all threads) so far;
  // reading them often catches the last values before exit.
  let peakKiB = 0;
  let cpuTicks = 0;
  const threads = new Map<string, RunFigures['threads'][number]>();
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      // Fields 14 and 15 (utime, stime) follow the parenthesised command name.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpuTicks = Math.max(cpuTicks, Number(fields[11]) + Number(fields[12]));
      for (const tid of readdirSync(`/proc/${child.pid}/task`)) {
        const [runNs, waitNs] = readFileSync(`/proc/${child.pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
        threads.set(tid, { main: tid === String(child.pid), runMs: runNs! / 1e6, waitMs: waitNs! / 1e6 });
      }
    } catch {
      // The process has exited.
    }
  }, 50);
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const wallSeconds = (performance.now() - started) / 1000;
  if (exitCode !== 0)
    throw new Error(`newsflow run --once exited with ${exitCode}:\n${stdout}\n${stderr.slice(-4000)}`);
  const redisCpu = (await redisCpuSeconds(redis)) - redisCpuBefore;
  const { keys, bytes } = await redisFootprint(redis, prefix);
  if (process.env.NEWSFLOW_BENCH_KEEP_KEYS) console.log(`  (keys kept under ${prefix})`);
  else await deleteKeysWithPrefix(redis, prefix);

  const store = await openStore(databaseUrl);
  const stored = await store.countArticles();
  const urls = new Set<string>();
  for await (const record of store.exportArticles()) urls.add(record.url);
  const distinctUrls = urls.size;
  await store.close();
  if (options.database === 'postgres') await dropPostgresDatabase(databaseUrl);
  // The summary's time runs from the first poll to the drained queues; start-up is in the wall time only.
  const seconds = Number(/^time: ([\d.]+) s/m.exec(stdout)?.[1] ?? wallSeconds);
  return {
    seconds,
    stored,
    distinctUrls,
    peakRssMiB: Math.round(peakKiB / 1024),
    redisKeys: keys,
    redisBytes: bytes,
    redisCpuSeconds: redisCpu,
    // Linux counts CPU time in clock ticks of 1/100 s (USER_HZ).
    cpuSeconds: cpuTicks / 100,
    threads: [...threads.values()].sort((a, b) => Number(b.main) - Number(a.main) || b.runMs - a.runMs),
    ...(profileDir ? { profileDir, compiled: optimizingCompiles(stdout) } : {}),
  };
}

/** Keys under the prefix and their MEMORY USAGE summed: what the run left behind, by retention. */
async function redisFootprint(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number }> {
  let keys = 0;
  let bytes = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    const sizes = await Promise.all(batch.map((key) => redis.memory('USAGE', key)));
    keys += batch.length;
    bytes += sizes.reduce<number>((sum, size) => sum + Number(size ?? 0), 0);
  } while (cursor !== '0');
  return { keys, bytes };
}

async function createPostgresDatabase(label: string): Promise<string> {
  const name = `newsflow_bench_${process.pid}_${label}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The config's `workers` line for thread counts given on the command line (none: the defaults). */
function workersLine(extractThreads: string | undefined, fingerprintThreads: string | undefined): string {
  const settings = [
    ...(extractThreads ? [`extractThreads: ${Number(extractThreads)}`] : []),
    ...(fingerprintThreads ? [`fingerprintThreads: ${Number(fingerprintThreads)}`] : []),
  ];
  return settings.length > 0 ? `workers: { ${settings.join(', ')} }\n` : '';
}

async function dropPostgresDatabase(databaseUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
  await admin.end();
}

/**
 * Where the CPU goes, from V8's sampling profiles of every thread of the profiled run: each sample is charged to the
 * innermost newsflow package on its stack (a library called by the extractor counts as extraction); samples with none
 * are queue and service glue (BullMQ, ioredis, the stage runner) or the runtime (garbage collection, compilation).
 */
function printStageTable(run: RunFigures, count: number): void {
  const totals = new Map<string, number>();
  // Per thread, its busy time: the thread that is busy for the whole run sets the pace.
  const busyByThread: string[] = [];
  // V8 names a profile CPU.date.time.pid.thread.sequence.cpuprofile; thread 0 is the main thread.
  for (const file of readdirSync(run.profileDir!).sort()) {
    let threadBusy = 0;
    for (const [stage, micros] of chargeProfile(JSON.parse(readFileSync(join(run.profileDir!, file), 'utf8')))) {
      totals.set(stage, (totals.get(stage) ?? 0) + micros);
      if (stage !== 'idle') threadBusy += micros;
    }
    const threadId = file.split('.')[4];
    const thread = threadId === '0' ? 'main' : `thread ${threadId}`;
    busyByThread.push(`${thread} ${(threadBusy / 1e6).toFixed(1)} s`);
  }
  const busy = [...totals].filter(([stage]) => stage !== 'idle').reduce((sum, [, micros]) => sum + micros, 0);
  console.log(`  where the time goes (profiled run, ${run.seconds.toFixed(1)} s; CPU-ms per article, all threads):`);
  const order = ['fetch', 'parse', 'extract', 'dedup', 'store', 'queue and glue', 'runtime (GC, compiling)'];
  for (const stage of order) {
    const micros = totals.get(stage) ?? 0;
    console.log(
      `    ${stage.padEnd(24)} ${(micros / 1000 / count).toFixed(2).padStart(6)}  (${((micros / busy) * 100).toFixed(0)}%)`,
    );
  }
  console.log(`    ${'total in node'.padEnd(24)} ${(busy / 1000 / count).toFixed(2).padStart(6)}`);
  console.log(`    ${'Redis server'.padEnd(24)} ${((run.redisCpuSeconds * 1000) / count).toFixed(2).padStart(6)}`);
  console.log(`  busy per thread, of the ${run.seconds.toFixed(1)} s run: ${busyByThread.join(', ')}`);
  if (run.compiled)
    console.log(
      `  optimizing compiler (V8's own threads, outside the table): ${run.compiled.count} compilations (start-up included), ` +
        `${(run.compiled.ms / count).toFixed(2)} ms per article`,
    );
}

/** `[completed compiling … - took 0.014, 0.635, 0.008 ms]`: V8's three phases of one optimizing compile. */
function optimizingCompiles(traceOutput: string): { count: number; ms: number } {
  let count = 0;
  let ms = 0;
  for (const [, phases] of traceOutput.matchAll(/^\[completed compiling .* took ([\d., ]+) ms\]$/gm)) {
    count++;
    ms += phases!.split(',').reduce((sum, phase) => sum + Number(phase), 0);
  }
  return { count, ms };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const STAGE_OF_PACKAGE: Record<string, string> = {
  fetch: 'fetch',
  feeds: 'parse',
  extract: 'extract',
  dedup: 'dedup',
  storage: 'store',
};

function chargeProfile(profile: CpuProfile): Map<string, number> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const stageOfNode = new Map<number, string>();
  const stageOf = (id: number): string => {
    const known = stageOfNode.get(id);
    if (known) return known;
    const node = nodes.get(id)!;
    const name = node.callFrame.functionName;
    let stage: string;
    if (name === '(idle)') stage = 'idle';
    else if (name === '(garbage collector)' || name === '(program)') stage = 'runtime (GC, compiling)';
    else {
      const inPackage = /\/packages\/([a-z]+)\//.exec(node.callFrame.url)?.[1];
      const parent = parents.get(id);
      stage =
        (inPackage && STAGE_OF_PACKAGE[inPackage]) ??
        (parent === undefined ? 'queue and glue' : stageOf(parent) === 'idle' ? 'queue and glue' : stageOf(parent));
      if (stage === 'runtime (GC, compiling)') stage = 'queue and glue';
    }
    stageOfNode.set(id, stage);
    return stage;
  };
  const charged = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const stage = stageOf(id);
    charged.set(stage, (charged.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return charged;
}
