/** Worker-thread side of the extraction pool (extraction-pool.ts): one page in, the article or the reason out. */
import { PermanentError, type ExtractRules } from '@newsflow/core';
import { extractArticle, type Article } from './extract-article.ts';

export interface ExtractTask {
  html: string;
  url: string;
  rules?: ExtractRules;
}

/** Errors cross the thread boundary as data: a structured clone keeps an Error's message but not its class or code. */
export type ExtractOutcome = { ok: true; article: Article } | { ok: false; message: string; code: string | null };

export default function extractTask({ html, url, rules }: ExtractTask): ExtractOutcome {
  try {
    return { ok: true, article: extractArticle(html, url, rules) };
  } catch (error) {
    return {
      ok: false,
      message: (error as Error).message,
      code: error instanceof PermanentError ? error.code : null,
    };
  }
}
