import { watchFile, unwatchFile } from 'node:fs';
import { errorMessage, loadConfig, QUEUES, type ServiceRuntime } from '@newsflow/core';
import { syncSchedulers } from './handler.ts';

export interface Scheduler {
  close(): Promise<void>;
}

/**
 * Registers one job scheduler per feed and re-syncs whenever the config file changes. An invalid edit is
 * logged and ignored: the last good feed list keeps polling.
 */
export async function startScheduler(runtime: ServiceRuntime, configPath: string): Promise<Scheduler> {
  const log = runtime.logger.child({ stage: 'scheduler' });
  const queue = runtime.queues[QUEUES.feedFetch];
  const sync = async (feeds = runtime.config.feeds) => {
    const result = await syncSchedulers(queue, feeds);
    log.info({ feeds: result.scheduled, removed: result.removed }, 'feed schedules synced');
  };
  await sync();

  let syncing = Promise.resolve();
  // Polling (not inotify) also sees edits through Docker bind mounts and editors that replace the file.
  watchFile(configPath, { interval: 2000 }, (current, previous) => {
    if (current.mtimeMs === previous.mtimeMs) return;
    syncing = syncing.then(async () => {
      try {
        const config = loadConfig(configPath);
        runtime.config.feeds = config.feeds;
        await sync(config.feeds);
      } catch (error) {
        log.error({ reason: errorMessage(error) }, 'config change ignored: the file is invalid');
      }
    });
  });
  return {
    async close() {
      unwatchFile(configPath);
      await syncing;
    },
  };
}
