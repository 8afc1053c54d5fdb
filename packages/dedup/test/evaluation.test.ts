import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateEvaluation, type EvalItem } from '../../../bench/dedup-eval/generate.ts';
import { evaluate } from '../../../bench/dedup-eval/evaluate.ts';
import { HAVE_CORPORA } from '../../../test/helpers.ts';

const EVAL_FILE = new URL('../../../bench/dedup-eval/eval.jsonl.gz', import.meta.url);
const items = gunzipSync(readFileSync(EVAL_FILE))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as EvalItem);

describe('near-duplicate evaluation stream (bench/dedup-eval)', () => {
  it('meets the targets at the default thresholds: precision ≥ 0.995, recall ≥ 0.98, the seed pair flagged', () => {
    const score = evaluate(items, { paragraphThreshold: 0.45, articleThreshold: 0.8, minWords: 8 });
    expect(score.seedPairFlagged).toBe(true);
    expect(score.precision).toBeGreaterThanOrEqual(0.995);
    expect(score.recall).toBeGreaterThanOrEqual(0.98);
    expect(score.pointerAccuracy).toBeGreaterThanOrEqual(0.99);
  });

  it('holds rewordings of every kind and hard negatives', () => {
    const kinds = new Set(items.map((item) => item.kind.split(':')[0]));
    expect([...kinds].sort()).toEqual(['original', 'reworded', 'seed', 'shares-sentence']);
    for (const edit of ['substitute', 'insert', 'delete', 'reorder', 'append']) {
      expect(items.filter((item) => item.kind.includes(edit)).length, edit).toBeGreaterThan(50);
    }
    expect(items.filter((item) => item.kind === 'shares-sentence').length).toBeGreaterThan(300);
  });

  it.runIf(HAVE_CORPORA)('is what the generator makes from the corpus with its fixed seed', () => {
    expect(generateEvaluation()).toEqual(items);
  });
});
