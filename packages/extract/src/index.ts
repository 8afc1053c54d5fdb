export { extractArticle } from './extract-article.ts';
export { createExtractionPool } from './extraction-pool.ts';
export type { ExtractionPool, ExtractionPoolOptions } from './extraction-pool.ts';
export type { Article, ExtractedParagraph, ExtractOptions } from './extract-article.ts';
export type { ArticleMetadata } from './metadata.ts';
export { removeAdPlaceholders } from './clean-text.ts';
export { detectLanguage } from './detect-language.ts';
