import type { DedupSettings } from '@newsflow/dedup';
import { MemoryDedupIndex } from '@newsflow/dedup';
import type { EvalItem } from './generate.ts';

/** A same-topic nearest neighbour at least this similar (TF-IDF cosine) is a hard negative. */
export const HARD_NEGATIVE_SIMILARITY = 0.3;

export interface EvalScore {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Of the flagged rewordings, the share pointing at their original. */
  pointerAccuracy: number;
  /** Per kind: items and how many were flagged (recall for rewordings, false positives for the rest). */
  byKind: Record<string, { items: number; flagged: number }>;
  /** Originals whose nearest earlier paragraph of another article is same-topic, and how many were flagged. */
  hardNegatives: { items: number; flagged: number };
  seedPairFlagged: boolean;
}

/**
 * Runs the stream through the in-memory index (what `newsflow dedup` does) and scores it; `background` paragraphs
 * are indexed first, as a long-running index holds them (full buckets of common pairs, more false candidates).
 */
export function evaluate(
  items: EvalItem[],
  settings: Omit<DedupSettings, 'retentionMs'>,
  background: string[] = [],
): EvalScore {
  const index = new MemoryDedupIndex(settings);
  background.forEach((text, i) => index.addParagraphSync(`background:${i}`, 0, text));
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let rightPointers = 0;
  let seedPairFlagged = false;
  const byKind: EvalScore['byKind'] = {};
  const hardNegatives = { items: 0, flagged: 0 };
  for (const item of items) {
    const match = index.addParagraphSync(item.id, 0, item.text);
    byKind[item.kind] ??= { items: 0, flagged: 0 };
    byKind[item.kind]!.items++;
    if (match) byKind[item.kind]!.flagged++;
    if (item.duplicateOf && match) {
      truePositives++;
      if (match.url === item.duplicateOf) rightPointers++;
    } else if (item.duplicateOf) falseNegatives++;
    else if (match) falsePositives++;
    if ((item.neighbourSimilarity ?? 0) >= HARD_NEGATIVE_SIMILARITY) {
      hardNegatives.items++;
      if (match) hardNegatives.flagged++;
    }
    if (item.id === 'seed-2') seedPairFlagged = match?.url === 'seed-1';
  }
  return {
    precision: truePositives / Math.max(1, truePositives + falsePositives),
    recall: truePositives / Math.max(1, truePositives + falseNegatives),
    truePositives,
    falsePositives,
    falseNegatives,
    pointerAccuracy: rightPointers / Math.max(1, truePositives),
    byKind,
    hardNegatives,
    seedPairFlagged,
  };
}
