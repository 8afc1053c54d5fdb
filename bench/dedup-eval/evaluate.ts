import type { DedupSettings } from '@newsflow/dedup';
import { MemoryDedupIndex } from '@newsflow/dedup';
import type { EvalItem } from './generate.ts';

export interface EvalScore {
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Of the flagged true duplicates, the share pointing at the right original. */
  pointerAccuracy: number;
  /** Recall per kind of rewording, false positives per kind of negative. */
  byKind: Record<string, { items: number; flagged: number }>;
  seedPairFlagged: boolean;
}

/** Runs the stream through the in-memory index (what `newsflow dedup` does) and scores it. */
export function evaluate(items: EvalItem[], settings: Omit<DedupSettings, 'retentionMs'>): EvalScore {
  const index = new MemoryDedupIndex(settings);
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let rightPointers = 0;
  let seedPairFlagged = false;
  const byKind: EvalScore['byKind'] = {};
  for (const item of items) {
    const match = index.addParagraphSync(item.id, 0, item.text);
    const kind = item.kind.startsWith('reworded:')
      ? item.kind.split(':')[1]!.split('+').length > 1
        ? 'reworded:several'
        : item.kind
      : item.kind;
    byKind[kind] ??= { items: 0, flagged: 0 };
    byKind[kind].items++;
    if (match) byKind[kind].flagged++;
    if (item.duplicateOf && match) {
      truePositives++;
      if (match.url === item.duplicateOf) rightPointers++;
    } else if (item.duplicateOf) falseNegatives++;
    else if (match) falsePositives++;
    if (item.id === 'seed-2') seedPairFlagged = match?.url === 'seed-1';
  }
  const precision = truePositives / Math.max(1, truePositives + falsePositives);
  const recall = truePositives / Math.max(1, truePositives + falseNegatives);
  return {
    precision,
    recall,
    f1: (2 * precision * recall) / Math.max(Number.EPSILON, precision + recall),
    truePositives,
    falsePositives,
    falseNegatives,
    pointerAccuracy: rightPointers / Math.max(1, truePositives),
    byKind,
    seedPairFlagged,
  };
}
