import { z } from 'zod';
import { cleanText } from './storable-text.ts';

export const paragraphDuplicate = z.object({
  url: z.string(),
  index: z.number().int().min(0),
  similarity: z.number(),
});

export const articleDuplicate = z.object({
  url: z.string(),
  similarity: z.number(),
});

export const storedParagraph = z.object({
  text: z.string(),
  duplicateOf: paragraphDuplicate.nullable(),
});

/** An article as it travels from the scraper through the deduper to storage (the export record minus `text`). */
export const articleRecord = z.object({
  url: z.string(),
  feedUrl: z.string(),
  title: z.string(),
  author: z.string().nullable(),
  publishedAt: z.string().nullable(),
  language: z.string().nullable(),
  siteName: z.string().nullable(),
  fetchedAt: z.string(),
  // Defaults: bodies written by an older scraper, still waiting in Redis, parse as well.
  modifiedAt: z.string().nullable().default(null),
  canonicalUrl: z.string().nullable().default(null),
  image: z.string().nullable().default(null),
  feedName: z.string().nullable().default(null),
  tags: z.array(z.string()).default([]),
  paragraphs: z.array(storedParagraph),
  duplicateOf: articleDuplicate.nullable(),
});

export type ParagraphDuplicate = z.infer<typeof paragraphDuplicate>;
export type ArticleDuplicate = z.infer<typeof articleDuplicate>;
export type StoredParagraph = z.infer<typeof storedParagraph>;
export type ArticleRecord = z.output<typeof articleRecord>;
export type ExportRecord = Omit<ArticleRecord, 'paragraphs' | 'duplicateOf'> & {
  text: string;
  paragraphs: StoredParagraph[];
  duplicateOf: ArticleDuplicate | null;
};

/**
 * The readable text of an article: its paragraphs joined, leaving out those that repeat an earlier paragraph of the
 * same article (repeats of other articles stay: they are part of this story as published).
 */
export function articleText(url: string, paragraphs: StoredParagraph[]): string {
  return paragraphs
    .filter((paragraph) => paragraph.duplicateOf?.url !== url)
    .map((paragraph) => paragraph.text)
    .join('\n\n');
}

function cleanNullable(text: string | null): string | null {
  return text === null ? null : cleanText(text);
}

/** The article with every text field cleaned of characters a database refuses or mangles. */
export function cleanArticle(article: ArticleRecord): ArticleRecord {
  return {
    ...article,
    title: cleanText(article.title),
    author: cleanNullable(article.author),
    siteName: cleanNullable(article.siteName),
    paragraphs: article.paragraphs.map((paragraph) => ({ ...paragraph, text: cleanText(paragraph.text) })),
  };
}
