/** Worker-thread side of the fingerprint pool (fingerprint-pool.ts): an article's paragraphs in, fingerprints out. */
import { fingerprintArticle, type ArticleFingerprints, type FingerprintSettings } from './fingerprint.ts';

export interface FingerprintTask {
  paragraphs: string[];
  settings: FingerprintSettings;
}

/** `null` is the pool's empty task (`whenThreadsLoaded`): it only proves the thread has loaded this module. */
export default function fingerprintTask(task: FingerprintTask | null): ArticleFingerprints | null {
  return task === null ? null : fingerprintArticle(task.paragraphs, task.settings);
}
