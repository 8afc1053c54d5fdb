/** Worker-thread side of `parseFeed` (feed-worker.ts): parses, then sends items in batches and the feed itself. */
import { parentPort, workerData } from 'node:worker_threads';
import { PermanentError } from '@newsflow/core';
import { parseFeedText } from './parse-feed.ts';
import type { WorkerMessage } from './feed-worker.ts';

const BATCH = 2000;
const { text, baseUrl } = workerData as { text: string; baseUrl?: string };
const send = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  const { items, ...feed } = await parseFeedText(text, baseUrl);
  for (let start = 0; start < items.length; start += BATCH)
    send({ type: 'items', items: items.slice(start, start + BATCH) });
  send({ type: 'done', feed });
} catch (error) {
  send({
    type: 'error',
    message: (error as Error).message,
    code: error instanceof PermanentError ? error.code : 'malformed_feed',
  });
}
