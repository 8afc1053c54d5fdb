import { cleanText } from '@newsflow/core/storable-text';
import { fingerprintArticle, type ArticleFingerprints, type FingerprintSettings } from '@newsflow/dedup/fingerprint';
import type { Article } from './extract-article.ts';

/**
 * The deduper's fingerprints of an extracted article, computed where it was extracted (an extraction thread) rather
 * than on the deduper's event loop. The texts are cleaned as the stored article's are, so the fingerprints are those
 * the deduper would compute from it.
 */
export function fingerprintExtracted(article: Article, settings: FingerprintSettings): ArticleFingerprints {
  return fingerprintArticle(
    article.paragraphs.map((paragraph) => cleanText(paragraph.text)),
    settings,
  );
}
