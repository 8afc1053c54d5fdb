import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface LoggerSettings {
  level?: string;
  /** `json` or `pretty`; pretty when stderr is a terminal unless LOG_FORMAT says otherwise. */
  format?: string;
  name?: string;
}

/**
 * Logs go to stderr so that commands printing data (export, extract, dedup) keep stdout clean.
 */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const level = settings.level ?? process.env.LOG_LEVEL ?? 'info';
  const format = settings.format ?? process.env.LOG_FORMAT ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const options: LoggerOptions = { level, base: settings.name ? { service: settings.name } : null };
  if (format === 'pretty') {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        // One line per event, its headline first: `12:00:01 INFO: article-store job done https://… (12 ms) {counts}`.
        options: {
          destination: 2,
          colorize: process.stderr.isTTY,
          translateTime: 'HH:MM:ss',
          singleLine: true,
          messageFormat: '{if stage}{stage} {end}{msg}{if url} {url}{end}{if durationMs} ({durationMs} ms){end}',
          ignore: 'pid,hostname,service,stage,url,durationMs,jobId',
        },
      },
    });
  }
  return pino(options, pino.destination({ dest: 2, sync: true }));
}
