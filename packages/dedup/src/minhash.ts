/** Signature length: 128 permutations keep the standard error of a Jaccard estimate near 0.04. */
export const NUM_PERMUTATIONS = 128;
/**
 * Word shingle size. Each replaced word changes `SHINGLE_SIZE` shingles, so 3-grams lost half their overlap to a
 * 20 % synonym rewording; 2-grams keep rewordings apart from same-topic text as well, with recall 0.98 instead of
 * 0.88 (bench/dedup-eval, exact sets and MinHash alike; README "Deduplication" has the sweep).
 */
export const SHINGLE_SIZE = 2;

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

/**
 * FNV-1a over UTF-16 code units, finalized; signed, as the word hashes are only ever combined bit by bit. An array of
 * them then stays an array of small integers in V8: a value over 2^31 would make it an array of doubles, and the
 * functions that read word hashes would meet both kinds and be compiled again for each.
 */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h) | 0;
}

/** Fixed seeds (one constant, mixed) so every replica computes the same permutations. */
const SEEDS = Int32Array.from({ length: NUM_PERMUTATIONS }, (_, i) => fmix32(Math.imul(i + 1, 0x9e3779b9)) | 0);

/** Permutations computed per pass over the shingles (see minhashSignature). */
export const PERMUTATIONS_PER_PASS = 8;

/**
 * MinHash signature: for each permutation, the smallest permuted shingle hash. Shingle hashes are already
 * well mixed (fmix32), so a permutation only needs to decorrelate the 128 orderings: x ↦ (x xor seed) · φ, then
 * an xor-shift (one multiply instead of murmur's two). Signed compares on Int32Array keep the loop conversion-free.
 * `permutations`: the first that many, a multiple of PERMUTATIONS_PER_PASS (the LSH buckets need only as many values
 * as their bands take). `signature`: where to write them (a caller's scratch array), else a new array.
 */
export function minhashSignature(
  shingles: Uint32Array,
  permutations = NUM_PERMUTATIONS,
  signature = new Uint32Array(permutations),
): Uint32Array {
  if (permutations % PERMUTATIONS_PER_PASS !== 0 || permutations > NUM_PERMUTATIONS)
    throw new RangeError(
      `permutations must be a multiple of ${PERMUTATIONS_PER_PASS} up to ${NUM_PERMUTATIONS} (got ${permutations})`,
    );
  const values = new Int32Array(shingles.buffer, shingles.byteOffset, shingles.length);
  // Eight permutations per pass: each value is loaded once for eight, and the independent chains keep the CPU's
  // multipliers busy (faster than four per pass, which was faster than one; same values).
  for (let i = 0; i < permutations; i += PERMUTATIONS_PER_PASS) {
    const seed0 = SEEDS[i]!;
    const seed1 = SEEDS[i + 1]!;
    const seed2 = SEEDS[i + 2]!;
    const seed3 = SEEDS[i + 3]!;
    const seed4 = SEEDS[i + 4]!;
    const seed5 = SEEDS[i + 5]!;
    const seed6 = SEEDS[i + 6]!;
    const seed7 = SEEDS[i + 7]!;
    // Minima are kept with the sign bit flipped, so signed order is unsigned order; 0x7fffffff stands for 0xffffffff.
    let min0 = 0x7fffffff;
    let min1 = 0x7fffffff;
    let min2 = 0x7fffffff;
    let min3 = 0x7fffffff;
    let min4 = 0x7fffffff;
    let min5 = 0x7fffffff;
    let min6 = 0x7fffffff;
    let min7 = 0x7fffffff;
    for (let s = 0; s < values.length; s++) {
      const value = values[s]!;
      let h0 = Math.imul(value ^ seed0, 0x9e3779b1);
      let h1 = Math.imul(value ^ seed1, 0x9e3779b1);
      let h2 = Math.imul(value ^ seed2, 0x9e3779b1);
      let h3 = Math.imul(value ^ seed3, 0x9e3779b1);
      let h4 = Math.imul(value ^ seed4, 0x9e3779b1);
      let h5 = Math.imul(value ^ seed5, 0x9e3779b1);
      let h6 = Math.imul(value ^ seed6, 0x9e3779b1);
      let h7 = Math.imul(value ^ seed7, 0x9e3779b1);
      h0 = h0 ^ (h0 >>> 16) ^ 0x80000000;
      h1 = h1 ^ (h1 >>> 16) ^ 0x80000000;
      h2 = h2 ^ (h2 >>> 16) ^ 0x80000000;
      h3 = h3 ^ (h3 >>> 16) ^ 0x80000000;
      h4 = h4 ^ (h4 >>> 16) ^ 0x80000000;
      h5 = h5 ^ (h5 >>> 16) ^ 0x80000000;
      h6 = h6 ^ (h6 >>> 16) ^ 0x80000000;
      h7 = h7 ^ (h7 >>> 16) ^ 0x80000000;
      if (h0 < min0) min0 = h0;
      if (h1 < min1) min1 = h1;
      if (h2 < min2) min2 = h2;
      if (h3 < min3) min3 = h3;
      if (h4 < min4) min4 = h4;
      if (h5 < min5) min5 = h5;
      if (h6 < min6) min6 = h6;
      if (h7 < min7) min7 = h7;
    }
    signature[i] = (min0 ^ 0x80000000) >>> 0;
    signature[i + 1] = (min1 ^ 0x80000000) >>> 0;
    signature[i + 2] = (min2 ^ 0x80000000) >>> 0;
    signature[i + 3] = (min3 ^ 0x80000000) >>> 0;
    signature[i + 4] = (min4 ^ 0x80000000) >>> 0;
    signature[i + 5] = (min5 ^ 0x80000000) >>> 0;
    signature[i + 6] = (min6 ^ 0x80000000) >>> 0;
    signature[i + 7] = (min7 ^ 0x80000000) >>> 0;
  }
  return signature;
}
