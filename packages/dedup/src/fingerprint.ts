import { createHash } from 'node:crypto';
import {
  fmix32,
  hashString,
  minhashSignature,
  NUM_PERMUTATIONS,
  PERMUTATIONS_PER_PASS,
  SHINGLE_SIZE,
} from './minhash.ts';
import { normalizeWords } from './normalize.ts';

/**
 * What a paragraph is compared by.
 *
 * - The LSH buckets come from a separate MinHash over the paragraph's *content* pairs (pairs with a word of four
 *   letters or more): a bucket keyed by "of the" would hold a share of every paragraph ever indexed. `bands` bands
 *   of `rows` values each; two paragraphs are candidates when at least `minHits` of their bands agree.
 * - Candidates are verified on a 1-byte-per-permutation ("b-bit", b = 8) signature over all word pairs: 128 bytes
 *   instead of 512, which is what lets 10M paragraphs fit in a few GiB of Redis. Two equal minima always agree on
 *   their low byte; two different ones agree by chance with probability 1/256, which `estimateJaccard` corrects for
 *   (Li & König 2010).
 */
export interface Banding {
  bands: number;
  rows: number;
  /** Bands that must agree for two texts to be compared: 2 of 24 single values, say, rather than 1 of 32 pairs. */
  minHits: number;
}

/**
 * At most 24 bands: each band costs one index entry (~8 bytes of Redis) per paragraph, and 24 keep a paragraph under
 * 500 bytes. 32 bands of 1 value, 3 agreeing, found the same rewordings of half A of the evaluation for 532 bytes.
 */
export const MAX_BANDS = 24;

/**
 * The most ids a bucket holds; later entries are not added to it. A bucket that full stands for a pair a large
 * share of all paragraphs begin with ("said that"): it would be read, and verified, on every lookup that lands on it,
 * and in Redis it would leave the compact encoding. 21 ids of 3 bytes fit Redis's 64-byte listpack values.
 */
export const BUCKET_CAPACITY = 21;

/** The largest share of pairs at the lowest Jaccard of the threshold that LSH may leave uncompared. */
const MAX_MISS_RATE = 0.02;
/** The similarity of unrelated same-topic text, where fewer candidates means less verification. */
const UNRELATED_JACCARD = 0.1;

/**
 * Chooses the banding for a similarity threshold s. The flagged similarity is the larger of Jaccard and
 * containment; for two paragraphs of equal length containment s means Jaccard s / (2 - s), the lowest Jaccard a
 * pair at the threshold can have (0.27 at s = 0.42). Among 24 bands of 1 to 5 rows with 1 to 3 agreeing bands, the
 * layout with the fewest candidates at Jaccard 0.1 whose miss rate at that lowest Jaccard stays under 2 % wins.
 *
 * With the default s = 0.42 this is 24 bands of 1 row, 2 of which must agree: P(candidate) is 0.71 at J = 0.1
 * (hence the content pairs: unrelated paragraphs share few of them), 0.967 at 0.2, 0.995 at 0.27, 1.0 from 0.4.
 * 32 bands of 2 rows, 1 agreeing (the layout before), missed 9 % of the pairs at 0.27: mixed rewordings (synonyms,
 * a clause and an appended sentence) sit there.
 */
export function chooseBanding(threshold: number): Banding {
  const lowestJaccard = threshold / (2 - threshold);
  let best: Banding | null = null;
  for (let rows = 1; rows * MAX_BANDS <= NUM_PERMUTATIONS; rows++) {
    for (let minHits = 1; minHits <= 3; minHits++) {
      const banding = { bands: MAX_BANDS, rows, minHits };
      if (missRate(lowestJaccard, banding) > MAX_MISS_RATE) continue;
      if (!best || candidateRate(UNRELATED_JACCARD, banding) < candidateRate(UNRELATED_JACCARD, best)) best = banding;
    }
  }
  return best ?? { bands: MAX_BANDS, rows: 1, minHits: 1 };
}

/**
 * The chance that two texts at this Jaccard agree on fewer than `minHits` bands: P(Binomial(bands, J^rows) < minHits).
 */
export function missRate(jaccard: number, { bands, rows, minHits }: Banding): number {
  const p = jaccard ** rows;
  let miss = 0;
  let choose = 1;
  for (let hits = 0; hits < minHits; hits++) {
    miss += choose * p ** hits * (1 - p) ** (bands - hits);
    choose = (choose * (bands - hits)) / (hits + 1);
  }
  return miss;
}

function candidateRate(jaccard: number, banding: Banding): number {
  return 1 - missRate(jaccard, banding);
}

export type Fingerprint =
  /** No words at all: never a duplicate, never indexed. */
  | { kind: 'empty' }
  /** Shorter than `minWords`: only an exact (normalized) repeat counts. */
  | { kind: 'exact'; hash: string }
  | { kind: 'minhash'; signature: Uint8Array; size: number; buckets: Uint32Array };

/**
 * Scratch arrays for what a fingerprint is computed from and does not keep: a typed array of its own per paragraph
 * is an allocation outside the JS heap each, several per paragraph, which the garbage collector then tracks.
 * Fingerprinting is synchronous, so one set per thread serves every call.
 */
let pairScratch = new Uint32Array(1024);
let contentScratch = new Uint32Array(1024);
const minimaScratch = new Uint32Array(NUM_PERMUTATIONS);
const bandMinimaScratch = new Uint32Array(NUM_PERMUTATIONS);
const articleMinimaScratch = new Uint32Array(NUM_PERMUTATIONS);
let allPairsScratch = new Uint32Array(4096);
let uncoveredPairsScratch = new Uint32Array(4096);

/** `scratch`, or a larger one when `length` values do not fit. */
function scratchOf(scratch: Uint32Array<ArrayBuffer>, length: number): Uint32Array<ArrayBuffer> {
  return scratch.length >= length ? scratch : new Uint32Array(Math.max(length, scratch.length * 2));
}

/**
 * Hashes of the word pairs (given the words' `hashString` hashes), without repeats; a text shorter than a pair is one
 * shingle of all its words. A view of the scratch array, valid until the next call.
 */
function shingleHashes(wordHashes: number[]): Uint32Array {
  if (wordHashes.length < SHINGLE_SIZE) {
    pairScratch[0] = wordHashes.reduce((h, word) => pairHash(h, word), 0x2545f491);
    return pairScratch.subarray(0, 1);
  }
  pairScratch = scratchOf(pairScratch, wordHashes.length);
  const shingles = pairScratch.subarray(0, wordHashes.length - SHINGLE_SIZE + 1);
  for (let i = 0; i < shingles.length; i++) shingles[i] = pairHash(wordHashes[i]!, wordHashes[i + 1]!);
  shingles.sort();
  let unique = 0;
  for (let i = 0; i < shingles.length; i++)
    if (i === 0 || shingles[i] !== shingles[i - 1]) shingles[unique++] = shingles[i]!;
  return shingles.subarray(0, unique);
}

/**
 * `bucketsFromContentPairs: false` cuts the buckets from the signature over all pairs: a whole article's thousand
 * pairs dilute "of the", and the second MinHash would cost as much again.
 */
export function fingerprintWords(
  words: string[],
  minWords: number,
  banding: Banding,
  { bucketsFromContentPairs = true } = {},
): Fingerprint {
  if (words.length === 0) return { kind: 'empty' };
  if (words.length < minWords) return exactFingerprint(words);
  return minhashFingerprint(words, words.map(hashString), banding, bucketsFromContentPairs);
}

function exactFingerprint(words: string[]): Fingerprint {
  return { kind: 'exact', hash: createHash('sha1').update(words.join(' ')).digest('base64').slice(0, 16) };
}

/** A MinHash fingerprint of words given with their hashes; leaves its minima in `minimaScratch` until the next call. */
function minhashFingerprint(
  words: string[],
  wordHashes: number[],
  banding: Banding,
  bucketsFromContentPairs: boolean,
): Fingerprint {
  const shingles = shingleHashes(wordHashes);
  const minima = minhashSignature(shingles, NUM_PERMUTATIONS, minimaScratch);
  const content = bucketsFromContentPairs ? contentShingles(words, wordHashes) : new Uint32Array(0);
  const bandValues = Math.ceil((banding.bands * banding.rows) / PERMUTATIONS_PER_PASS) * PERMUTATIONS_PER_PASS;
  const bandMinima = content.length > 0 ? minhashSignature(content, bandValues, bandMinimaScratch) : minima;
  return {
    kind: 'minhash',
    signature: signatureOf(minima),
    size: Math.min(shingles.length, 0xffff),
    buckets: bandBuckets(bandMinima, banding),
  };
}

/** The low byte of each mixed minimum: uniform whatever the permutation's low bits. */
function signatureOf(minima: Uint32Array): Uint8Array {
  const signature = new Uint8Array(NUM_PERMUTATIONS);
  for (let i = 0; i < NUM_PERMUTATIONS; i++) signature[i] = fmix32(minima[i]!) & 0xff;
  return signature;
}

/** Words this short are mostly function words: "a", "of", "the", "and". */
const CONTENT_WORD_LENGTH = 4;

/**
 * The pairs that hold a content word, hashed as `shingleHashes` hashes them (repeats kept: they do not change a
 * minimum). Empty for text of short words only (or none in pairs), whose buckets then come from all its pairs.
 */
function contentShingles(words: string[], wordHashes: number[]): Uint32Array {
  contentScratch = scratchOf(contentScratch, words.length);
  const content = contentScratch;
  let count = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    if (words[i]!.length < CONTENT_WORD_LENGTH && words[i + 1]!.length < CONTENT_WORD_LENGTH) continue;
    content[count++] = pairHash(wordHashes[i]!, wordHashes[i + 1]!);
  }
  return content.subarray(0, count);
}

function pairHash(first: number, second: number): number {
  // Combining word hashes (not hashing joined strings) keeps this allocation-free.
  return fmix32(Math.imul(first, 0x9e3779b1) ^ second);
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

/** How an index with these settings fingerprints: its thresholds' LSH banding (or the banding it was given). */
export function fingerprintSettingsOf(settings: {
  minWords: number;
  paragraphThreshold: number;
  articleThreshold: number;
  paragraphBanding?: Banding | undefined;
}): FingerprintSettings {
  return {
    minWords: settings.minWords,
    paragraphBanding: settings.paragraphBanding ?? chooseBanding(settings.paragraphThreshold),
    articleBanding: chooseBanding(settings.articleThreshold),
  };
}

/**
 * Each paragraph's fingerprint, and the whole text's: the fingerprint of all its words in a row, as
 * `fingerprintWords(words.flat(), …)` computes it, at a fraction of the cost. A MinHash of a union is the element-wise
 * minimum of the parts' MinHashes, so the article's minima are its paragraphs' minima folded together with those of
 * the pairs no paragraph signature holds (across a paragraph break, inside a paragraph too short for a MinHash).
 */
export function fingerprintArticle(paragraphs: string[], settings: FingerprintSettings): ArticleFingerprints {
  const words = paragraphs.map(normalizeWords);
  const wordHashes = words.map((paragraphWords) => paragraphWords.map(hashString));
  const totalWords = words.reduce((sum, paragraphWords) => sum + paragraphWords.length, 0);
  // The rare text too short for a pair (a single word, with minWords 1) has one shingle of all its words.
  const foldParagraphs = totalWords >= settings.minWords && totalWords >= SHINGLE_SIZE;
  const articleMinima = articleMinimaScratch.fill(0xffffffff);
  allPairsScratch = scratchOf(allPairsScratch, totalWords);
  uncoveredPairsScratch = scratchOf(uncoveredPairsScratch, totalWords);
  let pairCount = 0;
  let uncoveredCount = 0;
  let previousWord: number | undefined;
  const paragraphFingerprints = words.map((paragraphWords, index): Fingerprint => {
    const hashes = wordHashes[index]!;
    let fingerprint: Fingerprint;
    if (paragraphWords.length === 0) fingerprint = { kind: 'empty' };
    else if (paragraphWords.length < settings.minWords) fingerprint = exactFingerprint(paragraphWords);
    else fingerprint = minhashFingerprint(paragraphWords, hashes, settings.paragraphBanding, true);
    if (!foldParagraphs || hashes.length === 0) return fingerprint;
    // A paragraph's own MinHash covers its pairs when it has a pair at all (one word is one shingle of its own).
    const covered = fingerprint.kind === 'minhash' && hashes.length >= SHINGLE_SIZE;
    if (covered)
      for (let i = 0; i < NUM_PERMUTATIONS; i++) articleMinima[i] = Math.min(articleMinima[i]!, minimaScratch[i]!);
    if (previousWord !== undefined) {
      const boundary = pairHash(previousWord, hashes[0]!);
      allPairsScratch[pairCount++] = boundary;
      uncoveredPairsScratch[uncoveredCount++] = boundary;
    }
    for (let i = 0; i + 1 < hashes.length; i++) {
      const pair = pairHash(hashes[i]!, hashes[i + 1]!);
      allPairsScratch[pairCount++] = pair;
      if (!covered) uncoveredPairsScratch[uncoveredCount++] = pair;
    }
    previousWord = hashes[hashes.length - 1];
    return fingerprint;
  });
  let article: Fingerprint = { kind: 'empty' };
  if (foldParagraphs) {
    if (uncoveredCount > 0) {
      const uncovered = minhashSignature(
        uncoveredPairsScratch.subarray(0, uncoveredCount),
        NUM_PERMUTATIONS,
        minimaScratch,
      );
      for (let i = 0; i < NUM_PERMUTATIONS; i++) articleMinima[i] = Math.min(articleMinima[i]!, uncovered[i]!);
    }
    article = {
      kind: 'minhash',
      signature: signatureOf(articleMinima),
      size: Math.min(countDistinct(allPairsScratch.subarray(0, pairCount)), 0xffff),
      buckets: bandBuckets(articleMinima, settings.articleBanding),
    };
  } else if (totalWords >= settings.minWords) {
    article = fingerprintWords(words.flat(), settings.minWords, settings.articleBanding, {
      bucketsFromContentPairs: false,
    });
  }
  return { paragraphs: paragraphFingerprints, article };
}

/** Distinct values; sorts `values` in place. */
function countDistinct(values: Uint32Array): number {
  values.sort();
  let distinct = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[i - 1]) distinct++;
  return distinct;
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
  if (a.byteOffset % 4 !== 0 || b.byteOffset % 4 !== 0) {
    let same = 0;
    for (let i = 0; i < NUM_PERMUTATIONS; i++) if (a[i] === b[i]) same++;
    return same;
  }
  // Four bytes at a time: in the xor of two words, the high bit of each byte that differs is set by
  // ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x, with no carry from one byte into the next.
  const wordsA = new Int32Array(a.buffer, a.byteOffset, NUM_PERMUTATIONS / 4);
  const wordsB = new Int32Array(b.buffer, b.byteOffset, NUM_PERMUTATIONS / 4);
  let different = 0;
  for (let i = 0; i < NUM_PERMUTATIONS / 4; i++) {
    const x = wordsA[i]! ^ wordsB[i]!;
    const high = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
    different += ((high >>> 7) & 1) + ((high >>> 15) & 1) + ((high >>> 23) & 1) + (high >>> 31);
  }
  return NUM_PERMUTATIONS - different;
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
