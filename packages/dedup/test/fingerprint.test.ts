import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chooseBanding,
  countEqual,
  fingerprintArticle,
  fingerprintSettingsOf,
  fingerprintWords,
  missRate,
} from '../src/fingerprint.ts';
import { normalizeWords } from '../src/normalize.ts';

const BANDING = { bands: 24, rows: 1, minHits: 2 };

function minhash(text: string) {
  const fingerprint = fingerprintWords(text.split(' '), 8, BANDING);
  if (fingerprint.kind !== 'minhash') throw new Error(`expected a MinHash fingerprint, got ${fingerprint.kind}`);
  return fingerprint;
}

describe('fingerprintWords', () => {
  it('cuts the LSH buckets from pairs that hold a content word, and verifies on all pairs', () => {
    // The same pairs with a word of four letters or more; only "of the" / "of a", "a the" differ.
    const first = minhash('reporters counted ballots of the night before the count ended');
    const second = minhash('reporters counted ballots of a the night before the count ended');
    expect(Array.from(first.buckets)).toEqual(Array.from(second.buckets));
    expect(Array.from(first.signature)).not.toEqual(Array.from(second.signature));
    expect(second.size).toBe(first.size + 1);

    const other = minhash('reporters counted ballots of the night before the count began');
    expect(Array.from(other.buckets)).not.toEqual(Array.from(first.buckets));
  });

  it("cuts a whole article's buckets from all its pairs", () => {
    const words = (text: string) => text.split(' ');
    const first = fingerprintWords(words('reporters counted ballots of the night before the count ended'), 8, BANDING, {
      bucketsFromContentPairs: false,
    });
    const second = fingerprintWords(
      words('reporters counted ballots of a the night before the count ended'),
      8,
      BANDING,
      {
        bucketsFromContentPairs: false,
      },
    );
    if (first.kind !== 'minhash' || second.kind !== 'minhash') throw new Error('expected MinHash fingerprints');
    expect(Array.from(first.buckets)).not.toEqual(Array.from(second.buckets));
  });

  it('takes the buckets from all pairs when no pair holds a content word', () => {
    const first = minhash('it is as it was in the end so be it');
    const second = minhash('so it is as it was at the end of it');
    expect(Array.from(first.buckets)).not.toEqual(Array.from(second.buckets));
  });
});

describe('countEqual', () => {
  it('counts the positions where two signatures agree, four bytes at a time or one (unaligned views)', () => {
    let state = 1;
    const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
    const backing = new Uint8Array(129 + 128);
    for (let sample = 0; sample < 500; sample++) {
      const a = new Uint8Array(128);
      const b = new Uint8Array(128);
      for (let i = 0; i < 128; i++) {
        a[i] = random() & 0xff;
        // Equal in about a third of the places; differing in one bit or in all of them elsewhere.
        const choice = random() % 3;
        b[i] = choice === 0 ? a[i]! : choice === 1 ? a[i]! ^ (1 << (random() % 8)) : a[i]! ^ 0xff;
      }
      let expected = 0;
      for (let i = 0; i < 128; i++) if (a[i] === b[i]) expected++;
      expect(countEqual(a, b)).toBe(expected);
      backing.set(b, 129);
      expect(countEqual(a, backing.subarray(129, 257))).toBe(expected);
    }
  });
});

describe('missRate', () => {
  it('is the chance that fewer than minHits bands agree', () => {
    const p = 0.3 ** 2;
    expect(missRate(0.3, { bands: 32, rows: 2, minHits: 1 })).toBeCloseTo((1 - p) ** 32, 12);
    expect(missRate(0.3, { bands: 32, rows: 2, minHits: 2 })).toBeCloseTo((1 - p) ** 32 + 32 * p * (1 - p) ** 31, 12);
    expect(missRate(0.3, { bands: 32, rows: 2, minHits: 3 })).toBeCloseTo(
      (1 - p) ** 32 + 32 * p * (1 - p) ** 31 + ((32 * 31) / 2) * p ** 2 * (1 - p) ** 30,
      12,
    );
  });
});

describe('chooseBanding', () => {
  it('misses at most 2 % of the pairs at the lowest Jaccard a pair at the threshold can have', () => {
    for (const threshold of [0.3, 0.42, 0.5, 0.6, 0.7, 0.8, 0.9]) {
      const banding = chooseBanding(threshold);
      expect(banding.bands * banding.rows).toBeLessThanOrEqual(128);
      expect(missRate(threshold / (2 - threshold), banding), `threshold ${threshold}`).toBeLessThanOrEqual(0.02);
    }
  });

  it('compares fewer unrelated pairs as the threshold rises', () => {
    const candidates = (threshold: number) => 1 - missRate(0.1, chooseBanding(threshold));
    expect(candidates(0.8)).toBeLessThan(candidates(0.6));
    expect(candidates(0.6)).toBeLessThan(candidates(0.42));
  });
});

describe('fingerprintArticle', () => {
  const SEED = readFileSync(new URL('../../../services/cli/demo/seed-article.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim());

  /** The article fingerprint by its definition: all the words in a row, fingerprinted at once. */
  function wholeText(paragraphs: string[], settings: ReturnType<typeof fingerprintSettingsOf>) {
    const article = fingerprintWords(paragraphs.flatMap(normalizeWords), settings.minWords, settings.articleBanding, {
      bucketsFromContentPairs: false,
    });
    return article.kind === 'minhash' ? article : { kind: 'empty' };
  }

  const cases: [string, string[]][] = [
    ['the seed article', SEED],
    ['the seed with its paragraphs shuffled and one repeated', [SEED[3]!, SEED[0]!, SEED[3]!, ...SEED.slice(5, 9)]],
    [
      'paragraphs too short for a MinHash between long ones',
      [SEED[0]!, 'Short one.', 'Word', '', SEED[1]!, '—', 'Two words'],
    ],
    ['short paragraphs only, together long enough', ['One two three.', 'Four five six.', 'Seven eight nine ten.']],
    ['short paragraphs only, together too short', ['One two.', 'Three.']],
    ['one word', ['Belarus']],
    ['nothing', []],
  ];
  for (const minWords of [1, 8]) {
    for (const [name, paragraphs] of cases) {
      it(`folds its paragraphs' MinHashes into the whole text's (${name}, minWords ${minWords})`, () => {
        const settings = fingerprintSettingsOf({ minWords, paragraphThreshold: 0.42, articleThreshold: 0.8 });
        const fingerprints = fingerprintArticle(paragraphs, settings);
        expect(fingerprints.article).toEqual(wholeText(paragraphs, settings));
        expect(fingerprints.paragraphs).toEqual(
          paragraphs.map((text) => fingerprintWords(normalizeWords(text), minWords, settings.paragraphBanding)),
        );
      });
    }
  }
});
