/**
 * The near-duplicate evaluation stream, made without the code under test: real paragraphs from WCXB's article bodies
 * (a corpus the extractor and the deduper were not tuned on), rewordings made with WordNet (Debian's wordnet-base)
 * and simple edits, and hard negatives chosen by TF-IDF. Nothing here imports @newsflow/dedup: its tokenizer,
 * normalizer and thresholds never shape the data that scores them.
 *
 * `generateEvaluation()` is deterministic (fixed seed): a test checks that bench/dedup-eval/eval.jsonl.gz is what it
 * makes, and `pnpm bench dedup --regenerate` rewrites that file.
 *
 * Each item: `{"id","text","duplicateOf":id|null,"kind","half"}` in the order a deduper sees them.
 * - original: paragraphs of 25–120 words, up to 6 per article, articles in a shuffled order; a paragraph that
 *   already resembles an earlier one (TF-IDF cosine ≥ 0.5, or the same words) is left out, so an original is new.
 *   `neighbour`/`neighbourSimilarity` name its nearest earlier original of another article (TF-IDF cosine): the
 *   same-topic paragraph that is not a duplicate, the hard negative.
 * - reworded:synonyms — 10–30 % of the words replaced by a WordNet synonym of their most common sense;
 *   reworded:clause — a clause inserted or deleted; reworded:appended — a sentence of another article appended;
 *   reworded:reorder — sentences reordered; reworded:mixed — synonyms (10–20 %), a clause and an appended
 *   sentence, as in the seed's pair. Each comes after its original, at a random later place.
 * - shares-sentence: a paragraph of another article with one sentence of an earlier original added, the sentence
 *   at most a third of either paragraph: not a duplicate.
 * - seed: the seed article's two "mass protests have continued" paragraphs (a positive).
 * Articles fall in one of two fixed halves (`half`, by article id): choose settings on A, report on B.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPORA_DIR, halfOf } from '../corpus.ts';

export interface EvalItem {
  id: string;
  text: string;
  duplicateOf: string | null;
  kind: string;
  half: 'A' | 'B';
  /** For originals: the nearest earlier original of another article, and its TF-IDF cosine. */
  neighbour?: string;
  neighbourSimilarity?: number;
}

export const WORDNET_DIR = process.env.WORDNET_DIR ?? '/usr/share/wordnet';
export const HAVE_WORDNET = existsSync(join(WORDNET_DIR, 'index.noun'));

const SEED = 20261202;
const PER_ARTICLE = 6;
const REWORDED_SHARE = 0.3;
const SHARES_SENTENCE_SHARE = 0.15;
const KINDS = ['synonyms', 'clause', 'appended', 'reorder', 'mixed'] as const;
/** An original this close (TF-IDF cosine) to an earlier one is a natural repeat, left out of the stream. */
const RESEMBLING = 0.5;

/** mulberry32: a small, fast, seedable PRNG. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STOPWORDS = new Set(
  'the a an and or but if of to in on at by for with from as is are was were be been being it its this that these those he she they we you i his her their our your not no so than then there here which who whom whose what when where why how all any each more most other some such only own same too very can will just should now also into over under about after before between through during out up down off again further once do does did has have had having would could may might must shall'.split(
    ' ',
  ),
);

/**
 * Single-word synonyms of each word's most common sense, from WordNet's index (senses in frequency order) and data
 * files. Multi-word lemmas and the word itself are left out.
 */
function loadSynonyms(): Map<string, string[]> {
  const synonyms = new Map<string, string[]>();
  for (const pos of ['noun', 'verb', 'adj', 'adv']) {
    const data = readFileSync(join(WORDNET_DIR, `data.${pos}`), 'latin1');
    const synsets = new Map<string, string[]>();
    for (const line of data.split('\n')) {
      if (!line || line.startsWith('  ')) continue;
      const fields = line.split(' ');
      const count = parseInt(fields[3]!, 16);
      const words: string[] = [];
      for (let i = 0; i < count; i++) words.push(fields[4 + i * 2]!.replace(/\(.*\)$/, '').toLowerCase());
      synsets.set(fields[0]!, words);
    }
    for (const line of readFileSync(join(WORDNET_DIR, `index.${pos}`), 'latin1').split('\n')) {
      if (!line || line.startsWith('  ')) continue;
      const fields = line.trim().split(' ');
      const lemma = fields[0]!;
      if (lemma.includes('_') || synonyms.has(lemma)) continue;
      const pointerCount = Number(fields[3]);
      const firstSense = fields[4 + pointerCount + 2];
      const words = (firstSense ? synsets.get(firstSense) : undefined) ?? [];
      const others = words.filter((word) => word !== lemma && !word.includes('_') && /^[a-z]+$/.test(word));
      if (others.length > 0) synonyms.set(lemma, others);
    }
  }
  return synonyms;
}

const CLAUSES = [
  'according to officials',
  'as reported earlier this week',
  'in a statement on Monday',
  'people familiar with the matter said',
  'at least for now',
  'as expected',
  'according to the latest figures',
  'in recent months',
  'by most accounts',
  'as of this writing',
  'despite earlier objections',
  'for the first time in years',
];

const words = (text: string) => text.toLowerCase().match(/\p{L}+/gu) ?? [];
const sentences = (text: string) =>
  text.match(/[^.!?]+[.!?]+(?:["”’)]+)?(?:\s+|$)|[^.!?]+$/g)?.map((s) => s.trim()) ?? [text];

class Rewriter {
  constructor(
    private readonly next: () => number,
    private readonly synonyms: Map<string, string[]>,
  ) {}

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  /** Replaces `fraction` of the words (as many as have synonyms, at most) with a synonym, keeping capitals. */
  substitute(text: string, fraction: number): string {
    const tokens = [...text.matchAll(/\p{L}+/gu)];
    const candidates = tokens.filter(
      (token) =>
        token[0].length >= 3 && !STOPWORDS.has(token[0].toLowerCase()) && this.synonyms.has(token[0].toLowerCase()),
    );
    const wanted = Math.max(1, Math.round(tokens.length * fraction));
    const chosen = new Set<number>();
    while (chosen.size < Math.min(wanted, candidates.length)) chosen.add(Math.floor(this.next() * candidates.length));
    const replacements = new Map<number, string>();
    for (const index of chosen) {
      const token = candidates[index]!;
      let synonym = this.pick(this.synonyms.get(token[0].toLowerCase())!);
      if (/^\p{Lu}/u.test(token[0])) synonym = synonym[0]!.toUpperCase() + synonym.slice(1);
      replacements.set(token.index, synonym);
    }
    return text.replace(/\p{L}+/gu, (word, offset: number) => replacements.get(offset) ?? word);
  }

  /** Inserts a stock clause after a comma (or before the end), or deletes a clause between commas. */
  clause(text: string): string {
    const commas = [...text.matchAll(/, [^,]{8,80}, /g)];
    if (commas.length > 0 && this.next() < 0.5) {
      const clause = this.pick(commas);
      return text.slice(0, clause.index) + ', ' + text.slice(clause.index + clause[0].length);
    }
    const phrase = this.pick(CLAUSES);
    const comma = text.indexOf(', ');
    if (comma > 0) return `${text.slice(0, comma)}, ${phrase}${text.slice(comma)}`;
    return text.replace(/([.!?]?)\s*$/, `, ${phrase}$1`);
  }

  reorder(text: string): string | null {
    const parts = sentences(text);
    if (parts.length < 2) return null;
    const shuffled = [...parts];
    for (let attempt = 0; attempt < 5 && shuffled.join(' ') === parts.join(' '); attempt++) {
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(this.next() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
    }
    return shuffled.join(' ');
  }
}

interface Source {
  article: string;
  text: string;
  half: 'A' | 'B';
}

/**
 * Paragraphs by article, shuffled: the first few of each article are the stream's originals; the rest are spares,
 * which never enter the stream themselves and give appended sentences and shares-sentence hosts (a sentence taken
 * from a paragraph that is in the stream would make the edited one a true repeat of it).
 */
function loadParagraphs(next: () => number): { sources: Source[]; spares: Source[] } {
  const truth = JSON.parse(readFileSync(join(CORPORA_DIR, 'extraction/wcxb-dev/ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody: string | null }
  >;
  const articles = Object.keys(truth).sort();
  for (let i = articles.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [articles[i], articles[j]] = [articles[j]!, articles[i]!];
  }
  const sources: Source[] = [];
  const spares: Source[] = [];
  for (const article of articles) {
    const paragraphs = (truth[article]!.articleBody ?? '')
      .split(/\n+/)
      .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
      .filter((paragraph) => {
        const count = paragraph.split(' ').length;
        return count >= 25 && count <= 120 && /[.!?]["”’)]?$/.test(paragraph);
      });
    for (const text of paragraphs.slice(0, PER_ARTICLE)) sources.push({ article, text, half: halfOf(article) });
    for (const text of paragraphs.slice(PER_ARTICLE)) spares.push({ article, text, half: halfOf(article) });
  }
  return { sources, spares };
}

/** TF-IDF vectors over a half's paragraphs, with an inverted index for nearest neighbours among earlier ones. */
class TfIdf {
  private readonly documentFrequency = new Map<string, number>();
  private readonly postings = new Map<string, { id: number; weight: number }[]>();
  private vectors: Map<string, number>[] = [];

  constructor(texts: string[]) {
    for (const text of texts)
      for (const word of new Set(words(text)))
        this.documentFrequency.set(word, (this.documentFrequency.get(word) ?? 0) + 1);
    this.vectors = texts.map((text) => this.vector(text, texts.length));
  }

  private vector(text: string, total: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const word of words(text)) if (!STOPWORDS.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [word, count] of counts) {
      const weight = (1 + Math.log(count)) * Math.log(1 + total / (this.documentFrequency.get(word) ?? 1));
      vector.set(word, weight);
      norm += weight * weight;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [word, weight] of vector) vector.set(word, weight / norm);
    return vector;
  }

  /** The most similar paragraph added so far for which `accept` holds, and the cosine. */
  nearest(id: number, accept: (other: number) => boolean): { id: number; similarity: number } | null {
    const scores = new Map<number, number>();
    for (const [word, weight] of this.vectors[id]!)
      for (const posting of this.postings.get(word) ?? [])
        scores.set(posting.id, (scores.get(posting.id) ?? 0) + weight * posting.weight);
    let best: { id: number; similarity: number } | null = null;
    for (const [other, similarity] of scores)
      if (accept(other) && (!best || similarity > best.similarity)) best = { id: other, similarity };
    return best;
  }

  add(id: number): void {
    for (const [word, weight] of this.vectors[id]!) {
      const list = this.postings.get(word) ?? [];
      list.push({ id, weight });
      this.postings.set(word, list);
    }
  }
}

export function generateEvaluation(): EvalItem[] {
  const next = random(SEED);
  const rewriter = new Rewriter(next, loadSynonyms());
  const { sources, spares } = loadParagraphs(next);
  const items: EvalItem[] = [];
  for (const half of ['A', 'B'] as const) {
    const inHalf = (source: Source) => source.half === half;
    items.push(...generateHalf(sources.filter(inHalf), spares.filter(inHalf), half, next, rewriter));
  }
  const seed = readFileSync(new URL('../../services/cli/demo/seed-article.txt', import.meta.url), 'utf8').split('\n');
  const protest = seed.filter((line) => line.startsWith('In Belarus, mass protests'));
  items.push({ id: 'seed-1', text: protest[0]!, duplicateOf: null, kind: 'seed', half: 'A' });
  items.push({ id: 'seed-2', text: protest[1]!, duplicateOf: 'seed-1', kind: 'seed', half: 'A' });
  return items;
}

function generateHalf(
  sources: Source[],
  spares: Source[],
  half: 'A' | 'B',
  next: () => number,
  rewriter: Rewriter,
): EvalItem[] {
  const tfidf = new TfIdf(sources.map((source) => source.text));
  const stream: EvalItem[] = [];
  const originals: { index: number; item: EvalItem }[] = [];
  const seenWords = new Set<string>();
  // Items to place later in the stream: [position in the original order at which they become due, item].
  const pending: [number, EvalItem][] = [];
  for (const [index, source] of sources.entries()) {
    const key = words(source.text).join(' ');
    const resembling = tfidf.nearest(index, () => true);
    if (seenWords.has(key) || (resembling && resembling.similarity >= RESEMBLING)) continue;
    seenWords.add(key);
    const neighbour = tfidf.nearest(index, (other) => sources[other]!.article !== source.article);
    tfidf.add(index);
    const id = `${half}-${originals.length}`;
    const item: EvalItem = { id, text: source.text, duplicateOf: null, kind: 'original', half };
    if (neighbour) {
      item.neighbour = originals.find((entry) => entry.index === neighbour.id)!.item.id;
      item.neighbourSimilarity = Math.round(neighbour.similarity * 1000) / 1000;
    }
    originals.push({ index, item });
    stream.push(item);
    const due = originals.length + 1 + Math.floor(next() * 60);
    if (next() < REWORDED_SHARE) {
      const variant = reword(item, spares, source.article, next, rewriter);
      if (variant) pending.push([due, variant]);
    } else if (next() < SHARES_SENTENCE_SHARE / (1 - REWORDED_SHARE) && originals.length > 1) {
      const host = spares[Math.floor(next() * spares.length)]!;
      const shared = rewriter.pick(sentences(source.text));
      // One sentence, at most a third of either paragraph: the rest of both differs.
      const third = (text: string) => words(shared).length * 3 <= words(text).length;
      if (host.article !== source.article && third(host.text) && third(source.text)) {
        pending.push([
          due,
          { id: `${id}-shares`, text: `${host.text} ${shared}`, duplicateOf: null, kind: 'shares-sentence', half },
        ]);
      }
    }
    for (let i = pending.length - 1; i >= 0; i--)
      if (pending[i]![0] <= originals.length) stream.push(pending.splice(i, 1)[0]![1]);
  }
  for (const [, item] of pending) stream.push(item);
  return stream;
}

function reword(
  original: EvalItem,
  spares: Source[],
  article: string,
  next: () => number,
  rewriter: Rewriter,
): EvalItem | null {
  const kind = rewriter.pick(KINDS);
  const otherSentence = () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const other = spares[Math.floor(next() * spares.length)]!;
      if (other.article !== article) return rewriter.pick(sentences(other.text));
    }
    return 'The company did not respond to a request for comment.';
  };
  let text: string | null;
  switch (kind) {
    case 'synonyms':
      text = rewriter.substitute(original.text, 0.1 + next() * 0.2);
      break;
    case 'clause':
      text = rewriter.clause(original.text);
      break;
    case 'appended':
      text = `${original.text} ${otherSentence()}`;
      break;
    case 'reorder':
      text = rewriter.reorder(original.text);
      break;
    case 'mixed':
      text = `${rewriter.clause(rewriter.substitute(original.text, 0.1 + next() * 0.1))} ${otherSentence()}`;
      break;
  }
  if (!text || text === original.text) return null;
  return {
    id: `${original.id}-${kind}`,
    text,
    duplicateOf: original.id,
    kind: `reworded:${kind}`,
    half: original.half,
  };
}
