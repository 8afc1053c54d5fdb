import { z } from 'zod';

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
  paragraphs: z.array(storedParagraph),
  duplicateOf: articleDuplicate.nullable(),
});

export type ParagraphDuplicate = z.infer<typeof paragraphDuplicate>;
export type ArticleDuplicate = z.infer<typeof articleDuplicate>;
export type StoredParagraph = z.infer<typeof storedParagraph>;
export type ArticleRecord = z.infer<typeof articleRecord>;
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
