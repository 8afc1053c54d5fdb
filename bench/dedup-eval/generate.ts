/**
 * Builds the near-duplicate evaluation stream from real news (the ASB article bodies, MIT-licensed) with a fixed
 * seed: `pnpm -s tsx bench/dedup-eval/generate.ts > bench/dedup-eval/eval.jsonl` (then gzip). Each line is
 * `{"id","text","duplicateOf":id|null,"kind"}`, in the order a deduper would see them; `newsflow dedup` reads it
 * as is (it ignores the extra fields).
 *
 * - originals: every paragraph of every article, articles in a shuffled order. Paragraphs that already repeat an
 *   earlier one (exact word 3-shingle Jaccard or containment ≥ 0.3) are left out, so an original is truly new.
 *   Every original is a negative for everything before it: other paragraphs of its article, same-topic stories.
 * - reworded (positives): a paragraph of 20+ words rewritten as news copy does: synonyms substituted, a phrase
 *   inserted, a clause deleted, sentences reordered, a sentence appended (as in the seed). 1 to 3 edits.
 * - shares-sentence (hard negatives): a paragraph of another article with one sentence of an earlier paragraph
 *   inserted; the sentence is at most a third of either paragraph.
 * - seed: the seed article's two "mass protests have continued" paragraphs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeWords } from '@newsflow/dedup';
import { CORPORA_DIR } from '../corpus.ts';

export interface EvalItem {
  id: string;
  text: string;
  duplicateOf: string | null;
  kind: string;
}

const SEED = 20211128;
const REWORDED = 1400;
const SHARES_SENTENCE = 500;
const BASE_OVERLAP = 0.3;

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

const SYNONYMS: Record<string, string[]> = {
  said: ['stated', 'told reporters', 'noted'],
  says: ['states', 'notes'],
  told: ['informed'],
  president: ['leader', 'head of state'],
  government: ['administration', 'authorities'],
  people: ['citizens', 'residents'],
  more: ['over'],
  about: ['around', 'roughly'],
  big: ['large'],
  large: ['big', 'major'],
  important: ['key', 'significant'],
  began: ['started'],
  start: ['begin'],
  started: ['began'],
  help: ['assist', 'support'],
  buy: ['purchase'],
  show: ['demonstrate'],
  shows: ['demonstrates', 'indicates'],
  country: ['nation'],
  company: ['firm'],
  companies: ['firms'],
  also: ['additionally'],
  however: ['but'],
  many: ['numerous', 'several'],
  new: ['fresh'],
  recent: ['latest'],
  last: ['previous'],
  week: ['seven days'],
  officials: ['authorities'],
  plan: ['proposal'],
  plans: ['intends', 'proposals'],
  year: ['twelve months'],
  rigged: ['fraudulent'],
  consider: ['regard'],
  announced: ['declared', 'revealed'],
  expected: ['anticipated'],
  increase: ['rise'],
  decrease: ['fall', 'decline'],
  according: ['based'],
  while: ['whereas'],
  because: ['since', 'as'],
  before: ['prior to'],
  after: ['following'],
  during: ['throughout'],
  quickly: ['rapidly'],
  several: ['a number of'],
  major: ['big'],
  small: ['minor'],
  would: ['will'],
  could: ['might'],
  win: ['victory'],
  won: ['secured'],
  agreement: ['deal', 'accord'],
  deal: ['agreement'],
  market: ['markets'],
  price: ['cost'],
  prices: ['costs'],
};

interface Paragraph {
  article: number;
  index: number;
  text: string;
  words: string[];
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?]["”’]?)\s+(?=["“‘]?[A-Z0-9])/).filter((sentence) => sentence.trim());
}

function shingles(words: string[]): Set<string> {
  const set = new Set<string>();
  if (words.length < 3) set.add(words.join(' '));
  for (let i = 0; i + 3 <= words.length; i++) set.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return set;
}

/** Exact word 3-shingle similarity, the larger of Jaccard and containment (what the index estimates). */
export function exactSimilarity(a: string, b: string): number {
  const sa = shingles(normalizeWords(a));
  const sb = shingles(normalizeWords(b));
  let shared = 0;
  for (const shingle of sa) if (sb.has(shingle)) shared++;
  const jaccard = shared / (sa.size + sb.size - shared);
  return Math.max(jaccard, shared / Math.min(sa.size, sb.size));
}

export function generateEvaluation(): EvalItem[] {
  const next = random(SEED);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const shuffle = <T>(list: T[]): T[] => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };
  const truth = JSON.parse(readFileSync(join(CORPORA_DIR, 'extraction/asb/ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody: string }
  >;
  const articles = Object.keys(truth)
    .sort()
    .map((id) =>
      truth[id]!.articleBody.split(/\n+/)
        .map((line) => line.replace(/\s+/g, ' ').trim())
        .filter((line) => line),
    );
  // Articles in a shuffled order, paragraphs in their order.
  shuffle(articles);

  // Originals, without paragraphs that already repeat an earlier one.
  const base: Paragraph[] = [];
  const postings = new Map<string, number[]>();
  const baseShingles: Set<string>[] = [];
  articles.forEach((paragraphs, article) =>
    paragraphs.forEach((text, index) => {
      const words = normalizeWords(text);
      if (words.length === 0) return;
      const own = shingles(words);
      const shared = new Map<number, number>();
      for (const shingle of own)
        for (const other of postings.get(shingle) ?? []) shared.set(other, (shared.get(other) ?? 0) + 1);
      for (const [other, count] of shared) {
        const otherSize = baseShingles[other]!.size;
        const similarity = Math.max(count / (own.size + otherSize - count), count / Math.min(own.size, otherSize));
        if (similarity >= BASE_OVERLAP) return;
      }
      const position = base.length;
      base.push({ article, index, text, words });
      baseShingles.push(own);
      for (const shingle of own) postings.set(shingle, [...(postings.get(shingle) ?? []), position]);
    }),
  );

  const idOf = (paragraph: Paragraph) => `a${paragraph.article}-p${paragraph.index}`;
  const eligible = base.filter((paragraph) => paragraph.words.length >= 20);
  // Sentences to append come from paragraphs of several sentences: a one-sentence paragraph appended whole would
  // make the variant a copy of two originals.
  const otherSentences = base.flatMap((paragraph) => {
    const parts = sentences(paragraph.text);
    return parts.length < 2 ? [] : parts.map((sentence) => ({ article: paragraph.article, sentence }));
  });

  // Items to insert after their source: position in `base` → items.
  const insertions = new Map<number, EvalItem[]>();
  const insertAfter = (source: Paragraph, item: EvalItem) => {
    const sourcePosition = base.indexOf(source);
    const position = Math.min(base.length - 1, sourcePosition + Math.floor(next() * 400));
    insertions.set(position, [...(insertions.get(position) ?? []), item]);
  };

  const edits: Record<string, (text: string, source: Paragraph) => string | null> = {
    substitute: (text) => {
      const tokens = text.split(' ');
      const bare = (token: string) => token.toLowerCase().replace(/[^a-z]/g, '');
      const candidates = tokens
        .map((token, i) => (Object.hasOwn(SYNONYMS, bare(token)) ? i : -1))
        .filter((i) => i >= 0);
      if (candidates.length === 0) return null;
      const count = Math.max(1, Math.min(candidates.length, Math.round(tokens.length * 0.08)));
      for (const i of shuffle(candidates).slice(0, count)) {
        const token = tokens[i]!;
        const suffix = /[^A-Za-z]*$/.exec(token)![0];
        tokens[i] = pick(SYNONYMS[bare(token)]!) + suffix;
      }
      return tokens.join(' ');
    },
    insert: (text) => {
      const tokens = text.split(' ');
      const phrase = pick([
        'officials said',
        'according to local media',
        'on Monday',
        'as expected',
        'in a statement',
        'for the first time',
        'once again',
        'in recent weeks',
      ]);
      tokens.splice(1 + Math.floor(next() * (tokens.length - 1)), 0, phrase);
      return tokens.join(' ');
    },
    delete: (text) => {
      const clauses = text.split(/(?<=,)\s+/);
      if (clauses.length >= 3) {
        const i = 1 + Math.floor(next() * (clauses.length - 2));
        const removed = clauses[i]!.split(' ').length;
        if (removed <= text.split(' ').length * 0.2) return clauses.filter((_, j) => j !== i).join(' ');
      }
      const tokens = text.split(' ');
      const span = Math.max(2, Math.round(tokens.length * 0.1));
      const start = Math.floor(next() * (tokens.length - span));
      tokens.splice(start, span);
      return tokens.join(' ');
    },
    reorder: (text) => {
      const parts = sentences(text);
      if (parts.length < 2) return null;
      const i = Math.floor(next() * (parts.length - 1));
      [parts[i], parts[i + 1]] = [parts[i + 1]!, parts[i]!];
      return parts.join(' ');
    },
    append: (text, source) => {
      const limit = source.words.length;
      for (let attempt = 0; attempt < 20; attempt++) {
        const { article, sentence } = pick(otherSentences);
        if (article !== source.article && sentence.split(' ').length <= limit * 0.6) return `${text} ${sentence}`;
      }
      return null;
    },
  };
  const editNames = Object.keys(edits);

  // Hard negatives: another article's paragraph carrying one sentence of the source. The host paragraph leaves
  // the originals (the composite would be its near-copy otherwise).
  const hosts = new Set<Paragraph>();
  const sources = new Set<Paragraph>();
  let shares = 0;
  for (let attempt = 0; shares < SHARES_SENTENCE && attempt < SHARES_SENTENCE * 20; attempt++) {
    const source = pick(eligible);
    if (hosts.has(source)) continue;
    const sourceSentences = sentences(source.text);
    if (sourceSentences.length < 3) continue;
    const sentence = pick(sourceSentences);
    const host = pick(eligible);
    const hostSentences = sentences(host.text);
    if (host.article === source.article || hosts.has(host) || sources.has(host) || hostSentences.length < 2) continue;
    const sentenceWords = sentence.split(' ').length;
    if (sentenceWords > source.words.length / 3 || sentenceWords > (host.words.length + sentenceWords) / 3) continue;
    if (base.indexOf(host) <= base.indexOf(source)) continue;
    hosts.add(host);
    sources.add(source);
    hostSentences.splice(Math.floor(next() * (hostSentences.length + 1)), 0, sentence);
    insertAfter(source, {
      id: `n${shares}`,
      text: hostSentences.join(' '),
      duplicateOf: null,
      kind: 'shares-sentence',
    });
    shares++;
  }

  let reworded = 0;
  for (let attempt = 0; reworded < REWORDED && attempt < REWORDED * 5; attempt++) {
    const source = pick(eligible);
    if (hosts.has(source)) continue;
    const count = 1 + Math.floor(next() * 3);
    let text = source.text;
    const applied: string[] = [];
    // Edits apply in a fixed order, so an appended sentence stays the last one.
    const chosen = new Set(shuffle([...editNames]).slice(0, count));
    for (const name of editNames.filter((edit) => chosen.has(edit))) {
      const edited = edits[name]!(text, source);
      if (edited && edited !== text) {
        text = edited;
        applied.push(name);
      }
    }
    if (applied.length === 0) continue;
    insertAfter(source, { id: `v${reworded}`, text, duplicateOf: idOf(source), kind: `reworded:${applied.join('+')}` });
    reworded++;
  }

  const seed = readFileSync(new URL('../../services/cli/demo/seed-article.txt', import.meta.url), 'utf8').split('\n');
  const protest = seed.filter((line) => line.startsWith('In Belarus, mass protests'));
  const items: EvalItem[] = [{ id: 'seed-1', text: protest[0]!, duplicateOf: null, kind: 'seed' }];
  base.forEach((paragraph, position) => {
    if (!hosts.has(paragraph))
      items.push({ id: idOf(paragraph), text: paragraph.text, duplicateOf: null, kind: 'original' });
    items.push(...(insertions.get(position) ?? []));
    if (position === Math.floor(base.length / 2))
      items.push({ id: 'seed-2', text: protest[1]!, duplicateOf: 'seed-1', kind: 'seed' });
  });
  return items;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const item of generateEvaluation()) process.stdout.write(`${JSON.stringify(item)}\n`);
}
