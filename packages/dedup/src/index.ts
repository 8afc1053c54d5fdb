export { MemoryDedupIndex } from './memory-index.ts';
export { RedisDedupIndex } from './redis-index.ts';
export { normalizeWords } from './normalize.ts';
export { chooseBanding, missRate, fingerprintArticle, fingerprintWords, similarity, MAX_BANDS } from './fingerprint.ts';
export type { ArticleFingerprints, Banding, Fingerprint, FingerprintSettings, Similarity } from './fingerprint.ts';
export { createFingerprintPool } from './fingerprint-pool.ts';
export type { FingerprintPool } from './fingerprint-pool.ts';
export { minhashSignature, NUM_PERMUTATIONS, SHINGLE_SIZE } from './minhash.ts';
export type { DedupIndex, DedupSettings, ArticleDedupResult, ParagraphMatch, ArticleMatch } from './types.ts';
