export { PermanentError, TransientError, ConfigError, ConnectionError, errorMessage } from './errors.ts';
export { parseDuration, formatDuration } from './duration.ts';
export { parseConfig, loadConfig, DEFAULT_DATABASE_URL } from './config.ts';
export { followConfig, applyConfig } from './config-follow.ts';
export type { ConfigFollower } from './config-follow.ts';
export type { Config, FeedConfig, FetchSettings, DedupSettings, ExtractRules, WorkerSettings } from './config.ts';
export {
  QUEUES,
  ALL_QUEUES,
  JOB_NAMES,
  DEFAULT_PREFIX,
  ATTEMPTS,
  BACKOFF_TYPE,
  FAILED_RETENTION_SECONDS,
  jobOptions,
  BODY_TTL_SECONDS,
  parsePayload,
  pollRecord,
} from './queues.ts';
export type {
  QueueName,
  PayloadByQueue,
  FeedFetchPayload,
  ArticleScrapePayload,
  ArticleDedupPayload,
  ArticleStorePayload,
  FeedItemHints,
  PollRecord,
} from './queues.ts';
export { articleRecord, articleText, cleanArticle } from './article.ts';
export { cleanText } from './storable-text.ts';
export type { ArticleRecord, ExportRecord, StoredParagraph, ParagraphDuplicate, ArticleDuplicate } from './article.ts';
export { createLogger } from './logger.ts';
export type { Logger, LoggerSettings } from './logger.ts';
export {
  createRedis,
  checkRedis,
  clusterPrefix,
  clusterUrl,
  isClusterUrl,
  redactUrl,
  deleteKeysWithPrefix,
  DEFAULT_REDIS_URL,
} from './redis.ts';
export type { RedisClient } from './redis.ts';
export {
  createQueues,
  enqueue,
  enqueueMany,
  urlKey,
  pollLogKey,
  startStageWorker,
  queuesIdle,
  quietErrorLogger,
  seenKey,
  SEEN_TTL_SECONDS,
} from './pipeline.ts';
export { classifyFailure, retryDelayMs, retryHorizonMs, UNKNOWN_ERROR_ATTEMPTS } from './retry-policy.ts';
export type { FailureKind } from './retry-policy.ts';
export type {
  Queues,
  StageContext,
  StageHandler,
  StageStats,
  StageWorker,
  StageWorkerOptions,
  ServiceRuntime,
  FinishedHook,
} from './pipeline.ts';
export { bodyKey, saveBody, loadBody, markBodyStored } from './bodies.ts';
export {
  metricsRegistry,
  jobsTotal,
  jobDurationSeconds,
  queueJobs,
  httpResponsesTotal,
  fetchedBytesTotal,
  politenessWaitsTotal,
  duplicatesTotal,
  storageWritesTotal,
  storageBatchSize,
  feedConsecutiveFailures,
  feedLastSuccessSeconds,
  statusClass,
} from './metrics.ts';
export { startHealthServer } from './health-server.ts';
export type { HealthServer, HealthServerOptions, ReadinessCheck } from './health-server.ts';
export { whenThreadsLoaded } from './thread-pools.ts';
