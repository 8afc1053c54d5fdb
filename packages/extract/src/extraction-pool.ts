import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ExtractRules } from '@newsflow/core';
// The light corners of core only: the CLI loads this module first, to start the threads early (prestartExtractionPool).
import { PermanentError, TransientError } from '@newsflow/core/errors';
import { whenThreadsLoaded } from '@newsflow/core/thread-pools';
import type { Article } from './extract-article.ts';
import type { ExtractOutcome, ExtractTask } from './extract-worker.ts';
import { fingerprintExtracted } from './fingerprint-extracted.ts';
import type { ArticleFingerprints, FingerprintSettings } from '@newsflow/dedup';

export interface ExtractionPoolOptions {
  /** Worker threads; 0 extracts on the caller's event loop. Default: one per core but one (at least one). */
  threads?: number;
  /** A page whose extraction takes longer fails for good and its thread is replaced. Default 30 s. */
  timeoutMs?: number;
  /** Heap limit per thread: a page that needs more fails for good instead of taking the process down. Default 512 MiB. */
  maxMemoryMb?: number;
}

/**
 * Extraction off the event loop. Parsing and scoring a page is the pipeline's largest CPU cost; on the event loop it
 * keeps one scraper process on one core and delays everything else there (BullMQ's lock renewals among them). The
 * pool runs it in worker threads, so one process fills the machine's cores.
 */
export interface ExtractionPool {
  readonly threads: number;
  extract(html: string, url: string, rules?: ExtractRules): Promise<Article>;
  /** The article and the deduper's fingerprints of it, in one task: for a deduper in the same process. */
  extractAndFingerprint(
    html: string,
    url: string,
    rules: ExtractRules | undefined,
    settings: FingerprintSettings,
  ): Promise<{ article: Article; fingerprints: ArticleFingerprints }>;
  close(): Promise<void>;
}

// Compiled, this module is dist/extraction-pool.js beside dist/extract-worker.js. From the TypeScript sources the
// worker goes through a bootstrap that registers tsx (a worker thread does not inherit the parent's loader hooks).
const COMPILED = import.meta.url.endsWith('.js');
const WORKER_FILE = new URL(COMPILED ? './extract-worker.js' : './extract-worker-source.mjs', import.meta.url).href;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_MEMORY_MB = 512;

/** A pool started before its settings were known, waiting for `createExtractionPool` to take it. */
let prestarted: { pool: ExtractionPool; loaded: Promise<void> } | undefined;

/**
 * Starts a pool with the default settings now, so that its threads load their modules while the process loads the
 * rest of itself (the CLI does this first for the commands that scrape). The next `createExtractionPool` with the
 * same settings takes it; with other settings it closes it and starts its own.
 */
export function prestartExtractionPool(): ExtractionPool {
  prestarted ??= startPool(defaultThreads(), DEFAULT_TIMEOUT_MS, DEFAULT_MAX_MEMORY_MB);
  return prestarted.pool;
}

/**
 * Settles once a pool started by `prestartExtractionPool` and never taken has loaded its threads: a process that
 * exits while a thread still loads its modules aborts on Node 20 (see whenThreadsLoaded), so an early exit waits.
 */
export function prestartedThreadsLoaded(): Promise<void> {
  return prestarted?.loaded ?? Promise.resolve();
}

/** The event loop itself (fetching, queues, dedup fingerprints) keeps one core busy; the threads get the others. */
function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

export function createExtractionPool(options: ExtractionPoolOptions = {}): ExtractionPool {
  const threads = options.threads ?? defaultThreads();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxMemoryMb = options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
  const waiting = prestarted;
  prestarted = undefined;
  if (waiting) {
    const same =
      threads === waiting.pool.threads && timeoutMs === DEFAULT_TIMEOUT_MS && maxMemoryMb === DEFAULT_MAX_MEMORY_MB;
    if (same) return waiting.pool;
    void waiting.pool.close();
  }
  if (threads === 0) {
    // Loaded only here: with threads, the extractor (cheerio and its tables, some 18 MiB of heap) stays out of the
    // process's main thread, which is why the scraper imports this module as `@newsflow/extract/pool`.
    const extractor = import('./extract-article.ts');
    return {
      threads,
      extract: async (html, url, rules) => (await extractor).extractArticle(html, url, rules),
      async extractAndFingerprint(html, url, rules, settings) {
        const article = (await extractor).extractArticle(html, url, rules);
        return { article, fingerprints: fingerprintExtracted(article, settings) };
      },
      close: async () => {},
    };
  }
  return startPool(threads, timeoutMs, maxMemoryMb).pool;
}

function startPool(
  threads: number,
  timeoutMs: number,
  maxMemoryMb: number,
): { pool: ExtractionPool; loaded: Promise<void> } {
  const pool = new Piscina<ExtractTask | null, ExtractOutcome | null>({
    filename: WORKER_FILE,
    minThreads: threads,
    maxThreads: threads,
    // Threads stay up: starting one costs more than many extractions.
    idleTimeout: Infinity,
    // Idle threads wait on their message port, not in Atomics.wait: profilers (and the stage table of `pnpm bench
    // pipeline`) count a thread blocked there as busy.
    atomics: 'disabled',
    // A small young generation: one page's garbage fits, and each thread's resident memory stays small.
    resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: 8 },
  });
  // A thread that dies (out of memory) fails its task, which reports it; the pool also emits the error, which
  // without a listener would take the whole process down.
  pool.on('error', () => {});
  const loaded = whenThreadsLoaded(() => pool.run(null), threads);
  let closing = false;
  const run = async (task: ExtractTask): Promise<{ article: Article; fingerprints?: ArticleFingerprints }> => {
    let outcome: ExtractOutcome | null;
    try {
      outcome = await pool.run(task, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if (closing) throw new TransientError(`extraction stopped: the process is shutting down`, 'shutdown');
      const name = (error as Error).name;
      if (name === 'AbortError' || name === 'TimeoutError')
        throw new PermanentError(`extraction took longer than ${timeoutMs} ms at ${task.url}`, 'extract_timeout');
      if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY')
        throw new PermanentError(`extraction needed more than ${maxMemoryMb} MiB at ${task.url}`, 'extract_memory');
      // Anything else is a bug, not the page's fault: retried like any unknown error.
      throw new Error(`extraction thread failed at ${task.url}: ${(error as Error).message}`, { cause: error });
    }
    if (!outcome) throw new Error(`extraction thread returned nothing at ${task.url}`);
    if (outcome.ok) return outcome;
    if (outcome.code) throw new PermanentError(outcome.message, outcome.code);
    throw new Error(outcome.message);
  };
  return {
    loaded,
    pool: {
      threads,
      extract: async (html, url, rules) => (await run({ html, url, ...(rules ? { rules } : {}) })).article,
      async extractAndFingerprint(html, url, rules, settings) {
        const { article, fingerprints } = await run({ html, url, ...(rules ? { rules } : {}), fingerprint: settings });
        return { article, fingerprints: fingerprints! };
      },
      async close() {
        closing = true;
        await loaded;
        await pool.destroy();
      },
    },
  };
}
