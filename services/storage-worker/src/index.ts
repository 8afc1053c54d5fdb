export { startStorageWorker } from './main.ts';
export { storeArticle, writeArticle, drainPollLog } from './handler.ts';
export type { StoreResult, StorageDeps } from './handler.ts';
export { reindex, ensureIndexReady } from './reindex.ts';
export type { ReindexReport } from './reindex.ts';
export type { StorageWorker } from './main.ts';
