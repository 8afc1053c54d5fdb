import type { ArticleFingerprints, Banding, FingerprintSettings } from './fingerprint.ts';

export interface DedupSettings {
  /** Paragraphs at or above this similarity are near-duplicates. */
  paragraphThreshold: number;
  /** Articles at or above this similarity are republications. */
  articleThreshold: number;
  /** Paragraphs with fewer words only match exact repeats. */
  minWords: number;
  /** How long an indexed paragraph stays findable (Redis index only), in milliseconds. */
  retentionMs: number;
  /**
   * The paragraphs' LSH banding, in place of the one `chooseBanding` derives from the threshold: for benchmarking
   * other layouts (`pnpm bench dedup --banding 32x1`); not a config setting.
   */
  paragraphBanding?: Banding;
}

export interface ParagraphMatch {
  url: string;
  index: number;
  similarity: number;
}

export interface ArticleMatch {
  url: string;
  similarity: number;
}

export interface ArticleDedupResult {
  /** One entry per input paragraph: the first-seen near-identical paragraph, or null. */
  paragraphs: (ParagraphMatch | null)[];
  /** An earlier article this one republishes, or null. */
  duplicateOf: ArticleMatch | null;
}

/**
 * A paragraph and article index. Adding an article compares each paragraph with every earlier paragraph (earlier
 * ones of the same article included) and the whole article with earlier articles, then indexes the originals
 * (duplicates are not indexed: a later copy points at the first-seen original, never at another copy).
 * Adding the same URL again returns the first result unchanged.
 */
export interface DedupIndex {
  /**
   * `fingerprints`, when given, were computed from these paragraphs with `fingerprintSettings` elsewhere (an
   * extraction thread of the same process); otherwise the index computes them.
   */
  addArticle(url: string, paragraphs: string[], fingerprints?: ArticleFingerprints): Promise<ArticleDedupResult>;
  /** How this index fingerprints an article. */
  readonly fingerprintSettings: FingerprintSettings;
}

/** Fingerprints computed elsewhere must be one per paragraph: anything else is a bug, not a page's fault. */
export function checkFingerprints(fingerprints: ArticleFingerprints, paragraphs: string[]): void {
  if (fingerprints.paragraphs.length !== paragraphs.length)
    throw new Error(`${fingerprints.paragraphs.length} paragraph fingerprints for ${paragraphs.length} paragraphs`);
}

export function roundSimilarity(value: number): number {
  return Math.round(value * 1000) / 1000;
}
