/** Worker-thread side of the fingerprint pool (fingerprint-pool.ts): an article's paragraphs in, fingerprints out. */
import { fingerprintArticle, type ArticleFingerprints, type FingerprintSettings } from './fingerprint.ts';

export interface FingerprintTask {
  paragraphs: string[];
  settings: FingerprintSettings;
}

export default function fingerprintTask({ paragraphs, settings }: FingerprintTask): ArticleFingerprints {
  return fingerprintArticle(paragraphs, settings);
}
