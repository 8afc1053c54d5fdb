import type { Writable } from 'node:stream';
import type { ExportRecord } from '@newsflow/core';
import type { ArticleStore, ExportFilter } from '@newsflow/storage';

export type ExportFormat = 'jsonl' | 'csv';

const CSV_COLUMNS = [
  'url',
  'feedUrl',
  'title',
  'author',
  'publishedAt',
  'language',
  'siteName',
  'fetchedAt',
  'modifiedAt',
  'canonicalUrl',
  'image',
  'feedName',
  'tags',
  'duplicateOfUrl',
  'duplicateSimilarity',
  'paragraphs',
  'duplicateParagraphs',
  'text',
] as const;

/** Streams stored articles to `out`, one record a line, honouring back-pressure so memory stays flat. */
export async function exportArticles(
  store: ArticleStore,
  out: Writable,
  format: ExportFormat,
  filter: ExportFilter,
): Promise<number> {
  let count = 0;
  if (format === 'csv') await write(out, `${CSV_COLUMNS.join(',')}\n`);
  for await (const record of store.exportArticles(filter)) {
    await write(out, format === 'csv' ? `${csvRow(record)}\n` : `${JSON.stringify(record)}\n`);
    count++;
  }
  return count;
}

function csvRow(record: ExportRecord): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
    url: record.url,
    feedUrl: record.feedUrl,
    title: record.title,
    author: record.author,
    publishedAt: record.publishedAt,
    language: record.language,
    siteName: record.siteName,
    fetchedAt: record.fetchedAt,
    modifiedAt: record.modifiedAt,
    canonicalUrl: record.canonicalUrl,
    image: record.image,
    feedName: record.feedName,
    tags: record.tags.join(';'),
    duplicateOfUrl: record.duplicateOf?.url ?? null,
    duplicateSimilarity: record.duplicateOf?.similarity ?? null,
    paragraphs: record.paragraphs.length,
    duplicateParagraphs: record.paragraphs.filter((paragraph) => paragraph.duplicateOf).length,
    text: record.text,
  };
  return CSV_COLUMNS.map((column) => csvField(values[column])).join(',');
}

/** RFC 4180: quote fields holding a comma, quote or line break; double inner quotes. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function write(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(chunk)) resolve();
    else {
      out.once('drain', resolve);
      out.once('error', reject);
    }
  });
}
