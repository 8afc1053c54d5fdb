import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { whenThreadsLoaded } from '@newsflow/core';
import { fingerprintArticle, type ArticleFingerprints, type FingerprintSettings } from './fingerprint.ts';
import type { FingerprintTask } from './fingerprint-worker.ts';

/**
 * MinHash fingerprints off the event loop: 128 permutations over every shingle of every paragraph are the deduper's
 * own CPU cost (about 1.5 ms per article), and on the event loop they hold up everything else in the process.
 */
export interface FingerprintPool {
  readonly threads: number;
  fingerprint(paragraphs: string[], settings: FingerprintSettings): Promise<ArticleFingerprints>;
  close(): Promise<void>;
}

const COMPILED = import.meta.url.endsWith('.js');
const WORKER_FILE = new URL(COMPILED ? './fingerprint-worker.js' : './fingerprint-worker-source.mjs', import.meta.url)
  .href;

/**
 * `threads` 0 fingerprints on the caller's event loop. Default: one per core but two, so none on 2 cores: there
 * `pnpm bench pipeline` measured the same throughput with a thread (the cores are full either way) and 20 MiB more.
 */
export function createFingerprintPool(options: { threads?: number } = {}): FingerprintPool {
  const threads = options.threads ?? Math.max(0, availableParallelism() - 2);
  if (threads === 0)
    return {
      threads,
      fingerprint: async (paragraphs, settings) => fingerprintArticle(paragraphs, settings),
      close: async () => {},
    };
  const pool = new Piscina<FingerprintTask | null, ArticleFingerprints | null>({
    filename: WORKER_FILE,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
    atomics: 'disabled',
  });
  const loaded = whenThreadsLoaded(() => pool.run(null), threads);
  return {
    threads,
    fingerprint: async (paragraphs, settings) => (await pool.run({ paragraphs, settings }))!,
    async close() {
      await loaded;
      await pool.destroy();
    },
  };
}
