export { startDeduper } from './main.ts';
export { dedupArticle, markDuplicates } from './handler.ts';
export type { DedupResult, DeduperDeps } from './handler.ts';
export type { Deduper } from './main.ts';
