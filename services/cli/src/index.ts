export { runPipelineOnce, formatSummary } from './commands/run-once.ts';
export type { RunSummary, RunFailure } from './commands/run-once.ts';
export { startDemoSite } from './demo/site.ts';
export { openRuntime, startServices, SERVICE_NAMES } from './services.ts';
export type { Runtime, ServiceName } from './services.ts';
