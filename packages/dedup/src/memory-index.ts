import { normalizeWords } from './normalize.ts';
import { BANDS, countEqual, fingerprintWords, similarity, type Fingerprint } from './fingerprint.ts';
import {
  roundSimilarity,
  type ArticleDedupResult,
  type DedupIndex,
  type DedupSettings,
  type ParagraphMatch,
} from './types.ts';

type MinhashFingerprint = Extract<Fingerprint, { kind: 'minhash' }>;

interface Entry {
  signature: Uint32Array;
  size: number;
  url: string;
  index: number;
}

/** LSH buckets and signatures in plain Maps: one process (CLI, tests). Entry ids are their insertion order. */
class SignatureIndex {
  private readonly buckets = new Map<number, number[]>();
  private readonly entries: Entry[] = [];

  /** The earliest entry with the highest similarity at or above `threshold`. */
  findBest(fingerprint: MinhashFingerprint, threshold: number): { entry: Entry; similarity: number } | null {
    const candidates = new Set<number>();
    for (let band = 0; band < BANDS; band++) {
      for (const id of this.buckets.get(bucketKey(band, fingerprint.buckets[band]!)) ?? []) candidates.add(id);
    }
    let best: { entry: Entry; similarity: number } | null = null;
    for (const id of [...candidates].sort((a, b) => a - b)) {
      const entry = this.entries[id]!;
      const value = similarity(countEqual(fingerprint.signature, entry.signature), fingerprint.size, entry.size);
      if (!best || value > best.similarity) best = { entry, similarity: value };
    }
    return best && best.similarity >= threshold ? best : null;
  }

  add(fingerprint: MinhashFingerprint, url: string, index: number): void {
    const id = this.entries.length;
    this.entries.push({ signature: fingerprint.signature, size: fingerprint.size, url, index });
    for (let band = 0; band < BANDS; band++) {
      const key = bucketKey(band, fingerprint.buckets[band]!);
      const ids = this.buckets.get(key);
      if (ids) ids.push(id);
      else this.buckets.set(key, [id]);
    }
  }
}

function bucketKey(band: number, bucket: number): number {
  return band * 0x1_0000_0000 + bucket;
}

export class MemoryDedupIndex implements DedupIndex {
  private readonly paragraphIndex = new SignatureIndex();
  private readonly articleIndex = new SignatureIndex();
  private readonly exact = new Map<string, { url: string; index: number }>();
  private readonly results = new Map<string, ArticleDedupResult>();

  constructor(private readonly settings: DedupSettings) {}

  async addArticle(url: string, paragraphs: string[]): Promise<ArticleDedupResult> {
    return this.addArticleSync(url, paragraphs);
  }

  addArticleSync(url: string, paragraphs: string[]): ArticleDedupResult {
    const cached = this.results.get(url);
    if (cached) return cached;
    const { minWords, articleThreshold } = this.settings;
    const words = paragraphs.map(normalizeWords);
    const matches = words.map((paragraphWords, index) => this.matchParagraph(paragraphWords, url, index));

    let duplicateOf: ArticleDedupResult['duplicateOf'] = null;
    const article = fingerprintWords(words.flat(), minWords);
    if (article.kind === 'minhash') {
      const best = this.articleIndex.findBest(article, articleThreshold);
      if (best) duplicateOf = { url: best.entry.url, similarity: roundSimilarity(best.similarity) };
      else this.articleIndex.add(article, url, 0);
    }
    const result = { paragraphs: matches, duplicateOf };
    this.results.set(url, result);
    return result;
  }

  /** Compares one text with every text added before it, then indexes it when it is an original. */
  addParagraphSync(url: string, index: number, text: string): ParagraphMatch | null {
    return this.matchParagraph(normalizeWords(text), url, index);
  }

  private matchParagraph(words: string[], url: string, index: number): ParagraphMatch | null {
    const fingerprint = fingerprintWords(words, this.settings.minWords);
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
        if (best) return { url: best.entry.url, index: best.entry.index, similarity: roundSimilarity(best.similarity) };
        this.paragraphIndex.add(fingerprint, url, index);
        return null;
      }
    }
  }
}
