import { ALL_QUEUES, type Queues } from '@newsflow/core';

export interface QueueStatus {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  done: number;
  failed: number;
}

export interface FailureReport {
  queue: string;
  url: string;
  reason: string;
  failedAt: string | null;
}

export async function readStatus(
  queues: Queues,
  lastFailures = 5,
): Promise<{ queues: QueueStatus[]; failures: FailureReport[] }> {
  const statuses: QueueStatus[] = [];
  const failures: FailureReport[] = [];
  for (const name of ALL_QUEUES) {
    const queue = queues[name];
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
    statuses.push({
      queue: name,
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      done: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    });
    for (const job of await queue.getFailed(0, lastFailures - 1)) {
      const data = job.data as { url?: string; feedUrl?: string };
      failures.push({
        queue: name,
        url: data.url ?? data.feedUrl ?? '?',
        reason: job.failedReason,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      });
    }
  }
  failures.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
  return { queues: statuses, failures: failures.slice(0, lastFailures) };
}

export function formatStatus(status: Awaited<ReturnType<typeof readStatus>>): string {
  const header = ['queue', 'waiting', 'active', 'delayed', 'done', 'failed'];
  const rows = status.queues.map((queue) =>
    [queue.queue, queue.waiting, queue.active, queue.delayed, queue.done, queue.failed].map(String),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  const lines = [line(header), ...rows.map(line)];
  if (status.failures.length > 0) {
    lines.push('', 'last failures:');
    for (const failure of status.failures)
      lines.push(`  ${failure.failedAt ?? '?'}  ${failure.queue}  ${failure.url}: ${failure.reason}`);
  }
  return lines.join('\n');
}
