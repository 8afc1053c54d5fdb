export { MemoryDedupIndex } from './memory-index.ts';
export { RedisDedupIndex } from './redis-index.ts';
export { normalizeWords } from './normalize.ts';
export { chooseBanding, missRate, fingerprintWords, shingleHashes, similarity, MAX_BANDS } from './fingerprint.ts';
export type { Banding, Fingerprint, Similarity } from './fingerprint.ts';
export { minhashSignature, NUM_PERMUTATIONS, SHINGLE_SIZE } from './minhash.ts';
export type { DedupIndex, DedupSettings, ArticleDedupResult, ParagraphMatch, ArticleMatch } from './types.ts';
