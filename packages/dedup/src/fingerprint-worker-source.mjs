// The fingerprint pool's worker when newsflow runs from its TypeScript sources (tests, `pnpm dev`, benches):
// registers tsx's loader, then serves the TypeScript worker. Compiled, the pool loads dist/fingerprint-worker.js.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const tsxApi = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs');
const tsx = await import(pathToFileURL(tsxApi).href);
tsx.register();
const worker = await import('./fingerprint-worker.ts');
export default worker.default;
