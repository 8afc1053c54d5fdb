export { startStorageWorker } from './main.ts';
export { storeArticle } from './handler.ts';
export type { StoreResult, StorageDeps } from './handler.ts';
