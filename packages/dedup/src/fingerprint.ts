import { createHash } from 'node:crypto';
import { normalizeWords } from './normalize.ts';
import { fmix32, minhashSignature, NUM_PERMUTATIONS, shingleHashes } from './minhash.ts';

/**
 * LSH banding: 64 bands of 2 rows. A pair with shingle Jaccard s becomes a candidate with probability
 * 1 - (1 - s²)^64: 0.48 at s = 0.1, 0.93 at 0.2, 0.998 at 0.3, 1.0 from 0.4 on. Candidates are verified on
 * the full signature, so a low band threshold costs only verification work, never precision. A reworded
 * paragraph with an appended sentence (the seed pair: Jaccard 0.385) is missed with probability < 10⁻⁴.
 */
export const BANDS = 64;
export const ROWS_PER_BAND = NUM_PERMUTATIONS / BANDS;

export type Fingerprint =
  /** No words at all: never a duplicate, never indexed. */
  | { kind: 'empty' }
  /** Shorter than `minWords`: only an exact (normalized) repeat counts. */
  | { kind: 'exact'; hash: string }
  | { kind: 'minhash'; signature: Uint32Array; size: number; buckets: Uint32Array };

export function fingerprintWords(words: string[], minWords: number): Fingerprint {
  if (words.length === 0) return { kind: 'empty' };
  if (words.length < minWords) {
    return { kind: 'exact', hash: createHash('sha1').update(words.join(' ')).digest('base64').slice(0, 16) };
  }
  const shingles = shingleHashes(words);
  const signature = minhashSignature(shingles);
  return { kind: 'minhash', signature, size: shingles.length, buckets: bandBuckets(signature) };
}

export function fingerprintText(text: string, minWords: number): Fingerprint {
  return fingerprintWords(normalizeWords(text), minWords);
}

/** One 32-bit bucket hash per band; equal buckets make two signatures candidates. */
export function bandBuckets(signature: Uint32Array): Uint32Array {
  const buckets = new Uint32Array(BANDS);
  for (let band = 0; band < BANDS; band++) {
    let h = fmix32(band + 1);
    for (let row = 0; row < ROWS_PER_BAND; row++) h = fmix32(h ^ signature[band * ROWS_PER_BAND + row]!);
    buckets[band] = h;
  }
  return buckets;
}

/**
 * Similarity of two fingerprinted texts from their signatures and shingle counts: the larger of the Jaccard
 * estimate and the containment of the smaller text in the larger one. Containment keeps a copy with an appended
 * sentence (Jaccard drops, containment stays high) from hiding. The Redis index's Lua script computes the same
 * expression in the same order, so both indexes decide identically.
 */
export function similarity(sameCount: number, sizeA: number, sizeB: number): number {
  const jaccard = sameCount / NUM_PERMUTATIONS;
  const intersection = (jaccard * (sizeA + sizeB)) / (1 + jaccard);
  const containment = Math.min(1, intersection / Math.min(sizeA, sizeB));
  return Math.max(jaccard, containment);
}

export function countEqual(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < NUM_PERMUTATIONS; i++) if (a[i] === b[i]) same++;
  return same;
}
