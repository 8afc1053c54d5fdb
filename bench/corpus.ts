import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';

/** `../shared/corpora` beside the checkout, or NEWSFLOW_CORPORA. */
export const CORPORA_DIR = process.env.NEWSFLOW_CORPORA ?? new URL('../../shared/corpora/', import.meta.url).pathname;

export interface AsbPage {
  id: string;
  url: string;
  html: Buffer;
  articleBody: string;
}

/** The 181 annotated news pages of the article-extraction benchmark. */
export function loadAsbPages(): AsbPage[] {
  const directory = join(CORPORA_DIR, 'extraction/asb');
  if (!existsSync(directory)) throw new Error(`corpus not found at ${directory}: set NEWSFLOW_CORPORA`);
  const truth = JSON.parse(readFileSync(join(directory, 'ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody: string; url: string }
  >;
  return readdirSync(join(directory, 'html_gz'))
    .filter((file) => file.endsWith('.html.gz'))
    .sort()
    .map((file) => {
      const id = file.slice(0, -'.html.gz'.length);
      return {
        id,
        url: truth[id]!.url,
        articleBody: truth[id]!.articleBody,
        html: gunzipSync(readFileSync(join(directory, 'html_gz', file))),
      };
    });
}

/** Samples resident memory while `run` runs; returns its result and the peak. */
export async function withPeakRss<T>(run: () => Promise<T>): Promise<{ result: T; peakRssMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMiB: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
}

export interface WcxbPage {
  id: string;
  url: string;
  html: Buffer;
  articleBody: string;
  title: string | null;
  author: string | null;
  /** YYYY-MM-DD, as annotated. */
  publishedAt: string | null;
}

/** The 793 annotated pages of WCXB's development split: main text and metadata marked by people. */
export function loadWcxbPages(): WcxbPage[] {
  const directory = join(CORPORA_DIR, 'extraction/wcxb-dev');
  if (!existsSync(directory)) throw new Error(`corpus not found at ${directory}: set NEWSFLOW_CORPORA`);
  const truth = JSON.parse(readFileSync(join(directory, 'ground-truth.json'), 'utf8')) as Record<
    string,
    Omit<WcxbPage, 'id' | 'html'>
  >;
  return Object.keys(truth)
    .sort()
    .map((id) => ({
      id,
      ...truth[id]!,
      html: gunzipSync(readFileSync(join(directory, 'html_gz', `${id}.html.gz`))),
    }));
}

/**
 * Two fixed halves of a corpus, by page id: rules are developed looking at one and checked on the other, and both
 * figures are printed, so a rule fitted to one half's pages shows as a gap.
 */
export function halfOf(id: string): 'A' | 'B' {
  let hash = 0;
  for (const character of id) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return hash % 2 === 0 ? 'A' : 'B';
}

/** The Redis server's CPU time so far (user and system), in seconds: read before and after a run. */
export async function redisCpuSeconds(redis: Pick<Redis, 'info'>): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}
