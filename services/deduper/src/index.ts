export { startDeduper } from './main.ts';
export { dedupArticle } from './handler.ts';
export type { DedupResult, DeduperDeps } from './handler.ts';
