import { afterEach, describe, expect, it, vi } from 'vitest';
import { whenThreadsLoaded } from '../src/index.ts';

describe('whenThreadsLoaded', () => {
  afterEach(() => vi.useRealTimers());

  it('settles once every thread has run its empty task, failed or not, and not before', async () => {
    const releases: ((ok: boolean) => void)[] = [];
    const runEmpty = () =>
      new Promise((resolve, reject) => releases.push((ok) => (ok ? resolve(null) : reject(new Error('thread died')))));
    let settled = false;
    const loaded = whenThreadsLoaded(runEmpty, 3).then(() => (settled = true));
    expect(releases).toHaveLength(3);
    releases[0]!(true);
    releases[1]!(false);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    releases[2]!(true);
    await loaded;
    expect(settled).toBe(true);
  });

  it('gives up waiting after ten seconds, so a pool whose thread hangs still closes', async () => {
    vi.useFakeTimers();
    let settled = false;
    const loaded = whenThreadsLoaded(() => new Promise(() => {}), 1).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await loaded;
    expect(settled).toBe(true);
  });
});
