import { createInterface } from 'node:readline';
import { errorMessage, type Config } from '@newsflow/core';
import { decodeBytes } from '@newsflow/fetch';
import { parseFeed } from '@newsflow/feeds';
import { extractArticle } from '@newsflow/extract';
import { MemoryDedupIndex } from '@newsflow/dedup';
import { loadInput, sourceOf } from './inputs.ts';

/** Writes one output line; resolves once the output can take more (a slow pipe must not make us buffer it all). */
type Print = (record: object) => Promise<void>;

/** `newsflow extract FILE|URL …`: one JSON line per input with the article, or its error. */
export async function extractCommand(inputs: string[], config: Config, print: Print): Promise<boolean> {
  let allOk = true;
  for (const input of inputs) {
    try {
      const loaded = await loadInput(input, config.fetch, 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5');
      const pageUrl = 'url' in loaded.source ? loaded.baseUrl : 'https://localhost/';
      const article = extractArticle(decodeBytes(loaded.bytes, loaded.contentType).text, pageUrl);
      await print({
        ...loaded.source,
        title: article.title,
        author: article.author,
        publishedAt: article.publishedAt,
        modifiedAt: article.modifiedAt,
        language: article.language,
        siteName: article.siteName,
        canonicalUrl: article.canonicalUrl,
        image: article.image,
        paragraphs: article.paragraphs,
        text: article.text,
      });
    } catch (error) {
      allOk = false;
      await print({ ...sourceOf(input), error: errorMessage(error) });
    }
  }
  return allOk;
}

/** `newsflow parse-feed FILE|URL …`: one JSON line per input with the feed's items, or its error. */
export async function parseFeedCommand(inputs: string[], config: Config, print: Print): Promise<boolean> {
  let allOk = true;
  for (const input of inputs) {
    try {
      const loaded = await loadInput(
        input,
        config.fetch,
        'application/rss+xml, application/atom+xml, application/feed+json, */*;q=0.5',
      );
      const feed = await parseFeed(
        decodeBytes(loaded.bytes, loaded.contentType).text,
        'url' in loaded.source ? loaded.baseUrl : undefined,
      );
      await print({ ...loaded.source, format: feed.format, title: feed.title, link: feed.link, items: feed.items });
    } catch (error) {
      allOk = false;
      await print({ ...sourceOf(input), format: null, title: null, link: null, items: [], error: errorMessage(error) });
    }
  }
  return allOk;
}

/**
 * `newsflow dedup`: JSON lines `{"id","text"}` on stdin; for each, `{"id","duplicateOf","similarity"}` against every
 * text read before, with the pipeline's paragraph algorithm and settings.
 */
export async function dedupCommand(input: NodeJS.ReadableStream, config: Config, print: Print): Promise<boolean> {
  const index = new MemoryDedupIndex(config.dedup);
  let lineNumber = 0;
  let allOk = true;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    let record: { id?: unknown; text?: unknown } | null;
    try {
      record = JSON.parse(line) as typeof record;
    } catch (error) {
      allOk = false;
      process.stderr.write(`newsflow dedup: line ${lineNumber}: not JSON (${errorMessage(error)}); skipped\n`);
      continue;
    }
    if (
      typeof record !== 'object' ||
      record === null ||
      (typeof record.id !== 'string' && typeof record.id !== 'number') ||
      typeof record.text !== 'string'
    ) {
      allOk = false;
      process.stderr.write(`newsflow dedup: line ${lineNumber}: expected {"id": string, "text": string}; skipped\n`);
      continue;
    }
    const match = index.addParagraphSync(String(record.id), 0, record.text);
    await print({
      id: record.id,
      duplicateOf: match ? (typeof record.id === 'number' ? Number(match.url) : match.url) : null,
      similarity: match?.similarity ?? null,
    });
  }
  return allOk;
}
