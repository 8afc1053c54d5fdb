#!/usr/bin/env node
// Runs the TypeScript sources directly: one image, no separate build output to keep in sync.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
