export { startStorageWorker } from './main.ts';
export { storeArticle, drainPollLog } from './handler.ts';
export type { StoreResult, StorageDeps } from './handler.ts';
