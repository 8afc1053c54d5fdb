export { MemoryDedupIndex } from './memory-index.ts';
export { RedisDedupIndex } from './redis-index.ts';
export { normalizeWords } from './normalize.ts';
export { fingerprintText, similarity, countEqual, BANDS } from './fingerprint.ts';
export { minhashSignature, shingleHashes, estimateJaccard, NUM_PERMUTATIONS, SHINGLE_SIZE } from './minhash.ts';
export type { DedupIndex, DedupSettings, ArticleDedupResult, ParagraphMatch, ArticleMatch } from './types.ts';
