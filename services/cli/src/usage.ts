/** The service names and the usage text: imported by the entry point, so they import nothing heavy. */
export const SERVICE_NAMES = ['scheduler', 'feed-fetcher', 'scraper', 'deduper', 'storage'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const USAGE = `usage: newsflow <command> [options]

commands:
  start [--config F]                 every service in one process, polling forever
  run --once [--config F]            poll every feed once, process everything, print a summary
  worker NAME [--config F]           one service: ${SERVICE_NAMES.join(', ')}
  export [--format jsonl|csv] [--since ISO|7d] [--feed URL] [--query Q]
                                     stored articles on stdout
  search QUERY [--since ISO|7d] [--feed URL] [--limit N]
                                     full-text search, best matches first
  prune --older-than 90d             delete older articles and forget them in the dedup index
  feeds list | add URL [--name N] [--no-check] | remove URL | health | import FILE.opml | export
                                     the feed list in the config file (comments kept); health: each
                                     feed's status, last success, failures and new items per day
  feeds list | import FILE | remove URL --db
                                     a second feed list in the database, for long lists (FILE: OPML or
                                     one URL per line); polled beside the config's
  status                             jobs per queue, failures grouped by reason, the last failures
  dashboard [--port P] [--host H]    the web page: throughput, queues, failures (retry), feed health, latest
                                     articles, search; bull-board at /queues (start serves it too)
  retry [--stage S] [--reason R]     put failed jobs back in their queue (S: feed-fetcher, scraper, deduper,
                                     storage; R: part of the failure's reason)
  reindex                            rebuild the seen-URL set and the dedup index from the database (after
                                     Redis lost its data)
  extract FILE|URL …                 one JSON line per page: the article (files may be gzipped)
  parse-feed FILE|URL …              one JSON line per feed: format, title, link, items
  dedup                              JSON lines {"id","text"} on stdin → {"id","duplicateOf","similarity"}
  demo                               a bundled offline site through the whole pipeline

environment: REDIS_URL, DATABASE_URL (file:PATH or postgres://…), NEWSFLOW_CONFIG, LOG_LEVEL, LOG_FORMAT,
             NEWSFLOW_HTTP_PORT (health and metrics), NEWSFLOW_DASHBOARD_TOKEN`;
