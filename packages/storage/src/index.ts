export { openStore } from './open-store.ts';
export { DEFAULT_DATABASE_URL } from '@newsflow/core';
export { SqliteStore } from './sqlite-store.ts';
export { PostgresStore } from './postgres-store.ts';
export { contentHash } from './content-hash.ts';
export { toFtsQuery } from './search-query.ts';
export { MIGRATIONS, LATEST_VERSION } from './migrations.ts';
export type {
  ArticleStore,
  ArticleVersion,
  ExportFilter,
  FeedHealth,
  PollRecord,
  SearchHit,
  SearchOptions,
  StoredFeed,
  UpsertOutcome,
  WriteResult,
} from './types.ts';
export { WriteBatcher } from './write-batcher.ts';
