/** Signature length: 128 permutations keep the standard error of a Jaccard estimate near 0.04. */
export const NUM_PERMUTATIONS = 128;
/** Word shingle size: 3-grams separate rewordings from same-topic text best on our evaluation (issue 3). */
export const SHINGLE_SIZE = 3;

/** MurmurHash3's 32-bit finalizer: a fast, well-mixed bijection on 32-bit integers. */
export function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalized: the hash of one shingle. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Fixed seeds (a splitmix-style sequence from one constant) so every replica computes the same permutations. */
const SEEDS = Uint32Array.from({ length: NUM_PERMUTATIONS }, (_, i) => fmix32(Math.imul(i + 1, 0x9e3779b9)));

/** Hashes of the word shingles; a text shorter than one shingle is a single shingle of all its words. */
export function shingleHashes(words: string[], size: number = SHINGLE_SIZE): Uint32Array {
  if (words.length === 0) return new Uint32Array(0);
  if (words.length < size) return Uint32Array.of(hashString(words.join(' ')));
  const unique = new Set<number>();
  for (let i = 0; i + size <= words.length; i++) unique.add(hashString(words.slice(i, i + size).join(' ')));
  return Uint32Array.from(unique);
}

/** MinHash signature: for each permutation, the smallest permuted shingle hash. */
export function minhashSignature(shingles: Uint32Array): Uint32Array {
  const signature = new Uint32Array(NUM_PERMUTATIONS).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let i = 0; i < NUM_PERMUTATIONS; i++) {
      const permuted = fmix32(shingle ^ SEEDS[i]!);
      if (permuted < signature[i]!) signature[i] = permuted;
    }
  }
  return signature;
}

/** Fraction of positions where two signatures agree: an unbiased estimate of the shingle sets' Jaccard index. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < NUM_PERMUTATIONS; i++) if (a[i] === b[i]) same++;
  return same / NUM_PERMUTATIONS;
}
