import { describe, expect, it } from 'vitest';
import { fmix32, minhashSignature, NUM_PERMUTATIONS } from '../src/minhash.ts';

/** The signature as its doc comment defines it, one permutation at a time: what the unrolled loop must equal. */
function reference(shingles: Uint32Array): Uint32Array {
  const signature = new Uint32Array(NUM_PERMUTATIONS);
  for (let i = 0; i < NUM_PERMUTATIONS; i++) {
    const seed = fmix32(Math.imul(i + 1, 0x9e3779b9)) | 0;
    let minimum = 0xffffffff;
    for (const value of shingles) {
      let h = Math.imul(value ^ seed, 0x9e3779b1);
      h = (h ^ (h >>> 16)) >>> 0;
      if (h < minimum) minimum = h;
    }
    signature[i] = minimum;
  }
  return signature;
}

describe('minhashSignature', () => {
  it('is, value for value, the minimum of each permuted shingle hash (the index in Redis depends on it)', () => {
    let state = 12345;
    const random = () => (state = fmix32(state + 0x6d2b79f5));
    for (const length of [0, 1, 2, 3, 4, 5, 17, 64, 301]) {
      const shingles = Uint32Array.from({ length }, random);
      expect(Array.from(minhashSignature(shingles)), `${length} shingles`).toEqual(Array.from(reference(shingles)));
    }
    // Extremes of the 32-bit range, where signed and unsigned order part.
    const edges = Uint32Array.of(0, 1, 0x7fffffff, 0x80000000, 0xffffffff);
    expect(Array.from(minhashSignature(edges))).toEqual(Array.from(reference(edges)));
  });

  it('computes only the first permutations when asked for fewer', () => {
    const shingles = Uint32Array.from({ length: 40 }, (_, i) => fmix32(i + 7));
    expect(Array.from(minhashSignature(shingles, 32))).toEqual(Array.from(reference(shingles).subarray(0, 32)));
    expect(() => minhashSignature(shingles, 30)).toThrow(RangeError);
  });
});
