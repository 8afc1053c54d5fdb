export { startScraper } from './main.ts';
export { scrapeArticle } from './handler.ts';
export type { ScrapeResult, ScraperDeps } from './handler.ts';
