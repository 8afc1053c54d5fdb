import { createHash } from 'node:crypto';
import type { ArticleRecord } from '@newsflow/core';

/** Hash of everything stored about an article except when it was fetched: equal hashes mean nothing to write. */
export function contentHash(article: ArticleRecord): string {
  const { fetchedAt: _fetchedAt, ...content } = article;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
