import { createHash } from 'node:crypto';
import { fmix32, hashString, minhashSignature, NUM_PERMUTATIONS, SHINGLE_SIZE } from './minhash.ts';
import { normalizeWords } from './normalize.ts';

/**
 * What a paragraph is compared by.
 *
 * - The LSH buckets come from the full 32-bit MinHash values: `bands` bands of `rows` values each.
 * - Candidates are verified on a 1-byte-per-permutation ("b-bit", b = 8) signature: 128 bytes instead of 512, which
 *   is what lets 10M paragraphs fit in a few GiB of Redis. Two equal minima always agree on their low byte; two
 *   different ones agree by chance with probability 1/256, which `estimateJaccard` corrects for (Li & König 2010).
 */
export interface Banding {
  bands: number;
  rows: number;
}

/** At most 32 bands: each band costs one index entry (~10 bytes of Redis) per paragraph. */
export const MAX_BANDS = 32;

/**
 * Chooses the banding for a similarity threshold s. The flagged similarity is the larger of Jaccard and
 * containment; for two paragraphs of equal length containment s means Jaccard s / (2 - s), the lowest Jaccard a
 * pair at the threshold can have (0.27 at s = 0.42). The most rows per band (fewest false candidates) whose miss
 * rate at that Jaccard, (1 - J^rows)^bands, stays under 10% wins.
 *
 * With the default s = 0.42 this is 32 bands × 2 rows, and the S-curve P(candidate) = 1 - (1 - J²)^32 gives:
 * J = 0.2 → 0.73, 0.27 → 0.91, 0.35 → 0.985, 0.4 → 0.996, 0.5 → 1.0. Measured on the evaluation stream
 * (`pnpm bench dedup`), rewordings have a median Jaccard near 0.6, so LSH misses almost none of them.
 */
export function chooseBanding(threshold: number): Banding {
  const lowestJaccard = threshold / (2 - threshold);
  for (let rows = 8; rows >= 1; rows--) {
    const bands = Math.min(MAX_BANDS, Math.floor(NUM_PERMUTATIONS / rows));
    if (missRate(lowestJaccard, { bands, rows }) <= 0.1) return { bands, rows };
  }
  return { bands: MAX_BANDS, rows: 1 };
}

export function missRate(jaccard: number, { bands, rows }: Banding): number {
  return (1 - jaccard ** rows) ** bands;
}

export type Fingerprint =
  /** No words at all: never a duplicate, never indexed. */
  | { kind: 'empty' }
  /** Shorter than `minWords`: only an exact (normalized) repeat counts. */
  | { kind: 'exact'; hash: string }
  | { kind: 'minhash'; signature: Uint8Array; size: number; buckets: Uint32Array };

/** Hashes of the word pairs, without repeats; a text shorter than a pair is one shingle of all its words. */
export function shingleHashes(words: string[]): Uint32Array {
  const wordHashes = words.map(hashString);
  if (words.length < SHINGLE_SIZE) {
    return Uint32Array.of(wordHashes.reduce((h, word) => fmix32(Math.imul(h, 0x9e3779b1) ^ word), 0x2545f491));
  }
  const shingles = new Uint32Array(words.length - SHINGLE_SIZE + 1);
  for (let i = 0; i < shingles.length; i++) {
    // Combining word hashes (not hashing joined strings) keeps this allocation-free.
    shingles[i] = fmix32(Math.imul(wordHashes[i]!, 0x9e3779b1) ^ wordHashes[i + 1]!);
  }
  shingles.sort();
  let unique = 0;
  for (let i = 0; i < shingles.length; i++)
    if (i === 0 || shingles[i] !== shingles[i - 1]) shingles[unique++] = shingles[i]!;
  return shingles.subarray(0, unique);
}

export function fingerprintWords(words: string[], minWords: number, banding: Banding): Fingerprint {
  if (words.length === 0) return { kind: 'empty' };
  if (words.length < minWords) {
    return { kind: 'exact', hash: createHash('sha1').update(words.join(' ')).digest('base64').slice(0, 16) };
  }
  const shingles = shingleHashes(words);
  const minima = minhashSignature(shingles);
  const signature = new Uint8Array(NUM_PERMUTATIONS);
  // The low byte of the mixed minimum: uniform whatever the permutation's low bits.
  for (let i = 0; i < NUM_PERMUTATIONS; i++) signature[i] = fmix32(minima[i]!) & 0xff;
  return { kind: 'minhash', signature, size: Math.min(shingles.length, 0xffff), buckets: bandBuckets(minima, banding) };
}

/** What the index compares an article by: each paragraph's fingerprint, and the whole text's (MinHash or nothing). */
export interface ArticleFingerprints {
  paragraphs: Fingerprint[];
  article: Fingerprint;
}

export interface FingerprintSettings {
  minWords: number;
  paragraphBanding: Banding;
  articleBanding: Banding;
}

export function fingerprintArticle(paragraphs: string[], settings: FingerprintSettings): ArticleFingerprints {
  const words = paragraphs.map(normalizeWords);
  const article = fingerprintWords(words.flat(), settings.minWords, settings.articleBanding);
  return {
    paragraphs: words.map((paragraphWords) =>
      fingerprintWords(paragraphWords, settings.minWords, settings.paragraphBanding),
    ),
    article: article.kind === 'minhash' ? article : { kind: 'empty' },
  };
}

/** One 32-bit bucket hash per band; equal buckets make two paragraphs candidates. */
export function bandBuckets(minima: Uint32Array, { bands, rows }: Banding): Uint32Array {
  const buckets = new Uint32Array(bands);
  for (let band = 0; band < bands; band++) {
    let h = fmix32(band + 1);
    for (let row = 0; row < rows; row++) h = fmix32(h ^ minima[band * rows + row]!);
    buckets[band] = h;
  }
  return buckets;
}

/** Positions where two 1-byte signatures agree. */
export function countEqual(a: Uint8Array, b: Uint8Array): number {
  let same = 0;
  for (let i = 0; i < NUM_PERMUTATIONS; i++) if (a[i] === b[i]) same++;
  return same;
}

/** Jaccard estimate from b-bit (b = 8) signatures: agreements beyond chance, rescaled. */
export function estimateJaccard(sameCount: number): number {
  return Math.max(0, (sameCount / NUM_PERMUTATIONS - 1 / 256) / (1 - 1 / 256));
}

export interface Similarity {
  /** Estimated Jaccard index of the two shingle sets: ranks candidates. */
  jaccard: number;
  /** The larger of Jaccard and the containment of the shorter text in the longer: decides. */
  score: number;
}

/**
 * Containment keeps a copy with an appended sentence (Jaccard drops, containment stays high) from hiding. The Redis
 * index's Lua script computes the same expressions in the same order, so both indexes decide identically.
 */
export function similarity(sameCount: number, sizeA: number, sizeB: number): Similarity {
  const jaccard = estimateJaccard(sameCount);
  const intersection = (jaccard * (sizeA + sizeB)) / (1 + jaccard);
  const containment = Math.min(1, intersection / Math.min(sizeA, sizeB));
  return { jaccard, score: Math.max(jaccard, containment) };
}
