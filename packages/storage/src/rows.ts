import { type ExportRecord, type StoredParagraph } from '@newsflow/core';
import type { FeedHealth } from './types.ts';

export interface ArticleRow {
  id: number | string;
  url: string;
  feed_url: string;
  title: string;
  author: string | null;
  published_at: string | Date | null;
  language: string | null;
  site_name: string | null;
  fetched_at: string | Date;
  modified_at: string | Date | null;
  canonical_url: string | null;
  image: string | null;
  feed_name: string | null;
  /** JSON text in SQLite, already parsed from JSONB in PostgreSQL. */
  tags: string | string[];
  text: string;
  duplicate_of_url: string | null;
  duplicate_similarity: number | null;
}

export interface ParagraphRow {
  article_id: number | string;
  position: number;
  text: string;
  duplicate_of_url: string | null;
  duplicate_of_position: number | null;
  duplicate_similarity: number | null;
}

export function toIso(value: string | Date | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : value;
}

/** Builds the export record (DESIGN.md) from an article row and its paragraph rows in position order. */
export function toExportRecord(row: ArticleRow, paragraphRows: ParagraphRow[]): ExportRecord {
  const paragraphs: StoredParagraph[] = paragraphRows.map((paragraph) => ({
    text: paragraph.text,
    duplicateOf:
      paragraph.duplicate_of_url === null
        ? null
        : {
            url: paragraph.duplicate_of_url,
            index: paragraph.duplicate_of_position ?? 0,
            similarity: paragraph.duplicate_similarity ?? 1,
          },
  }));
  return {
    url: row.url,
    feedUrl: row.feed_url,
    title: row.title,
    author: row.author,
    publishedAt: toIso(row.published_at),
    language: row.language,
    siteName: row.site_name,
    fetchedAt: toIso(row.fetched_at)!,
    modifiedAt: toIso(row.modified_at),
    canonicalUrl: row.canonical_url,
    image: row.image,
    feedName: row.feed_name,
    tags: typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : row.tags,
    text: row.text,
    paragraphs,
    duplicateOf:
      row.duplicate_of_url === null ? null : { url: row.duplicate_of_url, similarity: row.duplicate_similarity ?? 1 },
  };
}

/** The columns of a feed's latest poll_log row, as both stores' feedHealth queries select them. */
export interface FeedHealthRow {
  last_status: 'fetched' | 'not-modified' | 'failed' | null;
  last_http_status: number | null;
  last_items: number | null;
  last_new_items: number | null;
}

export function lastPoll(row: FeedHealthRow): FeedHealth['lastPoll'] {
  if (row.last_status === null) return null;
  return {
    status: row.last_status,
    httpStatus: row.last_http_status,
    items: row.last_items,
    newItems: row.last_new_items,
  };
}
