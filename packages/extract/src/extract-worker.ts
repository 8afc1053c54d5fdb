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

/** `null` is the pool's empty task (`whenThreadsLoaded`): it only proves the thread has loaded this module. */
export default function extractTask(task: ExtractTask | null): ExtractOutcome | null {
  if (task === null) return null;
  const { html, url, rules } = task;
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
