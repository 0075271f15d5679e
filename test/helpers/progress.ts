/**
 * Waits bounded by progress, not by the clock: on a loaded machine a setup that needs five minutes
 * is not broken, one that has done nothing for a minute and a half is. `progressing(fn)` runs a
 * test body or hook and fails it only when nothing it drives has moved for `stallMs`: no output
 * from a watched child process, no CPU time used by one, no child started or ended, no
 * `noteProgress()` from the test itself. Give such a test or hook a vitest timeout of 0 (none).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The body stopped making progress: nothing moved for the whole stall time. */
export class StalledError extends Error {
  readonly code = 'TEST_STALLED';
  constructor(what: string, stallMs: number, detail: string) {
    super(`${what}: no progress for ${Math.round(stallMs / 1000)} s (no output, CPU time, process start or exit)${detail ? `\n${detail}` : ''}`);
    this.name = 'StalledError';
  }
}

/**
 * Default stall time, 90 s: far beyond any pause of a working process, even with every core busy.
 * TEST_STALL_SECONDS overrides it.
 */
export const DEFAULT_STALL_MS = Number(process.env.TEST_STALL_SECONDS ?? 90) * 1000;

/** How often progress is sampled, in ms. */
const POLL_MS = 500;

let events = 0;
const children = new Set<ChildProcess>();
const describers = new Set<() => string>();

/** Counts one step of progress made in this process (a chunk written, a message received). */
export function noteProgress(): void {
  events++;
}

/**
 * Watches a child process: its output and its exit are progress, and so is the CPU time it uses
 * (read from /proc where there is one). `describe` says what it is doing, for a stall's message.
 */
export function watchChild(child: ChildProcess, describe?: () => string): void {
  children.add(child);
  if (describe) describers.add(describe);
  child.stdout?.on('data', noteProgress);
  child.stderr?.on('data', noteProgress);
  child.once('exit', () => {
    noteProgress();
    children.delete(child);
    if (describe) describers.delete(describe);
  });
}

/** CPU clock ticks used so far by a live process (all its threads), or 0 where /proc cannot tell. */
function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Everything that moves when work is being done, as one comparable value. */
function fingerprint(): string {
  let cpu = 0;
  for (const c of children) cpu += cpuTicks(c.pid);
  return `${events}/${children.size}/${cpu}`;
}

/**
 * Runs `fn`, rejecting with StalledError when nothing moved for `stallMs` (default
 * DEFAULT_STALL_MS); otherwise resolves or rejects as `fn` does, however long that takes.
 */
export async function whileProgressing<T>(what: string, fn: () => Promise<T>, stallMs = DEFAULT_STALL_MS): Promise<T> {
  let last = fingerprint();
  let lastChange = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const now = fingerprint();
      if (now !== last) {
        last = now;
        lastChange = performance.now();
      } else if (performance.now() - lastChange >= stallMs) {
        clearInterval(timer);
        reject(new StalledError(what, stallMs, [...describers].map((d) => d()).join('\n')));
      }
    }, POLL_MS);
  });
  try {
    return await Promise.race([fn(), stalled]);
  } finally {
    clearInterval(timer);
  }
}

/**
 * `whileProgressing` as a test body or hook, with no vitest timeout of its own:
 * `it(name, progressing(async () => …), 0)`. `what` names it in a stall's message (default: the test).
 */
export function progressing<T>(fn: () => Promise<T>, what = 'the test', stallMs = DEFAULT_STALL_MS): () => Promise<T> {
  return () => whileProgressing(what, fn, stallMs);
}
