/** Worker-thread side of the extraction pool (extraction-pool.ts): one page in, the article or the reason out. */
import type { ExtractRules } from '@newsflow/core';
import { PermanentError } from '@newsflow/core/errors';
import type { ArticleFingerprints, FingerprintSettings } from '@newsflow/dedup/fingerprint';
import { extractArticle, type Article } from './extract-article.ts';
import { fingerprintExtracted } from './fingerprint-extracted.ts';

export interface ExtractTask {
  html: string;
  url: string;
  rules?: ExtractRules;
  /** Also the deduper's fingerprints of the article's paragraphs, when the deduper runs in the same process. */
  fingerprint?: FingerprintSettings;
}

/** Errors cross the thread boundary as data: a structured clone keeps an Error's message but not its class or code. */
export type ExtractOutcome =
  | { ok: true; article: Article; fingerprints?: ArticleFingerprints }
  | { ok: false; message: string; code: string | null };

/** `null` is the pool's empty task (`whenThreadsLoaded`): it only proves the thread has loaded this module. */
export default function extractTask(task: ExtractTask | null): ExtractOutcome | null {
  if (task === null) return null;
  const { html, url, rules, fingerprint } = task;
  try {
    const article = extractArticle(html, url, rules);
    return fingerprint
      ? { ok: true, article, fingerprints: fingerprintExtracted(article, fingerprint) }
      : { ok: true, article };
  } catch (error) {
    return {
      ok: false,
      message: (error as Error).message,
      code: error instanceof PermanentError ? error.code : null,
    };
  }
}
