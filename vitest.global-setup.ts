import { buildOnce } from './vitest.shared.ts';

export default function setup(): void {
  buildOnce();
}
