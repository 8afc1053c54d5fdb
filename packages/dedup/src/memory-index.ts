import { BucketTable } from './bucket-table.ts';
import { normalizeWords } from './normalize.ts';
import {
  BUCKET_CAPACITY,
  countEqual,
  fingerprintArticle,
  fingerprintSettingsOf,
  fingerprintWords,
  similarity,
  type ArticleFingerprints,
  type Banding,
  type Fingerprint,
  type FingerprintSettings,
} from './fingerprint.ts';
import {
  checkFingerprints,
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

/** A lookup's hits on one entry, at most one per band, fit in 5 bits: up to 31 bands (chooseBanding takes 24). */
const HIT_BITS = 5;
const HIT_MASK = (1 << HIT_BITS) - 1;

interface Match {
  entry: Entry;
  jaccard: number;
  score: number;
}

/** LSH buckets and signatures of one process (CLI, tests). Entry ids are their insertion order. */
class SignatureIndex {
  private readonly buckets: BucketTable[];
  private readonly entries: Entry[] = [];
  /** The ids of one bucket. */
  private readonly candidateBuffer = new Uint32Array(BUCKET_CAPACITY);
  /**
   * Per entry, the lookup that last counted it and its hits in it, as lookup × 32 + hits: counting in place takes
   * one pass over the candidates (sorting them took most of a lookup), and one number per entry is one memory
   * access per candidate.
   */
  private marks = new Uint32Array(1024);
  private lookup = 0;

  constructor(private readonly banding: Banding) {
    if (banding.bands > HIT_MASK) throw new RangeError(`at most ${HIT_MASK} bands (got ${banding.bands})`);
    this.buckets = Array.from({ length: banding.bands }, () => new BucketTable(BUCKET_CAPACITY));
  }

  /**
   * Among candidates (entries sharing at least `minHits` buckets) at or above `threshold`, the one with the highest
   * Jaccard; ties go to the earliest. A candidate is verified as soon as its hits reach `minHits`, band by band, and
   * an exact copy (every signature byte equal: nothing can compare higher) ends the search, as in redis-index.lua.
   */
  findBest(fingerprint: MinhashFingerprint, threshold: number): Match | null {
    const lookup = this.nextLookup();
    let best: Match | null = null;
    let bestId = 0;
    for (let band = 0; band < this.banding.bands; band++) {
      const count = this.buckets[band]!.collect(fingerprint.buckets[band]!, this.candidateBuffer, 0);
      for (let i = 0; i < count; i++) {
        const id = this.candidateBuffer[i]!;
        const mark = this.marks[id]! >>> HIT_BITS === lookup ? this.marks[id]! + 1 : lookup * (1 << HIT_BITS) + 1;
        this.marks[id] = mark;
        if ((mark & HIT_MASK) !== this.banding.minHits) continue;
        const entry = this.entries[id]!;
        const { jaccard, score } = similarity(
          countEqual(fingerprint.signature, entry.signature),
          fingerprint.size,
          entry.size,
        );
        if (score < threshold) continue;
        if (!best || jaccard > best.jaccard || (jaccard === best.jaccard && id < bestId)) {
          best = { entry, jaccard, score };
          bestId = id;
          if (jaccard >= 1) return best;
        }
      }
    }
    return best;
  }

  private nextLookup(): number {
    this.lookup++;
    if (this.lookup === 2 ** (32 - HIT_BITS)) {
      // Wrapped: forget every mark so an old one cannot pass for this lookup's.
      this.marks.fill(0);
      this.lookup = 1;
    }
    return this.lookup;
  }

  add(fingerprint: MinhashFingerprint, url: string, index: number): void {
    const id = this.entries.length;
    this.entries.push({ signature: fingerprint.signature, size: fingerprint.size, url, index });
    if (id === this.marks.length) {
      const marks = new Uint32Array(id * 2);
      marks.set(this.marks);
      this.marks = marks;
    }
    for (let band = 0; band < this.banding.bands; band++) this.buckets[band]!.add(fingerprint.buckets[band]!, id);
  }
}

/** The index of `newsflow dedup` and the tests: same decisions as the Redis index, without retention. */
export class MemoryDedupIndex implements DedupIndex {
  readonly fingerprintSettings: FingerprintSettings;
  private readonly paragraphIndex: SignatureIndex;
  private readonly articleIndex: SignatureIndex;
  private readonly exact = new Map<string, { url: string; index: number }>();
  private readonly results = new Map<string, ArticleDedupResult>();

  constructor(private readonly settings: Omit<DedupSettings, 'retentionMs'>) {
    this.fingerprintSettings = fingerprintSettingsOf(settings);
    this.paragraphIndex = new SignatureIndex(this.fingerprintSettings.paragraphBanding);
    this.articleIndex = new SignatureIndex(this.fingerprintSettings.articleBanding);
  }

  async addArticle(url: string, paragraphs: string[], fingerprints?: ArticleFingerprints): Promise<ArticleDedupResult> {
    return this.addArticleSync(url, paragraphs, fingerprints);
  }

  addArticleSync(url: string, paragraphs: string[], given?: ArticleFingerprints): ArticleDedupResult {
    const cached = this.results.get(url);
    if (cached) return cached;
    // The fingerprints the Redis index gets: one place decides how an article is fingerprinted.
    const fingerprints = given ?? fingerprintArticle(paragraphs, this.fingerprintSettings);
    checkFingerprints(fingerprints, paragraphs);
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
      fingerprintWords(normalizeWords(text), this.settings.minWords, this.fingerprintSettings.paragraphBanding),
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
