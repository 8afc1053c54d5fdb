/**
 * The pieces of the chaos suite: a generated news site on 127.0.0.1, a Redis server of the suite's own (AOF on),
 * a TCP proxy in front of PostgreSQL that can reset or hang connections, and the five workers as separate
 * processes, restarted when they exit (as compose's `restart: unless-stopped` does).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MemoryDedupIndex } from '@newsflow/dedup';
import { parseConfig } from '@newsflow/core';
import { CLI, CORPORA_DIR } from '../helpers.ts';

/** A small seeded PRNG (mulberry32): the same seed gives the same site and the same fault schedule. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

interface SiteArticle {
  path: string;
  title: string;
  paragraphs: string[];
  /** Extra markup after the story (the deeply nested page). */
  trailer?: string;
}

export interface ChaosSite {
  baseUrl: string;
  feedUrls: string[];
  articles: number;
  /** Pages answer after 1–3 s while set. */
  slow: boolean;
  /** Articles appear in the feeds over this many ms from `release()`, so faults meet work in flight. */
  release(spreadMs: number): void;
  close(): Promise<void>;
}

/**
 * `count` articles from ASB bodies over `feeds` RSS feeds. Later rounds through the corpus republish earlier
 * bodies (article-level duplicates), some with a reworded sentence; the seed article brings its repeated protest
 * paragraph and ad placeholders; one page hides its story beside 35,000 nested divs.
 */
export async function startChaosSite(count: number, feeds: number): Promise<ChaosSite> {
  const truth = JSON.parse(readFileSync(join(CORPORA_DIR, 'extraction/asb/ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody: string }
  >;
  const bodies = unambiguousBodies(
    Object.values(truth).map((entry) =>
      entry.articleBody
        .split(/\n+/)
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  );
  const seed = readFileSync(new URL('../../services/cli/demo/seed-article.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const articles: SiteArticle[] = [{ path: '/a/seed.html', title: 'Belarus warns the West', paragraphs: seed }];
  articles.push({
    path: '/a/deep.html',
    title: 'A page of deeply nested markup',
    paragraphs: bodies[0]!.slice(0, 4),
    trailer: `${'<div>'.repeat(35_000)}deep${'</div>'.repeat(35_000)}`,
  });
  for (let i = 0; articles.length < count; i++) {
    const body = bodies[i % bodies.length]!;
    const round = Math.floor(i / bodies.length);
    // A republication in a later round rewords its first paragraph a little.
    const paragraphs = round > 0 && i % 2 === 0 ? reworded(body) : body;
    articles.push({ path: `/a/${i}.html`, title: `Story ${i}`, paragraphs });
  }
  let releasedAt = Number.POSITIVE_INFINITY;
  let spread = 0;
  const released = () => {
    if (Date.now() < releasedAt) return 0;
    if (spread === 0) return articles.length;
    return Math.min(articles.length, Math.ceil(((Date.now() - releasedAt) / spread) * articles.length));
  };
  const site: ChaosSite = {
    baseUrl: '',
    feedUrls: [],
    articles: articles.length,
    slow: false,
    release(spreadMs) {
      spread = spreadMs;
      releasedAt = Date.now();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const pageHtml = (article: SiteArticle) =>
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(article.title)} | Chaos News</title></head><body>` +
    '<header><nav><a href="/">Home</a><a href="/world">World</a></nav></header>' +
    `<main><article><h1>${escape(article.title)}</h1>${article.paragraphs.map((text) => `<p>${escape(text)}</p>`).join('')}</article>` +
    `${article.trailer ?? ''}<aside class="related"><ul><li><a href="/x">Related</a></li></ul></aside></main><footer>© Chaos News</footer></body></html>`;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const feedMatch = /^\/feed(\d+)\.xml$/.exec(path);
    if (feedMatch) {
      const feed = Number(feedMatch[1]);
      const items = articles
        .slice(0, released())
        .filter((_, i) => i % feeds === feed)
        .map(
          (article) =>
            `<item><title>${escape(article.title)}</title><link>${site.baseUrl}${article.path}</link></item>`,
        );
      response
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss version="2.0"><channel><title>Feed ${feed}</title>${items.join('')}</channel></rss>`);
      return;
    }
    const article = articles.find((candidate) => candidate.path === path);
    if (!article) {
      response.writeHead(404).end();
      return;
    }
    const answer = () => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(article));
    if (site.slow) setTimeout(answer, 1000 + Math.random() * 2000);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.feedUrls = Array.from({ length: feeds }, (_, i) => `${site.baseUrl}/feed${i}.xml`);
  return site;
}

/**
 * Which paragraph is the original depends on which copy a deduper sees first, and that order changes from run to
 * run. So that a faulty run can be compared with a calm one, the site keeps only bodies that share no paragraph
 * with another body or with themselves: every duplicate group is then a body's paragraph and its republished
 * copies, all alike, whatever the order.
 */
function unambiguousBodies(bodies: string[][]): string[][] {
  // The pipeline's own settings: a pair the pipeline flags must not slip through here.
  const settings = parseConfig('').dedup;
  const index = new MemoryDedupIndex(settings);
  return bodies.filter((paragraphs, i) => {
    if (!index.addArticleSync(`body:${i}`, paragraphs).paragraphs.every((match) => match === null)) return false;
    // The reworded copy seen first must not link two paragraphs the body keeps apart: "…reviews of this show"
    // matched a later paragraph sharing the show's title (similarity 0.44) where "…of the show" did not (0.41).
    const copyFirst = new MemoryDedupIndex(settings);
    copyFirst.addArticleSync('copy', reworded(paragraphs));
    return copyFirst
      .addArticleSync('body', paragraphs)
      .paragraphs.every((match, index) => match !== null && match.url === 'copy' && match.index === index);
  });
}

/** A republication that rewords its first paragraph a little. */
function reworded(body: string[]): string[] {
  return [body[0]!.replace(/\bthe\b/, 'this'), ...body.slice(1)];
}

export class RedisServer {
  private process: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly directory: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.directory, { recursive: true });
    // appendfsync always: a restart loses nothing the workers were told was written.
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.directory, '--appendonly', 'yes'].concat([
        '--appendfsync',
        'always',
        '--save',
        '',
        '--daemonize',
        'no',
      ]),
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      if (this.cli('ping').stdout.trim() === 'PONG') return;
      await sleep(100);
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** A clean shutdown: with AOF on, everything comes back on start. */
  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.process?.once('exit', resolve));
    this.cli('shutdown');
    await exited;
  }

  /** Redis back with nothing: no persistence, a new server, a failover to an empty replica. */
  async restartEmpty(): Promise<void> {
    const exited = new Promise((resolve) => this.process?.once('exit', resolve));
    this.cli('shutdown', 'nosave');
    await exited;
    rmSync(this.directory, { recursive: true, force: true });
    await this.start();
  }

  cli(...args: string[]) {
    return spawnSync('redis-cli', ['-p', String(this.port), ...args], { encoding: 'utf8' });
  }

  async kill(): Promise<void> {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process!.once('exit', resolve));
      this.process.kill('SIGKILL');
      await exited;
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}

export type ProxyMode = 'up' | 'reset' | 'hang';

/** A TCP proxy to PostgreSQL: `reset` drops every connection and refuses new ones, `hang` stops forwarding. */
export class TcpProxy {
  private server: TcpServer | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  mode: ProxyMode = 'up';
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = createTcpServer((client) => {
      client.on('error', () => {});
      if (this.mode === 'reset') return client.resetAndDestroy();
      if (this.mode === 'hang') return void this.pairs.add([client, client]);
      const upstream = connect(this.targetPort, this.targetHost);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      client.on('close', () => this.pairs.delete(pair));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  set(mode: ProxyMode): void {
    const previous = this.mode;
    this.mode = mode;
    if (mode === 'reset' || (mode === 'up' && previous === 'hang')) {
      // Connections hung until now end as a dead peer's do: reset.
      for (const [client, upstream] of this.pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      this.pairs.clear();
    } else if (mode === 'hang') {
      for (const [client, upstream] of this.pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    }
  }

  async close(): Promise<void> {
    this.set('reset');
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export interface WorkerExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  killedByUs: boolean;
}

/** One `newsflow worker NAME` replica, restarted after `restartDelayMs` whenever it exits, until stopped. */
class WorkerSlot {
  child: ChildProcess | undefined;
  private stopped = false;
  private killedByUs = false;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    private readonly log: WriteStream,
    private readonly exits: WorkerExit[],
    private readonly restartDelayMs: () => number,
  ) {}

  start(): void {
    this.killedByUs = false;
    const child = spawn(process.execPath, [CLI, 'worker', this.name], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      this.exits.push({ name: this.name, code, signal, killedByUs: this.killedByUs });
      if (!this.stopped) setTimeout(() => !this.stopped && this.start(), this.restartDelayMs());
    });
    this.child = child;
  }

  kill(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.killedByUs = true;
      this.child.kill('SIGKILL');
    }
  }

  /** SIGTERM and wait: the exit code tells whether it shut down cleanly. */
  async stop(): Promise<number | null> {
    this.stopped = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    this.killedByUs = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

export class WorkerFleet {
  readonly slots: WorkerSlot[] = [];
  readonly exits: WorkerExit[] = [];
  /** The largest resident set seen per worker name, in MiB (sampled every 500 ms from /proc). */
  readonly peakRssMiB = new Map<string, number>();
  private readonly log: WriteStream;
  private sampler: NodeJS.Timeout | undefined;

  constructor(
    replicas: Record<string, number>,
    env: Record<string, string>,
    readonly logPath: string,
    restartDelayMs: () => number,
  ) {
    this.log = createWriteStream(logPath);
    for (const [name, count] of Object.entries(replicas)) {
      for (let i = 0; i < count; i++) this.slots.push(new WorkerSlot(name, env, this.log, this.exits, restartDelayMs));
    }
  }

  start(): void {
    for (const slot of this.slots) slot.start();
    this.sampler = setInterval(() => {
      for (const slot of this.slots) {
        const rss = residentMiB(slot.child?.pid);
        if (rss > (this.peakRssMiB.get(slot.name) ?? 0)) this.peakRssMiB.set(slot.name, rss);
      }
    }, 500);
  }

  replicas(name: string): WorkerSlot[] {
    return this.slots.filter((slot) => slot.name === name);
  }

  async stop(): Promise<(number | null)[]> {
    clearInterval(this.sampler);
    const codes = await Promise.all(this.slots.map((slot) => slot.stop()));
    if (!this.log.writableEnded) await new Promise((resolve) => this.log.end(resolve));
    return codes;
  }

  logText(): string {
    return existsSync(this.logPath) ? readFileSync(this.logPath, 'utf8') : '';
  }
}

function residentMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Math.round(Number(kib) / 1024) : 0;
  } catch {
    return 0; // exited between the check and the read
  }
}

/** Gzipped corpus files, for the fuzzer. */
export function readCorpusFile(path: string): Buffer {
  const raw = readFileSync(path);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}
