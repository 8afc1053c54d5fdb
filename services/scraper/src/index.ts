export { startScraper } from './main.ts';
export { scrapeArticle } from './handler.ts';
export type { InProcessStages, ScrapeResult, ScraperDeps } from './handler.ts';
