import { ConfigError, DEFAULT_DATABASE_URL } from '@newsflow/core';
import { PostgresStore } from './postgres-store.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { ArticleStore } from './types.ts';

/** `file:PATH` opens SQLite (the embedded default), `postgres://…` PostgreSQL. Migrations run before it returns. */
export async function openStore(
  databaseUrl: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
): Promise<ArticleStore> {
  let store: ArticleStore;
  if (databaseUrl.startsWith('file:'))
    store = new SqliteStore(databaseUrl.slice('file:'.length).replace(/^\/\/(?=\/)/, ''));
  else if (/^postgres(?:ql)?:\/\//.test(databaseUrl)) store = new PostgresStore(databaseUrl);
  else
    throw new ConfigError(
      `DATABASE_URL: expected file:PATH (SQLite) or postgres://… (got ${JSON.stringify(databaseUrl)})`,
    );
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
