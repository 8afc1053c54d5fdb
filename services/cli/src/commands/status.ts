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

export interface FailureGroup {
  queue: string;
  /** The reason with its URLs, numbers and quoted parts folded, so one cause is one line. */
  reason: string;
  count: number;
  example: string;
  /** Up to three URLs that failed for this reason, newest first. */
  exampleUrls: string[];
}

/** How many failed jobs per queue are read to group their reasons. */
const GROUPED_FAILURES = 2000;

export async function readStatus(
  queues: Queues,
  lastFailures = 5,
): Promise<{ queues: QueueStatus[]; failures: FailureReport[]; groups: FailureGroup[] }> {
  const statuses: QueueStatus[] = [];
  const failures: FailureReport[] = [];
  const groups = new Map<string, FailureGroup>();
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
    const failed = await queue.getFailed(0, GROUPED_FAILURES - 1);
    for (const job of failed.slice(0, lastFailures)) {
      failures.push({
        queue: name,
        url: jobUrl(job.data),
        reason: job.failedReason,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      });
    }
    for (const job of failed) {
      const reason = foldReason(job.failedReason ?? '');
      const key = `${name}\u0000${reason}`;
      const group = groups.get(key) ?? {
        queue: name,
        reason,
        count: 0,
        example: job.failedReason ?? '',
        exampleUrls: [],
      };
      group.count++;
      if (group.exampleUrls.length < 3) group.exampleUrls.push(jobUrl(job.data));
      groups.set(key, group);
    }
  }
  failures.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
  const grouped = [...groups.values()].sort((a, b) => b.count - a.count);
  return { queues: statuses, failures: failures.slice(0, lastFailures), groups: grouped };
}

/** The article's URL, or the feed's for a feed poll. */
function jobUrl(data: unknown): string {
  const { url, feedUrl } = data as { url?: string; feedUrl?: string };
  return url ?? feedUrl ?? '?';
}

/** `HTTP 404 at https://a.example/x` and `HTTP 404 at https://b.example/y` are one cause. */
export function foldReason(reason: string): string {
  return reason
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/\S+:body:\S+/g, '<body>')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<address>')
    .replace(/\b\d+(?:\.\d+)?\b/g, (number) => (number.length === 3 ? number : '<n>'));
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
  if (status.groups.length > 0) {
    lines.push('', 'failures by reason (`newsflow retry --stage S --reason R` re-queues them):');
    for (const group of status.groups)
      lines.push(`  ${String(group.count).padStart(6)}  ${group.queue}  ${group.reason}`);
  }
  if (status.failures.length > 0) {
    lines.push('', 'last failures:');
    for (const failure of status.failures)
      lines.push(`  ${failure.failedAt ?? '?'}  ${failure.queue}  ${failure.url}: ${failure.reason}`);
  }
  return lines.join('\n');
}
