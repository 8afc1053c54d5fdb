import { unwatchFile, watchFile } from 'node:fs';
import { loadConfig, type Config } from './config.ts';

export interface ConfigFollower {
  close(): void;
}

/**
 * Follows the config file: each valid edit is applied to `config` in place, so every service holding the object
 * (fetch settings, feed list, extract rules, intervals) sees it, then `onChange` runs. An invalid edit goes to
 * `onInvalid` and changes nothing: the last good config keeps running. Polling (not inotify) also sees edits through
 * Docker bind mounts and editors that replace the file.
 */
export function followConfig(
  path: string,
  config: Config,
  handlers: { onChange?: (config: Config) => Promise<void> | void; onInvalid: (error: unknown) => void },
  intervalMs = 2000,
): ConfigFollower {
  let applying: Promise<void> = Promise.resolve();
  const listener = (current: { mtimeMs: number }, previous: { mtimeMs: number }) => {
    if (current.mtimeMs === previous.mtimeMs) return;
    applying = applying.then(async () => {
      try {
        applyConfig(config, loadConfig(path));
        await handlers.onChange?.(config);
      } catch (error) {
        handlers.onInvalid(error);
      }
    });
  };
  watchFile(path, { interval: intervalMs }, listener);
  return {
    close() {
      unwatchFile(path, listener);
    },
  };
}

/**
 * Copies `next` into `config`. Dedup settings are left alone: the index's LSH banding is chosen from the threshold
 * when a deduper starts, so a new threshold takes effect on restart.
 */
export function applyConfig(config: Config, next: Config): void {
  config.feeds = next.feeds;
  config.defaults = next.defaults;
  Object.assign(config.fetch, next.fetch);
}
