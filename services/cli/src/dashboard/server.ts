/**
 * `newsflow dashboard` (and `start`): a page for operators and editors, its JSON API, and bull-board at /queues.
 * It binds to 127.0.0.1 unless told otherwise; on any other address it needs a token (NEWSFLOW_DASHBOARD_TOKEN),
 * sent as `Authorization: Bearer …` or once as `?token=…`, which leaves a same-site cookie.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import {
  ALL_QUEUES,
  ConfigError,
  errorMessage,
  type Config,
  type Logger,
  type Queues,
  type RedisClient,
} from '@newsflow/core';
import type { ArticleStore } from '@newsflow/storage';
import { retryFailed, stageQueue } from '../commands/retry.ts';
import { readFailures, readFeeds, readOverview } from './data.ts';

export interface DashboardOptions {
  port: number;
  host: string;
  /** Required when `host` is not a loopback address. */
  token: string | null;
  queues: Queues;
  redis: RedisClient;
  prefix: string;
  store: ArticleStore;
  /** The config as it is now (the file may change while the dashboard runs). */
  config: () => Config;
  logger: Logger;
}

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

const TOKEN_COOKIE = 'newsflow_token';
const PAGE_DIR = new URL('../../dashboard/', import.meta.url).pathname;

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  if (!isLoopback(options.host) && !options.token)
    throw new ConfigError(
      `the dashboard on ${options.host} is reachable from other machines: set NEWSFLOW_DASHBOARD_TOKEN to a secret ` +
        'that every request must carry (or keep the default host, 127.0.0.1)',
    );
  const app = express();
  app.disable('x-powered-by');
  if (options.token) app.use(requireToken(options.token));

  const board = new ExpressAdapter();
  board.setBasePath('/queues');
  createBullBoard({
    queues: ALL_QUEUES.map((name) => new BullMQAdapter(options.queues[name])),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'newsflow queues' } },
  });
  app.use('/queues', board.getRouter());

  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));
  api.get('/overview', (_request, response, next) => {
    readOverview(options.queues, options.store, options.redis, options.prefix).then(
      (overview) => response.json(overview),
      next,
    );
  });
  api.get('/failures', (_request, response, next) => {
    readFailures(options.queues).then((failures) => response.json(failures), next);
  });
  api.get('/feeds', (_request, response, next) => {
    readFeeds(options.config(), options.store, options.redis, options.prefix).then(
      (feeds) => response.json(feeds),
      next,
    );
  });
  api.get('/articles', (request, response, next) => {
    const limit = Math.min(100, Math.max(1, Number(request.query.limit) || 20));
    options.store.latestArticles(limit).then((articles) => response.json(articles), next);
  });
  api.get('/search', (request, response, next) => {
    const query = typeof request.query.q === 'string' ? request.query.q : '';
    if (!query.trim()) return void response.json([]);
    options.store.search(query, { limit: 20 }).then((hits) => response.json(hits), next);
  });
  api.post('/retry', (request: Request, response: Response, next: NextFunction) => {
    // JSON only: a cross-site form cannot send it, so the token cookie cannot be used against us.
    if (!request.is('application/json')) return void response.status(415).json({ error: 'send JSON' });
    const { stage, reason } = (request.body ?? {}) as { stage?: unknown; reason?: unknown };
    const queue = typeof stage === 'string' ? stageQueue(stage) : null;
    if (!queue || typeof reason !== 'string')
      return void response.status(400).json({ error: 'needs {"stage": "scraper", "reason": "<as listed>"}' });
    retryFailed(options.queues, { queue, foldedReason: reason }).then((reports) => {
      const retried = reports.reduce((sum, report) => sum + report.retried, 0);
      options.logger.info({ stage, reason, retried }, 'failed jobs retried from the dashboard');
      response.json({ retried });
    }, next);
  });
  app.use('/api', api);
  app.use(express.static(PAGE_DIR, { index: 'index.html', maxAge: 0 }));
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    options.logger.warn({ reason: errorMessage(error) }, 'dashboard request failed');
    response.status(503).json({ error: errorMessage(error) });
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port, options.host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function requireToken(token: string) {
  const expected = Buffer.from(token);
  const matches = (supplied: unknown) =>
    typeof supplied === 'string' &&
    supplied.length === token.length &&
    timingSafeEqual(Buffer.from(supplied), expected);
  return (request: Request, response: Response, next: NextFunction) => {
    const bearer = /^Bearer (.+)$/.exec(request.get('authorization') ?? '')?.[1];
    const cookie = cookieValue(request.get('cookie'), TOKEN_COOKIE);
    if (matches(bearer) || matches(cookie)) return next();
    if (matches(request.query.token)) {
      // Once from the URL, then from a cookie: the token leaves the address bar and the browser history.
      response.cookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
      const url = new URL(request.originalUrl, 'http://x');
      url.searchParams.delete('token');
      return void response.redirect(303, `${url.pathname}${url.search}`);
    }
    response
      .status(401)
      .type('text/plain')
      .send('newsflow dashboard: a token is required (open it with ?token=… or send Authorization: Bearer …)\n');
  };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
