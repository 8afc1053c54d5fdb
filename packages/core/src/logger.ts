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
        options: { destination: 2, colorize: process.stderr.isTTY, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino(options, pino.destination({ dest: 2, sync: true }));
}
