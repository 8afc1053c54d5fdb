import { createHash } from 'node:crypto';
import type { ArticleRecord } from '@newsflow/core';

/**
 * Hash of what the article says: title, byline, dates, language, site and paragraph texts. Equal hashes mean
 * nothing to write. Left out on purpose: when it was fetched, which feed led to it, and the duplicate pointers:
 * an article fetched again after Redis lost the dedup index gets other pointers for the same text, and must write
 * no new version (the stored pointers stay).
 */
export function contentHash(article: ArticleRecord): string {
  const content = [
    article.url,
    article.title,
    article.author,
    article.publishedAt,
    article.language,
    article.siteName,
    article.paragraphs.map((paragraph) => paragraph.text),
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
