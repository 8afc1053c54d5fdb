export { extractArticle } from './extract-article.ts';
export type { Article, ExtractedParagraph } from './extract-article.ts';
export type { ArticleMetadata } from './metadata.ts';
export { removeAdPlaceholders } from './clean-text.ts';
