import { normalizeWords } from './normalize.ts';
import {
  BUCKET_CAPACITY,
  chooseBanding,
  countEqual,
  fingerprintArticle,
  fingerprintWords,
  similarity,
  type Banding,
  type Fingerprint,
} from './fingerprint.ts';
import {
  roundSimilarity,
  type ArticleDedupResult,
  type DedupIndex,
  type DedupSettings,
  type ParagraphMatch,
} from './types.ts';

type MinhashFingerprint = Extract<Fingerprint, { kind: 'minhash' }>;

interface Entry {
  signature: Uint8Array;
  size: number;
  url: string;
  index: number;
}

interface Match {
  entry: Entry;
  jaccard: number;
  score: number;
}

/** LSH buckets and signatures in plain Maps: one process (CLI, tests). Entry ids are their insertion order. */
class SignatureIndex {
  /**
   * One map per band, keyed by the bucket's top 30 bits (small integers hash fast; a rare shared key only adds a
   * candidate). Most buckets hold one id, stored bare: an array per bucket would be millions of allocations.
   */
  private readonly buckets: Map<number, number | number[]>[];
  private readonly entries: Entry[] = [];
  /** Every id of a lookup's buckets: at most BUCKET_CAPACITY per band. */
  private readonly candidateBuffer: Uint32Array;

  constructor(private readonly banding: Banding) {
    this.buckets = Array.from({ length: banding.bands }, () => new Map());
    this.candidateBuffer = new Uint32Array(banding.bands * BUCKET_CAPACITY);
  }

  /**
   * Among candidates (entries sharing at least `minHits` buckets) at or above `threshold`, the one with the highest
   * Jaccard; ties go to the earliest.
   */
  findBest(fingerprint: MinhashFingerprint, threshold: number): Match | null {
    let count = 0;
    for (let band = 0; band < this.banding.bands; band++) {
      const ids = this.buckets[band]!.get(fingerprint.buckets[band]! >>> 2);
      if (ids === undefined) continue;
      if (typeof ids === 'number') this.candidateBuffer[count++] = ids;
      else for (const id of ids) this.candidateBuffer[count++] = id;
    }
    if (count === 0) return null;
    // A typed array sorts numerically in native code: ids in order, each one's hits side by side.
    const candidates = this.candidateBuffer.subarray(0, count).sort();
    let best: Match | null = null;
    for (let i = 0, hits: number; i < candidates.length; i += hits) {
      const id = candidates[i]!;
      hits = 1;
      while (candidates[i + hits] === id) hits++;
      if (hits < this.banding.minHits) continue;
      const entry = this.entries[id]!;
      const { jaccard, score } = similarity(
        countEqual(fingerprint.signature, entry.signature),
        fingerprint.size,
        entry.size,
      );
      if (score >= threshold && (!best || jaccard > best.jaccard)) best = { entry, jaccard, score };
    }
    return best;
  }

  add(fingerprint: MinhashFingerprint, url: string, index: number): void {
    const id = this.entries.length;
    this.entries.push({ signature: fingerprint.signature, size: fingerprint.size, url, index });
    for (let band = 0; band < this.banding.bands; band++) {
      const key = fingerprint.buckets[band]! >>> 2;
      const bucket = this.buckets[band]!;
      const ids = bucket.get(key);
      if (ids === undefined) bucket.set(key, id);
      else if (typeof ids === 'number') bucket.set(key, [ids, id]);
      else if (ids.length < BUCKET_CAPACITY) ids.push(id);
    }
  }
}

/** The index of `newsflow dedup` and the tests: same decisions as the Redis index, without retention. */
export class MemoryDedupIndex implements DedupIndex {
  private readonly paragraphBanding: Banding;
  private readonly articleBanding: Banding;
  private readonly paragraphIndex: SignatureIndex;
  private readonly articleIndex: SignatureIndex;
  private readonly exact = new Map<string, { url: string; index: number }>();
  private readonly results = new Map<string, ArticleDedupResult>();

  constructor(private readonly settings: Omit<DedupSettings, 'retentionMs'>) {
    this.paragraphBanding = settings.paragraphBanding ?? chooseBanding(settings.paragraphThreshold);
    this.articleBanding = chooseBanding(settings.articleThreshold);
    this.paragraphIndex = new SignatureIndex(this.paragraphBanding);
    this.articleIndex = new SignatureIndex(this.articleBanding);
  }

  async addArticle(url: string, paragraphs: string[]): Promise<ArticleDedupResult> {
    return this.addArticleSync(url, paragraphs);
  }

  addArticleSync(url: string, paragraphs: string[]): ArticleDedupResult {
    const cached = this.results.get(url);
    if (cached) return cached;
    // The fingerprints the Redis index gets: one place decides how an article is fingerprinted.
    const fingerprints = fingerprintArticle(paragraphs, {
      minWords: this.settings.minWords,
      paragraphBanding: this.paragraphBanding,
      articleBanding: this.articleBanding,
    });
    const matches = fingerprints.paragraphs.map((fingerprint, index) => this.matchParagraph(fingerprint, url, index));

    let duplicateOf: ArticleDedupResult['duplicateOf'] = null;
    const { article } = fingerprints;
    if (article.kind === 'minhash') {
      const best = this.articleIndex.findBest(article, this.settings.articleThreshold);
      if (best) duplicateOf = { url: best.entry.url, similarity: roundSimilarity(best.score) };
      else this.articleIndex.add(article, url, 0);
    }
    const result = { paragraphs: matches, duplicateOf };
    this.results.set(url, result);
    return result;
  }

  /** Compares one text with every text added before it, then indexes it when it is an original. */
  addParagraphSync(url: string, index: number, text: string): ParagraphMatch | null {
    return this.matchParagraph(
      fingerprintWords(normalizeWords(text), this.settings.minWords, this.paragraphBanding),
      url,
      index,
    );
  }

  private matchParagraph(fingerprint: Fingerprint, url: string, index: number): ParagraphMatch | null {
    switch (fingerprint.kind) {
      case 'empty':
        return null;
      case 'exact': {
        const original = this.exact.get(fingerprint.hash);
        if (original) return { ...original, similarity: 1 };
        this.exact.set(fingerprint.hash, { url, index });
        return null;
      }
      case 'minhash': {
        const best = this.paragraphIndex.findBest(fingerprint, this.settings.paragraphThreshold);
        if (best) return { url: best.entry.url, index: best.entry.index, similarity: roundSimilarity(best.score) };
        this.paragraphIndex.add(fingerprint, url, index);
        return null;
      }
    }
  }
}
