import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { chooseBanding, createFingerprintPool, fingerprintArticle } from '../src/index.ts';

const SEED = readFileSync(new URL('../../../services/cli/demo/seed-article.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim());
const SETTINGS = { minWords: 8, paragraphBanding: chooseBanding(0.42), articleBanding: chooseBanding(0.8) };

const pool = createFingerprintPool({ threads: 2 });
afterAll(() => pool.close());

it('fingerprints in worker threads exactly what fingerprintArticle computes in process', async () => {
  const articles = [SEED, SEED.slice(3), ['Short.', ''], []];
  const inThreads = await Promise.all(articles.map((paragraphs) => pool.fingerprint(paragraphs, SETTINGS)));
  expect(pool.threads).toBe(2);
  expect(inThreads).toEqual(articles.map((paragraphs) => fingerprintArticle(paragraphs, SETTINGS)));
  expect(inThreads[0]!.paragraphs.filter((fingerprint) => fingerprint.kind === 'minhash').length).toBeGreaterThan(5);
  expect(inThreads[0]!.article.kind).toBe('minhash');
  expect(inThreads[3]!.article).toEqual({ kind: 'empty' });
});

it('fingerprints on the event loop with no threads', async () => {
  const inline = createFingerprintPool({ threads: 0 });
  expect(await inline.fingerprint(SEED, SETTINGS)).toEqual(fingerprintArticle(SEED, SETTINGS));
  await inline.close();
});
