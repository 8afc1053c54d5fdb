import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@newsflow/core';
import { generateEvaluation, HAVE_WORDNET, type EvalItem } from '../../../bench/dedup-eval/generate.ts';
import { evaluate } from '../../../bench/dedup-eval/evaluate.ts';
import { HAVE_CORPORA } from '../../../test/helpers.ts';

const EVAL_FILE = new URL('../../../bench/dedup-eval/eval.jsonl.gz', import.meta.url);
const items = gunzipSync(readFileSync(EVAL_FILE))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as EvalItem);
// The configured defaults: what the pipeline and `newsflow dedup` decide with.
const SETTINGS = parseConfig('').dedup;

describe('near-duplicate evaluation stream (bench/dedup-eval: WCXB paragraphs, WordNet rewordings)', () => {
  it('meets the targets on the held-out half B at the default threshold (chosen on half A)', () => {
    const score = evaluate(
      items.filter((item) => item.half === 'B'),
      SETTINGS,
    );
    expect(score.precision).toBeGreaterThanOrEqual(0.995);
    expect(score.recall).toBeGreaterThanOrEqual(0.98);
    expect(score.pointerAccuracy).toBeGreaterThanOrEqual(0.99);
    // The targets for the two hardest kinds of rewording.
    for (const kind of ['reworded:synonyms', 'reworded:mixed'])
      expect(score.byKind[kind]!.flagged / score.byKind[kind]!.items, kind).toBeGreaterThanOrEqual(0.98);
    expect(score.hardNegatives.flagged / score.hardNegatives.items).toBeLessThanOrEqual(0.003);
    expect(score.byKind['shares-sentence']!.flagged).toBe(0);
  });

  it('flags the seed pair', () => {
    expect(evaluate(items, SETTINGS).seedPairFlagged).toBe(true);
  });

  it('holds rewordings of every kind and hard negatives in both halves', () => {
    for (const half of ['A', 'B']) {
      const inHalf = items.filter((item) => item.half === half);
      for (const kind of ['synonyms', 'clause', 'appended', 'reorder', 'mixed'])
        expect(inHalf.filter((item) => item.kind === `reworded:${kind}`).length, `${half} ${kind}`).toBeGreaterThan(80);
      expect(inHalf.filter((item) => item.kind === 'shares-sentence').length).toBeGreaterThan(30);
      expect(inHalf.filter((item) => (item.neighbourSimilarity ?? 0) >= 0.3).length).toBeGreaterThan(30);
    }
  });

  it.runIf(HAVE_CORPORA && HAVE_WORDNET)(
    'is what the generator makes from the corpus and WordNet with its fixed seed',
    () => {
      expect(generateEvaluation()).toEqual(items);
    },
  );
});
