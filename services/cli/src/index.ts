export { runPipelineOnce, formatSummary } from './commands/run-once.ts';
export type { RunSummary, RunFailure } from './commands/run-once.ts';
export { startDemoSite } from './demo/site.ts';
export { openRuntime, startServices } from './services.ts';
export type { Runtime } from './services.ts';
export { SERVICE_NAMES, type ServiceName } from './usage.ts';
