/** How long closing waits for threads still loading their modules (a machine under heavy load takes seconds). */
const LOAD_WAIT_MS = 10_000;

/**
 * Settles once every thread of a pool has run one empty task (`runEmpty`), so has loaded its module, or after
 * LOAD_WAIT_MS. Terminating a thread while it loads its modules aborts the whole process on Node 20 ("FATAL ERROR:
 * v8::Module::IsGraphAsync must be used on an instantiated module"): a scraper stopped right after it started, its
 * extraction thread still loading under load, died of SIGABRT instead of exiting 0. A pool's `close` awaits this
 * before terminating its threads.
 */
export function whenThreadsLoaded(runEmpty: () => Promise<unknown>, threads: number): Promise<void> {
  const tasks = Promise.allSettled(Array.from({ length: threads }, runEmpty));
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, LOAD_WAIT_MS);
    timer.unref();
    void tasks.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
