/**
 * Native work the process must let finish before it exits. Ending a process (or a worker thread)
 * while a DuckDB call is still running in a worker thread aborts it with `Napi::Error` (exit 134),
 * so even a forced exit (a second Ctrl-C) waits for such work, which has been interrupted by then.
 */
const pending = new Set<Promise<unknown>>();

/** Registers work (e.g. a worker thread's exit) that must be over before the process exits. */
export function trackNativeWork(work: Promise<unknown>): void {
  pending.add(work);
  void work.finally(() => pending.delete(work)).catch(() => undefined);
}

/** Whether tracked work is still running. */
export function nativeWorkPending(): boolean {
  return pending.size > 0;
}

/** Resolves once no tracked work is left. */
export async function nativeWorkDone(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
